"""Dated facts and the bibliography: read, checked and rendered at build time.

- ``sources/facts/<topic>.yml``: each file is one topic of the "Current position" page and
  holds facts with an id, our own statement, the date it is true "as at", a source (a key
  of the bibliography, which must give a URL) and a date to review it by.
- ``sources/references.json``: every work the handbook cites, as CSL-JSON, the format that
  Zotero, Mendeley and Pandoc read and write. It needs no parser beyond ``json``.

A mistake in either file stops the build with one line per problem naming the file, the
line (for facts) and the field. Pages refer to facts and works by key; an unknown key
stops the build naming the page and the key.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .yaml_text import read_yaml

FACTS_DIR = "sources/facts"
REFERENCES_FILE = "sources/references.json"
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL = re.compile(r"^https?://[^\s<>]+$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")

# Fields each CSL type needs here, beyond id, type, title and issued.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "book": ("author", "publisher"),
    "report": ("author", "publisher"),
    "article-journal": ("author", "container-title"),
    "chapter": ("author", "container-title", "editor", "publisher"),
    "paper-conference": ("author", "container-title"),
    "legislation": ("URL",),
    "webpage": ("author", "URL", "accessed"),
}
KNOWN_FIELDS = {
    "id",
    "type",
    "title",
    "issued",
    "author",
    "editor",
    "publisher",
    "publisher-place",
    "container-title",
    "collection-title",
    "volume",
    "issue",
    "page",
    "edition",
    "number",
    "URL",
    "DOI",
    "accessed",
    "note",
    "event-place",
    "genre",
}


class SourcesError(ValueError):
    """One or more problems in the facts or references, one line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def format_date(value: dt.date) -> str:
    """``1 December 2026``: the UK style used across the site."""
    return f"{value.day} {value:%B %Y}"


# -- references -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reference:
    id: str
    data: dict

    @property
    def type(self) -> str:
        return self.data["type"]

    @property
    def year(self) -> str:
        return str(self.data["issued"]["date-parts"][0][0])

    @property
    def url(self) -> str | None:
        return self.data.get("URL")

    def names(self, role: str = "author") -> list[tuple[str, str]]:
        """(family or body name, initials) for each person in ``role``."""
        people = []
        for person in self.data.get(role, []):
            if "literal" in person:
                people.append((person["literal"], ""))
            else:
                initials = " ".join(f"{part[0]}." for part in re.split(r"[\s.]+", person.get("given", "")) if part)
                people.append((person["family"], initials))
        return people

    def sort_key(self) -> tuple:
        first = self.names()[0][0] if self.data.get("author") else self.data["title"]
        return (first.casefold(), self.year, self.data["title"].casefold())

    def citation(self) -> str:
        """In running text: ``(Hardy, Hudson and Waddington, 2000)``."""
        families = [name for name, _ in self.names()]
        if not families:
            return f"(*{_escape(self.data['title'])}*, {self.year})"
        if len(families) > 3:
            who = f"{families[0]} et al."
        elif len(families) > 1:
            who = ", ".join(families[:-1]) + " and " + families[-1]
        else:
            who = families[0]
        return f"({_escape(who)}, {self.year})"

    def harvard(self) -> str:
        """The full entry in Harvard style, as Markdown."""
        data = self.data
        title = _escape(data["title"])
        parts: list[str] = []
        people = _join_people(self.names())
        if people:
            parts.append(f"{people} ({self.year})")
        kind = self.type
        if kind in ("article-journal", "chapter", "paper-conference"):
            parts.append(f"\u2018{title}\u2019,")  # a comma even after "?": Harvard style
            if kind == "chapter":
                editors = _join_people(self.names("editor"))
                label = "eds." if len(data.get("editor", [])) > 1 else "ed."
                parts.append(f"in {editors} ({label})")
            container = f"*{_escape(data['container-title'])}*"
            volume = data.get("volume")
            if volume:
                container += f", {volume}"
                if data.get("issue"):
                    container += f"({data['issue']})"
            if data.get("page"):
                container += f", pp. {data['page']}"
            parts.append(container + ".")
        else:
            parts.append(f"*{title}*" + _stop(data["title"]))
        if data.get("edition") and str(data["edition"]) != "1":
            parts.append(f"{_ordinal(data['edition'])} edn.")
        if data.get("number"):
            parts.append(f"{_escape(str(data['number']))}.")
        publisher = data.get("publisher")
        place = data.get("publisher-place") or data.get("event-place")
        if publisher and place:
            parts.append(f"{_escape(place)}: {_escape(publisher)}.")
        elif publisher or place:
            parts.append(f"{_escape(publisher or place)}.")
        if not people and kind == "legislation":
            pass  # an Act's title carries its year
        elif not people:
            parts.insert(1, f"({self.year})")
        if data.get("DOI"):
            parts.append(f"doi:[{data['DOI']}](https://doi.org/{data['DOI']}).")
        elif self.url:
            parts.append(f"Available at: <{self.url}>")
            if data.get("accessed"):
                parts.append(f"(Accessed: {format_date(_date_of(data['accessed']))}).")
        return " ".join(parts)


def _stop(text: str) -> str:
    """The full stop after a title, unless it ends in its own punctuation."""
    return "" if text.rstrip().endswith(("?", "!", ".")) else "."


def _ordinal(value: object) -> str:
    number = int(value)
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _escape(text: str) -> str:
    return re.sub(r"([*_\[\]`<>])", r"\\\1", text)


def _join_people(people: list[tuple[str, str]]) -> str:
    names = [_escape(f"{family}, {initials}" if initials else family) for family, initials in people]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _date_of(value: dict) -> dt.date:
    parts = value["date-parts"][0]
    return dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)


def _check_date(value: object, where: str, problems: list[str], *, full: bool = False) -> None:
    parts = value.get("date-parts") if isinstance(value, dict) else None
    if not (isinstance(parts, list) and len(parts) == 1 and isinstance(parts[0], list) and parts[0]):
        problems.append(f"{where}: expected {{'date-parts': [[year, month, day]]}}")
        return
    if not all(isinstance(p, int) and not isinstance(p, bool) for p in parts[0]) or len(parts[0]) > 3:
        problems.append(f"{where}: date parts must be one to three whole numbers")
        return
    if full and len(parts[0]) != 3:
        problems.append(f"{where}: give year, month and day")
        return
    try:
        _date_of(value)
    except ValueError as error:
        problems.append(f"{where}: {error}")


def _check_people(value: object, where: str, problems: list[str]) -> None:
    if not isinstance(value, list) or not value:
        problems.append(f"{where}: expected a list of people")
        return
    for index, person in enumerate(value):
        ok = isinstance(person, dict) and (
            isinstance(person.get("literal"), str) or isinstance(person.get("family"), str)
        )
        if not ok:
            problems.append(f"{where}[{index}]: a person needs 'family' (and 'given'), or 'literal' for a body")


def read_references(file: Path, label: str = REFERENCES_FILE) -> dict[str, Reference]:
    """Every work in the bibliography, keyed by id, or SourcesError listing every problem."""
    try:
        items = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError([f"{label}: missing"]) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise SourcesError([f"{label}: is not valid JSON: {error}"]) from None
    if not isinstance(items, list):
        raise SourcesError([f"{label}: expected a list of CSL-JSON items"])
    problems: list[str] = []
    references: dict[str, Reference] = {}
    for index, item in enumerate(items):
        key = item.get("id") if isinstance(item, dict) else None
        where = f"{label}: {key!r}" if isinstance(key, str) else f"{label}: item {index}"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected an object")
            continue
        if not isinstance(key, str) or not KEY.match(key):
            problems.append(f"{where}: 'id' must be lower-case words joined by hyphens")
            continue
        if key in references:
            problems.append(f"{where}: the id is used twice")
        kind = item.get("type")
        if kind not in REQUIRED_FIELDS:
            problems.append(f"{where}.type: {kind!r} is not one of {', '.join(sorted(REQUIRED_FIELDS))}")
            continue
        for name in ("title", "issued", *REQUIRED_FIELDS[kind]):
            if name not in item:
                problems.append(f"{where}.{name}: missing (a {kind} needs it)")
        for name in sorted(set(item) - KNOWN_FIELDS):
            problems.append(f"{where}.{name}: unknown field")
        for name in ("title", "publisher", "publisher-place", "container-title", "event-place"):
            if name in item and not (isinstance(item[name], str) and item[name].strip()):
                problems.append(f"{where}.{name}: expected text")
        for name in ("author", "editor"):
            if name in item:
                _check_people(item[name], f"{where}.{name}", problems)
        if "issued" in item:
            _check_date(item["issued"], f"{where}.issued", problems)
        if "accessed" in item:
            _check_date(item["accessed"], f"{where}.accessed", problems, full=True)
        if "URL" in item and not (isinstance(item["URL"], str) and URL.match(item["URL"])):
            problems.append(f"{where}.URL: expected an http or https address")
        if "DOI" in item and not (isinstance(item["DOI"], str) and DOI.match(item["DOI"])):
            problems.append(f"{where}.DOI: expected a DOI such as 10.1080/01944366908977225, without https://doi.org/")
        references[key] = Reference(key, item)
    if problems:
        raise SourcesError(problems)
    return references


# -- facts ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    topic: str
    statement: str
    as_at: dt.date
    source: Reference
    review_by: dt.date
    file: str


@dataclass(frozen=True, slots=True)
class Topic:
    slug: str
    title: str
    facts: tuple[Fact, ...] = field(default_factory=tuple)


FACT_FIELDS = ("id", "statement", "as_at", "source", "review_by")


def read_facts(folder: Path, references: dict[str, Reference], root: Path) -> list[Topic]:
    """Every topic file in ``folder``, in file-name order, or SourcesError listing every problem."""
    problems: list[str] = []
    topics: list[Topic] = []
    seen: dict[str, str] = {}
    for file in sorted(folder.glob("*.yml")):
        label = file.relative_to(root).as_posix()
        text = file.read_text(encoding="utf-8")
        try:
            data, lines = read_yaml(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            problems.append(f"{label}, line {mark.line + 1 if mark else '?'}: is not valid YAML")
            continue

        def at(path: str, message: str, label: str = label, lines: dict = lines) -> None:
            line = lines.get(path) or lines.get(path.rsplit(".", 1)[0]) or 1
            problems.append(f"{label}, line {line}: '{path}': {message}")

        if (
            not isinstance(data, dict)
            or not isinstance(data.get("topic"), str)
            or not isinstance(data.get("facts"), list)
        ):
            problems.append(f"{label}, line 1: expected 'topic' (text) and 'facts' (a list)")
            continue
        facts = []
        for index, item in enumerate(data["facts"]):
            path = f"facts[{index}]"
            if not isinstance(item, dict):
                at(path, "expected a mapping")
                continue
            missing = [name for name in FACT_FIELDS if name not in item]
            for name in missing:
                at(path, f"'{name}' is missing")
            for name in sorted(set(item) - set(FACT_FIELDS)):
                at(f"{path}.{name}", "unknown field")
            if missing:
                continue
            key = item["id"]
            if not isinstance(key, str) or not KEY.match(key):
                at(f"{path}.id", "must be lower-case words joined by hyphens")
                continue
            if key in seen:
                at(f"{path}.id", f"'{key}' is already used in {seen[key]}")
            seen[key] = label
            if not isinstance(item["statement"], str) or not item["statement"].strip():
                at(f"{path}.statement", "expected text")
            for name in ("as_at", "review_by"):
                if not isinstance(item[name], dt.date) or isinstance(item[name], dt.datetime):
                    at(f"{path}.{name}", "expected a date such as 2026-12-01")
            reference = references.get(item["source"]) if isinstance(item["source"], str) else None
            if reference is None:
                at(f"{path}.source", f"unknown reference {item['source']!r} (see {REFERENCES_FILE})")
            elif not reference.url:
                at(f"{path}.source", f"reference '{reference.id}' gives no URL: a fact's source must be checkable")
            dates_ok = all(isinstance(item[n], dt.date) for n in ("as_at", "review_by"))
            if dates_ok and item["review_by"] < item["as_at"]:
                at(f"{path}.review_by", "is before 'as_at'")
            if reference is not None and reference.url and dates_ok and isinstance(item["statement"], str):
                facts.append(
                    Fact(
                        key,
                        data["topic"],
                        item["statement"].strip(),
                        item["as_at"],
                        reference,
                        item["review_by"],
                        label,
                    )
                )
        topics.append(Topic(file.stem, data["topic"], tuple(facts)))
    if problems:
        raise SourcesError(problems)
    return topics


def facts_due(topics: list[Topic], on: dt.date) -> list[Fact]:
    """Facts whose review date has come by ``on``, the most overdue first."""
    return sorted((f for t in topics for f in t.facts if f.review_by <= on), key=lambda f: (f.review_by, f.id))


# -- who uses what ----------------------------------------------------------------------

FACT_CALL = re.compile(r"""fact\(\s*["']([^"']+)["']\s*\)""")
CITE_CALL = re.compile(r"""cite\(\s*["']([^"']+)["']\s*\)""")


@dataclass(frozen=True, slots=True)
class Usage:
    facts: dict[str, list[str]]
    """Fact id to the pages (docs paths) that state it."""
    works: dict[str, list[str]]
    """Reference id to the pages whose Further reading lists it."""


def page_keys(markdown: str, meta: dict) -> tuple[list[str], list[str]]:
    """The fact ids a page states and the reference keys it cites (front matter, then text)."""
    facts = list(dict.fromkeys(FACT_CALL.findall(markdown)))
    listed = meta.get("references") or []
    works = list(dict.fromkeys([*listed, *CITE_CALL.findall(markdown)]))
    return facts, works


def usage(pages: dict[str, tuple[str, dict]], fact_sources: dict[str, str]) -> Usage:
    """From every page's Markdown and front matter: which page states or cites what."""
    facts: dict[str, list[str]] = {}
    works: dict[str, list[str]] = {}
    for path, (markdown, meta) in sorted(pages.items()):
        page_facts, page_works = page_keys(markdown, meta)
        for key in page_facts:
            facts.setdefault(key, []).append(path)
        for key in dict.fromkeys([*page_works, *(fact_sources[f] for f in page_facts if f in fact_sources)]):
            works.setdefault(key, []).append(path)
    return Usage(facts, works)


# -- rendering --------------------------------------------------------------------------

CURRENT_POSITION_PAGE = "current-position.md"
REFERENCES_PAGE = "references.md"


def link_from(page_path: str, target: str) -> str:
    """A relative Markdown link from one docs page to another docs file (MkDocs checks it)."""
    import posixpath

    return posixpath.relpath(target, posixpath.dirname(page_path) or ".")


class Sources:
    """The facts, the bibliography and who uses them, for one build."""

    def __init__(self, root: Path, pages: dict[str, tuple[str, dict]], titles: dict[str, str]) -> None:
        self.root = root
        self.references = read_references(root / REFERENCES_FILE)
        self.topics = read_facts(root / FACTS_DIR, self.references, root)
        self.facts = {fact.id: fact for topic in self.topics for fact in topic.facts}
        self.pages = pages
        self.titles = titles
        self.usage = usage(pages, {key: fact.source.id for key, fact in self.facts.items()})
        self._check_pages()

    def _check_pages(self) -> None:
        problems = []
        for path, (markdown, meta) in sorted(self.pages.items()):
            listed = meta.get("references")
            if listed is not None and not (isinstance(listed, list) and all(isinstance(k, str) for k in listed)):
                problems.append(f"docs/{path}: 'references' in the front matter must be a list of keys")
                continue
            facts, works = page_keys(markdown, meta)
            problems += [
                f"docs/{path}: unknown fact '{key}' (see {FACTS_DIR}/)" for key in facts if key not in self.facts
            ]
            problems += [
                f"docs/{path}: unknown reference '{key}' (see {REFERENCES_FILE})"
                for key in works
                if key not in self.references
            ]
        if problems:
            raise SourcesError(problems)

    def fact(self, key: str, page: str) -> str:
        fact = self.facts[key]
        target = link_from(page, CURRENT_POSITION_PAGE)
        return f"{fact.statement} ([as at {format_date(fact.as_at)}]({target}#fact-{fact.id}){{ .fact-date }})"

    def cite(self, key: str) -> str:
        return self.references[key].citation()

    def further_reading(self, page: str) -> str:
        markdown, meta = self.pages[page]
        facts, works = page_keys(markdown, meta)
        keys = dict.fromkeys([*works, *(self.facts[f].source.id for f in facts)])
        entries = sorted((self.references[k] for k in keys), key=Reference.sort_key)
        if not entries:
            return "*This page cites no works.*"
        return "\n".join(f"- {entry.harvard()}" for entry in entries)

    def current_position(self, page: str) -> str:
        blocks = []
        for topic in self.topics:
            blocks.append(f"## {topic.title}\n")
            for fact in topic.facts:
                used = [self._page_link(page, path) for path in self.usage.facts.get(fact.id, [])]
                source = fact.source
                blocks.append(f"{fact.statement}\n{{: #fact-{fact.id} .fact-statement }}\n")
                details = [
                    f"**As at** {format_date(fact.as_at)}",
                    f"**Source:** [{_escape(source.data['title'])}]({source.url})",
                    f"**Review by** {format_date(fact.review_by)}",
                ]
                if used:
                    details.append("**Used on:** " + ", ".join(used))
                blocks.append(" · ".join(details) + "\n{: .fact-details }\n")
        return "\n".join(blocks)

    def references_list(self, page: str) -> str:
        blocks = []
        for entry in sorted(self.references.values(), key=Reference.sort_key):
            cited = [self._page_link(page, path) for path in self.usage.works.get(entry.id, [])]
            blocks.append(f"{entry.harvard()}\n{{: #ref-{entry.id} .reference }}\n")
            blocks.append(
                ("**Cited on:** " + ", ".join(cited) if cited else "*Not cited on any page.*")
                + "\n{: .reference-pages }\n"
            )
        return "\n".join(blocks)

    def _page_link(self, page: str, path: str) -> str:
        return f"[{_escape(self.titles.get(path, path))}]({link_from(page, path)})"
