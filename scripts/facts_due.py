"""List the dated facts whose review date has come: `make facts-due` (or `--on 2027-06-01`).

Reads sources/facts/*.yml and sources/references.json as the build does, and prints one
line per fact that is due, the most overdue first. Exits 0 whether or not any are due.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from macros.sources import FACTS_DIR, REFERENCES_FILE, SourcesError, facts_due, format_date, read_facts, read_references
from scripts.localsite import ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--on", type=dt.date.fromisoformat, default=dt.date.today(), help="the date to check against")
    options = parser.parse_args(argv)
    try:
        topics = read_facts(ROOT / FACTS_DIR, read_references(ROOT / REFERENCES_FILE), ROOT)
    except SourcesError as error:
        print(error, file=sys.stderr)
        return 1
    due = facts_due(topics, options.on)
    total = sum(len(topic.facts) for topic in topics)
    print(f"{len(due)} of {total} facts are due for review on {format_date(options.on)}.")
    for fact in due:
        print(f"- {fact.id} (review by {format_date(fact.review_by)}, as at {format_date(fact.as_at)}): {fact.file}")
        print(f"  source: {fact.source.url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
