"""The HTML builder (widgets/html.py): escaping by type, attributes, and the shared pieces of markup."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from definitions import PAGES, small

from widgets import parse_definition, score_answers
from widgets.groups import group_view
from widgets.html import Markup, bullets, cell, concat, disclosure, link_list, row_header, table, tag
from widgets.members import Member
from widgets.plan import plan_for_result, plan_for_team
from widgets.report import plan_html, report_html, result_html, team_html
from widgets.rounds import make_round
from widgets.team import team_result
from widgets.team_views import groups_html, rounds_html
from widgets.workshop import workshop_pack

HOSTILE = "\"><script>alert(1)</script><img src=x onerror=alert(2)>'&amp;"


class Elements(HTMLParser):
    """Every start tag with its attributes, and all text, as a browser's parser would read them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, name, attrs):
        self.tags.append((name, dict(attrs)))

    def handle_startendtag(self, name, attrs):
        self.tags.append((name, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


# -- text and attributes ---------------------------------------------------------------------


def test_text_is_escaped():
    assert tag("p", "a < b & \"c\" 'd'") == "<p>a &lt; b &amp; &quot;c&quot; &#x27;d&#x27;</p>"


def test_attribute_values_are_quoted_and_escaped():
    assert tag("td", "x", data_label='say "hi" & <go>') == '<td data-label="say &quot;hi&quot; &amp; &lt;go&gt;">x</td>'
    assert tag("a", "x", href="page/?a=1&b=2") == '<a href="page/?a=1&amp;b=2">x</a>'


def test_markup_passes_through_and_is_not_escaped_twice():
    inner = tag("strong", "R&D")
    assert isinstance(inner, Markup)
    assert tag("p", "Area: ", inner) == "<p>Area: <strong>R&amp;D</strong></p>"
    assert tag("p", Markup("<em>as written</em>")) == "<p><em>as written</em></p>"


def test_markup_in_an_attribute_is_still_escaped():
    assert tag("td", data_label=Markup('<b class="x">')) == '<td data-label="&lt;b class=&quot;x&quot;&gt;"></td>'


def test_markup_joined_with_plus_becomes_text_and_shows_as_tags():
    joined = tag("em", "a") + "b"
    assert not isinstance(joined, Markup)
    assert tag("p", joined) == "<p>&lt;em&gt;a&lt;/em&gt;b</p>"
    assert concat(tag("em", "a"), "b<") == "<em>a</em>b&lt;"


def test_none_and_false_attributes_are_left_out_and_true_is_bare():
    assert tag("details", "x", open=True, hidden=False, title=None) == "<details open>x</details>"
    assert tag("input", type="text", required=True, placeholder=None) == '<input type="text" required>'


def test_attribute_names_and_order():
    html = tag("label", "x", for_="q1", class_="a b", aria_label="Q", data_plan_key="area:k", viewBox="0 0 1 1")
    assert html == '<label for="q1" class="a b" aria-label="Q" data-plan-key="area:k" viewBox="0 0 1 1">x</label>'


def test_numbers_ints_are_written_floats_must_be_formatted():
    assert tag("td", 3, colspan=2) == '<td colspan="2">3</td>'
    with pytest.raises(TypeError, match="format the number"):
        tag("td", 2.5)
    with pytest.raises(TypeError, match="format the number"):
        tag("rect", width=2.5)
    with pytest.raises(TypeError, match="not content"):
        tag("td", True)


def test_content_is_flattened_and_none_is_nothing():
    items = (tag("li", n) for n in range(2))
    assert tag("ul", [items, None, ["<"]]) == "<ul><li>0</li><li>1</li>&lt;</ul>"


def test_void_elements_and_svg_shapes():
    assert tag("br") == "<br>"
    with pytest.raises(ValueError, match="takes no content"):
        tag("input", "text")
    assert tag("rect", x=1, y=2) == '<rect x="1" y="2"/>'
    assert (
        tag("polyline", tag("title", "Trust"), points="0,0") == '<polyline points="0,0"><title>Trust</title></polyline>'
    )
    assert tag("textarea", rows=2) == '<textarea rows="2"></textarea>'


# -- the shared pieces ---------------------------------------------------------------------


def test_table_has_caption_header_row_and_body():
    html = table(
        ["Area", "Score"],
        [[row_header("Trust"), cell("50", "Score")], tag("tr", cell("x"), class_="team-split")],
        caption="Scores",
        class_="hb-stack",
    )
    assert html == (
        '<table class="hb-stack"><caption>Scores</caption><thead><tr><th scope="col">Area</th>'
        '<th scope="col">Score</th></tr></thead><tbody><tr><th scope="row">Trust</th>'
        '<td data-label="Score">50</td></tr><tr class="team-split"><td>x</td></tr></tbody></table>'
    )
    assert "<caption>" not in table(["A"], [])


def test_lists_and_links():
    assert bullets(["a", "b"], ordered=True, class_="x") == '<ol class="x"><li>a</li><li>b</li></ol>'
    assert link_list([]) == ""
    assert link_list([("/a/", "A & B")], class_="result-links") == (
        '<ul class="result-links"><li><a href="/a/">A &amp; B</a></li></ul>'
    )
    assert disclosure("Show", "x", open=True) == '<details class="result-table" open><summary>Show</summary>x</details>'


def test_a_hostile_string_in_a_label_or_link_stays_inert():
    html = concat(
        table([HOSTILE], [[row_header(HOSTILE), cell(HOSTILE, HOSTILE)]], caption=HOSTILE, class_="t"),
        link_list([(HOSTILE, HOSTILE)]),
    )
    found = Elements(html)
    table_tags = ["table", "caption", "thead", "tr", "th", "tbody", "tr", "th", "td"]
    assert [name for name, _ in found.tags] == [*table_tags, "ul", "li", "a"]
    assert dict(found.tags)["td"] == {"data-label": HOSTILE}
    assert dict(found.tags)["a"] == {"href": HOSTILE}
    assert found.text == [HOSTILE] * 5


# -- every producer, fed hostile text -----------------------------------------------------


def _hostile_definition() -> dict:
    data = small()
    data["title"] = HOSTILE
    data["scales"]["agreement"]["points"][0]["label"] = HOSTILE
    data["scales"]["agreement"]["dont_know"] = HOSTILE
    data["bands"][1]["label"] = HOSTILE
    data["dimensions"][0]["title"] = HOSTILE
    for advice in data["dimensions"][0]["advice"].values():
        advice["text"] = HOSTILE
    data["dimensions"][0]["advice"]["attention"]["links"] = [{"page": "how/money.md", "title": HOSTILE}]
    data["questions"][0]["text"] = HOSTILE
    return data


def test_no_producer_lets_hostile_text_become_markup():
    assessment = parse_definition(_hostile_definition(), pages=PAGES)
    low = {"t1": "1", "t2": "1", "t3": "5", "t4": "1", "m1": "0", "m2": "1"}
    high = {"t1": "5", "t2": "3", "t3": "1", "t4": "5", "m1": "1", "m2": "5"}
    result = score_answers(assessment, low)
    members = [
        Member(label=HOSTILE, answers=low, source=HOSTILE, position=1, id="1" * 16),
        Member(label="B", answers=high, source="b.json", position=2, id="2" * 16),
        Member(label="C", answers=low, source="c.json", position=3, id="3" * 16),
    ]
    team = team_result(assessment, members)
    view = group_view(assessment, members, dict.fromkeys((1, 2, 3), "commissioner"))
    rounds = [make_round(team, view, HOSTILE, dt.date(2026, d, 1)) for d in (1, 2, 3)]
    pieces = {
        "result": result_html(result),
        "plan": plan_html(plan_for_result(result), source="answers", prefix="small", base="/"),
        "report": report_html(result, plan_for_result(result), {}, name=HOSTILE, today="2026-03-01", only_plan=False),
        "team": team_html(team),
        "groups": groups_html(view, [HOSTILE, "Money"]),
        "rounds": rounds_html(assessment, rounds[-1], rounds[:-1], chart_id="r"),
        "workshop": workshop_pack(team, view, minutes=60, on=dt.date(2026, 3, 1), partnership=HOSTILE),
    }
    pieces["team plan"] = plan_html(plan_for_team(team), source="team", prefix="small", base="/")
    for name, html in pieces.items():
        found = Elements(html)
        names = {tag_name for tag_name, _ in found.tags}
        assert not names & {"script", "img"}, name
        assert any(HOSTILE in text for text in found.text), f"{name} does not show the hostile text as text"
        assert all(not key.startswith("on") for _, attrs in found.tags for key in attrs), name
