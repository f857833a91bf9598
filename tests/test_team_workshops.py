"""Team workshops through the bridge: groups, links, rounds and the workshop pack, under CPython."""

from __future__ import annotations

import json
import re

import pytest
from calls import done, send
from calls import request as request_of
from conftest import docs_titles
from teams import TODAY, member_file, team_inputs, without_base, workshop_requests

from widgets import definition_to_data, parse_definition, score_answers
from widgets.bridge import gather
from widgets.links import decode_link
from widgets.members import Member, read_members
from widgets.protocol import read_request
from widgets.team import team_result


@pytest.fixture
def health_check(health_check_data):
    return definition_to_data(parse_definition(health_check_data, pages=docs_titles()))


def gathered(health_check: dict, request: dict):
    """The team view's parts as the bridge gathers them, read from a request as the page sends it."""
    return gather(parse_definition(health_check), read_request(request)[1])


def test_groups_side_by_side_with_the_pairs_folded_in(health_check):
    inputs = team_inputs(health_check)
    reply = done("team", health_check, **inputs)
    # Everything is kept for the page to send again: every file and every link.
    kept = reply["keep"]
    assert [(f["name"], f["text"]) for f in kept["files"]] == [(f["name"], f["text"]) for f in inputs["files"]]
    assert kept["links"] == inputs["links"] and kept["rounds"] == []
    groups = reply["paint"]["team"].split('class="team-groups"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'<th scope="col">([^<]+)</th>', groups)[1:] == ["Commissioner (3)", "Other groups (4)"]
    assert "Folded into \u201cOther groups\u201d: NHS provider, Voluntary and community sector." in groups
    assert "the Other groups group" not in groups and "scores" in groups  # a gap sentence is there


def test_a_group_of_two_appears_in_no_output(health_check):
    inputs = team_inputs(health_check)
    for request in workshop_requests(health_check):
        text = json.dumps(send(request))
        for pair in ("NHS provider", "Voluntary and community sector"):
            assert f"{pair} (2)" not in text and f"{pair} 2" not in text and f"{pair} group" not in text
    assert inputs["links"]


def test_saving_and_adding_a_round_shows_the_change(health_check):
    inputs = team_inputs(health_check)
    saved = done("save_round", health_check, **without_base(inputs) | {"label": "Autumn", "today": "2026-09-01"})[
        "download"
    ]
    assert "Person" not in saved["text"]
    # The three commissioners change their minds: every statement down to 1. (Had only two
    # changed, the round and this view would differ by two people, and the round is refused.)
    changed = dict(inputs)
    changed["files"] = [
        member_file(health_check, k, dict.fromkeys(json.loads(f["text"])["answers"], "1")) if k in (0, 1, 2) else f
        for k, f in enumerate(inputs["files"])
    ]
    reply = done("team", health_check, **changed, rounds=[{"name": "autumn.json", "text": saved["text"]}])
    section = reply["paint"]["team"].split('class="team-rounds"', 1)[1]
    assert "Compared with \u201cAutumn\u201d (1 September 2026, 7 members)." in section
    assert re.search(r'class="change-down">Down \d', section)


def test_the_workshop_agenda_follows_the_divergence_order(health_check):
    inputs = team_inputs(health_check)
    pack = done("workshop", health_check, **without_base(inputs), minutes=60, name="Northshire board")["print"]["html"]
    assessment = parse_definition(health_check)
    members, _ = read_members(assessment, inputs["files"])
    linked = [decode_link(assessment, link["fragment"]).answers for link in inputs["links"]]
    members += [Member(label="x", answers=a, source="l", position=10 + i) for i, a in enumerate(linked)]
    order = [s.question.text for s in team_result(assessment, members).divergent][:5]
    shown = re.findall(r'<section class="pack-item"><h3>\d+\. ([^<]+)</h3>', pack)
    assert shown[: len(order)] == [t.replace("'", "&#x27;") for t in order]
    assert "Person" not in pack and "Northshire board" in pack


def test_hostile_links_and_round_files_are_named_and_refused(health_check):
    request = workshop_requests(health_check)[2]
    found = gathered(health_check, request)
    refused = {r.source: r.reason for r in found.combined.refused}
    assert refused["<b>cut</b>"].startswith("the link has been changed or cut short")
    assert refused["deep.json"] == "it nests more than 8 levels deep, so it is not a round file"
    assert refused["odd.json"] == "it is not a round file from this handbook"
    assert len(found.kept.files) == 4 and len(found.kept.links) == 3 and found.kept.rounds == ()
    html = send(request)["paint"]["team"]
    assert "<b>cut</b>" not in html and "&lt;b&gt;cut&lt;/b&gt;" in html


def test_opening_a_link_offers_its_answers(health_check):
    inputs = team_inputs(health_check)
    offered = done("open_link", health_check, fragment="#" + inputs["links"][0]["fragment"])["offer"]
    assert offered["message"].startswith("This link carries answers from \u201cPerson 4\u201d to 33 of 33")
    assert offered["answers"] == decode_link(parse_definition(health_check), inputs["links"][0]["fragment"]).answers
    refused = send(request_of("open_link", health_check, fragment="#answers=1.AAAA"))
    assert refused == {"say": "The link has been changed or cut short: copy the whole link again and open it."}


def test_a_file_from_an_older_version_says_what_was_left_out(health_check):
    inputs = team_inputs(health_check)
    record = json.loads(inputs["files"][0]["text"])
    record["answers"] |= {"a-statement-since-removed": "4", "need-shared-problem": "7"}
    inputs["files"][0] = {"name": "old-version.json", "text": json.dumps(record)}
    html = done("team", health_check, **inputs)["paint"]["team"]
    older = html.split('class="team-older">', 1)[1].split("</p>", 1)[0]
    assert "this version of the tool no longer has" in older and "old-version.json (" in older


def test_a_reader_compares_their_own_result_with_an_earlier_one(health_check):
    rated = [q["id"] for q in health_check["questions"]]
    before = dict.fromkeys(rated, "2")
    saved = done("save_mine", health_check, answers=before, today="2026-06-01")["download"]
    assert saved["filename"] == "health-check-my-result-2026-06-01.json"  # not named like a team round
    now = dict.fromkeys(rated, "4")
    rounds = [{"name": "june.json", "text": saved["text"]}, {"name": "bad.json", "text": "[[["}]
    html = done("score", health_check, answers=now, rounds=rounds, today=TODAY)["paint"]["result"]
    section = html.split('class="team-rounds"', 1)[1]
    assert "Compared with \u201cMy result\u201d (1 June 2026, 1 member)." in section
    assessment = parse_definition(health_check)
    then, later = score_answers(assessment, before), score_answers(assessment, now)
    for old, new in zip(then.dimensions, later.dimensions, strict=True):
        change = round(new.score - old.score, 2)
        words = "No change" if abs(change) < 0.05 else f"{'Up' if change > 0 else 'Down'} {abs(change):g}"
        assert f'<th scope="row">{old.dimension.title}</th>' in section and f">{words}</td>" in section
    assert "<strong>bad.json</strong>: not used, because" in html
