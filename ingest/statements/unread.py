"""Statements that may lie on a page OCR could not read in time: their figures are not trusted.

A page left unread may hold the statement's start (its title and first lines, a few pages
before the first page read), its rest (after the last page read, unless its closing line was
read), or another printing of it; whichever, a figure read elsewhere may be the wrong one, or
a subtotal may be missing its items. Each such statement gets a failed check on every figure,
so its figures are halved in confidence and it goes to review.
"""

from __future__ import annotations

from collections.abc import Collection

from ingest.statements.finder import CLOSING, MAX_CONTINUATION
from ingest.statements.schemas import Check, Statement

UNREAD = "every page that may hold a statement read"


def unread(statement: Statement, pages: Collection[int]) -> list[Check]:
    """A failed check naming the unread pages the statement may lie on, if any."""
    first, last = min(statement.pages), max(statement.pages)
    closed = CLOSING.get(statement.type) in statement.items
    before = range(first - MAX_CONTINUATION, last + 1)
    after = range(last + 1, last + 1 + (0 if closed else MAX_CONTINUATION))
    near = [n for n in sorted(pages) if n in before or n in after]
    if not near:
        return []
    named = ", ".join(str(n) for n in near)
    detail = f"page {named} could not be read by OCR in time; the statement may lie there"
    return [Check(name=UNREAD, ok=False, detail=detail, items=sorted(statement.items))]


def flagged(statements: list[Statement], pages: Collection[int]) -> list[Statement]:
    """The statements, each with a failed check if it may lie on an unread page."""
    if not pages:
        return statements
    return [s.model_copy(update={"checks": [*s.checks, *unread(s, pages)]}) for s in statements]
