"""The same requests through widgets under CPython and under real Pyodide (in Node): same replies.

Pyodide runs on the zip the site serves (the trimmed, precompiled standard library with
`widgets` inside), fetched over loopback the way the browser fetches it.
Any attempt to reach another host fails the run rather than falling back to a CDN.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import golden
import pytest
from adversaries import anonymity_requests
from browsing import runtime_info
from calls import done, request, send
from conftest import ROOT, docs_titles
from definitions import small
from hostile import import_cases
from teams import workshop_requests

from macros.assessments import load_definition
from widgets import DefinitionError, definition_to_data, parse_definition, score_answers
from widgets.members import FORMAT

pytestmark = pytest.mark.pyodide
RUNNER = ROOT / "tests" / "pyodide" / "run_cases.mjs"
# importlib.util.MAGIC_NUMBER of Python 3.14 (3627, then \\r\\n); the host's 3.11 writes 3495.
MAGIC_3_14 = (3627).to_bytes(2, "little") + b"\r\n"


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
        requests.append(request("score", health_check, answers=answers, base="/handbook/"))
    small_def = small()
    for answers in (
        {"t1": "4", "t2": "2", "t3": "2", "t4": "5", "m1": "1", "m2": "2"},
        {"t1": "5", "t2": "dk", "t3": "dk", "t4": "dk", "m1": "dk"},
        {"t1": "3", "t2": "3", "t3": "5", "t4": "3", "m1": "0", "m2": "3"},
    ):
        requests.append(request("score", small_def, answers=answers))
    broken = small()
    broken["questions"][0]["scale"] = "nope"
    requests.append(request("score", broken, answers={}))
    requests.append({"kind": "nothing"})
    requests.append({"kind": "score", "hash": "0" * 64, "answers": {}})  # a definition never sent
    requests += team_requests(health_check)
    requests += workshop_requests(health_check)
    requests += issue_11_requests(health_check)
    requests += hostile_requests(health_check)
    requests += anonymity_requests(health_check)  # the adversarial sequences, what was shown carried along
    return requests


def issue_11_requests(health_check: dict) -> list[dict]:
    """Priorities (ties, all weak, none weak), reports, the reasons behind decisions and rows files."""
    from test_plan import five_areas, ratings

    requests = []
    for pairs in (
        {1: ("2", "2"), 2: ("1", "1"), 3: ("2", "3"), 4: ("1", "2"), 5: ("3", "3")},  # all weak: three shown
        {1: ("1", "4"), 2: ("5", "5"), 3: ("2", "3"), 4: ("5", "5"), 5: ("5", "5")},  # a tie
        {n: ("5", "4") for n in range(1, 6)},  # none weak
    ):
        requests.append(request("score", five_areas(), answers=ratings(pairs)))
    hc_ids = [q["id"] for q in health_check["questions"]]
    answers = {qid: str(1 + i % 5) for i, qid in enumerate(hc_ids)}
    filled = {"area:trust": {"owner": "Chair", "due": "2027-01-15", "agreed": "A <b>workshop</b>"}}
    requests += [
        request("report", health_check, answers=answers, filled=filled, name="Eastbury board", today="2026-12-01"),
        request("report", health_check, answers=answers, filled=filled, only="plan", today="2027-02-28"),
    ]
    team = team_requests(health_check)[0]
    team.pop("base")
    requests.append(team | {"kind": "report", "source": "team", "today": "2026-12-01", "filled": filled})
    aid = definition_to_data(load_definition(ROOT / "assessments" / "is-it-necessary.yml", pages=docs_titles()))
    choices = {"purpose-now": "gone", "needs-partners": "single", "difference": "no-change", "cost": "heavy"}
    choices |= {"overlap": "much", "meetings": "updates", "if-stopped": "hardly"}
    requests.append(request("score", aid, answers=choices))
    requests.append(request("report", aid, answers=choices, today="2026-12-01"))
    stake = definition_to_data(load_definition(ROOT / "assessments" / "stakeholder-map.yml", pages=docs_titles()))
    rows = {"stakeholders.0.name": "Council", "stakeholders.0.group": "statutory", "stakeholders.1.name": "Carers"}
    exported = done("rows_export", stake, answers=rows)["download"]
    files = [{"name": "a.json", "text": exported["text"]}, {"name": "b.json", "text": "{nope"}]
    requests += [
        request("rows_export", stake, answers=rows),
        request("rows_import", stake, answers={"stakeholders.0.name": "Police"}, files=files),
        request("rows_import", stake, answers=rows, files=files),
    ]
    return requests


def hostile_requests(health_check: dict) -> list[dict]:
    """The hostile corpus (tests/hostile.py) file by file, then all at once, then a plain score.

    Before the limits module, the deeply nested files overflowed Pyodide's stack here.
    """
    files = [
        {"name": c.name, "size": len(c.data), "text": c.data.decode("utf-8", "replace")[:1_000_000]}
        for c in import_cases([q["id"] for q in health_check["questions"]])
    ]
    return [
        *(request("team", health_check, base="/", files=[file]) for file in files),
        request("team", health_check, base="/", files=files),
        request("score", health_check, answers={health_check["questions"][0]["id"]: "4"}),
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
    filled = {f"area:{d['id']}": {"owner": "=SUM(A1)", "due": "2027-03-01"} for d in definition["dimensions"]}
    return [
        request("team", definition, files=files, base="/"),
        request("export_plan", definition, format="csv", source="team", filled=filled, files=files),
        request("export_plan", definition, format="markdown", source="team", filled=filled, files=files),
        request("export_plan", definition, format="csv", answers={qid: "2" for qid in ids}, filled=filled),
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
            requests.append(request("score", definition, answers=sample_answers(definition, seed)))
        if any(q.get("kind", "rating") == "rating" for q in definition["questions"]):
            requests += team_requests(definition)[:2]
    return requests


def run_in_pyodide(
    tmp_path: Path, stdlib_url: str | None, requests: list[dict], packages: list[str] = (), modules: list[str] = ()
) -> dict:
    node = shutil.which("node")
    assert node, "Node.js is needed for the Pyodide tests"
    source, target = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(
        json.dumps({"stdlib": stdlib_url, "requests": requests, "packages": list(packages), "modules": list(modules)})
    )
    done = subprocess.run([node, str(RUNNER), str(source), str(target)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(target.read_text())


@pytest.fixture(scope="module")
def runtime(site) -> dict:
    return runtime_info(site.root)


@pytest.fixture(scope="module")
def stdlib_url(site, runtime) -> str:
    return site.page(f"assets/widgets/{runtime['stdlib']}")


def test_pyodide_gives_the_same_replies_as_cpython(tmp_path, stdlib_url, health_check_data):
    golden_cases = golden.cases()
    requests = parity_requests(health_check_data) + every_assessment_requests()
    outcome = run_in_pyodide(tmp_path, stdlib_url, requests + [case.request for case in golden_cases])
    # The golden corpus, replayed here: Pyodide's output must match the same files.
    for case, reply in zip(golden_cases, outcome["replies"][len(requests) :], strict=True):
        golden.compare(case, golden.output(reply), update=False)
    outcome["replies"] = outcome["replies"][: len(requests)]
    assert outcome["blocked"] == []
    assert outcome["load_errors"] == []
    assert outcome["python"].startswith("3.14"), outcome["python"]
    assert outcome["where"] == "/lib/python314.zip/widgets/__init__.pyc"  # precompiled, from the site's zip
    expected = [send(sent) for sent in requests]
    assert len(outcome["replies"]) == len(expected)
    for index, (got, want) in enumerate(zip(outcome["replies"], expected, strict=True)):
        assert got == want, f"request {index} differs"
    # The cases cover results, files, refusals, a definition to send again, and ignored answers.
    effects = {effect for reply in expected for effect in reply}
    assert {"paint", "keep", "download", "copy", "print", "offer", "answers", "resend", "say"} <= effects
    assert any(set(reply) == {"say"} for reply in expected)  # a failure
    assert any(ignored_answers(sent) for sent in requests if sent.get("kind") == "score" and "definition" in sent)


def ignored_answers(sent: dict) -> tuple[str, ...]:
    """The answers a score request holds that fit no question, worked out under CPython."""
    try:
        assessment = parse_definition(json.loads(sent["definition"]))
    except DefinitionError:
        return ()
    return score_answers(assessment, sent["answers"]).ignored


def test_a_package_missing_from_the_site_fails_instead_of_reaching_a_cdn(tmp_path):
    # micropip is not in the npm copy of Pyodide: Node would fetch it from a CDN. Loading a
    # package needs modules the site's trimmed zip leaves out, so this runs on Pyodide's own.
    outcome = run_in_pyodide(tmp_path, None, [], packages=["micropip"])
    assert outcome["blocked"], "expected the fallback request to be blocked"
    assert all("127.0.0.1" not in url for url in outcome["blocked"])
    assert outcome["load_errors"]


def widgets_imports() -> list[str]:
    """Every module `widgets` imports (read from its source), and every widgets module itself."""
    names = set()
    for file in sorted((ROOT / "widgets").rglob("*.py")):  # subpackages too (widgets.definition)
        names.add(".".join(file.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"))
        for node in ast.walk(ast.parse(file.read_text())):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module != "__future__":
                names.add(node.module)
    return sorted(names)


def test_the_site_runs_the_trimmed_precompiled_standard_library(site, runtime):
    """What the reader gets: .pyc files only, compiled by Python 3.14, stored for brotli to work on."""
    assert runtime["mode"] == "trimmed"
    with zipfile.ZipFile(site.root / "assets" / "widgets" / runtime["stdlib"]) as bundle:
        infos = bundle.infolist()
        names = {info.filename for info in infos}
        assert {"widgets/bridge.pyc", "widgets/definition/questions.pyc", "json/__init__.pyc"} <= names
        assert {"encodings/utf_8.pyc", "_pyodide/_base.pyc"} <= names
        assert all(name.endswith(".pyc") for name in names)
        assert {info.compress_type for info in infos} == {zipfile.ZIP_STORED}
        # The magic number of the Python inside Pyodide (3.14), not the host's.
        magic = {bundle.read(name)[:4] for name in names}
    assert magic == {MAGIC_3_14}
    assert len(names) < 300  # the stock zip has over 600 files


def test_widgets_and_start_up_need_no_module_that_the_trimmed_zip_lacks(tmp_path, stdlib_url, health_check_data):
    """Import every module widgets names, and run every action, on the zip alone."""
    modules = widgets_imports()
    assert {"widgets.bridge", "json", "csv", "statistics"} <= set(modules)
    outcome = run_in_pyodide(tmp_path, stdlib_url, parity_requests(health_check_data), modules=modules)
    assert outcome["unimportable"] == []
    assert {sent["kind"] for sent in parity_requests(health_check_data)} >= {"score", "team", "export_plan"}
    assert all("ModuleNotFoundError" not in json.dumps(reply) for reply in outcome["replies"])
    # The check can fail: a module the zip lacks is reported.
    outcome = run_in_pyodide(tmp_path, stdlib_url, [], modules=["sqlite3", "email.message"])
    assert [line.split(":")[0] for line in outcome["unimportable"]] == ["sqlite3", "email.message"]
