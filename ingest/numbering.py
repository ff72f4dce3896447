"""Contract numbers: a pattern per department (configuration, checked at start) and the gap-free
sequence per department and year.

Invariants: a serial is taken under a lock on its department's counter row for the year (SELECT
... FOR UPDATE on PostgreSQL; SQLite serialises writers), in the caller's transaction, so two
contracts created at once get consecutive serials and a rolled-back creation gives its serial
back; every pattern holds the year and the serial, so a number is never repeated.
"""

from __future__ import annotations

import re
import string
import tomllib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import ContractCounter, Department

DEFAULT_NUMBERING = Path(__file__).parent / "policy" / "contracts.toml"
FIELDS = {"year", "serial", "department"}
LITERAL = re.compile(r"^[A-Za-z0-9_./-]*$")
NUMBER = re.compile(r"^[A-Za-z0-9_./-]{1,64}$")


class InvalidNumbering(ValueError):
    """The contract numbering file cannot be used; the message names the file and the problem."""


def _check_pattern(pattern: str) -> str:
    named = set()
    for literal, field, spec, conversion in string.Formatter().parse(pattern):
        if not LITERAL.match(literal):
            raise ValueError(f"{pattern!r}: only letters, digits, - _ / and . outside fields")
        if field is None:
            continue
        if field not in FIELDS or conversion:
            raise ValueError(f"{pattern!r}: no field {{{field}}} (year, serial, department)")
        if spec and (field != "serial" or not re.fullmatch(r"0?[1-9]d?", spec)):
            raise ValueError(f"{pattern!r}: only the serial takes a width, e.g. {{serial:04d}}")
        named.add(field)
    if not {"year", "serial"} <= named:
        raise ValueError(f"{pattern!r}: a pattern holds {{year}} and {{serial}}")
    return pattern


Pattern = str


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    default: Pattern
    departments: dict[str, Pattern] = Field(default_factory=dict)

    @field_validator("default")
    @classmethod
    def _default(cls, pattern: str) -> str:
        return _check_pattern(pattern)

    @field_validator("departments")
    @classmethod
    def _each(cls, found: dict[str, str]) -> dict[str, str]:
        for pattern in found.values():
            _check_pattern(pattern)
        if len(set(found.values())) != len(found):
            raise ValueError("two departments share a pattern: their numbers would clash")
        return found


@dataclass(frozen=True)
class Numbering:
    """The contract number patterns: one per department code, and the default."""

    default: str
    departments: dict[str, str]

    def number(self, department: Department, year: int, serial: int) -> str:
        """The contract number of a department's `serial`-th contract of `year`."""
        pattern = self.departments.get(department.code, self.default)
        code = department.code.upper()
        made = pattern.format(year=year, serial=serial, department=code)
        if not NUMBER.match(made):
            # A department code with characters a number may not hold: its own pattern is needed.
            raise ValueError(f"contract number of department {department.code} is not usable")
        return made


def load_numbering(path: Path | None) -> Numbering:
    """Read and check a numbering file (the shipped one when `path` is None)."""
    source = path or DEFAULT_NUMBERING
    try:
        data: dict[str, Any] = tomllib.loads(source.read_text(encoding="utf-8"))
        parsed = _File.model_validate(data)
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as error:
        raise InvalidNumbering(f"contract numbering {source}: {error}") from error
    return Numbering(parsed.default, dict(parsed.departments))


def next_serial(session: Session, department_id: uuid.UUID, year: int) -> int:
    """Take the next serial of the department's year, under a lock held to the commit."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # The first contract of a year makes the row; of two at once, one makes it, both then lock it.
    session.execute(
        insert(ContractCounter)
        .values(department_id=department_id, year=year, last=0)
        .on_conflict_do_nothing()
    )
    counter = session.scalars(
        select(ContractCounter)
        .where(ContractCounter.department_id == department_id, ContractCounter.year == year)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    counter.last += 1
    session.flush()
    return counter.last
