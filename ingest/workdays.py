"""The working-day calendar (public holidays and make-up working days) as configuration: loaded
from a TOML file, checked at start, and counted in.

Invariants: a day is a working day when the calendar names it one (a weekend day worked), else
when it is Monday to Friday and not a holiday; a make-up day is a weekend day and no holiday; a
year the file lacks counts Monday to Friday only.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DEFAULT_CALENDAR = Path(__file__).parent / "policy" / "workdays-cn.toml"
SATURDAY = 5


class InvalidCalendar(ValueError):
    """The calendar file cannot be used; the message names the file and the problem."""


class _Holiday(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    starts: date = Field(alias="from")
    ends: date = Field(alias="to")
    name: str = ""


class _Year(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=2000, le=2100)
    holidays: list[_Holiday] = Field(default_factory=list)
    workdays: list[date] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> _Year:
        off: set[date] = set()
        for holiday in self.holidays:
            if holiday.ends < holiday.starts:
                raise ValueError(f"{self.year}: a holiday ends ({holiday.ends}) before it starts")
            off |= {
                holiday.starts + timedelta(d)
                for d in range((holiday.ends - holiday.starts).days + 1)
            }
        for day in [*off, *self.workdays]:
            if day.year != self.year:
                raise ValueError(f"{self.year}: {day} is not in the year")
        for day in self.workdays:
            if day.weekday() < SATURDAY or day in off:
                raise ValueError(
                    f"{self.year}: {day} is a make-up working day on a weekday or holiday"
                )
        return self


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: list[_Year] = Field(min_length=1)


@dataclass(frozen=True)
class Calendar:
    """Days off and weekend days worked, for the years the calendar covers."""

    holidays: frozenset[date]
    workdays: frozenset[date]
    years: frozenset[int]

    def is_workday(self, day: date) -> bool:
        """Whether people work on `day`."""
        if day in self.workdays:
            return True
        return day.weekday() < SATURDAY and day not in self.holidays

    def add_workdays(self, day: date, count: int) -> date:
        """The `count`-th working day after `day`."""
        while count > 0:
            day += timedelta(days=1)
            count -= self.is_workday(day)
        return day


def load_calendar(path: Path | None) -> Calendar:
    """Read and check a calendar file (the shipped one when `path` is None)."""
    source = path or DEFAULT_CALENDAR
    try:
        parsed = _File.model_validate(tomllib.loads(source.read_text(encoding="utf-8")))
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as error:
        raise InvalidCalendar(f"working-day calendar {source}: {error}") from error
    years = [y.year for y in parsed.year]
    if len(set(years)) != len(years):
        raise InvalidCalendar(f"working-day calendar {source}: a year is given twice")
    off = {
        h.starts + timedelta(d)
        for y in parsed.year
        for h in y.holidays
        for d in range((h.ends - h.starts).days + 1)
    }
    worked = {day for y in parsed.year for day in y.workdays}
    return Calendar(frozenset(off), frozenset(worked), frozenset(years))
