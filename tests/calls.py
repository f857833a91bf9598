"""Requests to widgets.bridge in the shape the page sends them, for the CPython and Pyodide tests.

Each request carries its definition's text as well as its hash, as the page's first request
to a worker does, so every request stands on its own.
"""

from __future__ import annotations

import json

from widgets.bridge import handle
from widgets.protocol import definition_hash, definition_text


def request(kind: str, definition: dict, **fields) -> dict:
    text = definition_text(definition)
    return {"kind": kind, "hash": definition_hash(text), "definition": text, **fields}


def send(request: dict) -> dict:
    """The reply to one request, as data."""
    return json.loads(handle(json.dumps(request)))


def ask(kind: str, definition: dict, **fields) -> dict:
    return send(request(kind, definition, **fields))


def done(kind: str, definition: dict, **fields) -> dict:
    """The reply to a request that must succeed: a failure is only a sentence, with no other effect."""
    reply = ask(kind, definition, **fields)
    assert set(reply) - {"say"}, reply
    return reply
