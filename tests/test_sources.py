"""Dated facts and the bibliography: checked at build time, rendered in one style, listed in full."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, build_copy, copy_project

from macros.sources import (
    FACTS_DIR,
    REFERENCES_FILE,
    Reference,
    SourcesError,
    facts_due,
    read_facts,
    read_references,
)
from scripts.facts_due import main as facts_due_main

DOCS = ROOT / "docs"
BOOK = {
    "id": "glasby-dickinson-2014",
    "type": "book",
    "author": [{"family": "Glasby", "given": "Jon"}, {"family": "Dickinson", "given": "Helen"}],
    "issued": {"date-parts": [[2014]]},
    "title": "Partnership working in health and social care",
    "edition": 2,
    "publisher": "Policy Press",
    "publisher-place": "Bristol",
}
ARTICLE = {
    "id": "arnstein-1969",
    "type": "article-journal",
    "author": [{"family": "Arnstein", "given": "Sherry R."}],
    "issued": {"date-parts": [[1969]]},
    "title": "A ladder of citizen participation",
    "container-title": "Journal of the American Institute of Planners",
    "volume": "35",
    "issue": "4",
    "page": "216-224",
    "DOI": "10.1080/01944366908977225",
}
ACT = {
    "id": "health-and-care-act-2022",
    "type": "legislation",
    "issued": {"date-parts": [[2022]]},
    "title": "Health and Care Act 2022",
    "URL": "https://www.legislation.gov.uk/ukpga/2022/31/contents",
}
WEBPAGE = {
    "id": "nhs-england-2024-page",
    "type": "webpage",
    "author": [{"literal": "NHS England"}],
    "issued": {"date-parts": [[2024, 2, 1]]},
    "title": "A page",
    "URL": "https://www.england.nhs.uk/a-page/",
    "accessed": {"date-parts": [[2026, 12, 1]]},
}


def write_json(tmp_path: Path, items: list) -> Path:
    file = tmp_path / "references.json"
    file.write_text(json.dumps(items))
    return file


# -- the bibliography -------------------------------------------------------------------


def test_harvard_entries_for_each_kind_of_work(tmp_path):
    refs = read_references(write_json(tmp_path, [BOOK, ARTICLE, ACT, WEBPAGE]))
    assert refs["glasby-dickinson-2014"].harvard() == (
        "Glasby, J. and Dickinson, H. (2014) *Partnership working in health and social care*. 2nd edn. "
        "Bristol: Policy Press."
    )
    assert refs["arnstein-1969"].harvard() == (
        "Arnstein, S. R. (1969) \u2018A ladder of citizen participation\u2019, "
        "*Journal of the American Institute of Planners*, 35(4), pp. 216-224. "
        "doi:[10.1080/01944366908977225](https://doi.org/10.1080/01944366908977225)."
    )
    assert refs["health-and-care-act-2022"].harvard() == (
        "*Health and Care Act 2022*. Available at: <https://www.legislation.gov.uk/ukpga/2022/31/contents>"
    )
    assert refs["nhs-england-2024-page"].harvard() == (
        "NHS England (2024) *A page*. Available at: <https://www.england.nhs.uk/a-page/> (Accessed: 1 December 2026)."
    )


def test_a_title_ending_in_a_question_mark_takes_no_full_stop(tmp_path):
    asked = {**BOOK, "title": "What is integrated care and how can we deliver it?"}
    entry = read_references(write_json(tmp_path, [asked]))["glasby-dickinson-2014"].harvard()
    assert "*What is integrated care and how can we deliver it?* 2nd edn." in entry


def test_citations_in_running_text():
    three = Reference("x", {**BOOK, "author": [{"family": n} for n in ("Hardy", "Hudson", "Waddington")]})
    four = Reference("y", {**BOOK, "author": [{"family": n} for n in ("West", "Eckert", "Steward", "Pasmore")]})
    assert three.citation() == "(Hardy, Hudson and Waddington, 2014)"
    assert four.citation() == "(West et al., 2014)"
    assert Reference("z", ACT).citation() == "(*Health and Care Act 2022*, 2022)"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"publisher": None}, "'glasby-dickinson-2014'.publisher: missing (a book needs it)"),
        ({"type": "blog"}, "'glasby-dickinson-2014'.type: 'blog' is not one of"),
        ({"DOI": "https://doi.org/10.1/x"}, "'glasby-dickinson-2014'.DOI: expected a DOI"),
        ({"URL": "www.example.org"}, "'glasby-dickinson-2014'.URL: expected an http or https address"),
        ({"issued": {"date-parts": [["2014"]]}}, "'glasby-dickinson-2014'.issued: date parts must be"),
        ({"author": [{"given": "Jon"}]}, "'glasby-dickinson-2014'.author[0]: a person needs 'family'"),
        ({"publisherr": "x"}, "'glasby-dickinson-2014'.publisherr: unknown field"),
        ({"id": "Glasby 2014"}, "item 0: 'id' must be lower-case words joined by hyphens"),
    ],
)
def test_a_broken_reference_is_named_with_its_field(tmp_path, change, message):
    item = {key: value for key, value in {**BOOK, **change}.items() if value is not None}
    if change.get("id"):
        item["id"] = 5  # not text at all
    with pytest.raises(SourcesError) as caught:
        read_references(write_json(tmp_path, [item]), label="refs.json")
    assert any(message in line for line in caught.value.problems), caught.value.problems


def test_every_problem_is_reported_at_once(tmp_path):
    broken = [{**BOOK, "publisher": 3}, {**BOOK}, {"id": "a-b", "type": "report"}]
    with pytest.raises(SourcesError) as caught:
        read_references(write_json(tmp_path, broken), label="refs.json")
    assert "refs.json: 'glasby-dickinson-2014': the id is used twice" in caught.value.problems
    assert "refs.json: 'a-b'.title: missing (a report needs it)" in caught.value.problems
    assert "refs.json: 'glasby-dickinson-2014'.publisher: expected text" in caught.value.problems


NO_LINK_FOUND = {
    "audit-commission-1998-fruitful",
    "audit-commission-2005-governing",
    "dh-1998-partnership",
    "dh-nhs-england-2015-future",
    "hardy-hudson-waddington-2000",
    "hardy-hudson-waddington-2003",
    "kellogg-2004-logic",
    "kotter-1995",
    "vichealth-2011-partnerships",
}


def test_every_work_in_the_bibliography_has_what_its_type_needs():
    # read_references raises, listing every problem, if any entry lacks a field its type needs;
    # legislation and web pages must give a URL (a report from a body since closed may have none).
    references = read_references(ROOT / REFERENCES_FILE)
    assert len(references) >= 40
    online = [r for r in references.values() if r.type not in ("book", "chapter")]
    unlinked = {r.id for r in online if not (r.url or r.data.get("DOI"))}
    # Print-era documents for which no stable address could be verified (December 2026).
    # A new report or article must give its URL or DOI.
    assert unlinked <= NO_LINK_FOUND, sorted(unlinked - NO_LINK_FOUND)


# -- facts ------------------------------------------------------------------------------

FACT = {
    "id": "a-fact",
    "statement": "Something is true.",
    "as_at": dt.date(2026, 12, 1),
    "source": "health-and-care-act-2022",
    "review_by": dt.date(2027, 6, 1),
}


def facts_folder(tmp_path: Path, *facts: dict, text: str | None = None) -> Path:
    folder = tmp_path / "sources" / "facts"
    folder.mkdir(parents=True)
    body = text if text is not None else yaml.safe_dump({"topic": "A topic", "facts": list(facts)}, sort_keys=False)
    (folder / "a-topic.yml").write_text(body)
    return folder


def test_facts_are_read_by_topic_with_their_source(tmp_path):
    refs = read_references(write_json(tmp_path, [ACT]))
    topics = read_facts(facts_folder(tmp_path, FACT), refs, tmp_path)
    assert [t.title for t in topics] == ["A topic"]
    (fact,) = topics[0].facts
    assert (fact.as_at, fact.source.url) == (dt.date(2026, 12, 1), ACT["URL"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"source": "nowhere-2020"}, "line 6: 'facts[0].source': unknown reference 'nowhere-2020'"),
        (
            {"source": "glasby-dickinson-2014"},
            "line 6: 'facts[0].source': reference 'glasby-dickinson-2014' gives no URL",
        ),
        ({"as_at": "December 2026"}, "line 5: 'facts[0].as_at': expected a date"),
        ({"review_by": dt.date(2026, 1, 1)}, "line 7: 'facts[0].review_by': is before 'as_at'"),
        ({"id": "A fact"}, "line 3: 'facts[0].id': must be lower-case words"),
        ({"statement": None}, "line 3: 'facts[0]': 'statement' is missing"),
        ({"colour": "red"}, "line 8: 'facts[0].colour': unknown field"),
    ],
)
def test_a_broken_fact_is_named_with_file_line_and_field(tmp_path, change, message):
    refs = read_references(write_json(tmp_path, [ACT, BOOK]))
    fact = {key: value for key, value in {**FACT, **change}.items() if value is not None}
    with pytest.raises(SourcesError) as caught:
        read_facts(facts_folder(tmp_path, fact), refs, tmp_path)
    assert [f"sources/facts/a-topic.yml, {message}" in line for line in caught.value.problems].count(True) == 1, (
        caught.value.problems
    )


def test_a_fact_id_used_twice_is_refused(tmp_path):
    refs = read_references(write_json(tmp_path, [ACT]))
    with pytest.raises(SourcesError) as caught:
        read_facts(facts_folder(tmp_path, FACT, dict(FACT)), refs, tmp_path)
    assert caught.value.problems == [
        "sources/facts/a-topic.yml, line 8: 'facts[1].id': 'a-fact' is already used in sources/facts/a-topic.yml"
    ]


def test_facts_due_lists_those_past_their_review_date(tmp_path, capsys):
    refs = read_references(write_json(tmp_path, [ACT]))
    later = {**FACT, "id": "later", "review_by": dt.date(2028, 1, 1)}
    topics = read_facts(facts_folder(tmp_path, FACT, later), refs, tmp_path)
    assert [f.id for f in facts_due(topics, dt.date(2027, 6, 1))] == ["a-fact"]
    assert [f.id for f in facts_due(topics, dt.date(2027, 5, 31))] == []
    assert facts_due_main(["--on", "2100-01-01"]) == 0
    out = capsys.readouterr().out
    real = sum(len(t.facts) for t in read_facts(ROOT / FACTS_DIR, read_references(ROOT / REFERENCES_FILE), ROOT))
    assert out.startswith(f"{real} of {real} facts are due for review on 1 January 2100.")


def test_every_real_fact_has_a_date_and_a_checkable_source():
    topics = read_facts(ROOT / FACTS_DIR, read_references(ROOT / REFERENCES_FILE), ROOT)
    facts = [fact for topic in topics for fact in topic.facts]
    assert len(facts) >= 20
    for fact in facts:
        assert fact.as_at <= fact.review_by
        assert re.match(r"https?://", fact.source.url), fact.id


# -- pages ------------------------------------------------------------------------------


def topic_and_theme_pages() -> list[Path]:
    return sorted(f for f in DOCS.rglob("*.md") if "## Further reading" in f.read_text(encoding="utf-8"))


def test_no_page_has_a_hand_written_reading_list():
    for file in topic_and_theme_pages():
        section = file.read_text(encoding="utf-8").split("## Further reading", 1)[1].split("\n## ", 1)[0]
        assert section.strip() == "{{ further_reading() }}", file.relative_to(DOCS).as_posix()


WRONG_PHRASES = [
    r"Hudson,? B\.? and Hardy",
    r"Hudson and Hardy",
    r"Mendelow.{0,80}1991",
    r"cannot carry a statutory duty",
    r"align (?:with|to) the integrated care strategy",
    r"\bthere are 42 integrated care systems\b",
    r"delayed transfers of care",
    r"youth offending teams? (?:are|is) ",
]


@pytest.mark.parametrize("pattern", WRONG_PHRASES)
def test_phrases_known_to_be_wrong_are_gone(pattern):
    hits = [
        f.relative_to(DOCS).as_posix()
        for f in DOCS.rglob("*.md")
        if re.search(pattern, f.read_text(encoding="utf-8"), flags=re.I)
    ]
    assert hits == []


def test_the_two_lists_show_every_fact_and_every_work(site):
    references = read_references(ROOT / REFERENCES_FILE)
    topics = read_facts(ROOT / FACTS_DIR, references, ROOT)
    position = (site.root / "current-position" / "index.html").read_text()
    for fact in (fact for topic in topics for fact in topic.facts):
        assert f'id="fact-{fact.id}"' in position, fact.id
    listing = (site.root / "references" / "index.html").read_text()
    assert '<a href="references.json" download>' in listing
    assert json.loads((site.root / "references" / "references.json").read_text()) == json.loads(
        (ROOT / REFERENCES_FILE).read_text()
    )
    for key in references:
        assert f'id="ref-{key}"' in listing, key


def test_a_page_shows_its_dated_fact_and_links_to_the_current_position(site):
    money = (site.root / "how" / "money" / "index.html").read_text()
    dated = re.findall(r'<a class="fact-date" href="([^"]+)">as at (\d{1,2} [A-Z][a-z]+ \d{4})</a>', money)
    assert dated, "the money page states no dated fact"
    assert all(href.startswith("../../current-position/#fact-") for href, _ in dated)


# -- the build refuses unknown keys -----------------------------------------------------


@pytest.mark.parametrize(
    ("macro", "message"),
    [
        ('{{ fact("no-such-fact") }}', "docs/how/money.md: unknown fact 'no-such-fact'"),
        ('{{ cite("nobody-1999") }}', "docs/how/money.md: unknown reference 'nobody-1999'"),
    ],
)
def test_an_unknown_key_fails_the_build_naming_page_and_key(tmp_path, macro, message):
    project = copy_project(tmp_path, "docs")
    page = project / "docs" / "how" / "money.md"
    page.write_text(page.read_text().replace("## Related pages", f"{macro}\n\n## Related pages", 1))
    code, output = build_copy(project)
    assert code != 0
    assert message in output
    assert "Traceback" not in output


def test_an_unknown_key_in_the_front_matter_fails_the_build(tmp_path):
    project = copy_project(tmp_path, "docs")
    page = project / "docs" / "how" / "money.md"
    text = page.read_text()
    assert "\nreferences:\n" in text
    page.write_text(text.replace("\nreferences:\n", "\nreferences:\n  - made-up-2020\n", 1))
    code, output = build_copy(project)
    assert code != 0
    assert "docs/how/money.md: unknown reference 'made-up-2020'" in output


def test_a_broken_fact_file_fails_the_build_with_its_line(tmp_path):
    project = copy_project(tmp_path, "sources")
    file = next((project / "sources" / "facts").glob("*.yml"))
    lines = file.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("as_at:"))
    lines[index] = lines[index].split(":")[0] + ": soon"
    file.write_text("\n".join(lines) + "\n")
    code, output = build_copy(project)
    assert code != 0
    assert f"sources/facts/{file.name}, line {index + 1}: " in output and ".as_at': expected a date" in output
    assert "Traceback" not in output


# -- search -----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.search
def test_searching_for_a_problem_finds_the_problem_page_first(site, page):
    page.goto(site.url)
    page.keyboard.press("s")
    page.keyboard.type("our board has stalled")
    first = page.locator(".md-search-result__item a").first
    first.wait_for(timeout=10_000)
    href = first.get_attribute("href")
    assert "/start-from-a-problem/" in href or "/how/governance/" in href, href
