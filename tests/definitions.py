"""Small definitions for tests, built fresh each time so a test can break one safely."""

from __future__ import annotations

import copy
from typing import Any

PAGES = {
    "index.md": "Home",
    "how/money.md": "Money and pooled budgets",
    "who/power-and-trust.md": "Power and trust",
}

_SMALL: dict[str, Any] = {
    "id": "small",
    "title": "A small check",
    "version": 2,
    "scale": "agreement",
    "scales": {
        "agreement": {
            "points": [{"value": v, "label": f"Point {v}"} for v in range(1, 6)],
            "dont_know": "Don't know",
        },
        "yes-no": {"points": [{"value": 0, "label": "No"}, {"value": 1, "label": "Yes"}]},
    },
    "bands": [
        {"id": "strong", "label": "Strong", "from": 75},
        {"id": "developing", "label": "Developing", "from": 50},
        {"id": "attention", "label": "Needs attention", "from": 0},
    ],
    "dimensions": [
        {
            "id": "trust",
            "title": "Trust",
            "advice": {
                "strong": {"text": "Keep it up.", "links": ["who/power-and-trust.md"]},
                "developing": {"text": "Work on it.", "links": []},
                "attention": {"text": "Start here.", "links": [{"page": "how/money.md", "title": "Money"}]},
            },
        },
        {
            "id": "money",
            "title": "Money",
            "advice": {
                "strong": {"text": "Good."},
                "developing": {"text": "Fair."},
                "attention": {"text": "Poor."},
            },
        },
    ],
    "questions": [
        {"id": "t1", "dimension": "trust", "text": "Partners keep their word."},
        {"id": "t2", "dimension": "trust", "text": "Partners share bad news early."},
        {"id": "t3", "dimension": "trust", "text": "Partners meet beforehand to fix a line.", "reverse": True},
        {"id": "t4", "dimension": "trust", "text": "Disagreements are aired openly."},
        {"id": "m1", "dimension": "money", "text": "The budget is pooled.", "scale": "yes-no"},
        {"id": "m2", "dimension": "money", "text": "Spending is reported to every partner."},
    ],
}


def small() -> dict[str, Any]:
    return copy.deepcopy(_SMALL)
