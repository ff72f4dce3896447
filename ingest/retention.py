"""Retention rules per document type as configuration: loaded from a TOML file and checked at
start; when a document falls due for disposal.

Invariants: every document type has exactly one rule; a document falls due `years` after the
first of its rule's trigger dates it has, and one with none of them never falls due (it is
listed as undated, never guessed); the SQL condition and the Python date agree (one cutoff).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import ColumnElement, and_, false, or_
from sqlalchemy.orm import InstrumentedAttribute

from storage.models import DocType, Document

DEFAULT_RULES = Path(__file__).parent / "policy" / "retention.toml"
Trigger = Literal["term_end", "issued", "filed", "uploaded"]
# Each trigger's column; the last two are timestamps, counted by the company's calendar day.
COLUMNS: dict[str, InstrumentedAttribute[Any]] = {
    "term_end": Document.expires_on,
    "issued": Document.issued_on,
    "filed": Document.filed_at,
    "uploaded": Document.created_at,
}


class InvalidRetention(ValueError):
    """The retention file cannot be used; the message names the file and the problem."""


class RetentionRule(BaseModel):
    """How long one type of document is kept, and from which of its dates."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    years: int = Field(ge=1, le=200)
    after: tuple[Trigger, ...] = Field(min_length=1)

    @field_validator("after")
    @classmethod
    def _once_each(cls, found: tuple[Trigger, ...]) -> tuple[Trigger, ...]:
        if len(set(found)) != len(found):
            raise ValueError("a trigger date is named twice")
        return found


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    default: RetentionRule | None = None
    types: dict[DocType, RetentionRule] = Field(default_factory=dict)


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def latest_trigger(today: date, years: int) -> date:
    """The last trigger date that has fallen due by `today` (`add_years` of it is on or before)."""
    cutoff = add_years(today, -years)
    # 28 February of a common year is also reached from 29 February of a leap year before it.
    after = cutoff + timedelta(days=1)
    return after if add_years(after, years) <= today else cutoff


@dataclass(frozen=True)
class Retention:
    """The rule of every document type, and the company's time zone for its calendar days."""

    rules: dict[str, RetentionRule]
    zone: ZoneInfo

    def rule(self, doc_type: str) -> RetentionRule:
        """The rule of a document type (every type has one: checked at load)."""
        return self.rules[doc_type]

    def trigger(self, document: Document) -> tuple[Trigger, date] | None:
        """The date the document's retention counts from, and which it is; None without one."""
        for name in self.rule(document.doc_type).after:
            value = getattr(document, COLUMNS[name].key)
            if isinstance(value, datetime):
                return name, value.astimezone(self.zone).date()
            if value is not None:
                return name, value
        return None

    def due_on(self, document: Document) -> date | None:
        """The day the document falls due for disposal; None when it has no trigger date."""
        found = self.trigger(document)
        return None if found is None else add_years(found[1], self.rule(document.doc_type).years)

    def due(self, today: date) -> ColumnElement[bool]:
        """The SQL condition for documents due by `today` (whatever their holds)."""
        terms = []
        for doc_type, rule in self.rules.items():
            last = latest_trigger(today, rule.years)
            terms.append(and_(Document.doc_type == doc_type, self._first(rule, last)))
        return or_(*terms) if terms else false()

    def undated(self) -> ColumnElement[bool]:
        """The SQL condition for documents that have none of their rule's trigger dates."""
        terms = [
            and_(Document.doc_type == t, *(COLUMNS[n].is_(None) for n in rule.after))
            for t, rule in self.rules.items()
        ]
        return or_(*terms) if terms else false()

    def _first(self, rule: RetentionRule, last: date) -> ColumnElement[bool]:
        # The first trigger the document has decides: each later one counts only when every
        # earlier one is missing.
        terms = []
        for i, name in enumerate(rule.after):
            column = COLUMNS[name]
            earlier = [COLUMNS[n].is_(None) for n in rule.after[:i]]
            if name in ("filed", "uploaded"):  # before the next local midnight, in UTC
                midnight = datetime.combine(last + timedelta(days=1), time(), self.zone)
                reached = column < midnight.astimezone(UTC)
            else:
                reached = column <= last
            terms.append(and_(*earlier, column.is_not(None), reached))
        return or_(*terms)


def load_retention(path: Path | None, zone: ZoneInfo) -> Retention:
    """Read and check a retention file (the shipped one when `path` is None)."""
    source = path or DEFAULT_RULES
    try:
        parsed = _File.model_validate(tomllib.loads(source.read_text(encoding="utf-8")))
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as error:
        raise InvalidRetention(f"retention rules {source}: {error}") from error
    missing = [t.value for t in DocType if t not in parsed.types]
    if missing and parsed.default is None:
        raise InvalidRetention(
            f"retention rules {source}: no rule for {', '.join(missing)} and no [default]"
        )
    rules = {t.value: parsed.types.get(t) or parsed.default for t in DocType}
    return Retention({t: r for t, r in rules.items() if r is not None}, zone)
