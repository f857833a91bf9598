"""The browser glue and what it serves agree, checked in CPython without a browser (fast).

Every ``data-action`` a button or file input carries, in the tool template
(macros/templates/assessment.html) or in the HTML Python paints (widgets/report.py's action
plan), has a handler in glue.js's ACTIONS, and every handler there has a control; and every
request kind glue.js sends is one widgets.protocol declares.
"""

from __future__ import annotations

import re
from pathlib import Path

from widgets.protocol import KINDS

ROOT = Path(__file__).resolve().parent.parent
GLUE = (ROOT / "widgets" / "browser" / "glue.js").read_text(encoding="utf-8")


def _handlers() -> set[str]:
    """The keys of glue.js's ``const ACTIONS = { ... };``, at its first level of indentation."""
    body = GLUE.split("const ACTIONS = {\n", 1)[1].split("\n  };\n", 1)[0]
    return set(re.findall(r'^    (?:async )?"?([a-z0-9-]+)"?(?=: |\()', body, re.MULTILINE))


def _controls() -> set[str]:
    template = (ROOT / "macros" / "templates" / "assessment.html").read_text(encoding="utf-8")
    painted = (ROOT / "widgets" / "report.py").read_text(encoding="utf-8")
    return set(re.findall(r'data-action="([a-z0-9-]+)"', template)) | set(re.findall(r'\("(plan-[a-z]+)", "', painted))


def test_every_control_has_a_handler_and_every_handler_a_control() -> None:
    handlers, controls = _handlers(), _controls()
    assert len(handlers) > 20, "ACTIONS was not found in glue.js"
    assert controls - handlers == set(), "controls with no handler in glue.js ACTIONS"
    assert handlers - controls == set(), "handlers in glue.js ACTIONS that no control uses"


def test_every_request_kind_the_glue_sends_is_declared() -> None:
    sent = set(re.findall(r'\bkind: "([a-z_]+)"', GLUE))
    assert sent, "no request kind found in glue.js"
    assert sent - set(KINDS) == set(), "glue.js sends kinds widgets.protocol does not declare"
