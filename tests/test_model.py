"""The definition's model: one declaration of each class gives the reader's allowlist and the
writer's keys; written data reads back the same; the build refuses a writer that loses anything."""

from __future__ import annotations

import copy
import json
from collections import Counter
from dataclasses import dataclass

import pytest
import yaml
from conftest import ROOT, docs_titles
from test_decisions import AID

import macros.assessments
from macros.assessments import load_definition
from widgets import DefinitionError, definition_to_data, parse_definition, scoring
from widgets.definition import Question
from widgets.definition.questions import KINDS, OWN_FIELDS
from widgets.definition.spelling import Fields, keys, spelt, write
from widgets.reader import Reader

PAGES = docs_titles()
ASSESSMENTS = sorted((ROOT / "assessments").glob("*.yml"))


@dataclass(frozen=True, kw_only=True)
class Toy:
    id: str = spelt(None)
    name: str
    start: float = spelt("from", default=0.0)
    tags: tuple[str, ...] = ()


def test_the_allowlist_and_the_written_keys_come_from_the_class_declaration():
    assert keys(Toy) == ("name", "from", "tags")
    assert write(Toy(id="a", name="A", start=2.0, tags=("x",))) == {"name": "A", "from": 2.0, "tags": ["x"]}
    assert write(Toy(id="a", name="A")) == {"name": "A"}  # defaults left out: the reader gives them back
    read = Reader()
    spec = Fields.of(read, {"name": "A", "from": 3, "start": 1}, "toys.a", Toy)
    assert spec is not None and spec.number("start", low=0, high=10) == 3.0
    assert spec.at("start") == "toys.a.from"
    assert [(p.path, p.message) for p in read.problems] == [
        ("toys.a.start", "unknown field (known fields: name, from, tags)")
    ]


def test_each_question_kind_uses_fields_of_the_one_question_class():
    assert set(KINDS) == {"rating", "choice", "choices", "text", "rows"}
    for kind in KINDS.values():
        assert set(kind.fields) <= set(OWN_FIELDS) <= set(keys(Question))


SAMPLE_VALUES = {
    "dimension": "trust",
    "scale": "agreement",
    "reverse": True,
    "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
    "columns": [{"id": "c", "label": "C"}],
    "max_rows": 3,
    "prompt": "Why?",
}
QUESTION_OF_KIND = {"choice": 0, "text": 2, "choices": 3, "rows": 4}


@pytest.mark.parametrize(
    ("kind", "field"),
    [(kind, field) for kind in QUESTION_OF_KIND for field in OWN_FIELDS if field not in KINDS[kind].fields],
)
def test_a_field_of_another_kind_is_refused_where_it_is(kind, field):
    data = copy.deepcopy(AID)
    index = QUESTION_OF_KIND[kind]
    assert data["questions"][index]["kind"] == kind
    data["questions"][index][field] = SAMPLE_VALUES[field]
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, pages=PAGES)
    found = [(p.path, p.message) for p in caught.value.problems]
    assert len(found) == 1 and found[0][0] == f"questions[{index}].{field}", found
    owner = next(name for name, other in KINDS.items() if field in other.fields)
    message = found[0][1]
    assert field in message and (owner in message or message.startswith("rows have columns, not")), found


@pytest.mark.parametrize("file", ASSESSMENTS, ids=lambda file: file.stem)
def test_every_shipped_definition_reads_back_the_same_and_writes_no_empty_values(file):
    assessment = parse_definition(yaml.safe_load(file.read_text()), pages=PAGES)
    written = json.loads(json.dumps(definition_to_data(assessment)))
    assert parse_definition(written, pages=PAGES) == assessment
    assert parse_definition(written) == assessment  # as the worker reads it: no pages to check links against

    def values(data):
        if isinstance(data, dict):
            for value in data.values():
                yield from values(value)
        elif isinstance(data, list):
            for value in data:
                yield from values(value)
        else:
            yield data

    assert None not in list(values(written))  # a field left at its default is left out


def write_aid(folder, flag_change=None):
    data = copy.deepcopy(AID)
    if flag_change:
        flag_change(next(rule for rule in data["flags"] if "when" in rule))
    file = folder / "aid.yml"
    file.write_text(yaml.safe_dump(data, sort_keys=False))
    return file


def test_the_build_refuses_a_definition_that_does_not_read_back_the_same(tmp_path, monkeypatch):
    """The check that let `missing: []` through before: a writer that drops an empty list is caught."""
    always = write_aid(tmp_path, lambda flag: (flag.pop("when"), flag.update(missing=[])))
    assert load_definition(always, pages=PAGES).flags[0].when == {}

    def drops_empty_lists(assessment):
        data = definition_to_data(assessment)
        for flag in data.get("flags", []):
            if flag.get("missing") == []:
                del flag["missing"]
        return data

    monkeypatch.setattr(macros.assessments, "definition_to_data", drops_empty_lists)
    load_definition(write_aid(tmp_path / "..", None), pages=PAGES)  # nothing empty to drop: still builds
    with pytest.raises(DefinitionError) as caught:
        load_definition(always, pages=PAGES, label="assessments/aid.yml")
    assert caught.value.summary() == (
        "assessments/aid.yml: the top level: does not read back the same once written for the browser "
        "(a bug in widgets)"
    )


def test_scoring_reads_each_answer_once(monkeypatch):
    real = scoring.read_answer
    calls = Counter()

    def counted(assessment, question, raw):
        calls[question.id] += 1
        return real(assessment, question, raw)

    monkeypatch.setattr(scoring, "read_answer", counted)
    for file in (ROOT / "assessments" / "health-check.yml", None):
        assessment = parse_definition(yaml.safe_load(file.read_text()) if file else AID, pages=PAGES)
        answers = {q.id: q.options[0].value if q.options else "3" for q in assessment.questions}
        calls.clear()
        result = scoring.score_answers(assessment, answers)
        assert dict(calls) == {q.id: 1 for q in assessment.questions if q.kind != "rows"}
        assert result.answered == len(assessment.rated)
