"""How long a tool takes: the author's estimate (``minutes:`` in its YAML), or else worked out.

Worked out from its questions, at these seconds per question by kind (a reader's own pace
will vary): a statement to rate is quick, a question with options to read takes longer,
a note or a table to fill in longer still.
The total is rounded up to whole minutes, and above ten minutes to the next five.
"""

from __future__ import annotations

import math

from .definition import Assessment

SECONDS = {"rating": 20, "choice": 45, "choices": 60, "text": 120, "rows": 600}


def minutes(assessment: Assessment) -> int:
    if assessment.minutes:
        return assessment.minutes
    seconds = sum(SECONDS[q.kind] for q in assessment.questions)
    whole = max(1, math.ceil(seconds / 60))
    return whole if whole <= 10 else 5 * math.ceil(whole / 5)


def time_text(assessment: Assessment) -> str:
    """'About 15 minutes (33 statements)': for the toolkit page and the tool itself."""
    count = len(assessment.questions)
    rated = len(assessment.rated)
    what = "statement" if rated == count else "question"
    n = minutes(assessment)
    return f"About {n} minute{'s' if n != 1 else ''} ({count} {what}{'s' if count != 1 else ''})"
