"""What a team tool may show, print or save without letting anyone work out one person's answers.

**Who is a person.** A member is known by what they said: their rated answers, their group
and their name, after the name is normalised (``normal_label``). The same answers sent as a
file, as a link, as a file re-saved with a byte order mark or Windows line endings, or kept
from an earlier visit are one member, however often they come. ``member_id`` is that
identity: a short hash, so a round file can name who it covers without holding answers.

**The rule.** Every figure belongs to a *feature*: an area (``area:<id>``) or a statement
(``statement:<id>``). A figure over a feature is shown only if

1. at least the threshold of distinct members contributed to it (a member who said "don't
   know", or left the area too thin to score, does not contribute), and
2. after adding its set of contributors to the sets already shown for that feature, every
   *cell* has at least the threshold of members: a cell is a set of members who are in
   exactly the same shown sets (the atoms of the sets shown).

The ledger of shown sets covers everything the tool has shown, printed or saved for that
tool on the device (the page keeps it apart from the team's files, so clearing the team view
keeps it), and the sets of every round file added.

**Why this holds.** Every figure is a sum over its contributors, or a function of such sums
(an average, a count of each answer, a spread from sums of squares). Any comparison of
figures a reader can make, adding and subtracting what two views, a view and a round file,
or two round files show, is a sum of shown sums with whole-number weights. Such a sum counts
each member with a weight that depends only on which shown sets they are in, so it is the
same for every member of a cell: it is a combination of cell totals. With every cell of at
least the threshold of people, no sequence of outputs isolates fewer people than that. The
lowest and highest scores are one member's values, but never said to be whose: each could
be any of at least the threshold of people.

The rule cannot protect against the person who collects the files: they can open each one.
It protects the room, the projector, the printed pack and the round files (see the privacy
page, ``docs/about/privacy.md``).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .limits import MAX_LABEL_CHARS

MAX_SHOWN_SETS = 2_000
"""Sets a ledger keeps in all; past this no new figure is shown (it could not be checked)."""
ID_CHARS = 16
"""Hex digits of a member id: 64 bits, so two different members never share one by chance."""
_ID = re.compile(r"^[0-9a-f]{16}$")

# Characters that change direction, join or hide, which a label must never carry: they can
# flip the names after them or make two labels look alike.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean_label(value: object, limit: int = MAX_LABEL_CHARS) -> str:
    """Text from outside, fit to show: no control, invisible or direction characters, one line, cut."""
    if not isinstance(value, str):
        return ""
    text = _CONTROL.sub(" ", _INVISIBLE.sub("", value))
    return " ".join(text.split())[:limit]


def normal_label(value: object) -> str:
    """A name as it identifies a member: cleaned, compatibility-folded and case-folded."""
    return unicodedata.normalize("NFKC", clean_label(value)).casefold()


def member_id(answers: Mapping[str, object], group: str, label: object) -> str:
    """The identity of a member: the same whatever channel their answers came by."""
    canonical = json.dumps(
        {"a": {key: str(answers[key]) for key in sorted(answers)}, "g": group, "m": normal_label(label)},
        ensure_ascii=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()[:ID_CHARS]


def cell_sizes(sets: Iterable[frozenset[str]]) -> list[int]:
    """How many members are in each cell: members in exactly the same sets share one."""
    listed = list(sets)
    signatures = Counter()
    for member in frozenset().union(*listed):
        signatures[tuple(index for index, shown in enumerate(listed) if member in shown)] += 1
    return list(signatures.values())


class LedgerError(ValueError):
    """A ledger that cannot be read; its message names the key."""


@dataclass(slots=True)
class Ledger:
    """The sets of members each feature has been shown over: see the module's rule."""

    threshold: int
    sets: dict[str, list[frozenset[str]]] = field(default_factory=dict)

    def allows(self, feature: str, members: Iterable[str]) -> bool:
        """Whether a figure over ``members`` may be shown, given what has been shown before."""
        chosen = frozenset(members)
        earlier = self.sets.get(feature, [])
        if len(chosen) < self.threshold:
            return False
        if chosen in earlier:
            return True
        if self.size() >= MAX_SHOWN_SETS:
            return False
        return min(cell_sizes([*earlier, chosen])) >= self.threshold

    def show(self, feature: str, members: Iterable[str]) -> bool:
        """``allows``, and if so the set is recorded as shown."""
        chosen = frozenset(members)
        if not self.allows(feature, chosen):
            return False
        earlier = self.sets.setdefault(feature, [])
        if chosen not in earlier:
            earlier.append(chosen)
        return True

    def size(self) -> int:
        return sum(len(sets) for sets in self.sets.values())

    # -- as data: a table of member ids, and each feature's sets as positions in it ----------

    def to_data(self) -> dict[str, Any]:
        ids = sorted(frozenset().union(*(s for sets in self.sets.values() for s in sets)))
        at = {member: index for index, member in enumerate(ids)}
        return {
            "ids": ids,
            "sets": {feature: [sorted(at[m] for m in s) for s in sets] for feature, sets in sorted(self.sets.items())},
        }

    @classmethod
    def from_data(cls, data: object, threshold: int) -> Ledger:
        """A ledger as ``to_data`` wrote it; ``LedgerError`` naming the key if it is not one."""
        if data is None or data == {}:
            return cls(threshold)
        if not isinstance(data, dict) or set(data) - {"ids", "sets"}:
            raise LedgerError("'shown' is not a record of what was shown")
        ids, sets = data.get("ids", []), data.get("sets", {})
        if not isinstance(ids, list) or not all(isinstance(i, str) and _ID.match(i) for i in ids):
            raise LedgerError("'shown.ids' is not a list of member ids")
        if not isinstance(sets, dict):
            raise LedgerError("'shown.sets' is not a mapping")
        ledger = cls(threshold)
        for feature, listed in sets.items():
            where = f"'shown.sets.{clean_label(feature)}'"
            if not isinstance(listed, list):
                raise LedgerError(f"{where} is not a list")
            for positions in listed:
                if not isinstance(positions, list) or not all(type(p) is int and 0 <= p < len(ids) for p in positions):
                    raise LedgerError(f"{where} holds a set that is not a list of positions")
                ledger.sets.setdefault(feature, []).append(frozenset(ids[p] for p in positions))
        if ledger.size() > MAX_SHOWN_SETS:
            raise LedgerError(f"'shown' holds more than {MAX_SHOWN_SETS:,} sets")
        return ledger


def area_feature(area_id: str) -> str:
    return f"area:{area_id}"


def statement_feature(question_id: str) -> str:
    return f"statement:{question_id}"


MEMBERS = "members"
"""The feature of the team as a whole: which members a view is computed over."""
