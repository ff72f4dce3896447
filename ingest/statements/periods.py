"""Which period each amount column of a statement covers, read from the headings above it.

A column's heading is its own cell on the header row ("2025", "本期发生额", "30 September 2025")
and the headings printed over it on the lines above, which often span several columns ("Nine
months ended 30 September", "截至9月30日止六个月", "本集团"). The current period is the longest
one ending latest — an interim report's nine months, not the quarter printed beside it — and the
prior period the same length ending earlier. Two columns that read as the same period are told
apart only by an entity heading (本集团 / 本行, Group / Company); otherwise, and when there is no
heading at all, the choice is a guess and the statement goes to review.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ingest.statements.chart import Kind
from ingest.statements.labels import fold

_T = TypeVar("_T")
_MONTHS = {
    m: n + 1
    for n, m in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        )
    )
}
_NUMBERS = {"one": 1, "three": 3, "six": 6, "nine": 9, "twelve": 12, "一": 1, "三": 3, "六": 6,
            "九": 9, "十二": 12}  # fmt: skip
_DURATIONS = (
    (re.compile(r"(one|three|six|nine|twelve|\d{1,2})-?months?"), None),
    (re.compile(r"(一|三|六|九|十二|\d{1,2})个月"), None),
    (re.compile(r"前三季度"), 9),
    (re.compile(r"上半年|半年度|half-?year"), 6),
    (re.compile(r"第[一二三四1-4]季度|本季度|quarter"), 3),
    (re.compile(r"本月|当月"), 1),
    (re.compile(r"(fiscal|financial)?year(ended|ending)?|年度|全年"), 12),
)
# A year alone in Chinese ("2024年") names a year's figures only when no heading over it gives
# a length: under "截至6月30日止六個月" it is the year of a six-month column.
_YEAR_ALONE = re.compile(r"\d{4}年$")
# Year to date: as long as the year has run, longer than any quarter or month beside it.
_TO_DATE = re.compile(r"年初至(报告期|本期)末|本年累计|year-?to-?date|^ytd$")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_ENGLISH_DATE = re.compile(
    rf"(\d{{1,2}})(?:st|nd|rd|th)?\s*({'|'.join(_MONTHS)})|({'|'.join(_MONTHS)})\s*(\d{{1,2}})\b"
)
_CHINESE_DATE = re.compile(r"(\d{1,2})月(\d{1,2})日")
_NUMERIC_DATE = re.compile(r"(?:19|20)\d\d[-/.](\d{1,2})[-/.](\d{1,2})")
_CURRENT = re.compile(r"本期|本年|期末|年末|本报告期|current")
_PRIOR = re.compile(r"上期|上年|期初|年初(?!至)|同期|prior|previous|comparative|preceding")
# Headings naming whose figures a column holds, printed alone over it.
_GROUP = re.compile(r"本集团|集团|合并|综合|(the)?group|consolidated")
_ENTITY = re.compile(r"本行|本公司|母公司|公司|(the)?bank|(the)?company|parent")


@dataclass(frozen=True)
class Period:
    """What a column's heading says: how many months, ending when, relative to what, whose."""

    heading: str  # the heading as printed, top line first
    months: int | None
    to_date: bool
    year: int | None
    month: int | None
    day: int | None
    relative: int  # 0 current (本期, 期末), 1 unstated, 2 prior (上期, 年初)
    entity: str | None  # "group" or "entity" when a heading names whose figures they are

    @property
    def length(self) -> int | None:
        """Months covered, for comparing columns; a year-to-date column counts as longest."""
        return self.months or (12 if self.to_date else None)

    @property
    def end(self) -> tuple[int, int, int]:
        return (self.year or 0, self.month or 0, self.day or 0)

    @property
    def end_text(self) -> str | None:
        """The end of the period as an ISO date, or as far as the heading gives it."""
        if self.year is None:
            return None
        if self.month is None:
            return str(self.year)
        return f"{self.year}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")


def parse(texts: list[str]) -> Period:
    """The period named by a column's headings, nearest (its own cell) first."""
    folded = [re.sub(r"\s+", " ", fold(t)).strip() for t in texts]
    months = _first(folded, _months) or _first(
        folded, lambda t: 12 if _YEAR_ALONE.search(t) else None
    )
    # A date over the whole table (合并资产负债表 2021年12月31日) is the current period's end;
    # a column headed 上年年末余额 or 期初 ends elsewhere, at a date its own cell does not give.
    dated = folded[:1] if _PRIOR.search(folded[0]) else folded
    date = _first(dated, _date)
    years = _first(dated, lambda t: max((int(y) for y in _YEAR.findall(t)), default=None))
    # 上年年末 is the prior year's end: prior words decide before current ones.
    relative = _first(
        folded, lambda t: 2 if _PRIOR.search(t) else 0 if _CURRENT.search(t) else None
    )
    entity = _first(folded, _entity)
    return Period(
        heading=" ".join(dict.fromkeys(t.strip() for t in reversed(texts) if t.strip())),
        months=months,
        to_date=any(_TO_DATE.search(t.replace(" ", "")) for t in folded),
        year=years,
        month=date[0] if date else None,
        day=date[1] if date else None,
        relative=1 if relative is None else relative,
        entity=entity,
    )


def stated(head: list[str]) -> int | None:
    """The one length a statement's own heading gives its flows ("for the year ended ..."), if
    it names exactly one; columns headed by the year alone ("2025", "2024") say none."""
    lengths = {_months(re.sub(r"\s+", " ", fold(t)).strip()) for t in head} - {None}
    return lengths.pop() if len(lengths) == 1 else None


def is_year(text: str) -> bool:
    """Whether a word is a year alone ("2023"), a heading rather than an amount."""
    return bool(_YEAR.fullmatch(text.strip()))


def _entity(text: str) -> str | None:
    flat = text.replace(" ", "")
    return "group" if _GROUP.fullmatch(flat) else "entity" if _ENTITY.fullmatch(flat) else None


def informative(text: str) -> bool:
    """Whether a heading over a column says anything about its period or whose it is."""
    folded = re.sub(r"\s+", " ", fold(text)).strip()
    return len(folded) <= 60 and (
        _entity(folded) is not None
        or _months(folded) is not None
        or _date(folded) is not None
        or bool(_YEAR.search(folded) or _TO_DATE.search(folded.replace(" ", "")))
        or bool(_CURRENT.search(folded) or _PRIOR.search(folded))
    )


def _first(texts: list[str], read: Callable[[str], _T | None]) -> _T | None:
    for text in texts:
        found = read(text)
        if found is not None:
            return found
    return None


# Months counted from the first to the last: 1-9月, 7—9月, 1至12月.
_MONTH_SPAN = re.compile(r"(?<!\d)(1[0-2]|[1-9])[-—–~至](1[0-2]|[1-9])月")


def _months(text: str) -> int | None:
    flat = text.replace(" ", "")
    if (span := _MONTH_SPAN.search(flat)) and int(span[2]) >= int(span[1]):
        return int(span[2]) - int(span[1]) + 1
    for pattern, months in _DURATIONS:
        found = pattern.search(flat)
        if found is None:
            continue
        if months is not None:
            return months
        word = found[1]
        return _NUMBERS.get(word) or int(word)
    return None


def _date(text: str) -> tuple[int, int] | None:
    if found := _CHINESE_DATE.search(text):
        return int(found[1]), int(found[2])
    if found := _NUMERIC_DATE.search(text):
        return int(found[1]), int(found[2])
    if found := _ENGLISH_DATE.search(text):
        if found[1]:
            return _MONTHS[found[2]], int(found[1])
        return _MONTHS[found[3]], int(found[4])
    return None


def is_heading(folded: str) -> bool:
    """Whether a header cell, folded and without spaces, names a period at any length
    ("ninemonthsended30september2025"); short ones ("2025", "本期") are recognised by the
    caller's own pattern."""
    if len(folded) > 60 or not _YEAR.search(folded):
        return False
    length = _months(folded) is not None or _YEAR_ALONE.search(folded) is not None
    return length or _TO_DATE.search(folded) is not None


@dataclass(frozen=True)
class Choice:
    """The columns (by index) holding the current and prior period, and any doubt about it."""

    current: int
    prior: int | None
    doubt: str | None


def choose(periods: list[Period], kind: Kind) -> Choice:
    """The current and prior columns among the period columns, left to right."""
    doubt = None
    candidates = list(range(len(periods)))
    if kind != "balance_sheet":  # flows cover a length of time; a balance sheet is a moment
        lengths = {periods[i].length for i in candidates}
        known = {m for m in lengths if m is not None}
        # Of two columns, one whose heading's span was not read is still the other's comparative.
        if len(lengths) > 1 and not (len(periods) == 2 and None in lengths):
            if None in lengths:
                doubt = "the length of some periods is not printed over their columns"
            longest = max(known)
            candidates = [i for i in candidates if periods[i].length in (longest, None)]
            if doubt is None:
                candidates = [i for i in candidates if periods[i].length == longest]
    current = min(candidates, key=lambda i: _order(periods[i]))
    twins = [
        i for i in candidates if i != current and _order(periods[i]) == _order(periods[current])
    ]
    if twins:
        groups = [i for i in [current, *twins] if periods[i].entity == "group"]
        if groups and len(groups) < 1 + len(twins):
            current = groups[0]  # the group's figures, not the bank's or company's own
        elif kind != "balance_sheet" or not _same_entity_split(periods):
            doubt = doubt or "two columns read as the same period and nothing tells them apart"
    entity = periods[current].entity
    earlier = [
        i
        for i in candidates
        if _order(periods[i]) > _order(periods[current]) and periods[i].entity == entity
    ]
    prior = min(earlier, key=lambda i: (_order(periods[i]), i), default=None)
    if prior is None and len(candidates) > 1:
        doubt = doubt or "no column reads as an earlier period than the current one"
    return Choice(current, prior, doubt)


def _order(period: Period) -> tuple[tuple[int, int, int], int]:
    """Sort key putting the latest period first, then 本期 / 期末 before 上期 / 期初."""
    year, month, day = period.end
    return (-year, -month, -day), period.relative


def _same_entity_split(periods: list[Period]) -> bool:
    """Whether the columns repeat one run of dates, as a bank prints the group's then its own."""
    ends = [p.end for p in periods]
    half = len(ends) // 2
    return len(ends) % 2 == 0 and ends[:half] == ends[half:]
