"""Choosing among several printings of one statement in a document.

A filing may print this year's statements and, further on, last year's as first issued; an
annual report may print a statement in full and again in a summary. Of the printings of one
statement (same type, same scope) the one whose current period ends latest is reported. When
the headings cannot tell which that is, and the printings' figures for the current period
differ (not one statement printed twice, nor profit or loss beside comprehensive income, which
share the year's profit), the fullest printing is kept but every one of its figures fails a
check and goes to review: a reading of last year's set is a wrong number however well its own
identities hold.
"""

from __future__ import annotations

from ingest.statements.checks import same_amount
from ingest.statements.schemas import Check, Statement

SEVERAL = "one printing of the statement among several"


def choose(printings: list[Statement], decide: bool = True) -> Statement:
    """The printing to report: the latest-ending, else the fullest, in doubt if they differ.

    `decide` False is for pages read as every kind of statement for want of a title: those
    are guesses at which page holds which statement, not printings, so disagreement among
    them is no doubt about the figures of the one chosen."""
    latest = [p for p in printings if not any(_later(o, p) for o in printings)]
    chosen = max(latest, key=_filled)
    rivals = [p for p in latest if not (p is chosen or _agree(chosen, p) or _alike(chosen, p))]
    if not rivals or not decide:
        return chosen
    pages = ", ".join(str(p.pages[0]) for p in sorted(latest, key=lambda p: p.pages[0]))
    doubt = (
        f"the statement is printed more than once (from pages {pages}) with different figures"
        " and the headings do not tell which printing covers the latest period"
    )
    check = Check(name=SEVERAL, ok=False, detail=doubt, items=sorted(chosen.items))
    return chosen.model_copy(
        update={"checks": [*chosen.checks, check], "review": [*chosen.review, doubt]}
    )


def _end(statement: Statement) -> tuple[int, ...] | None:
    """The current period's end as far as its heading prints it: (year, month, day)."""
    period = statement.periods.get("current")
    if period is None or period.end is None:
        return None
    return tuple(int(part) for part in period.end.split("-"))


def _later(one: Statement, other: Statement) -> bool:
    """Whether `one`'s current period surely ends after `other`'s: only as far as both
    headings print the date ("2024" is not known to end after "2024-06-30")."""
    a, b = _end(one), _end(other)
    if a is None or b is None:
        return False
    shared = min(len(a), len(b))
    return a[:shared] > b[:shared]


def _filled(statement: Statement) -> int:
    return sum(1 for f in statement.items.values() if f.current is not None or f.prior is not None)


def _alike(one: Statement, other: Statement) -> bool:
    """Whether two printings report the same current period, as their figures show: most of
    the amounts both print for it are the same (a statement of profit or loss and one of
    comprehensive income share the year's profit; last year's set shares none of this year's)."""
    compared = equal = 0
    for code in one.items.keys() & other.items.keys():
        x, y = one.items[code].current, other.items[code].current
        if x is None or y is None or not (x or y):
            continue
        compared += 1
        equal += same_amount(x, one, y, other)
    return equal > 0 and 2 * equal >= compared


def _agree(one: Statement, other: Statement) -> bool:
    """Whether every figure the two printings share is the same, to the last printed digit of
    either (a summary in millions may round the full statement's thousands)."""
    for code in one.items.keys() & other.items.keys():
        for column in ("current", "prior"):
            x = getattr(one.items[code], column)
            y = getattr(other.items[code], column)
            if x is not None and y is not None and not same_amount(x, one, y, other):
                return False
    return True
