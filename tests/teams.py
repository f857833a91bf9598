"""A team of seven in three stakeholder groups, two of them groups of two: files, links, rounds.

With the default threshold of 3, the three commissioners are shown, and the two pairs are
folded together into "Other groups" (4). A team of five with a group of two could show no
group at all: the pair's figures would be the team's minus the others'.

Shared by the CPython tests of team workshops and the Pyodide parity run, so both check
the same requests.
"""

from __future__ import annotations

import json

from calls import done, request

from widgets import parse_definition
from widgets.members import FORMAT

TODAY = "2026-12-01"
GROUPS = ["commissioner"] * 3 + ["nhs-provider"] * 2 + ["voluntary-sector"] * 2
FILES, LINKS = range(4), range(4, 7)


def pattern(definition: dict, k: int) -> dict[str, str]:
    """Member k's ratings: commissioners high, providers low, and a split on the first statements."""
    rated = [q["id"] for q in definition["questions"] if q.get("kind", "rating") == "rating"]
    high = k < 3
    return {qid: str((5 if high else 1) if i < 4 else (4 if high else 2)) for i, qid in enumerate(rated)}


def member_file(definition: dict, k: int, answers: dict | None = None) -> dict:
    record = {
        "format": FORMAT,
        "schema": 1,
        "assessment": definition["id"],
        "member": f"Person {k}",
        "group": GROUPS[k],
        "answers": answers or pattern(definition, k),
    }
    return {"name": f"person-{k}.json", "text": json.dumps(record)}


def member_link(definition: dict, k: int, answers: dict | None = None) -> dict:
    answers = answers or pattern(definition, k)
    reply = done("link", definition, answers=answers, member=f"Person {k}", group=GROUPS[k], page="/toolkit/")
    return {"name": f"link from person {k}", "fragment": reply["copy"]["text"].split("#", 1)[1]}


def team_inputs(definition: dict) -> dict:
    """Four members send files and three send links."""
    return {
        "files": [member_file(definition, k) for k in FILES],
        "links": [member_link(definition, k) for k in LINKS],
        "today": TODAY,
        "base": "/",
    }


def without_base(inputs: dict) -> dict:
    return {key: value for key, value in inputs.items() if key != "base"}


def workshop_requests(definition: dict) -> list[dict]:
    inputs = team_inputs(definition)
    plain = without_base(inputs)
    saved = done("save_round", definition, **plain | {"label": "Autumn round", "today": "2026-09-01"})["download"]
    with_round = inputs | {"rounds": [{"name": "autumn.json", "text": saved["text"]}]}
    hostile = inputs | {
        "links": [*inputs["links"], {"name": "<b>cut</b>", "fragment": inputs["links"][0]["fragment"][:-6]}],
        "rounds": [{"name": "deep.json", "text": "[" * 20000}, {"name": "odd.json", "text": '{"format": 1}'}],
    }
    assessment = parse_definition(definition)
    return [
        request("team", definition, **inputs),
        request("team", definition, **with_round),
        request("team", definition, **hostile),
        request("save_round", definition, **plain, label="<script>x</script>"),
        request("workshop", definition, **without_base(with_round), minutes=60, name="Northshire board"),
        request("workshop", definition, **plain, minutes=90),
        request("open_link", definition, fragment=inputs["links"][0]["fragment"]),
        request("open_link", definition, fragment="answers=1.AAAA"),
        request("link", definition, answers={q.id: "3" for q in assessment.rated}),
    ]
