"""Honest-looking inputs an adversarial facilitator can combine, for the anonymity tests.

Each helper returns files, links and rounds in the shape the page sends them. A *page* here
plays what the browser does between requests: it keeps the inputs Python accepted and the
record of what has been shown (``Kept.shown``), and sends both with the next request. The
same sequences are replayed under Pyodide (tests/test_pyodide.py), so both Pythons are held
to the same rule.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

from calls import done, request, send

from widgets.members import FORMAT

TODAY = "2026-12-01"


def rated_ids(definition: dict) -> list[str]:
    return [q["id"] for q in definition["questions"] if q.get("kind", "rating") == "rating"]


def answers_of(definition: dict, seed: int, *, dont_know: frozenset[int] = frozenset()) -> dict[str, str]:
    """Distinct answers for each seed: ratings 1 to 5 drawn from the seed; "dk" at the positions given."""
    draw = random.Random(seed)
    return {qid: "dk" if i in dont_know else str(draw.randint(1, 5)) for i, qid in enumerate(rated_ids(definition))}


def answers_file(definition: dict, answers: dict, *, name: str, member: str = "", group: str = "", **record) -> dict:
    data = {"format": FORMAT, "schema": 1, "assessment": definition["id"], "member": member, "answers": answers}
    if group:
        data["group"] = group
    return {"name": name, "text": json.dumps(data | record)}


def answers_link(definition: dict, answers: dict, *, name: str, member: str = "", group: str = "") -> dict:
    reply = done("link", definition, answers=answers, member=member, group=group, page="/toolkit/health-check/")
    return {"name": name, "fragment": reply["copy"]["text"].split("#", 1)[1]}


@dataclass
class Page:
    """The team part of one page, as the browser keeps it between requests."""

    definition: dict
    files: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    rounds: list[dict] = field(default_factory=list)
    shown: dict = field(default_factory=dict)
    sent: list[dict] = field(default_factory=list)
    """Every request made, in order, for the Pyodide replay."""

    def inputs(self, **added: list[dict]) -> dict[str, Any]:
        return {
            "files": [*self.files, *added.get("files", [])],
            "links": [*self.links, *added.get("links", [])],
            "rounds": [*self.rounds, *added.get("rounds", [])],
            "shown": self.shown,
        }

    def ask(self, kind: str, **fields) -> dict:
        sent = request(kind, self.definition, **fields)
        self.sent.append(sent)
        reply = send(sent)
        kept = reply.get("keep")
        if kept:
            self.files, self.links, self.rounds = kept["files"], kept["links"], kept["rounds"]
            self.shown = kept["shown"]
        return reply

    def add(self, **added: list[dict]) -> dict:
        """The team view after adding these, as a facilitator would."""
        return self.ask("team", base="/", today=TODAY, **self.inputs(**added))

    def save_round(self, label: str = "") -> dict:
        return self.ask("save_round", label=label, today=TODAY, **self.inputs())

    def report(self) -> dict:
        return self.ask("report", source="team", today=TODAY, **self.inputs())

    def pack(self) -> dict:
        return self.ask("workshop", minutes=60, today=TODAY, **self.inputs())

    def clear(self) -> None:
        """ "Clear the team view": the inputs go, the record of what was shown stays."""
        self.files, self.links, self.rounds = [], [], []


def anonymity_requests(definition: dict) -> list[dict]:
    """Sequences of the anonymity tests, for the Pyodide replay: each request carries what was shown."""

    def people(count: int, start: int = 0, group: str = "") -> list[dict]:
        return [
            answers_file(definition, answers_of(definition, n), name=f"m{n}.json", member=f"M{n}", group=group)
            for n in range(start, start + count)
        ]

    page = Page(definition)
    page.add(files=people(3, group="commissioner") + people(3, 3, "nhs-provider"))
    link = answers_link(definition, answers_of(definition, 0), name="link 1", member="M0", group="commissioner")
    page.add(links=[link], files=[answers_file(definition, {}, name="blank.json")])
    page.add(files=people(1, 6, "people-and-carers"))
    saved = page.save_round("Spring")["download"]
    page.clear()
    page.add(files=people(7), rounds=[{"name": "spring.json", "text": saved["text"]}])
    page.report()
    page.pack()
    return page.sent
