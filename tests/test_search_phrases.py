"""What a reader types into the search box reaches the right page first.

Each phrase is one a practitioner might type, in their words rather than the handbook's, and the
page that should come first. The test drives Material's own search in headless Chromium: one page
load, then each phrase typed into the search box in turn and the first result's link read. A
phrase that fails names the pages that came first instead.

Material's search matches every word as a prefix and weighs headings a thousand times the text,
so the levers are front-loaded headings, natural synonyms in the text and ``search: boost`` in a
page's front matter (see mkdocs.yml for how tags are weighed).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

PHRASES: list[tuple[str, str]] = [
    ("partner keeps missing meetings", "start-from-a-problem/"),
    ("our board has stalled", "start-from-a-problem/"),
    ("ICB merger", "makes-or-breaks/the-changing-landscape/"),
    ("Healthwatch abolition", "makes-or-breaks/the-changing-landscape/"),
    ("police and crime commissioners abolished", "makes-or-breaks/the-changing-landscape/"),
    ("sharing data with the police", "how/information-sharing/"),
    ("pooled budget", "how/money/"),
    ("section 75 agreement", "how/money/"),
    ("who should sit on the board", "who/who-to-involve/"),
    ("terms of reference", "how/governance/"),
    ("ending a partnership", "how/ending-well/"),
    ("meetings that have lost their purpose", "necessary/historical-relics/"),
    ("power and interest grid", "who/stakeholder-analysis/"),
    ("logic model", "how/evaluation/"),
    ("secondment agreement", "how/staff/"),
    ("positions and interests", "purpose/objectives-not-positions/"),
    ("boundaries do not match", "where/geography-and-boundaries/"),
    ("resistance to change", "how/managing-change/"),
    ("conflict between partners", "how/disputes/"),
    ("forming storming norming performing", "how/team-development/"),
]

RESULTS = ".md-search-result__list > .md-search-result__item > a"


def page_of(href: str, base: str) -> str:
    """``how/money/`` from an absolute or relative result link, without ``?h=`` or an anchor."""
    path = urlsplit(href).path
    return path.removeprefix(urlsplit(base).path)


@pytest.mark.browser
@pytest.mark.search
def test_common_phrasings_find_the_right_page_first(site, page):
    page.goto(site.url)
    page.keyboard.press("s")  # Material's shortcut to the search box
    box = page.locator("input.md-search__input")
    wrong = []
    for phrase, expected in PHRASES:
        box.fill("")
        page.wait_for_function("() => !document.querySelector('.md-search-result__item')")
        box.fill(phrase)
        box.press("End")  # a key event, as when a reader types
        page.locator(RESULTS).first.wait_for(timeout=15_000)
        tops = []
        for href in page.locator(RESULTS).evaluate_all("links => links.map((a) => a.href)"):
            found = page_of(href, site.url)
            if found not in tops:
                tops.append(found)
        if tops[0] != expected:
            wrong.append(f"{phrase!r}: expected {expected}, got {tops[:3]}")
    assert wrong == [], "\n".join(wrong)
