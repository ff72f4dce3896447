"""Totals printed without a label: the amounts alone under a heading and its items.

Hong Kong reports print "流動資產", the current assets, then their sum with no label; private
companies' accounts print "Provision for income tax", its current and deferred parts, then their
sum. Such a line is the heading's total, or the heading's own item. A total printed with its
label is not printed again without one: amounts alone after "Total current assets" and "Total
noncurrent assets" are the total of the section around them ("ASSETS"), and are taken for it
only when they add up totals printed above them.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

from ingest.statements.chart import Item, Kind
from ingest.statements.checks import last_digit
from ingest.statements.labels import match, normalize
from ingest.statements.layout import ROLES, Role, Row, join

_TOTAL = re.compile(r"^total|(合计|总计|总额|总值)$")
MAX_TOTALS = 8  # labelled totals a wider section's sum may be made of (nearest first)


Named = tuple[Row, list[tuple[Item, int]]]  # the heading, and the chart items it names by rank


def heading_of(rows: list[Row], index: int, kind: Kind) -> Named | None:
    """The heading whose total (or item) the unlabelled line of amounts `rows[index]` is, with
    the chart items that total names and their ranks; None when no heading names it."""
    line = rows[index]
    if not line.cells:
        return None
    items = 0
    printed: set[str] = set()  # items the lines walked over name with their own label
    totals: list[Row] = []  # the labelled totals among them
    wider = False  # a heading passed whose total is printed: the line sums a wider section
    for above in reversed(rows[:index]):
        if above.line.page != line.line.page or not above.label:
            return None  # another subtotal, or the heading is on an earlier page
        named = normalize(join(above.label))
        if above.cells:
            items += 1
            printed.update(item.code for item, _ in match(named, kind))
            if _TOTAL.search(named):
                totals.append(above)
            continue
        if not items:
            return None  # amounts right under their label are the label's own
        # Its total by name, else (for the nearest heading only) its own item ("Provision for
        # income tax", then "Current" and "Deferred", then their sum).
        forms = (named + "合计", "total" + named) + (() if wider else (named,))
        matched = next((m for form in forms if (m := match(form, kind))), [])
        if matched and not printed & {item.code for item, _ in matched}:
            return (above, matched) if not wider or adds_up(line, totals) else None
        if not matched and not wider:
            return None
        wider = True
    return None


def adds_up(line: Row, totals: list[Row]) -> bool:
    """Whether some two or more of the `totals` add up to the line's amounts, in every column
    the line prints, to the last printed digit of each term."""
    nearest = totals[:MAX_TOTALS]
    roles = [r for r in ROLES if r in line.cells]
    for size in range(2, len(nearest) + 1):
        for terms in itertools.combinations(nearest, size):
            if all(_sums(line, terms, role) for role in roles):
                return True
    return False


def _sums(line: Row, terms: tuple[Row, ...], role: Role) -> bool:
    if any(role not in t.cells for t in terms):
        return False
    values = [t.cells[role].value for t in terms]
    slack = max(last_digit(v) for v in values) * (len(values) - 1)
    return abs(line.cells[role].value - sum(values, Decimal(0))) <= slack
