"""Statements for people and programs: one JSON object, or a plain table per statement."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ingest.statements.schemas import Statement


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def as_json(statements: list[Statement], unread_pages: Sequence[int] = ()) -> dict[str, Any]:
    """`{"statements": [...], "unread_pages": [...]}` with amounts as decimal strings in each
    statement's unit; `unread_pages` are those OCR could not read in time."""
    return {
        "statements": [
            {
                "type": s.type,
                "scope": s.scope,
                "title": s.title,
                "pages": s.pages,
                "unit": s.unit,
                "multiplier": s.multiplier,
                "currency": s.currency,
                "columns": s.columns,
                "items": {
                    code: {
                        "current": _decimal(f.current),
                        "prior": _decimal(f.prior),
                        "page": f.page,
                        "label": f.label,
                        "confidence": f.confidence,
                    }
                    for code, f in s.items.items()
                },
                "checks": [c.model_dump(include={"name", "ok", "detail"}) for c in s.checks],
                "needs_review": s.needs_review,
                "periods": {role: p.model_dump() for role, p in s.periods.items()},
                "review": s.review,
            }
            for s in statements
        ],
        "unread_pages": list(unread_pages),
    }


def _amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,}"


def as_table(statements: list[Statement]) -> str:
    """A readable listing: each statement's heading, its items and its failed checks."""
    out: list[str] = []
    for s in statements:
        review = "  NEEDS REVIEW" if s.needs_review else ""
        out.append(f"{s.type} ({s.scope}) {s.title}{review}")
        out.append(
            f"  pages {', '.join(map(str, s.pages))}; unit {s.unit or '?'} "
            f"(x{s.multiplier}){'; ' + s.currency if s.currency else ''}"
        )
        current, prior = s.columns.get("current") or "current", s.columns.get("prior") or "prior"
        for role, period in s.periods.items():
            out.append(f"  {role}: {period.heading}")
        out.append(f"  {'item':<30} {current:>22} {prior:>22} {'page':>4} {'conf':>5}  label")
        for code, f in s.items.items():
            out.append(
                f"  {code:<30} {_amount(f.current):>22} {_amount(f.prior):>22} "
                f"{f.page:>4} {f.confidence:>5.2f}  {f.label}"
            )
        passed = sum(c.ok for c in s.checks)
        out.append(f"  checks: {passed} of {len(s.checks)} hold")
        out.extend(f"  FAILED {c.name}: {c.detail}" for c in s.checks if not c.ok)
        out.extend(f"  REVIEW {reason}" for reason in s.review)
        out.append("")
    return "\n".join(out)
