"""The one place a figure's final confidence is decided, and whether its statement needs review.

A figure starts at how it was read (text layer 0.9, OCR 0.7, less for a label pieced together
from two lines). Then, once every check of its document has run, ties across statements
included:

- a failing check on it (an identity that does not hold, a bound broken, digits printed unlike
  the rest of its column) halves it, and its statement needs review;
- otherwise an identity holding on it to the last digit raises it by 0.08, to 1 at most: two
  independent lines agreeing to the last digit is the best evidence a figure was read right;
- otherwise no identity vouches for it (a bound such as current assets ≤ total assets does not
  count) and it is at most 0.8, however clean the reading;
- when the statement's period columns are in doubt (no heading over the amounts, or headings
  that do not tell the periods apart) every figure is at most 0.5 and the statement needs
  review: a clean reading of the wrong column is still a wrong number. The doubt is also a
  failed check on every figure (`checks.periods`), so that it is stored, shown and has to be
  accepted before the statement is confirmed.
"""

from __future__ import annotations

from ingest.statements.schemas import Statement

PASSED_BONUS = 0.08
UNCHECKED_CAP = 0.8
UNSURE_PERIODS_CAP = 0.5


def settle(statement: Statement) -> Statement:
    """The statement with every figure's final confidence and its need for review."""
    failed = {code for c in statement.checks if not c.ok for code in c.items}
    vouched = {code for c in statement.checks if c.ok and c.relation == "=" for code in c.items}
    items = {}
    for code, figure in statement.items.items():
        confidence = figure.confidence
        if code in failed:
            confidence = confidence / 2
        elif code in vouched:
            confidence = min(1.0, confidence + PASSED_BONUS)
        else:
            confidence = min(confidence, UNCHECKED_CAP)
        if statement.review:
            confidence = min(confidence, UNSURE_PERIODS_CAP)
        items[code] = figure.model_copy(update={"confidence": round(confidence, 3)})
    return statement.model_copy(
        update={"items": items, "needs_review": bool(failed or statement.review)}
    )
