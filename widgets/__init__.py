"""Self-assessments for the partnership handbook: define, check, score, advise and chart.

Standard library only, so the same code runs under CPython at build time and in tests, and
under Pyodide in the reader's browser.
"""

from .definition import Assessment, definition_to_data, parse_definition
from .errors import DefinitionError, Problem
from .scoring import DONT_KNOW, Result, score_answers

__all__ = [
    "DONT_KNOW",
    "Assessment",
    "DefinitionError",
    "Problem",
    "Result",
    "definition_to_data",
    "parse_definition",
    "score_answers",
]
