"""Answers carried in a link: a team member sends a URL instead of a file.

The answers travel in the URL's fragment (after ``#``), which a browser never sends to a
server, so the site's host never sees them. A link looks like::

    https://intranet.example/handbook/toolkit/health-check/#answers=1.eNpNj8sK...

The part after ``1.`` is compact JSON, compressed with zlib and written in base64url (both
in the standard library, so Pyodide has them). It names the assessment and the version of
the tool, and holds one character per rated statement, in the definition's order: the
position of the chosen point on the scale (``0``-``9``, then ``a``-``z``), ``.`` for "don't
know", ``-`` for no answer. A full health check link, with a name, is about 95 characters after the `#`.

zlib's own checksum makes a link that was cut short or altered fail to decode, and it is
then refused with a message; nothing is ever half-read. Because the answers are kept by
position, a link made with another version of the tool cannot be read safely, and is
refused with a message that asks for a new link (an answers file, which names each
statement, can be read across versions).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

from .definition import Assessment
from .groups import NOT_SAID, group_labels, read_group
from .limits import loads
from .members import clean_label
from .scoring import DONT_KNOW, read_answer

PARAMETER = "answers"
LINK_FORMAT = 1
"""The number before the dot; a link made in a format this code does not know is refused."""
MAX_LINK_CHARS = 8_000
"""The longest fragment read: far more than a full health check needs (about 200)."""
MAX_JSON_BYTES = 50_000
"""A compressed payload that inflates beyond this is refused, before it is parsed."""
_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]+$")
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
DONT_KNOW_CHAR, UNANSWERED_CHAR = ".", "-"


class LinkError(ValueError):
    """A link that cannot be used; its message says why, for the reader."""


@dataclass(frozen=True, kw_only=True, slots=True)
class LinkAnswers:
    answers: dict[str, str]
    member: str
    group: str = ""
    """The stakeholder group id the member answers for; "" when not said."""


def _encode_bytes(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode_bytes(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


def encode_link(assessment: Assessment, answers: Mapping[str, object], member: object = "", group: object = "") -> str:
    """The fragment (without ``#``) that carries one member's rated answers."""
    marks = []
    for question in assessment.rated:
        value = read_answer(assessment, question, answers.get(question.id))
        if value is None:
            marks.append(UNANSWERED_CHAR)
        elif value == DONT_KNOW:
            marks.append(DONT_KNOW_CHAR)
        else:
            points = [point.value for point in assessment.scales[question.scale].points]
            marks.append(DIGITS[points.index(value)])
    record = {"a": assessment.id, "v": assessment.version, "x": "".join(marks)}
    label = clean_label(member)
    if label:
        record["m"] = label
    group_id = read_group(group, group_labels(assessment.groups))
    if group_id != NOT_SAID:
        record["g"] = group_id
    compact = json.dumps(record, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return f"{PARAMETER}={LINK_FORMAT}.{_encode_bytes(zlib.compress(compact, 9))}"


def _payload(fragment: object) -> str:
    if not isinstance(fragment, str):
        raise LinkError("The link could not be read: it is not text.")
    fragment = fragment.split("#", 1)[1] if "#" in fragment else fragment  # a whole address, or its fragment
    if len(fragment) > MAX_LINK_CHARS:
        raise LinkError(f"The link is too long to be a link from this handbook (over {MAX_LINK_CHARS:,} characters).")
    name, equals, value = fragment.partition("=")
    if name != PARAMETER or not equals:
        raise LinkError("The link does not carry answers from this handbook.")
    version, dot, payload = value.partition(".")
    if not dot or not version.isascii() or not version.isdigit():
        raise LinkError("The link is not complete: copy the whole link again and open it.")
    if int(version) != LINK_FORMAT:
        raise LinkError("The link was made by a different version of this handbook and cannot be read here.")
    if not _PAYLOAD.match(payload):
        raise LinkError("The link has been changed or cut short: copy the whole link again and open it.")
    return payload


def _inflate(payload: str) -> dict:
    damaged = LinkError("The link has been changed or cut short: copy the whole link again and open it.")
    try:
        inflater = zlib.decompressobj()
        data = inflater.decompress(_decode_bytes(payload), MAX_JSON_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error):
        raise damaged from None
    if len(data) > MAX_JSON_BYTES or inflater.unconsumed_tail:
        raise LinkError("The link holds far more than answers to one tool, so it was not read.")
    if not inflater.eof:
        raise damaged
    try:
        record = loads(data.decode("utf-8"), max_chars=MAX_JSON_BYTES)
    except ValueError:  # not UTF-8, not JSON, or nested too deeply to read safely
        raise damaged from None
    if not isinstance(record, dict):
        raise damaged
    return record


def decode_link(assessment: Assessment, fragment: object) -> LinkAnswers:
    """The answers a link carries for ``assessment``, or LinkError saying why not."""
    damaged = LinkError("The link has been changed or cut short: copy the whole link again and open it.")
    record = _inflate(_payload(fragment))
    owner, version, marks = record.get("a"), record.get("v"), record.get("x")
    if not isinstance(owner, str):
        raise damaged
    if owner != assessment.id:
        raise LinkError(
            f"The link holds answers to another tool ('{clean_label(owner)}'), not to '{assessment.title}'."
        )
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise damaged
    if version != assessment.version:
        age = "an earlier" if version < assessment.version else "a newer"
        raise LinkError(
            f"The link was made with {age} version of this tool (version {version}; this page has version "
            f"{assessment.version}), so its answers may not match these statements. Ask for a new link, "
            "or for an answers file."
        )
    rated = assessment.rated
    if not isinstance(marks, str) or len(marks) != len(rated):
        raise damaged
    answers: dict[str, str] = {}
    for question, mark in zip(rated, marks, strict=True):
        scale = assessment.scales[question.scale]
        if mark == UNANSWERED_CHAR:
            continue
        if mark == DONT_KNOW_CHAR and scale.dont_know:
            answers[question.id] = DONT_KNOW
        elif mark in DIGITS and DIGITS.index(mark) < len(scale.points):
            answers[question.id] = str(scale.points[DIGITS.index(mark)].value)
        else:
            raise damaged
    group = read_group(record.get("g"), group_labels(assessment.groups))
    return LinkAnswers(answers=answers, member=clean_label(record.get("m")), group="" if group == NOT_SAID else group)
