"""The assessment definition: what an author writes in YAML, checked and made into typed objects.

``parse_definition`` reads plain data (from YAML at build time, or from the JSON embedded in
a page in the browser) and either returns an :class:`Assessment` or raises a
:class:`~widgets.errors.DefinitionError` listing every problem found. ``definition_to_data``
writes an assessment back as plain data, from the same declaration of each field (see
``spelling``), so that reading it back gives an equal assessment.

The modules: ``spelling`` (YAML keys, derived allowlists, the writer), ``names`` (what a part
may refer to), ``scales``, ``advice``, ``questions`` (one reader per kind), ``rules`` (verdicts,
flags, row checks, the grid) and ``assessment`` (the top level).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..reader import Reader
from .advice import Advice, Dimension, Link
from .assessment import DEFAULT_GROUP_THRESHOLD, DEFAULT_MIN_ANSWERED, Assessment
from .names import Names
from .questions import COLUMN_KINDS, MAX_ROWS, QUESTION_KINDS, Column, Option, Question
from .rules import Grid, RowCheck, Rule
from .scales import SCORE_MAX, SCORE_MIN, Band, Scale, ScalePoint

__all__ = [
    "COLUMN_KINDS",
    "DEFAULT_GROUP_THRESHOLD",
    "DEFAULT_MIN_ANSWERED",
    "MAX_ROWS",
    "QUESTION_KINDS",
    "SCORE_MAX",
    "SCORE_MIN",
    "Advice",
    "Assessment",
    "Band",
    "Column",
    "Dimension",
    "Grid",
    "Link",
    "Option",
    "Question",
    "RowCheck",
    "Rule",
    "Scale",
    "ScalePoint",
    "definition_to_data",
    "parse_definition",
]


def parse_definition(data: Any, *, pages: Mapping[str, str] | None = None) -> Assessment:
    """Check ``data`` and build the assessment it describes.

    ``pages`` maps each handbook page path (``how/money.md``) to its title. When given,
    every advice link must name one of them, and links without a title get the page's.
    """
    read = Reader()
    assessment = Assessment.from_data(read, data, "", Names(pages=pages))
    read.raise_if_any()
    assert assessment is not None
    return assessment


def definition_to_data(assessment: Assessment) -> dict[str, Any]:
    """The plain-data form of a checked definition, as embedded in a page.

    ``parse_definition(definition_to_data(a))`` gives back an equal assessment: the build
    checks it for every definition before embedding it (macros/assessments.py).
    """
    return assessment.to_data()
