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

from ingest.statements.chart import Kind
from ingest.statements.labels import fold, match, normalize
from ingest.statements.layout import Column, Line, Row, header, inferred, lines, row
from ingest.statements.numbers import is_money
from ingest.words import Page

Scope = Literal["consolidated", "parent"]  # as a title names it
# Whose figures a statement holds: the group's, its parent's beside them, or those of a
# company reporting alone.
Whose = Literal["consolidated", "parent", "company"]
# How many pages after its title page a statement may continue on.
MAX_CONTINUATION = 3

_CN_TITLE = re.compile(
    r"(中期)?(简明)?"  # 中期简明综合…: Hong Kong interim reports
    r"(?P<scope>合并|综合|母公司|本公司|公司|本行|银行|集团)?(及(母公司|本公司|公司|本行|银行))?"
    r"(?P<kind>资产负债表|财务状况表|利润表|损益表|利润及利润分配表|(损益及其他)?(全面|综合)(收益|亏损)表"
    r"|现金流量表|所有者权益变动表|股东权益变动表|权益变动表)"
    r"(\(续\)|续)?(\d{4}年[\d月日度至\-—–~]*)?(续)?"  # a date printed on the title's line
)
_EN_TITLE = re.compile(
    r"(the)?(unaudited|audited|condensed|interim|summary|summarised|summarized)*"
    r"(?P<scope>consolidated|group|company|parentcompany|parent|separate|standalone)?"
    r"(interim|condensed)*"
    r"(statements?of(consolidated)?(?P<kind>financialposition|financialcondition"
    r"|profitorloss(andothercomprehensiveincome)?|(comprehensive)?(income|loss)|operations|earnings"
    r"|cashflows?|changesin\w*equity)|(?P<short>balancesheets?|incomestatements?"
    r"|cashflowstatements?|profitandlossaccounts?))((ofthe)?(?P<owner>company|bank|parent|group))?"
    r"(continued)?"
    r"(asat|asof|at|(forthe)?((financial)?year|(six|three|nine|twelve)?months?|period)?"
    r"(ended|ending))?"
)
_KINDS: dict[str, Kind | None] = {
    "资产负债表": "balance_sheet", "财务状况表": "balance_sheet",
    "financialposition": "balance_sheet", "financialcondition": "balance_sheet",
    "balancesheet": "balance_sheet",
    "现金流量表": "cash_flow_statement", "cashflow": "cash_flow_statement",
    "所有者权益变动表": None, "股东权益变动表": None, "权益变动表": None, "changesin": None,
}  # fmt: skip
_PARENT = (
    "bank",
    "本行",
    "银行",  # a bank's own statements (银行资产负债表) after the group's (合并资产负债表)
    "母公司",
    "本公司",
    "公司",
    "company",
    "parentcompany",
    "parent",
    "separate",
    "standalone",
)
_SIGNATURES = re.compile(r"(公司|企业)负责人|法定代表人|主管会计工作负责人|会计机构负责人")
_CLOSING = {"balance_sheet": "total_liabilities_and_equity", "cash_flow_statement": "cash_end"}


@dataclass(frozen=True)
class Title:
    """A statement title: which statement (None for one we do not read) and whose."""

    kind: Kind | None
    scope: Scope | None
    text: str
    name: str  # the title folded, up to the statement's name: a "（续）" page has the same


def title(text: str) -> Title | None:
    """The statement a line titles, if the whole line is a statement title."""
    if text.rstrip().endswith((".", "。", ",", "，", ";", "；")):
        return None  # a sentence that mentions a statement
    # Remarks in brackets ("(in millions)", "（续）") do not change which statement it is.
    flat = re.sub(r"\([^()]*\)", "", fold(text))
    flat = re.sub(r"[\s.,:()'’\-–—]|^[一二三四五六七八九十\d]+[、.]", "", flat)
    flat = re.sub(r"\d{0,2}(january|february|march|april|may|june|july|august|september"
                  r"|october|november|december)\d*$", "", flat)  # fmt: skip
    found = _CN_TITLE.fullmatch(flat) or _EN_TITLE.fullmatch(flat)
    if found is None:
        return None
    name = found["kind"] or found["short"]
    kind: Kind | None = "income_statement"  # profit or loss, income, operations, earnings …
    for key, named in _KINDS.items():
        if name.startswith(key):
            kind = named
    scope = found["scope"] or (found.groupdict().get("owner"))
    return Title(
        kind,
        None if scope is None else "parent" if scope in _PARENT else "consolidated",
        text,
        # "— Group" and "— Company" after the same words are two statements, not one continued
        flat[: max(found.end(g) for g in ("kind", "short", "owner") if found.groupdict().get(g))],
    )


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
        fresh = not any(r.priced for r in self.rows)
        return fresh and (named.kind, named.scope) == (self.title.kind, self.title.scope)

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
        for line, named in _titled(page_lines, page.source == "ocr"):
            if named is not None:
                if current is not None and current.same(named):
                    current.names.add(named.name)
                    continue  # "（续）", or the title again in another language
                current = None
                columns = None
                if named.kind is not None:
                    current = Section(named, page.number, head=[line.text], source=page.source)
                    found.append(current)
                continue
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
    """A scanned line read as a title once the specks after it are dropped, else as it is."""
    words = list(line.words)
    while len(words) > 1 and len(words[-1].text.strip()) <= _SPECK:
        words.pop()
        shorter = Line(line.page, tuple(words))
        if (named := title(shorter.text)) is not None:
            return shorter, named
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
        and not section.closed_by(_CLOSING.get(section.title.kind))
    )
