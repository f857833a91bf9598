"""The same requests through widgets under CPython and under real Pyodide (in Node): same replies.

The wheel is the one the site serves, fetched over loopback the way the browser fetches it.
Any attempt to reach another host fails the run rather than falling back to a CDN.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, docs_titles
from definitions import small
from hostile import import_cases

from macros.assessments import load_definition
from widgets import definition_to_data
from widgets.bridge import handle
from widgets.members import FORMAT

pytestmark = pytest.mark.pyodide
RUNNER = ROOT / "tests" / "pyodide" / "run_cases.mjs"


def parity_requests(health_check: dict) -> list[dict]:
    hc_ids = [q["id"] for q in health_check["questions"]]
    requests = []
    for answers in (
        {},
        dict.fromkeys(hc_ids, "5"),
        dict.fromkeys(hc_ids, "1"),
        {qid: str(1 + i % 5) for i, qid in enumerate(hc_ids)},
        {qid: ("dk" if i % 3 == 0 else str(1 + (i * 7) % 5)) for i, qid in enumerate(hc_ids)},
        {qid: "4" for qid in hc_ids[::4]},
        {**dict.fromkeys(hc_ids[:10], "2"), "removed-question": "3", hc_ids[11]: "nine"},
    ):
        requests.append({"action": "score", "definition": health_check, "answers": answers, "base": "/handbook/"})
    small_def = small()
    for answers in (
        {"t1": "4", "t2": "2", "t3": "2", "t4": "5", "m1": "1", "m2": "2"},
        {"t1": "5", "t2": "dk", "t3": "dk", "t4": "dk", "m1": "dk"},
        {"t1": "3", "t2": "3", "t3": "5", "t4": "3", "m1": "0", "m2": "3"},
    ):
        requests.append({"action": "score", "definition": small_def, "answers": answers})
    broken = small()
    broken["questions"][0]["scale"] = "nope"
    requests.append({"action": "score", "definition": broken, "answers": {}})
    requests.append({"action": "nothing"})
    requests += team_requests(health_check)
    requests += hostile_requests(health_check)
    return requests


def hostile_requests(health_check: dict) -> list[dict]:
    """The hostile corpus (tests/hostile.py) file by file, then all at once, then a plain score.

    Before the limits module, the deeply nested files overflowed Pyodide's stack here.
    """
    files = [
        {"name": c.name, "size": len(c.data), "text": c.data.decode("utf-8", "replace")[:1_000_000]}
        for c in import_cases([q["id"] for q in health_check["questions"]])
    ]
    base = {"action": "team", "definition": health_check, "base": "/"}
    return [
        *({**base, "files": [file]} for file in files),
        {**base, "files": files},
        {"action": "score", "definition": health_check, "answers": {health_check["questions"][0]["id"]: "4"}},
    ]


def member(answers: dict, label: str, assessment: str) -> dict:
    record = {"format": FORMAT, "schema": 1, "assessment": assessment, "member": label, "answers": answers}
    return {"name": f"{label}.json", "text": json.dumps(record)}


def team_requests(definition: dict) -> list[dict]:
    ids = [q["id"] for q in definition["questions"]]
    files = [
        member({qid: str(1 + (i + k) % 5) for i, qid in enumerate(ids)}, f"member {k}", definition["id"])
        for k in range(3)
    ] + [
        member(dict.fromkeys(ids, "dk"), "unsure", definition["id"]),
        member({ids[0]: "4"}, "other", "another-assessment"),
        {"name": "broken.json", "text": "{nope"},
        {
            "name": "<img src=x>.json",
            "text": json.dumps(
                {
                    "format": FORMAT,
                    "schema": 1,
                    "assessment": definition["id"],
                    "member": "<script>alert(1)</script>",
                    "answers": {},
                }
            ),
        },
    ]
    base = {"definition": definition, "files": files, "base": "/"}
    filled = {f"area:{d['id']}": {"owner": "=SUM(A1)", "due": "2027-03-01"} for d in definition["dimensions"]}
    return [
        {"action": "team", **base},
        {"action": "export_plan", "format": "csv", "source": "team", "filled": filled, **base},
        {"action": "export_plan", "format": "markdown", "source": "team", "filled": filled, **base},
        {
            "action": "export_plan",
            "format": "csv",
            "definition": definition,
            "answers": {qid: "2" for qid in ids},
            "filled": filled,
        },
    ]


def sample_answers(definition: dict, seed: int) -> dict[str, str]:
    """Answers of every kind for a definition: ratings, "don't know", options, notes and rows."""
    answers: dict[str, str] = {}
    for i, question in enumerate(definition["questions"]):
        kind = question.get("kind", "rating")
        if kind == "rating":
            answers[question["id"]] = "dk" if (i + seed) % 6 == 0 else str(1 + (i * (seed + 2)) % 5)
        elif kind == "choice":
            options = question["options"]
            answers[question["id"]] = options[(i + seed) % len(options)]["value"]
        elif kind == "choices":
            answers[question["id"]] = [o["value"] for o in question["options"]][: 1 + seed]
        elif kind == "text":
            answers[question["id"]] = f"A note <em>{seed}</em> & more"
        else:
            for row in range(3 + seed):
                for column in question["columns"]:
                    key = f"{question['id']}.{row}.{column['id']}"
                    if column.get("kind") == "choice":
                        answers[key] = column["options"][(row + seed) % len(column["options"])]["value"]
                    else:
                        answers[key] = f"Row {row} <b>{seed}</b>"
    return answers


def every_assessment_requests() -> list[dict]:
    """Answers of every kind for every assessment in the repository, so every tool is compared."""
    requests = []
    for file in sorted((ROOT / "assessments").glob("*.yml")):
        definition = definition_to_data(load_definition(file, pages=docs_titles()))
        for seed in range(3):
            requests.append({"action": "score", "definition": definition, "answers": sample_answers(definition, seed)})
        if any(q.get("kind", "rating") == "rating" for q in definition["questions"]):
            requests += team_requests(definition)[:2]
    return requests


def run_in_pyodide(tmp_path: Path, wheel_url: str, requests: list[dict], packages: list[str] = ()) -> dict:
    node = shutil.which("node")
    assert node, "Node.js is needed for the Pyodide tests"
    source, target = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(json.dumps({"wheel": wheel_url, "requests": requests, "packages": list(packages)}))
    done = subprocess.run([node, str(RUNNER), str(source), str(target)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(target.read_text())


@pytest.fixture(scope="module")
def wheel_url(site) -> str:
    runtime = json.loads((site.root / "assets" / "widgets" / "runtime.json").read_text())
    return site.page(f"assets/widgets/{runtime['wheel']}")


def test_pyodide_gives_the_same_replies_as_cpython(tmp_path, wheel_url, health_check_data):
    requests = parity_requests(health_check_data) + every_assessment_requests()
    outcome = run_in_pyodide(tmp_path, wheel_url, requests)
    assert outcome["blocked"] == []
    assert outcome["load_errors"] == []
    assert outcome["python"].startswith("3.14"), outcome["python"]
    assert "site-packages" in outcome["where"]  # installed from the wheel, not the source tree
    expected = [json.loads(handle(json.dumps(request))) for request in requests]
    assert len(outcome["replies"]) == len(expected)
    for index, (got, want) in enumerate(zip(outcome["replies"], expected, strict=True)):
        assert got == want, f"request {index} differs"
    # The cases cover real results, "don't know", ignored answers and refusals.
    assert {reply["ok"] for reply in expected} == {True, False}
    assert any(reply["ok"] and reply["result"]["ignored"] for reply in expected)


def test_a_package_missing_from_the_site_fails_instead_of_reaching_a_cdn(tmp_path, wheel_url):
    # micropip is not in the npm copy of Pyodide: Node would fetch it from a CDN.
    outcome = run_in_pyodide(tmp_path, wheel_url, [], packages=["micropip"])
    assert outcome["blocked"], "expected the fallback request to be blocked"
    assert all("127.0.0.1" not in url for url in outcome["blocked"])
    assert outcome["load_errors"]
