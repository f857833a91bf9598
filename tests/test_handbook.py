"""The handbook itself: enough topic pages, each standing on its own, all reachable and searchable."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

DOCS = ROOT / "docs"
THEMES = ("necessary", "purpose", "who", "where", "how", "makes-or-breaks")
REQUIRED_SECTIONS = (
    "In brief",
    "Questions to work through",
    "Common problems, and what helps",
    "Related pages",
    "Further reading",
)
MIN_TOPIC_PAGES = 30
MIN_WORDS = 400
THEME_TAGS = {
    "Is it necessary?",
    "Purpose",
    "Who is involved?",
    "Where it functions",
    "How it works",
    "Makes or breaks",
}
AUDIENCE_TAGS = {"Commissioners", "Managers", "Providers", "Elected members", "Voluntary sector", "Frontline"}


def split_page(file: Path) -> tuple[dict, str]:
    text = file.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def topic_pages() -> list[Path]:
    return sorted(f for theme in THEMES for f in (DOCS / theme).glob("*.md") if f.name != "index.md")


def sections(body: str) -> list[str]:
    return re.findall(r"^## (.+?)\s*$", body, flags=re.M)


def substance_words(body: str) -> int:
    """Words from the top of the page to "Related pages": links and references not counted."""
    body = body.split("\n## Related pages", 1)[0]
    body = re.sub(r"\]\([^)]*\)", "]", body)
    return len(re.findall(r"[A-Za-z0-9\u2019'-]+", body))


def test_there_are_enough_topic_pages():
    assert len(topic_pages()) >= MIN_TOPIC_PAGES


@pytest.mark.parametrize("file", topic_pages(), ids=lambda f: f.relative_to(DOCS).as_posix())
def test_each_topic_page_stands_on_its_own(file):
    meta, body = split_page(file)
    found = sections(body)
    positions = [found.index(name) if name in found else -1 for name in REQUIRED_SECTIONS]
    assert -1 not in positions, (
        f"missing sections: {[n for n, p in zip(REQUIRED_SECTIONS, positions, strict=True) if p < 0]}"
    )
    assert positions == sorted(positions), "required sections out of order"
    assert found[0] == "In brief"
    assert len(found) >= len(REQUIRED_SECTIONS) + 1, "no sections of substance"
    assert substance_words(body) >= MIN_WORDS
    related = body.split("\n## Related pages", 1)[1].split("\n## ", 1)[0]
    assert "toolkit/" in related, "no link to a self-assessment"
    assert meta["title"] and meta["description"] and meta["reviewed"]
    tags = set(meta["tags"])
    assert len(tags & THEME_TAGS) == 1 and tags & AUDIENCE_TAGS
    for path in meta.get("related", []):
        assert (DOCS / path).is_file(), f"related page {path} does not exist"


def test_every_page_is_in_the_navigation():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)  # !ENV tags left as text
    listed = set()

    def walk(items):
        for item in items:
            for value in item.values() if isinstance(item, dict) else [item]:
                if isinstance(value, list):
                    walk(value)
                else:
                    listed.add(value)

    walk(config["nav"])
    pages = {f.relative_to(DOCS).as_posix() for f in DOCS.rglob("*.md") if "assets" not in f.parts}
    assert pages - listed == set()


def glossary_terms() -> list[str]:
    _, body = split_page(DOCS / "glossary.md")
    return re.findall(r"^([^\s:].*?)\n:   ", body, flags=re.M)


def test_search_finds_a_page_for_every_glossary_term(site):
    terms = glossary_terms()
    assert len(terms) >= 40
    index = json.loads((site.root / "search" / "search_index.json").read_text())
    documents = [(doc["location"], (doc["title"] + " " + doc["text"]).lower()) for doc in index["docs"]]
    missing = [term for term in terms if not any(term.lower() in text for _, text in documents)]
    assert missing == []


@pytest.mark.browser
@pytest.mark.search
def test_the_search_box_finds_the_glossary_by_a_term(site, page):
    page.goto(site.url)
    page.keyboard.press("s")  # Material's shortcut to the search box
    page.keyboard.type("coterminosity")
    page.locator(".md-search-result__item a").first.wait_for(timeout=10_000)
    links = page.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.href)")
    assert any("/glossary/" in link for link in links), links
