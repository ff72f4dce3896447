"""Locating statements: each statement's rows across its pages, from its title line on.

A statement starts at its title line (合并资产负债表, "Consolidated statement of cash flows",
資產負債表 …) and runs over the following lines and pages until the next title, the signatures
under it, its closing line (负债和所有者权益总计, 期末现金及现金等价物余额), a page without
amounts, or a few pages at most — an annual report's notes are never read as a statement.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Literal

from ingest.statements.labels import fold, match, normalize
from ingest.statements.layout import Column, Line, Row, header, inferred, lines, row
from ingest.statements.numbers import is_money
from ingest.statements.titles import Title, loosely, title
from ingest.words import Page

# Whose figures a statement holds: the group's, its parent's beside them, or those of a
# company reporting alone.
Whose = Literal["consolidated", "parent", "company"]
# How many pages after its title page a statement may continue on.
MAX_CONTINUATION = 3

_SIGNATURES = re.compile(r"(公司|企业)负责人|法定代表人|主管会计工作负责人|会计机构负责人")
# The line a statement ends with, where it has one.
CLOSING = {"balance_sheet": "total_liabilities_and_equity", "cash_flow_statement": "cash_end"}


def whose(found: list[Section], titled: bool) -> list[Whose]:
    """Whose figures each section holds. A title without scope words is the group's beside a
    titled parent's statement or any group title, or where its columns are headed "Group";
    otherwise, in a document whose titles were read, it is a company's reporting alone (UK
    company-only accounts: "Balance sheet", "Profit and loss account")."""
    explicit = {(s.title.kind, s.title.scope) for s in found}
    named = any(s.title.scope == "consolidated" for s in found)
    resolved: list[Whose] = []
    for section in found:
        kind, scope = section.title.kind, section.title.scope
        if scope is not None:
            resolved.append(scope)
        elif (kind, "consolidated") in explicit:
            resolved.append("parent")
        elif not titled or named or (kind, "parent") in explicit or section.grouped:
            resolved.append("consolidated")
        else:
            resolved.append("company")
    if "consolidated" in resolved:
        return resolved
    # A company's own statements in a document without group ones: a company reporting alone,
    # not the parent of a group whose figures are missing.
    return ["company" if scope == "parent" else scope for scope in resolved]


@dataclass
class Section:
    """The rows of one statement as found on its pages."""

    title: Title
    page: int  # where the title is printed
    rows: list[Row] = field(default_factory=list)
    head: list[str] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    source: str = "text"
    names: set[str] = field(default_factory=set)  # the title as printed in each language
    doubts: list[str] = field(default_factory=list)  # why the period columns may be misread

    def __post_init__(self) -> None:
        self.names.add(self.title.name)

    def same(self, named: Title) -> bool:
        """Whether a title line names this statement: printed again on a "（续）" page, or in
        a second language right under the first (bilingual Hong Kong reports)."""
        if named.name in self.names:
            return True
        if self.title.loose and named.kind == self.title.kind and self.title.scope is None:
            return True  # its title misread on its first page, printed again on the next
        fresh = not any(r.priced for r in self.rows)
        return fresh and (named.kind, named.scope) == (self.title.kind, self.title.scope)

    def echoed(self, named: Title, repeated: bool) -> bool:
        """Whether a title line right under this statement's title printed again on a
        continuation page (`repeated`) is that title in its other language: on a scan whose
        first page lost one language's title to OCR, the names do not match."""
        return repeated and (named.kind, named.scope) == (self.title.kind, self.title.scope)

    @property
    def grouped(self) -> bool:
        """Whether a column heading names the group ("Group", "本集团")."""
        return any(c.period is not None and c.period.entity == "group" for c in self.columns)

    @property
    def pages(self) -> list[int]:
        return sorted({r.line.page for r in self.rows if r.priced}) or [self.page]

    def closed_by(self, code: str | None) -> bool:
        """Whether the statement's closing line has been read."""
        assert self.title.kind is not None  # made only under a known title; a type hint  # nosec B101
        return code is not None and any(
            item.code == code
            for r in self.rows
            for item, _ in match(normalize(r.text), self.title.kind)
        )


def sections(pages: list[Page]) -> list[Section]:
    """Every statement section found in the pages, in page order."""
    found: list[Section] = []
    current: Section | None = None
    columns: list[Column] | None = None
    for page in sorted(pages, key=lambda p: p.number):
        if current is not None and not _continues(current, page.number):
            current = None
        page_lines = lines(page)
        if current is None or not current.columns:
            columns = None  # columns inferred from one page's amounts do not carry over
        repeated = False  # the line before printed the current statement's title again
        for line, named in _titled(page_lines, page.source == "ocr"):
            if named is not None:
                if current is not None and (current.same(named) or current.echoed(named, repeated)):
                    current.names.add(named.name)
                    if current.title.loose and not named.loose:
                        current.title = named  # the title as printed, its scope words read
                    repeated = True
                    continue  # "（续）", or the title again in another language
                repeated = False
                current = None
                columns = None
                if named.kind is not None:
                    current = Section(named, page.number, head=[line.text], source=page.source)
                    found.append(current)
                continue
            repeated = False
            if current is None:
                continue
            if _SIGNATURES.search(line.text):
                current = None
                continue
            columns = read_line(current, line, page_lines, columns)
        if current is not None and _ran_dry(current, page.number):
            current = None
    return found


_BROKEN_TITLE = re.compile(r"statements?of\s*$")


# OCR reads a graphic beside a title as a few short words on its line ("ON > 主", "fed SE").
_SPECK = 3  # characters


def _titled(page_lines: list[Line], scan: bool = False) -> list[tuple[Line, Title | None]]:
    """The page's lines with the statement each titles; a title broken after "Statement of"
    is put back on one line, and on a scan one followed by specks read as words is kept."""
    out: list[tuple[Line, Title | None]] = []
    skip = False
    for printed, following in itertools.zip_longest(page_lines, page_lines[1:]):
        if skip:
            skip = False
            continue
        line, named = printed, title(printed.text)
        if named is None and scan:
            line, named = _despeckled(printed)
        broken = _BROKEN_TITLE.search(re.sub(r"\s", "", fold(printed.text)))
        if named is None and following is not None and broken:
            joined = Line(printed.page, printed.words + following.words)
            if (named := title(joined.text)) is not None:
                line, skip = joined, True
        out.append((line, named))
    return out


def _despeckled(line: Line) -> tuple[Line, Title | None]:
    """A scanned line read as a title once the specks after it are dropped, else as it is;
    read exactly first, then loosely (a character of the title misread)."""
    words, cut = list(line.words), [line]
    while len(words) > 1 and len(words[-1].text.strip()) <= _SPECK:
        words.pop()
        cut.append(Line(line.page, tuple(words)))
    for read, candidates in ((title, cut[1:]), (loosely, cut)):
        for candidate in candidates:
            if (named := read(candidate.text)) is not None:
                return candidate, named
    return line, None


def read_line(
    section: Section, line: Line, page_lines: list[Line], columns: list[Column] | None
) -> list[Column] | None:
    """Add a line to the section; returns the columns in force after it."""
    assert section.title.kind is not None  # as above; a type hint  # nosec B101
    above = page_lines[: page_lines.index(line)] if line in page_lines else []
    read = header(line, above, section.title.kind)
    if read is not None:
        named, doubt = read
        section.columns = section.columns or named
        section.head.append(line.text)
        if doubt is not None and doubt not in section.doubts:
            section.doubts.append(doubt)
        return named
    columns = columns or inferred(page_lines) or None
    if columns is None:
        section.head.append(line.text)
        return None
    read_row = row(line, columns)
    # The heading runs until the first amount; a date over the columns ("30 September") is none.
    if not any(is_money(c.printed) for r in section.rows for c in r.cells.values()):
        section.head.append(line.text)
    section.rows.append(read_row)
    return columns


def _ran_dry(section: Section, number: int) -> bool:
    """Whether a continuation page brought no amounts: the statement ended on the page before."""
    pages = {r.line.page for r in section.rows if r.priced}
    return bool(pages) and min(pages) < number and number not in pages


def _continues(section: Section, number: int) -> bool:
    """Whether a statement may go on onto page `number`."""
    assert section.title.kind is not None  # as above; a type hint  # nosec B101
    last = max((r.line.page for r in section.rows), default=section.page)
    return (
        number == last + 1
        and number - section.page <= MAX_CONTINUATION
        and not section.closed_by(CLOSING.get(section.title.kind))
    )
