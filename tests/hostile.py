"""A corpus of hostile and damaged answers files, and of damaged browser storage states.

Every case is made here, in code, so the corpus is reviewable and needs no binary fixtures.
Import cases name what a reader would drop on the import button; each expects the file to
be added or refused, never to break the page. The markup payloads set ``window.__pwned``
if they ever run, so a test can tell.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

FORMAT = "partnership-handbook/answers"
ASSESSMENT = "health-check"
PAYLOAD = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'


@dataclass(frozen=True)
class ImportCase:
    id: str
    name: str
    """The file name, as the reader's browser gives it."""
    data: bytes
    added: bool
    """Whether the file should be added to the team view (else refused with its name)."""


def answers_file(answers: object, *, member: object = "A member", **extra: object) -> dict:
    return {"format": FORMAT, "schema": 1, "assessment": ASSESSMENT, "member": member, "answers": answers, **extra}


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


def nested(depth: int, leaf: str = "3") -> str:
    """JSON text of ``depth`` objects, one inside another, around ``leaf`` (a JSON value)."""
    return '{"a":' * depth + leaf + "}" * depth


def raw_file(answers_json: str, member_json: str = '"A member"') -> bytes:
    """An answers file whose answers (and member) are given as JSON text, for values json.dumps cannot make."""
    head = json.dumps({"format": FORMAT, "schema": 1, "assessment": ASSESSMENT})[:-1]
    return f'{head}, "member": {member_json}, "answers": {answers_json}}}'.encode()


def import_cases(question_ids: list[str]) -> list[ImportCase]:
    """At least 25 files: the findings of issue 9 first, then other damage and attacks."""
    q0, q1, q2 = question_ids[:3]
    good = {qid: str(1 + i % 5) for i, qid in enumerate(question_ids)}

    def file_with(value: object, member: str) -> bytes:
        # Each file that is added is a person of its own: the same answers under the same name
        # would be one person sent twice, and counted once.
        return _json(answers_file({**good, q0: value}, member=member))

    cases = [
        # The findings: deep nesting, digit-like answers.
        ImportCase("nested-arrays-50000", "arrays.json", b"[" * 50_000 + b"]" * 50_000, False),
        ImportCase("nested-answer-15000", "deep-answer.json", raw_file(f'{{"{q0}": {nested(15_000)}}}'), False),
        ImportCase("superscript-two", "superscript.json", file_with("\u00b2", "Superscript"), True),
        ImportCase("circled-one", "circled.json", file_with("\u2460", "Circled"), True),
        ImportCase("double-minus", "minus.json", file_with("--3", "Minus"), True),
        ImportCase("five-thousand-digits", "digits.json", file_with("9" * 5000, "Digits"), True),
        ImportCase("five-thousand-digit-number", "number.json", raw_file(f'{{"{q0}": {"9" * 5000}}}'), False),
        # Not answers files at all.
        ImportCase("empty", "empty.json", b"", False),
        ImportCase("not-json", "notes.json", b"{this is not json", False),
        ImportCase("binary", "photo.jpg", bytes(range(256)) * 40, False),
        ImportCase(
            "invalid-utf8", "latin1.json", _json(answers_file(good, member="Zoë")).replace(b"Zo", b"Zo\xff"), True
        ),
        ImportCase("top-level-list", "list.json", b"[1, 2, 3]", False),
        ImportCase("top-level-string", "string.json", _json(PAYLOAD), False),
        ImportCase("other-format", "other.json", _json({"format": "something-else", "answers": good}), False),
        ImportCase("future-schema", "future.json", _json({**answers_file(good), "schema": 99}), False),
        ImportCase("another-assessment", "purpose.json", _json({**answers_file(good), "assessment": "purpose"}), False),
        ImportCase("answers-a-list", "answers-list.json", _json(answers_file(list(good.values()))), False),
        ImportCase("too-many-answers", "many.json", _json(answers_file({f"k{i}": "3" for i in range(3_000)})), False),
        ImportCase("oversized", "padded.json", _json(answers_file(good)) + b" " * 150_000, False),
        ImportCase("huge", "huge.json", b'{"x": "' + b"a" * 3_000_000 + b'"}', False),
        ImportCase("deep-member", "deep-member.json", _json(answers_file(good, member=[[[[[[[[[["x"]]]]]]]]]])), False),
        # Answers files that are odd but readable: what fits is added, the rest ignored.
        ImportCase("byte-order-mark", "bom.json", b"\xef\xbb\xbf" + _json(answers_file(good, member="With BOM")), True),
        ImportCase("markup-member", f"{PAYLOAD}.json", _json(answers_file(good, member=PAYLOAD)), True),
        ImportCase("markup-answers", "markup.json", _json(answers_file({**good, q1: PAYLOAD, PAYLOAD: "3"})), True),
        ImportCase("long-member", "long.json", _json(answers_file(good, member="N" * 20_000)), True),
        ImportCase(
            "control-characters", "control.json", _json(answers_file(good, member="a\u0000b\u202ec\u0007d")), True
        ),
        # No rating at all: read, and refused as adding nothing.
        ImportCase("lone-surrogate", "surrogate.json", raw_file("{}", member_json='"\\ud800"'), False),
        ImportCase(
            "odd-value-types",
            "types.json",
            _json(answers_file({**good, q0: {}, q1: None, q2: True, question_ids[3]: [3], question_ids[4]: [["3"]]})),
            True,
        ),
        ImportCase("nan-and-infinity", "nan.json", _json(answers_file(good)).replace(b'"1"', b"NaN", 1), True),
        ImportCase(
            "proto-keys", "proto.json", _json(answers_file({**good, "__proto__": "3", "constructor": "1"})), True
        ),
    ]
    return cases


@dataclass(frozen=True)
class StorageCase:
    id: str
    record: str | None
    """The health check's saved record, as stored text (None: nothing stored)."""
    script: str = ""
    """An init script that damages or limits storage before the page loads."""
    fill: int = 0
    """Characters of other data stored first, to fill the store."""


def _record(answers: object, **extra: object) -> str:
    return json.dumps({"schema": 1, "assessment": ASSESSMENT, "version": 1, "answers": answers, **extra})


BLOCKED = """for (const name of ["getItem", "setItem", "removeItem", "key", "clear"]) {
  Storage.prototype[name] = () => { throw new DOMException("The operation is insecure.", "SecurityError"); };
}
Object.defineProperty(window, "localStorage", { get() { throw new DOMException("denied", "SecurityError"); } });"""
FULL = """Storage.prototype.setItem = () => { throw new DOMException("full", "QuotaExceededError"); };"""
# A store that accepts every write and keeps none of them: a copy can never be confirmed.
FORGETFUL = """Storage.prototype.setItem = function () {};"""


def storage_cases(question_ids: list[str]) -> list[StorageCase]:
    q0, q1 = question_ids[:2]
    odd = {
        q0: "4",
        q1: {},
        question_ids[2]: None,
        question_ids[3]: True,
        question_ids[4]: [3],
        question_ids[5]: [["3"]],
    }
    return [
        StorageCase("not-json", "{not json"),
        StorageCase("wrong-type-values", _record(odd)),
        StorageCase("wrong-type-values-full", _record(odd), script=FULL),
        StorageCase("unreadable-full", "{not json", script=FULL),
        StorageCase("unreadable-forgetful", "{not json", script=FORGETFUL),
        StorageCase("four-megabyte-record", _record({q0: "4", "note": "x" * 4_000_000})),
        StorageCase("store-nearly-full", _record({q0: "2", "gone": "5"}), fill=4_500_000),
        StorageCase("deeply-nested", _record({q0: "5", q1: json.loads(nested(200))})),
        StorageCase("markup", json.dumps(PAYLOAD)),
        StorageCase("blocked", None, script=BLOCKED),
    ]
