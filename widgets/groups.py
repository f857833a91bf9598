"""Stakeholder groups in a team view, without ever exposing a small group.

A member may say which group they answer for (commissioner, provider, people who use
services and carers...). The team view then shows each group's area scores side by side
and the largest gaps between groups. Two rules keep small groups safe:

1. A group with fewer than ``threshold`` members (3 unless the assessment says otherwise)
   is never shown alone: it is folded into "Other groups". Members who preferred not to
   say, or gave no group, are folded in there too.
2. "Other groups" is shown only when it has at least ``threshold`` members. When it has
   fewer (but some), the smallest shown group is folded into it as well, and so on, so
   that no one can subtract the shown groups from the team total to recover a small
   group's figures.

Names never appear here: a group view holds counts and averages only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .anonymity import Ledger, area_feature
from .definition import Assessment, Dimension
from .scoring import score_answers

if TYPE_CHECKING:  # members reads a member's group with read_group below
    from .members import Member

NOT_SAID = "not-said"
OTHER = "other"
OTHER_LABEL = "Other groups"
DEFAULT_GROUPS: tuple[tuple[str, str], ...] = (
    ("commissioner", "Commissioner"),
    ("nhs-provider", "NHS provider"),
    ("council-provider", "Council provider"),
    ("voluntary-sector", "Voluntary and community sector"),
    ("people-and-carers", "People who use services and carers"),
    ("frontline", "Frontline staff"),
    ("elected-member", "Elected member"),
    (NOT_SAID, "Prefer not to say"),
)
GAP_TO_REPORT = 10.0
"""Gaps between groups smaller than this many points (out of 100) are not called out."""
MAX_GAPS = 3


@dataclass(frozen=True, kw_only=True, slots=True)
class GroupScores:
    id: str
    label: str
    members: int
    scores: tuple[float | None, ...]
    """The mean of its members' scores for each area, in the assessment's order."""
    folded: tuple[str, ...] = ()
    """For "Other groups": the labels of the groups folded into it."""
    covers: tuple[frozenset[str], ...] = ()
    """For each area, the ids of the members its score comes from (empty where it is withheld)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Gap:
    dimension: Dimension
    low: GroupScores
    high: GroupScores
    points: float

    @property
    def sentence(self) -> str:
        def name(group: GroupScores) -> str:
            return "other groups" if group.id == OTHER else f"the {group.label} group"

        return (
            f"On \u201c{self.dimension.title}\u201d, {name(self.low)} "
            f"{'score' if self.low.id == OTHER else 'scores'} {self.points:g} points lower "
            f"than {name(self.high)}."
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class GroupView:
    groups: tuple[GroupScores, ...]
    """Shown side by side: groups of at least the threshold, then "Other groups" if it may be shown."""
    hidden: int
    """Members counted in the team figures but in no group shown: all of them when no group can be."""
    threshold: int
    gaps: tuple[Gap, ...]

    @property
    def note(self) -> str:
        """What the page says about the rule, in plain words."""
        folded = [label for group in self.groups for label in group.folded]
        text = (
            f"Groups with fewer than {self.threshold} members are never shown on their own, "
            f"so that no one's answers can be picked out."
        )
        if folded:
            text += f" Folded into \u201c{OTHER_LABEL}\u201d: {', '.join(folded)}."
        if self.hidden:
            text += " No group is large enough to be shown: every answer still counts in the team figures."
        return text


def group_labels(declared: Sequence[tuple[str, str]] = ()) -> dict[str, str]:
    """The groups a member can choose from: the assessment's own list, or the default one.

    "Prefer not to say" is always offered, last.
    """
    labels = dict(declared or DEFAULT_GROUPS)
    labels.setdefault(NOT_SAID, "Prefer not to say")
    return labels


def read_group(value: object, labels: Mapping[str, str]) -> str:
    """A member's group id; anything not on the list counts as not said."""
    return value if isinstance(value, str) and value in labels else NOT_SAID


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def group_view(
    assessment: Assessment,
    members: Sequence[Member],
    groups: Mapping[int, str],
    *,
    labels: Mapping[str, str] | None = None,
    threshold: int | None = None,
    ledger: Ledger | None = None,
) -> GroupView:
    """Area scores by group. ``groups`` maps a member's position to its group id.

    The groups and the threshold are the assessment's own unless given. Each group's score
    for an area is shown only as ``ledger`` allows (``widgets.anonymity``), and recorded there.
    """
    labels = labels or group_labels(assessment.groups)
    threshold = threshold or assessment.group_threshold
    ledger = ledger if ledger is not None else Ledger(threshold)
    ids = {member.position: member.id for member in members}
    results = {member.position: score_answers(assessment, member.answers) for member in members}
    by_group: dict[str, list[int]] = {}
    for member in members:
        by_group.setdefault(read_group(groups.get(member.position), labels), []).append(member.position)
    shown = {gid: positions for gid, positions in by_group.items() if gid != NOT_SAID and len(positions) >= threshold}
    rest = [gid for gid in by_group if gid not in shown]

    def rest_size() -> int:
        return sum(len(by_group[gid]) for gid in rest)

    # Rule 2: a remainder too small to show would be the team total minus the groups shown.
    while shown and 0 < rest_size() < threshold:
        smallest = min(shown, key=lambda gid: (len(shown[gid]), list(labels).index(gid)))
        rest.append(smallest)
        del shown[smallest]

    def scored(positions: Sequence[int]) -> dict:
        found, covers = [], []
        for index, dimension in enumerate(assessment.dimensions):
            scored = [p for p in positions if results[p].dimensions[index].score is not None]
            shown = ledger.show(area_feature(dimension.id), (ids[p] for p in scored))
            found.append(_mean([results[p].dimensions[index].score for p in scored]) if shown else None)
            covers.append(frozenset(ids[p] for p in scored) if shown else frozenset())
        return {"scores": tuple(found), "covers": tuple(covers)}

    order = list(labels)
    view = [
        GroupScores(id=gid, label=labels[gid], members=len(shown[gid]), **scored(shown[gid]))
        for gid in sorted(shown, key=order.index)
    ]
    if view and rest_size() >= threshold:  # otherwise the loop above left nothing in the rest
        positions = [p for gid in rest for p in by_group[gid]]
        folded = tuple(labels[gid] for gid in sorted(rest, key=order.index))
        view.append(
            GroupScores(id=OTHER, label=OTHER_LABEL, members=len(positions), folded=folded, **scored(positions))
        )
    hidden = 0 if view else len(members)
    return GroupView(groups=tuple(view), hidden=hidden, threshold=threshold, gaps=_gaps(assessment, view))


def _gaps(assessment: Assessment, view: Sequence[GroupScores]) -> tuple[Gap, ...]:
    found = []
    for index, dimension in enumerate(assessment.dimensions):
        scored = [group for group in view if group.scores[index] is not None]
        if len(scored) < 2:
            continue
        low = min(scored, key=lambda g: g.scores[index])
        high = max(scored, key=lambda g: g.scores[index])
        points = round(high.scores[index] - low.scores[index], 1)
        if points >= GAP_TO_REPORT:
            found.append(Gap(dimension=dimension, low=low, high=high, points=points))
    found.sort(key=lambda gap: -gap.points)
    return tuple(found[:MAX_GAPS])
