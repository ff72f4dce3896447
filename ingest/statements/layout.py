"""Lines of a page, the period columns of a statement table and the cells under them.

Borderless tables have no rules to follow, so columns come from the header row (期末余额 /
2021年12月31日 / "2025 AED'000", with 附注 / Notes marking the column to skip) or, on a page
without one, from where the amounts on the page line up; every amount is then placed by its
x-position, which is what makes a row with a value in one column only come out right. Which
header column is the current period and which the prior is read from its headings, those
spanning it on the lines above included (`periods`); columns placed from the amounts alone
have no period, and a row read under them says so (`Row.headed`).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from ingest.statements import periods
from ingest.statements.chart import Kind
from ingest.statements.labels import fold
from ingest.statements.numbers import amount, is_money
from ingest.statements.periods import Period
from ingest.words import Page, Word

Role = Literal["current", "prior", "notes", "other"]
ROLES: tuple[Role, Role] = ("current", "prior")  # period columns, in the order figures keep them
# Horizontal slack (points) when an amount's box does not overlap its column's header.
REACH = 40.0
MAX_HEADING_LINES = 4  # lines over a header row that may carry headings spanning its columns


@dataclass(frozen=True)
class Line:
    """Words printed on one line of a page, left to right."""

    page: int
    words: tuple[Word, ...]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def text(self) -> str:
        return join(self.words)


@dataclass(frozen=True)
class Column:
    """A column of the table: its role, its horizontal extent and its heading as printed."""

    role: Role
    x0: float
    x1: float
    heading: str
    period: Period | None = None  # None for columns placed from where the amounts line up


@dataclass(frozen=True)
class Cell:
    """An amount placed in a column."""

    value: Decimal
    printed: str
    word: Word


@dataclass
class Row:
    """A table row: the label words and the amounts by column role."""

    line: Line
    label: tuple[Word, ...]
    cells: dict[Role, Cell] = field(default_factory=dict)
    headed: bool = True  # whether its columns came from a header row, not from the amounts
    stray: int = 0  # amounts that fell under no period column, or under one already filled

    @property
    def text(self) -> str:
        return join(self.label)

    @property
    def priced(self) -> bool:
        """Whether the row has amounts in both columns or one that looks like money, unlike a
        page number that happens to sit under a column."""
        return len(self.cells) > 1 or any(is_money(c.printed) for c in self.cells.values())


def join(words: tuple[Word, ...] | list[Word]) -> str:
    """Words as printed: spaced between Latin words, run together between Chinese ones."""
    out = ""
    for word in words:
        out += (" " if out[-1:].isascii() and word.text[:1].isascii() and out else "") + word.text
    return out


def lines(page: Page) -> list[Line]:
    """The page's words grouped into lines by their vertical middles, a scan's tilt undone."""
    slope = _tilt(page.words) if page.source == "ocr" else 0.0

    def level(word: Word) -> float:
        return (word.top + word.bottom) / 2 - slope * (word.x0 + word.x1) / 2

    grouped: list[list[Word]] = []
    middle = 0.0
    for word in sorted(page.words, key=level):
        height = max(word.bottom - word.top, 1.0)
        if grouped and level(word) - middle <= max(2.0, 0.4 * height):
            grouped[-1].append(word)
        else:
            grouped.append([word])
            middle = level(word)
    return [Line(page.number, tuple(sorted(g, key=lambda w: w.x0))) for g in grouped]


def _tilt(words: tuple[Word, ...]) -> float:
    """How much a scanned page's lines climb per point to the right (median over neighbours)."""
    slopes = []
    for word in words:
        centre = (word.top + word.bottom) / 2
        height = word.bottom - word.top
        beside = [
            w for w in words
            if 0 <= w.x0 - word.x1 < 150 and abs((w.top + w.bottom) / 2 - centre) < 0.8 * height
        ]  # fmt: skip
        if beside:
            right = min(beside, key=lambda w: w.x0)
            run = (right.x0 + right.x1 - word.x0 - word.x1) / 2
            slopes.append(((right.top + right.bottom) / 2 - centre) / run)
    return statistics.median(slopes) if slopes else 0.0


_CJK_EDGE = re.compile(r"[\u3400-\u9fff].|.[\u3400-\u9fff]")


def _cells(line: Line) -> list[tuple[str, Word]]:
    """Runs of words with only word spacing between them, as text and joint box."""
    runs: list[list[Word]] = []
    for word in line.words:
        # OCR splits a Chinese heading where digits meet characters ("截至6月30 日止三個月")
        # with less than a character's width between: one cell, as a reader sees it.
        chinese = runs and _CJK_EDGE.match(runs[-1][-1].text[-1:] + word.text[:1])
        gap = (1.0 if chinese else 0.6) * (word.bottom - word.top)
        if runs and word.x0 - runs[-1][-1].x1 <= gap:
            runs[-1].append(word)
        else:
            runs.append([word])
    return [
        (join(run), Word(join(run), run[0].x0, run[-1].x1, line.top, line.bottom)) for run in runs
    ]


_PERIOD = re.compile(
    r"([本上]?[年期]?(期末|期初|年末|年初|本期|上期|本年|上年|本报告期|同期)+(余额|金额|发生额|数|累计数?)?"
    r"|.{0,16}(19|20)\d\d.{0,16})"
)
_CURRENCY = re.compile(r"[A-Z]{0,2}\$|£|€|¥|￥|RMB|HK\$|US\$")
_NOTES = re.compile(r"附注[一二三四五六七八九十]*|notes?|注释|附注编号")
# A note reference printed between a label and the amounts where no 附注 column is headed.
_NOTE_REF = re.compile(
    r"\d{1,2}([,.、]\s?\d{1,2})*(\([a-z]\)|[a-z])?|[一二三四五六七八九十]+[、.]?\d*"
)


def header(line: Line, above: list[Line], kind: Kind) -> tuple[list[Column], str | None] | None:
    """The columns a header row names (current, prior and notes) and any doubt about which
    period is which, or None if the line is no header. `above` are the lines over it, nearest
    last, whose headings may span its columns ("Nine months ended 30 September")."""
    cells: list[tuple[str, Word]] = []
    remarks: list[tuple[str, Word]] = []
    columns: list[Column] = []
    for text, box in _cells(line):
        folded = re.sub(r"\s", "", fold(text))
        if _NOTES.fullmatch(folded):
            columns.append(Column("notes", box.x0, box.x1, text))
        elif (_PERIOD.fullmatch(folded) or periods.is_heading(folded)) and not is_money(text):
            cells.append((text, box))
        elif not is_money(text):
            remarks.append((text, box))
    if not cells:
        return None
    left = min(box.x0 for _, box in cells)
    # A heading stacked over lines ("2023" / "(As Restated -" / "Note 2)") ends on the header
    # row in a remark: the column is the year printed over it.
    for text, box in remarks:
        stacked = periods.parse([text, *_spanning(box, above, left)])
        if box.x0 > left and stacked.year:
            cells.append((f"{stacked.year} {text}", box))
    cells.sort(key=lambda cell: cell[1].x0)
    if len(cells) < 2:
        return None
    read = [periods.parse([text, *_spanning(box, above, left)]) for text, box in cells]
    choice = periods.choose(read, kind)
    for index, ((text, box), period) in enumerate(zip(cells, read, strict=True)):
        # Columns beyond the two periods (a third year, the quarter beside the nine months,
        # the bank alone) are kept only so that their amounts are not taken for another's.
        role: Role = (
            "current" if index == choice.current else "prior" if index == choice.prior else "other"
        )
        columns.append(Column(role, box.x0, box.x1, text, period))
    return columns, choice.doubt


def _spanning(box: Word, above: list[Line], left: float) -> list[str]:
    """Headings printed over a column on the lines above the header row, nearest first: in
    each line the cell whose middle is nearest the column's, if it reaches over the column."""
    found = []
    middle = (box.x0 + box.x1) / 2
    for line in reversed(above[-MAX_HEADING_LINES:]):
        if any(_priced(w.text) for w in line.words):
            break  # a table row: what is above it is no heading of these columns
        reaching = [
            (text, cell)
            for text, cell in _cells(line)
            if cell.x1 > left - REACH and min(box.x1, cell.x1) - max(box.x0, cell.x0) > -REACH
        ]
        if reaching:
            text, _ = min(reaching, key=lambda c: abs((c[1].x0 + c[1].x1) / 2 - middle))
            if periods.informative(text):  # not a company name, a unit or a signature
                found.append(text)
    return found


def _priced(text: str) -> bool:
    """Whether a word is an amount with digits: not a year over a column, nor the dash of a
    remark ("(As Restated -")."""
    return is_money(text) and any(c.isdigit() for c in text) and not periods.is_year(text)


def inferred(page_lines: list[Line]) -> list[Column]:
    """Columns from where the page's amounts line up, for pages without a header row."""
    edges = sorted(
        (w for line in page_lines for w in line.words if is_money(w.text) and len(w.text) > 2),
        key=lambda w: w.x1,
    )
    clusters: list[list[Word]] = []
    for word in edges:
        if clusters and word.x1 - clusters[-1][-1].x1 <= 8:
            clusters[-1].append(word)
        else:
            clusters.append([word])
    kept = [c for c in clusters if len(c) >= 3][-2:]
    return [
        Column(role, min(w.x0 for w in c), max(w.x1 for w in c), "")
        for role, c in zip(ROLES, kept, strict=False)
    ]


def row(line: Line, columns: list[Column]) -> Row:
    """The line read as a table row under `columns`."""
    start = min(c.x0 for c in columns) - 2
    found = Row(line, (), headed=any(c.period is not None for c in columns))
    label: list[Word] = []
    for word in _amount_words(list(line.words)):
        if _CURRENCY.fullmatch(word.text):
            continue  # "$" printed in a cell of its own before the amount: neither label nor amount
        value = amount(word.text)
        column = _column(word, columns)
        placed = column is not None and (word.x0 >= start or _overlap(word, column) > 0)
        if value is not None and column is not None and placed:
            if column.role in ROLES and column.role in found.cells:
                found.stray += 1  # two amounts under one period: one belongs to no heading
            elif column.role in ROLES:
                found.cells[column.role] = Cell(value, word.text, word)
        elif word.x0 >= start and is_money(word.text):
            found.stray += 1
        elif word.x0 < start and not (label and _NOTE_REF.fullmatch(word.text)):
            label.append(word)
    found.label = tuple(label)
    return found


def _amount_words(words: list[Word]) -> list[Word]:
    """Amounts split in two put back together: a bracket printed apart from its digits, or
    "1, 234" read by OCR as two words."""
    merged: list[Word] = []
    for word in words:
        if merged:
            last = merged[-1]
            reach = 6 if last.text.endswith(",") or word.text.startswith(",") else 2
            joined = last.text + word.text
            if word.x0 - last.x1 < reach and amount(joined) is not None:
                merged[-1] = Word(joined, last.x0, word.x1, last.top, word.bottom)
                continue
        merged.append(word)
    return merged


def _overlap(word: Word, column: Column) -> float:
    return min(word.x1, column.x1) - max(word.x0, column.x0)


def _column(word: Word, columns: list[Column]) -> Column | None:
    """The column whose extent the word overlaps most, or the nearest one within reach."""
    best = max(columns, key=lambda c: _overlap(word, c))
    return best if _overlap(word, best) > -REACH else None
