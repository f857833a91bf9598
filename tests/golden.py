"""The golden corpus: requests in tests/golden/*.request.json, the HTML or text they give beside them.

A request file names its assessment instead of carrying the definition:
``{"assessment": "health-check", "request": {"kind": "score", ...}}``; the definition is added
as the page sends it the first time (tests/calls.py). The same files are
checked under CPython (tests/test_golden.py) and replayed under Pyodide (tests/test_pyodide.py),
so one corpus serves both. After a deliberate change to the output, rewrite the expected
files with ``UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py`` and read the diff.
"""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from calls import request
from conftest import ROOT, docs_titles

from macros.assessments import load_definition
from widgets import definition_to_data

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@dataclass(frozen=True)
class Case:
    name: str
    assessment: str
    kind: str
    request: dict
    expected_file: Path


def cases() -> list[Case]:
    titles = docs_titles()
    definitions: dict[str, dict] = {}
    found = []
    for file in sorted(GOLDEN.glob("*.request.json")):
        spec = json.loads(file.read_text())
        name = spec["assessment"]
        if name not in definitions:
            definitions[name] = definition_to_data(load_definition(ROOT / "assessments" / f"{name}.yml", pages=titles))
        fields = dict(spec["request"])
        kind = fields.pop("kind")
        stem = file.name.removesuffix(".request.json")
        suffix = ".txt" if kind in ("export_plan", "save_round") else ".html"
        found.append(Case(stem, name, kind, request(kind, definitions[name], **fields), GOLDEN / f"{stem}{suffix}"))
    return found


def output(reply: dict) -> str:
    """What a golden file holds: the HTML the reply paints or prints, or the text it gives, or what it says."""
    if "paint" in reply:
        (body,) = reply["paint"].values()
    elif effect := reply.get("print") or reply.get("download") or reply.get("copy"):
        body = effect.get("html", effect.get("text"))
    else:
        return f"error: {reply.get('say')}\n"
    # One element a line, so that a diff points at the place that changed.
    return body.replace("><", ">\n<") + "\n"


def compare(case: Case, got: str, *, update: bool = UPDATE) -> None:
    """Fail with a unified diff unless ``got`` is the golden file; with UPDATE_GOLDEN=1, write it."""
    if update:
        case.expected_file.write_text(got)
        return
    want = case.expected_file.read_text() if case.expected_file.exists() else ""
    if got != want:
        diff = "".join(
            difflib.unified_diff(
                want.splitlines(keepends=True),
                got.splitlines(keepends=True),
                fromfile=f"golden/{case.expected_file.name}",
                tofile="now",
                n=2,
            )
        )
        raise AssertionError(f"{case.name} differs from its golden file:\n{diff[:6000]}")
