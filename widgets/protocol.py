"""The worker protocol: what the page asks for, read into typed requests, and what it is told to do.

A request is one JSON object: ``{"kind": "score", "hash": ..., "answers": {...}, ...}``.
``hash`` names the definition the page embeds (``definition_hash`` of its text, computed at
build time); the page adds ``"definition": <that text>`` the first time it asks a worker,
and again whenever a reply says ``resend``. Every other key belongs to the kind: each kind
is a dataclass below, and each key is read by the one reader for that key, with the project's
``Reader``, so a bad request gets a message that names the key path.

A reply says what the page does, as effects it applies in order: paint HTML into named
regions, keep the team view's inputs, download or copy a file, print a document, replace
the form's answers, offer a link's answers, and say a sentence on the status line of the
control that asked. Python decides all of it; the page only applies it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar

from .errors import DefinitionError
from .limits import MAX_ANSWER_KEYS
from .reader import Reader, join, kind_of

ENVELOPE = ("kind", "hash", "definition")
"""The keys every request may carry, besides its kind's own."""


def definition_text(data: Mapping[str, Any]) -> str:
    """A definition as the page embeds it and the worker reads it: the one place it is written."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def definition_hash(text: str) -> str:
    """The name a page and a worker both give a definition's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- what comes in with a request --------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Upload:
    """A file the reader chose, as the page read it: ``text`` is None when it could not be read."""

    name: str
    text: str | None
    size: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class SentLink:
    """A link a member sent, as pasted: Python reads the part after the ``#``."""

    name: str
    fragment: str


def _text(r: Reader, value: Any, path: str) -> str | None:
    if isinstance(value, str):
        return value
    r.problem(path, f"expected text, found {kind_of(value)}")
    return None


def _whole(r: Reader, value: Any, path: str) -> int | None:
    if type(value) is int:
        return value
    r.problem(path, f"expected a whole number, found {kind_of(value)}")
    return None


def _answers(r: Reader, value: Any, path: str) -> dict[str, str | list[str]] | None:
    """The form's answers: question id (or ``rows-id.row.column``) to text, or a list of texts."""
    if r.mapping(value, path) is None:
        return None
    if len(value) > MAX_ANSWER_KEYS:
        r.problem(path, f"there are more than {MAX_ANSWER_KEYS:,} answers")
        return None
    texts = (isinstance(v, str) or (isinstance(v, list) and all(isinstance(i, str) for i in v)) for v in value.values())
    if not all(texts):
        r.problem(path, "expected text, or a list of texts, for each answer")
        return None
    return value


def _files(r: Reader, value: Any, path: str) -> tuple[Upload, ...] | None:
    def one(item: Any, where: str) -> Upload | None:
        if r.mapping(item, where, ("name", "text", "size")) is None:
            return None
        size = item.get("size")
        if size is not None and type(size) not in (int, float):
            r.problem(join(where, "size"), f"expected a number, found {kind_of(size)}")
        text = item.get("text")
        if text is not None and not isinstance(text, str):
            r.problem(join(where, "text"), f"expected text or nothing, found {kind_of(text)}")
            return None
        name = _text(r, item.get("name", ""), join(where, "name"))
        return None if name is None else Upload(name=name, text=text, size=size)

    return tuple(r.each(value, path, one, non_empty=False))


def _links(r: Reader, value: Any, path: str) -> tuple[SentLink, ...] | None:
    def one(item: Any, where: str) -> SentLink | None:
        if r.mapping(item, where, ("name", "fragment")) is None:
            return None
        name = _text(r, item.get("name", ""), join(where, "name"))
        fragment = _text(r, item.get("fragment", ""), join(where, "fragment"))
        return None if name is None or fragment is None else SentLink(name=name, fragment=fragment)

    return tuple(r.each(value, path, one, non_empty=False))


def _names(r: Reader, value: Any, path: str) -> tuple[str, ...] | None:
    return tuple(r.each(value, path, lambda item, where: _text(r, item, where), non_empty=False))


def _shown(r: Reader, value: Any, path: str) -> dict | None:
    """A ledger as the page kept it: its parts are read by ``widgets.anonymity.Ledger.from_data``."""
    return r.mapping(value, path, ("ids", "sets"))


def _filled(r: Reader, value: Any, path: str) -> dict[str, dict[str, str]] | None:
    """What the reader typed into the plan: action key to {owner, due, agreed}."""
    if r.mapping(value, path) is None:
        return None
    for key, row in value.items():
        where = join(path, str(key))
        if r.mapping(row, where) is not None:
            for name, text in row.items():
                _text(r, text, join(where, str(name)))
    return value


READERS: dict[str, Callable[[Reader, Any, str], Any]] = {
    "answers": _answers,
    "files": _files,
    "links": _links,
    "rounds": _files,
    "adding": _names,
    "filled": _filled,
    "shown": _shown,
    "minutes": _whole,
    **dict.fromkeys(("base", "today", "member", "group", "label", "name", "page", "fragment", "question"), _text),
    **dict.fromkeys(("format", "source", "only"), _text),
}
"""One reader for each key a request can carry, whatever its kind."""

CHOICES: dict[str, tuple[object, ...]] = {
    "format": ("csv", "markdown"),
    "source": ("answers", "team"),
    "only": ("", "plan"),
    "minutes": (60, 90),
}
"""Keys whose value must be one of a few."""


# -- requests, one kind each --------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Request:
    kind: ClassVar[str] = ""
    failed: ClassVar[str] = "This could not be done: {error}"
    """What the status line says when this kind fails; ``{error}`` is why."""

    def failure(self, error: str) -> str:
        return self.failed.format(error=error)


@dataclass(frozen=True, kw_only=True, slots=True)
class Team(Request):
    """The inputs of a team view: members' files and links, and earlier rounds."""

    files: tuple[Upload, ...] = ()
    links: tuple[SentLink, ...] = ()
    rounds: tuple[Upload, ...] = ()
    shown: dict = field(default_factory=dict)
    """What this tool has shown before (``Kept.shown``), so that nothing shown next can be compared with it
    to single someone out."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Score(Request):
    """The reader's result, compared with results they saved earlier (``rounds``)."""

    kind = "score"
    failed = "Your result could not be worked out: {error}"
    answers: dict = field(default_factory=dict)
    rounds: tuple[Upload, ...] = ()
    base: str = "/"
    today: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Export(Request):
    kind = "export"
    failed = "Your answers could not be exported: {error}"
    answers: dict = field(default_factory=dict)
    member: str = ""
    group: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Link(Export):
    """A link to the reader's answers; ``page`` is the page's address without its fragment."""

    kind = "link"
    failed = "The link could not be made: {error}"
    page: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class OpenLink(Request):
    kind = "open_link"
    failed = "The link could not be read: {error}"
    fragment: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Combine(Team):
    """The team view; ``adding`` names what this request adds, for the message if it fails."""

    kind = "team"
    adding: tuple[str, ...] = ()
    base: str = "/"
    today: str = ""

    def failure(self, error: str) -> str:
        lead = f"Not added: {', '.join(self.adding)}." if self.adding else "The team view could not be shown."
        return f"{lead} {error}"


@dataclass(frozen=True, kw_only=True, slots=True)
class SaveRound(Team):
    kind = "save_round"
    failed = "The round could not be saved: {error}"
    label: str = ""
    today: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class SaveMine(Request):
    kind = "save_mine"
    failed = "Your result could not be saved: {error}"
    answers: dict = field(default_factory=dict)
    label: str = ""
    today: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Workshop(Team):
    kind = "workshop"
    failed = "The workshop pack could not be made: {error}"
    minutes: int = 60
    filled: dict = field(default_factory=dict)
    name: str = ""
    today: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class ExportPlan(Team):
    """The plan as a file; from the reader's ``answers`` or, with ``source: team``, the team view."""

    kind = "export_plan"
    failed = "The plan could not be exported: {error}"
    format: str = "csv"
    source: str = "answers"
    answers: dict = field(default_factory=dict)
    filled: dict = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class Report(Team):
    """The result (or with ``only: plan`` the plan alone) as a document to print."""

    kind = "report"
    failed = "The report could not be made: {error}"
    source: str = "answers"
    only: str = ""
    answers: dict = field(default_factory=dict)
    filled: dict = field(default_factory=dict)
    name: str = ""
    today: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class RowsExport(Request):
    kind = "rows_export"
    failed = "The rows could not be downloaded: {error}"
    answers: dict = field(default_factory=dict)
    question: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class RowsImport(RowsExport):
    kind = "rows_import"
    failed = "The rows could not be added: {error}"
    files: tuple[Upload, ...] = ()


_EVERY_KIND: tuple[type[Request], ...] = (Score, Export, Link, OpenLink, Combine, SaveRound, SaveMine)
_EVERY_KIND += (Workshop, ExportPlan, Report, RowsExport, RowsImport)
KINDS: dict[str, type[Request]] = {kind.kind: kind for kind in _EVERY_KIND}


@dataclass(frozen=True, kw_only=True, slots=True)
class Envelope:
    """What every request carries: its kind, the hash of its definition, and perhaps the definition."""

    kind: str
    hash: str
    definition: str | None


def read_request(data: Any) -> tuple[Envelope, Request]:
    """The envelope and the typed request, or ``DefinitionError`` naming every bad key (source "request")."""
    r = Reader()
    if r.mapping(data, "") is None:
        raise DefinitionError(r.problems, "request")
    kind = data.get("kind")
    cls = KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        known = ", ".join(KINDS)
        r.problem("kind", f"unknown kind {kind!r} (known: {known})")
        raise DefinitionError(r.problems, "request")
    own = [f.name for f in fields(cls)]
    r.mapping(data, "", (*ENVELOPE, *own))
    digest = _text(r, data.get("hash"), "hash")
    definition = data.get("definition")
    if definition is not None:
        _text(r, definition, "definition")
    values = {}
    for name in own:
        if name in data:
            value = READERS[name](r, data[name], name)
            if value is not None and name in CHOICES and value not in CHOICES[name]:
                options = " or ".join(repr(option) for option in CHOICES[name])
                r.problem(name, f"must be {options}, found {value!r}")
            values[name] = value
    if r.problems:
        raise DefinitionError(r.problems, "request")
    return Envelope(kind=kind, hash=digest, definition=definition), cls(**values)


# -- what the page does with a reply -----------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Download:
    filename: str
    text: str
    type: str = "application/json"


@dataclass(frozen=True, kw_only=True, slots=True)
class Copy:
    """Text for the clipboard, and what to say when it is copied or when the browser refuses.

    ``field``: a region that shows the text too, so the reader can copy it by hand.
    """

    text: str
    done: str
    failed: str
    field: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Printout:
    title: str
    html: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Offer:
    """A link's answers, offered to the reader: add them to the team view, or use them as their own."""

    message: str
    fragment: str
    answers: dict


@dataclass(frozen=True, kw_only=True, slots=True)
class Kept:
    """The team view's inputs that Python accepted: the page keeps these, and sends them next time."""

    files: tuple[Upload, ...] = ()
    links: tuple[SentLink, ...] = ()
    rounds: tuple[Upload, ...] = ()
    shown: dict = field(default_factory=dict)
    """What the team tools have shown, printed or saved (``widgets.anonymity.Ledger``): kept
    apart from the inputs, so that clearing the team view does not forget it."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Reply:
    """Effects for the page, applied in this order; only those that are set travel."""

    resend: bool = False
    """The worker does not know the definition named: send the request again with it."""
    paint: dict[str, str] = field(default_factory=dict)
    """Region name (``result``, ``team``) to the HTML it now holds."""
    keep: Kept | None = None
    mine: tuple[Upload, ...] | None = None
    """The reader's own saved results that Python accepted: the page keeps these, and only these."""
    answers: dict | None = None
    """The form's answers as they now are: the page puts them in the form, saves and scores."""
    download: Download | None = None
    copy: Copy | None = None
    print: Printout | None = None
    offer: Offer | None = None
    say: str = ""
    """A sentence for the status line of the control that asked."""

    def to_data(self) -> dict:
        return {f.name: value for f in fields(self) if (value := _plain(getattr(self, f.name)))}


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return asdict(value) if hasattr(value, "__dataclass_fields__") else value
