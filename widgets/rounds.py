"""Rounds over time: a team result kept as a small file, and the change since earlier rounds.

"Save this round" writes what a team found on one date: its label, how many took part in
each group shown (by the same rule as the group view, so a small group is never named),
the team's area scores and, for each statement, how many chose each answer: only the
figures the team view could show (``widgets.anonymity``), and never for fewer members than
the threshold. It holds no names and no answers; it names who each figure covers by member
id only (a hash of what they said), so that a later view can refuse to be compared with it
in a way that singles someone out. Adding earlier rounds beside the current files shows the
change per area and per statement, and from three rounds a trend chart.

A reader's own result, saved to compare next time, is a different kind of file
(``RESULT_FORMAT``): it is one person's, so a team view never takes it.

Reading a round file never trusts it: anything malformed, for another tool, oversized or
odd is refused with a reason, as answers files are.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field

from .anonymity import ID_CHARS, MEMBERS, area_feature, clean_label, statement_feature
from .definition import SCORE_MAX, Assessment
from .groups import GroupView
from .html import NOTHING, Markup, cell, concat, figure_text, row_header, table, tag
from .limits import LimitError, loads
from .team import TeamResult

ROUND_FORMAT = "partnership-handbook/round"
ROUND_SCHEMA = 2
"""Schema 1 rounds named no members, so could not be checked against other views: refused."""
RESULT_FORMAT = "partnership-handbook/my-result"
RESULT_SCHEMA = 1
MAX_ROUNDS = 12
SAME_WITHIN = 0.05
"""Changes smaller than this (points, or rating points per statement) count as "same"."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Round:
    label: str
    date: dt.date
    members: int
    groups: tuple[tuple[str, int], ...]
    """(group label, members) for each group the group view showed; empty if none."""
    areas: Mapping[str, float | None]
    """Team score per area id."""
    statements: Mapping[str, float | None]
    """Mean rating per rated statement id (don't know and unanswered left out)."""
    counts: Mapping[str, Mapping[str, int]]
    """Per statement: how many chose each scale value, and "dk"."""
    covers: Mapping[str, frozenset[str]] = dc_field(default_factory=dict)
    """Who each figure comes from, by member id: ``members`` for the whole round, then one per feature."""

    @property
    def key(self) -> str:
        """The same for the same round, however its file was re-saved."""
        return json.dumps(
            [self.label, self.date.isoformat(), self.members, dict(self.areas), dict(self.statements)],
            sort_keys=True,
        ) + json.dumps({k: sorted(v) for k, v in sorted(self.covers.items())})


def make_round(team: TeamResult, view: GroupView | None, label: object, on: dt.date) -> Round:
    """What a round file holds: the figures ``team`` shows, and whom each covers."""
    statements, counts = {}, {}
    covers = {MEMBERS: frozenset(m.id for m in team.members)}
    for spread in team.statements:
        if spread.withheld:
            continue
        total = sum(spread.counts.values())
        weighted = sum(value * count for value, count in spread.counts.items())
        statements[spread.question.id] = round(weighted / total, 2) if total else None
        counts[spread.question.id] = {**{str(v): c for v, c in spread.counts.items()}, "dk": spread.dont_know}
        covers[statement_feature(spread.question.id)] = spread.contributors
    for d in team.dimensions:
        if d.score is not None:
            covers[area_feature(d.dimension.id)] = d.contributors
    return Round(
        label=clean_label(label) or f"Round of {on.day} {on:%B %Y}",
        date=on,
        members=len(team.members),
        groups=tuple((group.label, group.members) for group in view.groups) if view else (),
        areas={d.dimension.id: d.score for d in team.dimensions if d.score is not None},
        statements=statements,
        counts=counts,
        covers=covers,
    )


def round_file(assessment: Assessment, saved: Round) -> dict:
    """A team's round as the file a facilitator downloads: ``{"filename": ..., "text": ...}``."""
    ids = sorted(saved.covers.get(MEMBERS, frozenset()))
    at = {member: index for index, member in enumerate(ids)}
    record = {
        "format": ROUND_FORMAT,
        "schema": ROUND_SCHEMA,
        "assessment": assessment.id,
        "version": assessment.version,
        "label": saved.label,
        "date": saved.date.isoformat(),
        "members": saved.members,
        "groups": [{"label": label, "members": count} for label, count in saved.groups],
        "areas": dict(saved.areas),
        "statements": dict(saved.statements),
        "counts": {qid: dict(c) for qid, c in saved.counts.items()},
        "ids": ids,
        "covers": {f: sorted(at[m] for m in s) for f, s in sorted(saved.covers.items()) if f != MEMBERS},
    }
    return {"filename": f"{assessment.id}-round-{saved.date.isoformat()}.json", "text": json.dumps(record, indent=1)}


def result_file(assessment: Assessment, saved: Round) -> dict:
    """A reader's own result, to compare with next time: never a team's round."""
    record = {
        "format": RESULT_FORMAT,
        "schema": RESULT_SCHEMA,
        "assessment": assessment.id,
        "version": assessment.version,
        "label": saved.label,
        "date": saved.date.isoformat(),
        "areas": dict(saved.areas),
        "statements": dict(saved.statements),
    }
    name = f"{assessment.id}-my-result-{saved.date.isoformat()}.json"
    return {"filename": name, "text": json.dumps(record, indent=1)}


class RoundRefused(ValueError):
    pass


_ID = re.compile(f"^[0-9a-f]{{{ID_CHARS}}}$")


def _number(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= SCORE_MAX:
        raise RoundRefused("its figures are not in the expected form")
    return float(value)


def _date_and_label(data: dict) -> tuple[dt.date, str]:
    try:
        on = dt.date.fromisoformat(data.get("date")) if isinstance(data.get("date"), str) else None
    except ValueError:
        on = None
    if on is None:
        raise RoundRefused("its date is not in the expected form")
    return on, clean_label(data.get("label")) or f"Round of {on.day} {on:%B %Y}"


def _figures(assessment: Assessment, data: dict) -> tuple[dict, dict]:
    areas, statements = data.get("areas"), data.get("statements")
    if not (isinstance(areas, dict) and isinstance(statements, dict)):
        raise RoundRefused("its figures are not in the expected form")
    known_areas = {d.id for d in assessment.dimensions}
    known_statements = {q.id for q in assessment.rated}
    return (
        {k: _number(v) for k, v in areas.items() if k in known_areas},
        {k: _number(v) for k, v in statements.items() if k in known_statements},
    )


def _covers(data: dict, members: int) -> dict[str, frozenset[str]]:
    ids, covers = data.get("ids"), data.get("covers")
    if not (isinstance(ids, list) and len(ids) == members and isinstance(covers, dict)):
        raise RoundRefused("it does not say whom its figures cover")
    if not all(isinstance(i, str) and _ID.match(i) for i in ids) or len(set(ids)) != len(ids):
        raise RoundRefused("it does not say whom its figures cover")
    found = {MEMBERS: frozenset(ids)}
    for feature, positions in covers.items():
        if not isinstance(positions, list) or not all(type(p) is int and 0 <= p < len(ids) for p in positions):
            raise RoundRefused("it does not say whom its figures cover")
        found[feature] = frozenset(ids[p] for p in positions)
    return found


def read_round(assessment: Assessment, source: str, text: object, *, threshold: int | None = None) -> Round:
    """A team's round from the text of a file, or RoundRefused with a reason a reader can act on.

    A round of fewer members than ``threshold``, or one that does not name whom its figures
    cover, is refused: it could give away one person's answers.
    """
    threshold = threshold or assessment.group_threshold
    data = _record(text, "a round file")
    if data.get("format") == RESULT_FORMAT:
        raise RoundRefused(
            "it is one person\u2019s saved result, not a team\u2019s round, so a team view never shows it"
        )
    if data.get("format") != ROUND_FORMAT:
        raise RoundRefused("it is not a round file from this handbook")
    if data.get("schema") == 1:
        raise RoundRefused(
            "it was saved by an earlier version of the handbook that did not record whom its figures cover; "
            "save the round again from the team\u2019s files"
        )
    if data.get("schema") != ROUND_SCHEMA:
        raise RoundRefused("it was saved in a format this version of the handbook does not read")
    _same_tool(assessment, data)
    on, label = _date_and_label(data)
    members, groups = data.get("members"), data.get("groups")
    if not isinstance(members, int) or isinstance(members, bool) or not 0 < members <= 10_000:
        raise RoundRefused("its number of members is not in the expected form")
    if members < threshold:
        raise RoundRefused(f"it covers {members} people, fewer than the {threshold} a team figure needs")
    if not isinstance(groups, list):
        raise RoundRefused("its figures are not in the expected form")
    read_groups = []
    for group in groups[:20]:
        count = group.get("members") if isinstance(group, dict) else None
        if not isinstance(count, int) or isinstance(count, bool) or not threshold <= count <= members:
            raise RoundRefused("its groups are not in the expected form")
        read_groups.append((clean_label(group.get("label")) or "A group", count))
    counts = data.get("counts", {})
    if not isinstance(counts, dict):
        raise RoundRefused("its figures are not in the expected form")
    read_counts = {}
    for qid, tally in counts.items():
        ok = isinstance(tally, dict) and all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= members
            for k, v in tally.items()
        )
        if not ok:
            raise RoundRefused("its figures are not in the expected form")
        read_counts[qid] = dict(tally)
    areas, statements = _figures(assessment, data)
    return Round(
        label=label,
        date=on,
        members=members,
        groups=tuple(read_groups),
        areas=areas,
        statements=statements,
        counts={k: v for k, v in read_counts.items() if k in statements},
        covers=_covers(data, members),
    )


def read_result(assessment: Assessment, source: str, text: object) -> Round:
    """A reader's own saved result (or a round file saved by one person before results had their own kind)."""
    data = _record(text, "a saved result")
    old_own_round = data.get("format") == ROUND_FORMAT and data.get("schema") == 1 and data.get("members") == 1
    if not old_own_round and (data.get("format") != RESULT_FORMAT or data.get("schema") != RESULT_SCHEMA):
        raise RoundRefused("it is not a result saved from this tool")
    _same_tool(assessment, data)
    on, label = _date_and_label(data)
    areas, statements = _figures(assessment, data)
    return Round(label=label, date=on, members=1, groups=(), areas=areas, statements=statements, counts={})


def _record(text: object, what: str) -> dict:
    if not isinstance(text, str):
        raise RoundRefused("it could not be read as text")
    try:
        data = loads(text)
    except LimitError as error:
        raise RoundRefused(f"{error}, so it is not {what}") from None
    except ValueError:
        raise RoundRefused(f"it is not {what} from this handbook (it is not valid JSON)") from None
    if not isinstance(data, dict):
        raise RoundRefused(f"it is not {what} from this handbook")
    return data


def _same_tool(assessment: Assessment, data: dict) -> None:
    if data.get("assessment") != assessment.id:
        raise RoundRefused(f"it is from '{clean_label(data.get('assessment'))}', not from '{assessment.title}'")


# -- change between rounds --------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Change:
    label: str
    before: float | None
    after: float | None

    @property
    def points(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 2)

    @property
    def direction(self) -> str:
        points = self.points
        if points is None:
            return "not comparable"
        if abs(points) < SAME_WITHIN:
            return "same"
        return "up" if points > 0 else "down"

    @property
    def words(self) -> str:
        points = self.points
        if points is None:
            return "Not comparable: too few answers in one of the rounds"
        if self.direction == "same":
            return "No change"
        return f"{'Up' if points > 0 else 'Down'} {abs(points):g}"


def compare(assessment: Assessment, earlier: Round, later: Round) -> tuple[tuple[Change, ...], tuple[Change, ...]]:
    """Per area and per statement, from ``earlier`` to ``later``, in the assessment's order."""
    areas = tuple(
        Change(label=d.title, before=earlier.areas.get(d.id), after=later.areas.get(d.id))
        for d in assessment.dimensions
    )
    statements = tuple(
        Change(label=q.text, before=earlier.statements.get(q.id), after=later.statements.get(q.id))
        for q in assessment.rated
    )
    return areas, statements


def in_order(rounds: Sequence[Round]) -> list[Round]:
    return sorted(rounds, key=lambda r: (r.date, r.label))[-MAX_ROUNDS:]


# -- the trend chart --------------------------------------------------------------------

# Drawn 360 units wide, as the bar chart is, so that its 14-unit text stays at least 12 px
# on a 390 px phone, where the chart is about 330 px wide.
TREND_WIDTH = 360
TREND_HEIGHT = 220
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 34, 350, 12, 186
MAX_DATE_LABELS = 5


def trend_chart(assessment: Assessment, rounds: Sequence[Round], *, chart_id: str) -> Markup:
    """A line per area across rounds, as SVG; empty text with fewer than three rounds."""
    rounds = in_order(rounds)
    if len(rounds) < 3:
        return NOTHING
    step = (PLOT_RIGHT - PLOT_LEFT) / (len(rounds) - 1)

    def xy(index: int, score: float) -> str:
        y = PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * score / SCORE_MAX
        return f"{PLOT_LEFT + step * index:.1f},{y:.1f}"

    parts = [
        tag(
            "title",
            f"Area scores across {len(rounds)} rounds; the table below gives the figures",
            id=f"{chart_id}-title",
        )
    ]
    for tick in range(0, int(SCORE_MAX) + 1, 25):
        y = PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * tick / SCORE_MAX
        parts.append(tag("line", class_="chart-grid", x1=PLOT_LEFT, x2=PLOT_RIGHT, y1=f"{y:.1f}", y2=f"{y:.1f}"))
        parts.append(tag("text", tick, class_="chart-axis", x=PLOT_LEFT - 8, y=f"{y + 4:.1f}", text_anchor="end"))
    # At most MAX_DATE_LABELS dates fit under the axis at 360 units wide: the first, the last,
    # and evenly spaced ones between; the table below the chart gives every date.
    last = len(rounds) - 1
    every = -(-last // (MAX_DATE_LABELS - 1)) if len(rounds) > MAX_DATE_LABELS else 1
    dated = {0, last} | {i for i in range(0, last, every) if last - i >= every}
    for index, item in enumerate(rounds):
        if index not in dated:
            continue
        # The first and last dates are anchored inside the drawing, so neither is cut off.
        anchor = "start" if index == 0 else "end" if index == len(rounds) - 1 else "middle"
        parts.append(
            tag(
                "text",
                item.date.strftime("%b %Y"),
                class_="chart-axis",
                x=f"{PLOT_LEFT + step * index:.1f}",
                y=PLOT_BOTTOM + 22,
                text_anchor=anchor,
            )
        )
    for number, dimension in enumerate(assessment.dimensions):
        points = [(i, r.areas.get(dimension.id)) for i, r in enumerate(rounds)]
        known = [xy(i, s) for i, s in points if s is not None]
        if len(known) >= 2:
            parts.append(
                tag(
                    "polyline",
                    tag("title", dimension.title),
                    class_=f"trend-line trend-line-{number % 6}",
                    fill="none",
                    points=" ".join(known),
                )
            )
    return tag(
        "svg",
        parts,
        class_="result-chart trend-chart",
        viewBox=f"0 0 {TREND_WIDTH} {TREND_HEIGHT}",
        role="img",
        aria_labelledby=f"{chart_id}-title",
        xmlns="http://www.w3.org/2000/svg",
    )


def _took_part(saved: Round) -> str:
    groups = ", ".join(f"{label} {n}" for label, n in saved.groups)
    return f"{saved.members} ({groups})" if groups else f"{saved.members}"


def trend_table(assessment: Assessment, rounds: Sequence[Round]) -> Markup:
    """The chart's figures as a table: one row per area, one column per round."""
    rounds = in_order(rounds)
    head = ["Area", *(concat(r.label, tag("br"), f"{r.date.day} {r.date:%B %Y}") for r in rounds)]
    rows = [
        [row_header(d.title), *(cell(figure_text(r.areas.get(d.id)), r.label) for r in rounds)]
        for d in assessment.dimensions
    ]
    rows.append([row_header("Who took part"), *(cell(_took_part(r), r.label) for r in rounds)])
    return table(head, rows, caption="Area scores out of 100, by round", class_="trend-table hb-stack")
