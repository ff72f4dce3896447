"""Confirmed statement figures of one scope in yuan, with each one's months and source.

Which statement a year's figure comes from is described with the profile's invariants
(`ingest.profile`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from ingest.credit_periods import FLOWS
from ingest.credit_schemas import Figures, FlowMonths
from ingest.method_schemas import FigureSource
from storage.models import Document, Statement, StatementStatus


def confirmed_statements(
    session: Session, customer_id: uuid.UUID, visible: ColumnElement[bool]
) -> list[Statement]:
    """The customer's confirmed statements from visible documents."""
    query = (
        select(Statement)
        .join(Document, Document.id == Statement.document_id)
        .options(selectinload(Statement.figures))
        .where(
            Statement.customer_id == customer_id,
            Statement.status == StatementStatus.confirmed,
            visible,
        )
    )
    return list(session.scalars(query))


class Confirmed(NamedTuple):
    """Confirmed figures in yuan of one scope, the months each flow among them covers, where
    each was read and the items printed blank."""

    figures: Figures
    flow_months: FlowMonths
    scope: str | None
    sources: dict[int, dict[str, FigureSource]]
    blanks: dict[int, list[str]]


_Rank = tuple[int, int, str, float]


def rating_scope(statements: Iterable[Statement]) -> str | None:
    """Consolidated when any statement is; else parent-company, else a single company's."""
    scopes = {statement.scope for statement in statements}
    return next((s for s in ("consolidated", "parent", "company") if s in scopes), None)


def confirmed_figures(statements: Iterable[Statement]) -> Confirmed:
    """Confirmed figures in yuan by fiscal year and item code, of one scope, with their flows'
    months, their sources and the items printed blank."""
    statements = list(statements)
    scope = rating_scope(statements)
    ranked: dict[tuple[int, str], tuple[_Rank, Decimal, int | None, FigureSource]] = {}
    blank: set[tuple[int, str]] = set()
    for statement in statements:
        assert statement.fiscal_year is not None  # confirming requires it; a type hint  # nosec B101
        if statement.scope != scope:
            continue
        confirmed = statement.confirmed_at.timestamp() if statement.confirmed_at else 0.0
        for figure in statement.figures:
            current = figure.period == "current"
            year = statement.fiscal_year if current else statement.fiscal_year - 1
            if figure.value is None:
                blank.add((year, figure.code))
                continue
            months = statement.current_months if current else statement.prior_months
            end = (statement.current_end if current else statement.prior_end) or ""
            # A year's flow before a part of a year's, whichever was confirmed last; one of
            # unknown span (read before periods were kept) in between. The latest balance date
            # of a year (its end, not 30 September) before an earlier one.
            span = 0 if figure.code not in FLOWS else 1 if months is None else int(months >= 12) * 2
            rank = (span, int(current), end, confirmed)
            key = (year, figure.code)
            if key not in ranked or rank > ranked[key][0]:
                source = FigureSource(
                    statement=statement.type,
                    scope=statement.scope,
                    report_year=statement.fiscal_year,
                    column="current" if current else "prior",
                    document_id=str(statement.document_id),
                    page=figure.page,
                )
                ranked[key] = (rank, figure.value * statement.multiplier, months, source)
    found = Confirmed({}, {}, scope, {}, {})
    for (year, code), (_, value, months, source) in sorted(ranked.items()):
        found.figures.setdefault(year, {})[code] = value
        found.sources.setdefault(year, {})[code] = source
        if code in FLOWS:
            found.flow_months.setdefault(year, {})[code] = months
    for year, code in sorted(blank - set(ranked)):
        found.blanks.setdefault(year, []).append(code)
    return found
