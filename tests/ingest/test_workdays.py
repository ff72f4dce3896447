"""The working-day calendar: the shipped Chinese holidays and make-up working days, counting
across them, and files refused at start."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ingest.workdays import InvalidCalendar, load_calendar


def test_a_working_day_after_the_national_day_holiday_is_counted_as_the_calendar_says() -> None:
    calendar = load_calendar(None)
    # 1-7 October 2026 off; Saturday 10 October worked in their place (2026 notice).
    assert not any(calendar.is_workday(date(2026, 10, day)) for day in range(1, 8))
    assert calendar.is_workday(date(2026, 10, 10))
    assert not calendar.is_workday(date(2026, 10, 11))  # an ordinary Sunday
    assert calendar.is_workday(date(2026, 9, 20))  # the Sunday worked before the holiday
    # Handed in on Wednesday 30 September: the 8th, the 9th, then Saturday the 10th.
    assert calendar.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert calendar.add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert calendar.add_workdays(date(2026, 10, 9), 1) == date(2026, 10, 10)
    # The Spring Festival: Saturday 14 February worked, 15-23 February off.
    assert calendar.add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert calendar.add_workdays(date(2026, 2, 14), 1) == date(2026, 2, 24)


def test_both_years_ship_and_a_year_not_covered_counts_monday_to_friday() -> None:
    calendar = load_calendar(None)
    assert calendar.years == {2026, 2027}
    assert not calendar.is_workday(date(2027, 10, 1))
    assert calendar.add_workdays(date(2028, 10, 1), 1) == date(2028, 10, 2)  # a Sunday, then Monday


def test_a_replacing_file_is_used(tmp_path: Path) -> None:
    path = tmp_path / "workdays.toml"
    path.write_text(
        "[[year]]\nyear = 2026\nholidays = [{ from = 2026-10-08, to = 2026-10-09 }]\n"
        "workdays = [2026-10-11]\n",
        encoding="utf-8",
    )
    calendar = load_calendar(path)
    assert calendar.add_workdays(date(2026, 10, 7), 1) == date(2026, 10, 11)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[[year]]\nyear = 2026\nworkdays = [2026-10-09]\n", "on a weekday or holiday"),
        ("[[year]]\nyear = 2026\nworkdays = [2027-01-02]\n", "is not in the year"),
        ("[[year]]\nyear = 2026\nholidays = [{ from = 2026-10-07, to = 2026-10-01 }]\n",
         "before it starts"),
        ("[[year]]\nyear = 2026\n[[year]]\nyear = 2026\n", "a year is given twice"),
        ("[[year]]\nyear = 2026\nholiday = []\n", "holiday"),
    ],
)  # fmt: skip
def test_a_bad_calendar_is_refused_naming_the_file_and_the_problem(
    tmp_path: Path, text: str, named: str
) -> None:
    path = tmp_path / "workdays.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidCalendar, match=r"workdays\.toml") as refused:
        load_calendar(path)
    assert named in str(refused.value)
