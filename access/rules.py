"""Approval rules of borrowing, as data: loaded from a TOML file and validated at start.

Invariants: a request no rule matches is refused (fail closed); every role a rule names is a
role Dangan knows; a rule always names at least one approver, so nothing is granted unapproved.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from access.schemas import Role
from storage.models import BorrowMode, Secrecy

DEFAULT_RULES = Path(__file__).parent / "policy" / "borrowing.toml"


class InvalidRules(ValueError):
    """The rules file cannot be used; the message names the file and the problem."""


class Rule(BaseModel):
    """One approval rule: conditions, then what it decides."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=64)
    roles: frozenset[Role] | None = None
    department: Literal["own", "other"] | None = None
    min_secrecy: Secrecy = Secrecy.public
    external: bool | None = None
    approvers: tuple[Role, ...] = Field(min_length=1)
    modes: frozenset[BorrowMode] = Field(min_length=1)
    longest_hours: int = Field(ge=1, le=24 * 366)
    same_day: bool = False

    def applies(self, roles: set[str], own: bool, secrecy: Secrecy, external: bool) -> bool:
        """Whether this rule decides a request with these facts."""
        return (
            (self.roles is None or bool(self.roles & roles))
            and (self.department is None or (self.department == "own") == own)
            and secrecy.rank >= self.min_secrecy.rank
            and (self.external is None or self.external == external)
        )


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timezone: str = "Asia/Shanghai"
    rule: list[Rule] = Field(min_length=1)


@dataclass(frozen=True)
class Rules:
    """The rules in force and the company's time zone."""

    rules: tuple[Rule, ...]
    zone: ZoneInfo

    @property
    def approving_roles(self) -> frozenset[str]:
        """Every role that approves some borrowing."""
        return frozenset(role for rule in self.rules for role in rule.approvers)

    def match(self, roles: set[str], own: bool, secrecy: Secrecy, external: bool) -> Rule | None:
        """The first rule that applies, if any."""
        return next((r for r in self.rules if r.applies(roles, own, secrecy, external)), None)

    def due(self, same_day: bool, start: datetime, hours: int) -> datetime:
        """When a grant opened at `start` for `hours` ends (by midnight if `same_day`)."""
        end = start + timedelta(hours=hours)
        if same_day:
            local = start.astimezone(self.zone)
            midnight = datetime.combine(local.date() + timedelta(days=1), time(), self.zone)
            end = min(end, midnight)
        return end


def load_rules(path: Path | None) -> Rules:
    """Read and validate a rules file (the shipped defaults when `path` is None)."""
    source = path or DEFAULT_RULES
    try:
        parsed = _File.model_validate(tomllib.loads(source.read_text(encoding="utf-8")))
        zone = ZoneInfo(parsed.timezone)
    except (OSError, tomllib.TOMLDecodeError, ValidationError, ZoneInfoNotFoundError) as error:
        raise InvalidRules(f"borrowing rules {source}: {error}") from error
    return Rules(tuple(parsed.rule), zone)
