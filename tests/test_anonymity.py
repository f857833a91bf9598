"""A team's answers stay anonymous, tried as an adversarial facilitator would.

Every case goes through ``widgets.bridge`` as the page does, keeping what Python says to keep
between requests (tests/adversaries.py). The promise checked, for every figure the team tools
show, print or save: it comes from at least the threshold of distinct people, and no two
outputs, set side by side, isolate fewer people than that. The checker below works out who
each shown figure covers from the typed results and groups them with its own code, not the
engine's ledger, so it can catch a figure the ledger failed to record.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pytest
from adversaries import TODAY, Page, answers_file, answers_link, answers_of, rated_ids
from calls import done
from definitions import small
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from widgets import DefinitionError, parse_definition
from widgets.anonymity import clean_label
from widgets.bridge import gather
from widgets.protocol import read_request
from widgets.rounds import read_round

K = 3


@pytest.fixture
def hc(health_check_data):
    return health_check_data


# -- the independent checker ---------------------------------------------------------------


def disclosed(sent: dict) -> list[tuple[str, frozenset[str]]]:
    """Who every figure that this request showed, printed or saved comes from, by feature."""
    if sent["kind"] not in {"team", "save_round", "report", "workshop", "export_plan"}:
        return []
    envelope, typed = read_request(sent)
    assessment = parse_definition(json.loads(envelope.definition))
    found = gather(assessment, typed)
    team = found.combined
    pairs = [(f"area:{d.dimension.id}", d.contributors) for d in team.dimensions if d.score is not None]
    pairs += [(f"statement:{s.question.id}", s.contributors) for s in team.statements if not s.withheld]
    for group in found.view.groups:
        pairs += [
            (f"area:{d.id}", covers)
            for d, score, covers in zip(assessment.dimensions, group.scores, group.covers, strict=True)
            if score is not None
        ]
    for saved in found.rounds:
        pairs += [(f"area:{a}", saved.covers[f"area:{a}"]) for a in saved.areas]
        pairs += [(f"statement:{q}", saved.covers[f"statement:{q}"]) for q in saved.statements]
    return pairs


def cells(sets: list[frozenset[str]]) -> list[int]:
    """Members grouped by exactly which sets hold them: written apart from widgets.anonymity."""
    by_pattern: dict[frozenset[int], int] = defaultdict(int)
    for person in set().union(*sets):
        by_pattern[frozenset(i for i, s in enumerate(sets) if person in s)] += 1
    return list(by_pattern.values())


def assert_nothing_singles_anyone_out(*pages: Page, extra: list[tuple[str, frozenset[str]]] = ()) -> int:
    """The promise, over every request these pages made; returns how many figures were shown."""
    by_feature: dict[str, set[frozenset[str]]] = defaultdict(set)
    shown = 0
    for page in pages:
        for sent in page.sent:
            for feature, who in disclosed(sent):
                assert len(who) >= K, f"{feature} shown over {len(who)} people"
                by_feature[feature].add(who)
                shown += 1
    for feature, who in extra:
        by_feature[feature].add(who)
    for feature, sets in by_feature.items():
        assert min(cells(list(sets))) >= K, f"{feature}: two outputs differ by fewer than {K} people"
    return shown


def members_line(reply: dict) -> str:
    found = re.search(r'class="team-members">([^<]*)<', reply["paint"]["team"])
    return found.group(1) if found else ""


def area_scores(reply: dict) -> list[str]:
    """The team's area averages as the page shows them (the table's Average column)."""
    return re.findall(r'<td data-label="Average">([^<]*)</td>', reply["paint"]["team"])


def team_of(hc: dict, count: int, *, start: int = 0, groups: list[str] | None = None) -> list[dict]:
    return [
        answers_file(
            hc,
            answers_of(hc, start + n),
            name=f"m{start + n}.json",
            member=f"M{start + n}",
            group=(groups or [""])[n % len(groups or [""])],
        )
        for n in range(count)
    ]


# -- one person, many channels -------------------------------------------------------------


def _resaved(text: str) -> str:
    return json.dumps(json.loads(text), indent=4).replace("\n", "\r\n")


@pytest.mark.parametrize(
    "second",
    [
        "same file again",
        "byte order mark",
        "windows line endings",
        "keys in another order",
        "as a link",
        "name in capitals and spaces",
        "name with invisible characters",
        "as a kept entry and a new file",
    ],
)
def test_the_same_person_by_any_channel_counts_once(hc, second):
    carer = answers_of(hc, 1)
    first = answers_file(hc, carer, name="carer.json", member="Sam Carer", group="people-and-carers")
    text = first["text"]
    again = {
        "same file again": {"files": [dict(first, name="carer copy.json")]},
        "byte order mark": {"files": [{"name": "carer bom.json", "text": "\ufeff" + text}]},
        "windows line endings": {"files": [{"name": "carer crlf.json", "text": _resaved(text)}]},
        "keys in another order": {
            "files": [{"name": "carer sorted.json", "text": json.dumps(json.loads(text), sort_keys=True)}]
        },
        "as a link": {"links": [answers_link(hc, carer, name="link 1", member="Sam Carer", group="people-and-carers")]},
        "name in capitals and spaces": {
            "files": [answers_file(hc, carer, name="c2.json", member="  SAM   carer ", group="people-and-carers")]
        },
        "name with invisible characters": {
            "files": [
                answers_file(hc, carer, name="c3.json", member="Sam\u200b Car\u202eer", group="people-and-carers")
            ]
        },
        "as a kept entry and a new file": {"files": [dict(first, name="carer later.json")]},
    }[second]
    page = Page(hc)
    page.add(files=[first, *team_of(hc, 3, start=10)])
    reply = page.add(**again)
    assert members_line(reply).startswith("4 members combined")
    assert "carer.json, so it counts once" in reply["paint"]["team"]
    assert_nothing_singles_anyone_out(page)


def test_one_link_pasted_three_times_is_one_person_and_shows_nothing(hc):
    link = answers_link(hc, answers_of(hc, 2), name="link 1", member="Carer", group="people-and-carers")
    page = Page(hc)
    reply = page.add(links=[link, dict(link, name="link 2"), dict(link, name="link 3")])
    html = reply["paint"]["team"]
    assert "appear once at least 3 people" in html and "(1 so far: Carer)" in html
    assert not area_scores(reply) and "People who use services" not in html
    assert page.save_round()["say"].startswith("The round could not be saved: a round is saved only once at least 3")
    assert_nothing_singles_anyone_out(page)


# -- people who said nothing ---------------------------------------------------------------


@pytest.mark.parametrize(
    "empty",
    [
        {},
        "all don't know",
        {"a-statement-since-removed": "4"},
        {"need-shared-problem": "7"},
    ],
)
def test_a_file_with_no_rating_is_refused_and_never_counted(hc, empty):
    answers = dict.fromkeys(rated_ids(hc), "dk") if empty == "all don't know" else empty
    blanks = [answers_file(hc, answers, name=f"blank{n}.json", member=f"Blank {n}") for n in range(2)]
    carer = answers_file(hc, answers_of(hc, 3), name="carer.json", member="Carer")
    reply = Page(hc).add(files=[*blanks, carer])
    html = reply["paint"]["team"]
    assert "blank0.json</strong>: not added, because it holds no rating of any statement" in html
    assert "(1 so far: Carer)" in html and not area_scores(reply)


def test_dont_know_within_a_group_withholds_that_figure(hc):
    ids = rated_ids(hc)
    first = {0, 1, 2, 3, 4}  # the first area's statements ("need")
    files = [
        answers_file(hc, answers_of(hc, 20, dont_know=frozenset(first)), name="a.json", member="A"),
        answers_file(hc, answers_of(hc, 21, dont_know=frozenset(first)), name="b.json", member="B"),
        answers_file(hc, answers_of(hc, 22), name="c.json", member="C"),
    ]
    page = Page(hc)
    reply = page.add(files=files)
    html = reply["paint"]["team"]
    assert members_line(reply).startswith("3 members combined")
    scores = area_scores(reply)
    assert scores[0] == "\u2014" and all(score != "\u2014" for score in scores[1:])  # one rater: withheld
    statement = re.search(rf"{re.escape(hc['questions'][0]['text'])}</td><td data-label=\"Answers\">([^<]*)<", html)
    assert statement and statement.group(1) == "Withheld"
    assert "figures are withheld" in html
    assert ids[0] not in json.loads(page.save_round()["download"]["text"])["statements"]
    assert_nothing_singles_anyone_out(page)


# -- late members and views compared -------------------------------------------------------


def test_a_late_member_waits_until_enough_others_join(hc):
    page = Page(hc)
    before = page.add(files=team_of(hc, 5))
    late = page.add(files=team_of(hc, 1, start=5))
    assert area_scores(late) == area_scores(before)  # the view is as it was
    assert "1 person waiting (M5)" in late["paint"]["team"] and late["say"].startswith(
        "Team view updated: 5 members, 1 waiting"
    )
    two = page.add(files=team_of(hc, 1, start=6))
    assert area_scores(two) == area_scores(before) and "2 people waiting" in two["paint"]["team"]
    three = page.add(files=team_of(hc, 1, start=7))
    assert members_line(three).startswith("8 members combined") and "waiting" not in three["paint"]["team"]
    assert_nothing_singles_anyone_out(page)


def test_removing_one_member_does_not_show_the_rest(hc):
    page = Page(hc)
    page.add(files=team_of(hc, 6))
    page.files = page.files[:-1]  # a facilitator takes one file out of the kept list
    reply = page.add()
    assert "appear once" in reply["paint"]["team"] or "waiting" in reply["paint"]["team"]
    assert_nothing_singles_anyone_out(page)


def test_clearing_the_team_view_keeps_the_record_of_what_was_shown(hc):
    page = Page(hc)
    page.add(files=team_of(hc, 5))
    page.clear()
    reply = page.add(files=team_of(hc, 6))  # the same five and one more, added again from nothing
    assert not members_line(reply).startswith("6 members")
    assert_nothing_singles_anyone_out(page)


def test_a_small_group_is_never_recovered_by_folding_differently(hc):
    """The reported attack: "Commissioner (3)" then "Other groups (4)" gave the lone carer's scores."""
    groups = ["commissioner"] * 3 + ["nhs-provider"] * 3 + ["people-and-carers"]
    page = Page(hc)
    page.add(files=team_of(hc, 7, groups=groups))
    late = ["council-provider", "council-provider", "commissioner"]
    for n, group in enumerate(late):
        page.add(files=[answers_file(hc, answers_of(hc, 40 + n), name=f"late{n}.json", member=f"L{n}", group=group)])
    assert_nothing_singles_anyone_out(page)


def test_every_output_kind_is_held_to_the_rule(hc):
    page = Page(hc)
    page.add(files=team_of(hc, 4, groups=["commissioner", "frontline"]))
    page.report()
    page.pack()
    page.save_round("Spring")
    page.ask("export_plan", format="csv", source="team", **page.inputs())
    page.add(files=team_of(hc, 2, start=30))
    page.report()
    page.pack()
    assert "waiting" in page.add()["paint"]["team"]
    assert_nothing_singles_anyone_out(page)


# -- rounds ----------------------------------------------------------------------------------


def test_rounds_before_and_after_one_late_member_cannot_be_set_side_by_side(hc):
    first = Page(hc)
    first.add(files=team_of(hc, 5))
    before = first.save_round("Before")["download"]
    # On another device with no record, the same five and one late member: a round is saved.
    other = Page(hc)
    other.add(files=team_of(hc, 6))
    after = other.save_round("After")["download"]
    later = Page(hc)
    reply = later.add(
        files=team_of(hc, 9, start=50),
        rounds=[{"name": "before.json", "text": before["text"]}, {"name": "after.json", "text": after["text"]}],
    )
    html = reply["paint"]["team"]
    assert "not added, because it covers nearly the same people" in html
    assert_nothing_singles_anyone_out(later)


def test_the_moved_most_list_never_gives_a_late_members_ratings(hc):
    page = Page(hc)
    page.add(files=team_of(hc, 5))
    saved = page.save_round("Autumn")["download"]
    page.clear()
    reply = page.add(files=team_of(hc, 6), rounds=[{"name": "autumn.json", "text": saved["text"]}])
    html = reply["paint"]["team"]
    # The five from the round are shown again; the late member waits, so nothing has moved.
    assert "1 person waiting" in html
    assert "Statements that moved most" not in html
    assert_nothing_singles_anyone_out(page)


def test_a_round_file_is_never_written_or_read_for_fewer_than_the_threshold(hc):
    page = Page(hc)
    page.add(files=team_of(hc, 2))
    assert "round could not be saved" in page.save_round()["say"]
    three = Page(hc)
    three.add(files=team_of(hc, 3))
    record = json.loads(three.save_round()["download"]["text"])
    record |= {"members": 2, "ids": record["ids"][:2]}
    reply = Page(hc).add(files=team_of(hc, 3, start=60), rounds=[{"name": "two.json", "text": json.dumps(record)}])
    assert "two.json</strong>: not added, because it covers 2 people" in reply["paint"]["team"]


def test_a_personal_result_is_never_a_team_round(hc):
    mine = done("save_mine", hc, answers=answers_of(hc, 1), today=TODAY)["download"]
    assert "my-result" in mine["filename"]
    reply = Page(hc).add(files=team_of(hc, 3), rounds=[{"name": mine["filename"], "text": mine["text"]}])
    assert "one person\u2019s saved result, not a team\u2019s round" in reply["paint"]["team"]


def test_the_same_round_twice_counts_once_and_thirteen_rounds_keep_the_newest_twelve(hc):
    rounds = []
    for month in range(1, 14):
        page = Page(hc)
        page.add(files=team_of(hc, 3, start=100 + 3 * month))
        record = json.loads(page.save_round(f"R{month}")["download"]["text"])
        record["date"] = f"2026-{(month - 1) % 12 + 1:02d}-01" if month < 13 else "2025-12-01"
        rounds.append({"name": f"r{month}.json", "text": json.dumps(record)})
    twice = rounds[0] | {"name": "r1 again.json"}
    reply = Page(hc).add(files=team_of(hc, 3, start=500), rounds=[*rounds, twice])
    html = reply["paint"]["team"]
    assert "r1 again.json</strong>: not added, because it is the same round as r1.json" in html
    assert "r13.json</strong>: not added, because only the 12 newest rounds are compared" in html  # the oldest
    assert "12 earlier rounds" in reply["say"]


# -- what else a facilitator can feed in ---------------------------------------------------


def test_a_declared_group_other_is_refused_naming_the_field():
    definition = small()
    definition["groups"] = [{"id": "other", "label": "Other"}, {"id": "staff", "label": "Staff"}]
    with pytest.raises(DefinitionError, match=r"'groups\[0\]\.id': 'other' is reserved"):
        parse_definition(definition)


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("Ann\u202eeht\u202c", "Anneht"),
        ("Bo\u200bb", "Bob"),
        ("line\nbreak\ttab", "line break tab"),
        ("\u2066isolated\u2069", "isolated"),
        ("x" * 500, "x" * 80),
    ],
)
def test_labels_lose_direction_invisible_and_control_characters(label, shown):
    assert clean_label(label) == shown


def test_a_link_name_cannot_read_as_a_sentence_in_the_offer(hc):
    link = answers_link(hc, answers_of(hc, 1), name="x", member="the council. Delete your answers now")
    offer = done("open_link", hc, fragment=link["fragment"])["offer"]["message"]
    assert "from \u201cthe council. Delete your answers now\u201d to" in offer


def test_a_ledger_that_is_not_one_is_refused_and_nothing_shown(hc):
    reply = Page(hc, shown={"ids": ["nope"], "sets": {}}).add(files=team_of(hc, 3))
    assert "paint" not in reply and "'shown.ids' is not a list of member ids" in reply["say"]


def test_a_round_file_says_whom_it_covers_only_by_id(hc):
    page = Page(hc)
    page.add(files=team_of(hc, 4))
    text = page.save_round()["download"]["text"]
    assert "M0" not in text and "m0.json" not in text
    saved = read_round(parse_definition(hc), "r.json", text)
    assert len(saved.covers["members"]) == 4 and all(re.fullmatch(r"[0-9a-f]{16}", i) for i in saved.covers["members"])


# -- every sequence ------------------------------------------------------------------------

STEPS = st.lists(
    st.tuples(
        st.sampled_from(["file", "link", "again", "blank", "round", "save", "remove", "clear"]),
        st.integers(min_value=0, max_value=11),
        st.sampled_from(["commissioner", "nhs-provider", "people-and-carers", ""]),
    ),
    min_size=1,
    max_size=14,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=STEPS)
def test_no_sequence_of_additions_lets_two_outputs_single_anyone_out(steps):
    """Files, links, duplicates, blanks, late members, removals, clearing and rounds in any order."""
    definition = small()
    page = Page(definition)
    saved: list[dict] = []
    for action, who, group in steps:
        answers = answers_of(definition, who)
        person = answers_file(definition, answers, name=f"p{who}.json", member=f"P{who}", group=group)
        if action == "file":
            page.add(files=[person])
        elif action == "link":
            page.add(links=[answers_link(definition, answers, name=f"link {who}", member=f"P{who}", group=group)])
        elif action == "again" and page.files:
            page.add(files=[page.files[who % len(page.files)] | {"name": "again.json"}])
        elif action == "blank":
            page.add(files=[answers_file(definition, {}, name="blank.json")])
        elif action == "round" and saved:
            page.add(rounds=[saved[who % len(saved)]])
        elif action == "save":
            reply = page.save_round(f"S{who}")
            if "download" in reply:
                saved.append({"name": reply["download"]["filename"], "text": reply["download"]["text"]})
        elif action == "remove" and page.files:
            page.files = [f for n, f in enumerate(page.files) if n != who % len(page.files)]
            page.add()
        elif action == "clear":
            page.clear()
    assert_nothing_singles_anyone_out(page)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=st.lists(st.integers(min_value=0, max_value=15), min_size=3, max_size=8, unique=True),
    second=st.lists(st.integers(min_value=0, max_value=15), min_size=3, max_size=8, unique=True),
)
def test_two_devices_rounds_set_side_by_side_never_single_anyone_out(first, second):
    """Two facilitators each save a round from overlapping teams; a third adds both rounds."""
    definition = small()

    def round_of(people: list[int]) -> dict | None:
        page = Page(definition)
        page.add(files=[answers_file(definition, answers_of(definition, p), name=f"p{p}.json") for p in people])
        reply = page.save_round()
        return {"name": "r.json", "text": reply["download"]["text"]} if "download" in reply else None

    rounds = [r for r in (round_of(first), round_of(second)) if r]
    third = Page(definition)
    third.add(
        files=[answers_file(definition, answers_of(definition, p), name=f"q{p}.json") for p in range(20, 24)],
        rounds=rounds,
    )
    assert_nothing_singles_anyone_out(third)


@pytest.mark.parametrize("output", ["team", "report", "workshop", "save_round", "csv", "markdown"])
def test_each_output_after_a_late_member_shows_only_the_view_already_shown(hc, output):
    page = Page(hc)
    first = page.add(files=team_of(hc, 4, groups=["commissioner", "nhs-provider"]))
    page.files = [*page.files, *team_of(hc, 1, start=80)]  # kept, as the page would after adding it
    if output == "team":
        page.add()
    elif output in ("csv", "markdown"):
        page.ask("export_plan", format=output, source="team", **page.inputs())
    else:
        reply = {"report": page.report, "workshop": page.pack, "save_round": page.save_round}[output]()
        assert set(reply) >= {"keep"}
    assert area_scores(page.add()) == area_scores(first)
    assert_nothing_singles_anyone_out(page)


def test_a_request_over_the_cap_is_refused_quickly_naming_the_files_it_adds(hc):
    from widgets.bridge import handle

    huge = json.dumps(
        {"kind": "team", "files": [{"name": "quotes.json", "text": '"' * 16_000_001}], "adding": ["quotes.json"]}
    )
    reply = json.loads(handle(huge))
    assert reply["say"].startswith("Not added: quotes.json. the request was not read: it is larger than")
