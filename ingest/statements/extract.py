"""Reading statements out of a document: find them, map their rows to the chart, check them."""

from __future__ import annotations

import logging
import re
from collections.abc import Collection
from dataclasses import dataclass

from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from ingest.statements import checks, confidence, periods, sets, subtotals
from ingest.statements import unread as unread_pages
from ingest.statements.chart import Item, Kind
from ingest.statements.errors import UnreadableDocument
from ingest.statements.finder import (
    MAX_CONTINUATION,
    Section,
    Whose,
    sections,
    whose,
)
from ingest.statements.labels import named
from ingest.statements.layout import ROLES, Column, Row, join
from ingest.statements.numbers import Unit, find_unit, odd
from ingest.statements.schemas import Extracted, Figure, Period, Statement
from ingest.statements.survey import survey
from ingest.statements.untitled import misread, untitled
from ingest.words import Page, Reader, Reading, Skimmer, read_pages, read_within

log = logging.getLogger(__name__)

# Confidence of a figure read from a text layer / by OCR before any check has spoken for it.
TEXT_CONFIDENCE = 0.9
OCR_CONFIDENCE = 0.7
WRAPPED_PENALTY = 0.05  # a label pieced together from two lines may have been pieced wrongly
MIN_ITEMS = 2  # fewer chart lines with amounts than this is a note table, not a statement
MIN_UNTITLED_ITEMS = 4  # without a title, a page must fit the chart better to count
_ORDER = {"balance_sheet": 0, "income_statement": 1, "cash_flow_statement": 2}


def extract_pdf(
    data: bytes, ocr: Reader | None = None, skim: Skimmer | None = None
) -> list[Statement]:
    """The statements in a PDF, as `extract_document` finds them with no deadline."""
    return extract_document(data, ocr, skim).statements


def extract_document(
    data: bytes,
    ocr: Reader | None = None,
    skim: Skimmer | None = None,
    deadline: float | None = None,
) -> Extracted:
    """The statements in a PDF; only title pages and the pages after them are read in full
    (pages without text chosen by `skim`, where given, else all read by `ocr`). OCR stops at
    `deadline` (`time.monotonic()`): pages it could not read are named, not waited for."""
    found = survey(data, skim if ocr is not None else None, deadline)
    wanted = found.wanted(MAX_CONTINUATION, ocr is not None)
    log.info("statement pages: %d of %d to read", len(wanted), found.total)
    try:
        if ocr is None:
            read = Reading(read_pages(data, numbers=sorted(wanted)), [])
        else:
            read = read_within(data, ocr, sorted(wanted), deadline)
    except (PdfminerException, MalformedPDFException) as error:  # pdfplumber wraps pdfminer's
        raise UnreadableDocument("the PDF's pages cannot be parsed") from error
    if read.unread:
        log.warning("pages not read by OCR in time: %s", read.unread)
    return Extracted(statements=extract(read.pages, read.unread), unread_pages=read.unread)


def extract(pages: list[Page], unread: Collection[int] = ()) -> list[Statement]:
    """The statements in the pages: consolidated before parent-company, each type once (of
    several printings the latest, `sets`), their figures checked within and across statements
    (and against the `unread` pages they may lie on) before their confidence is settled."""
    found = sections(pages)
    guessed = misread(pages, found) if found else untitled(pages)
    scopes = whose(found, True)
    # An untitled statement beside titled ones is whose they are: a company's where all are.
    alone: Whose = "company" if scopes and set(scopes) == {"company"} else "consolidated"
    read = [(s, scope, MIN_ITEMS) for s, scope in zip(found, scopes, strict=True)]
    read += [(s, alone, MIN_UNTITLED_ITEMS) for s in guessed]
    printings: dict[tuple[str, Whose], list[Statement]] = {}
    for section, scope, least in read:
        statement = _statement(section, scope, least)
        if statement is not None:
            printings.setdefault((statement.type, scope), []).append(statement)
    titled = {s.title.kind for s in found}
    chosen = [sets.choose(p, decide=p[0].type in titled) for p in printings.values()]
    ordered = sorted(chosen, key=lambda s: (s.scope != "consolidated", _ORDER[s.type], s.pages[0]))
    return [confidence.settle(s) for s in unread_pages.flagged(checks.tie(ordered), unread)]


@dataclass(frozen=True)
class _Candidate:
    item: Item
    rank: int
    index: int
    rows: tuple[Row, ...]  # the lines the label was read from; the last one with amounts
    unlabelled: bool = False  # a subtotal named by the heading over its items

    @property
    def valued(self) -> bool:
        return any(r.cells for r in self.rows)


def _statement(section: Section, scope: Whose, least: int) -> Statement | None:
    kind = section.title.kind
    assert kind is not None  # sections are made only under a known title; a type hint  # nosec B101
    chosen = _items(section.rows, kind)
    base = TEXT_CONFIDENCE if section.source == "text" else OCR_CONFIDENCE
    items = {code: _figure(c, base) for code, c in chosen.items()}
    if sum(1 for f in items.values() if f.current is not None or f.prior is not None) < least:
        return None
    unit = find_unit("\n".join(section.head)) or Unit("", 1, None)
    headings = {c.role: c for c in section.columns}
    review = list(section.doubts)
    valued = [_valued(c) for c in chosen.values() if _valued(c).cells]
    if any(not r.headed for r in valued):
        review.append("no period heading over the amounts: which column is which is a guess")
    if any(r.stray for r in valued):
        review.append("amounts printed where no period heading is: the columns may be misread")
    # Columns headed by the year alone take their length from the statement's own heading ("for
    # the year ended 31 December 2025"), unless a column names a length of its own or the
    # columns are in doubt: a quarter's column must never be labelled with the nine months.
    told = kind != "balance_sheet" and not review
    told = told and not any(c.period and c.period.months for c in headings.values())
    stated = periods.stated(section.head) if told else None
    return Statement(
        type=kind,
        scope=scope,
        title=section.title.text,
        pages=section.pages,
        unit=unit.text,
        multiplier=unit.multiplier,
        currency=unit.currency,
        columns={r: headings[r].heading if r in headings else "" for r in ROLES},
        items=items,
        checks=checks.check(kind, items)
        + checks.digits(_odd(section.rows, chosen), items)
        + checks.periods(review, items),
        needs_review=False,  # settled with the figures' confidence, once all checks have run
        periods={r: _period(headings[r], stated) for r in ROLES if r in headings},
        review=review,
    )


def _period(column: Column, stated: int | None) -> Period:
    read = column.period
    if read is None:
        return Period(heading=column.heading, months=stated, end=None)
    return Period(heading=read.heading, months=read.months or stated, end=read.end_text)


def _odd(rows: list[Row], chosen: dict[str, _Candidate]) -> dict[tuple[str, str], str]:
    """What is odd about the digits of each chosen figure, judged against its whole column."""
    found: dict[tuple[str, str], str] = {}
    for role in ROLES:
        cells = [r.cells[role] for r in rows if role in r.cells]
        reasons = {id(cells[i]): why for i, why in odd([c.printed for c in cells]).items()}
        for code, candidate in chosen.items():
            cell = _valued(candidate).cells.get(role)
            if cell is not None and id(cell) in reasons:
                found[(code, role)] = reasons[id(cell)]
    return found


def _items(rows: list[Row], kind: Kind) -> dict[str, _Candidate]:
    """Chart items of the rows: the best-ranked variant wins, then a row with amounts."""
    chosen: dict[str, _Candidate] = {}
    for candidate in _candidates(rows, kind):
        code = candidate.item.code
        held = chosen.get(code)
        if held is None or _better(candidate, held):
            chosen[code] = candidate
    return chosen


def _valued(candidate: _Candidate) -> Row:
    """The row holding the candidate's amounts: the last of its lines that has any."""
    return next((r for r in reversed(candidate.rows) if r.cells), candidate.rows[0])


def _better(new: _Candidate, held: _Candidate) -> bool:
    # A line printing its own name beats a sum named after its heading: under "Equity" the
    # sum of share capital and treasury shares comes before the "Total equity" line.
    if new.unlabelled != held.unlabelled and new.valued and held.valued:
        return held.unlabelled
    if new.rank != held.rank:
        return new.rank < held.rank
    if new.valued != held.valued:
        return new.valued
    return new.item.last and new.index > held.index


def _candidates(rows: list[Row], kind: Kind) -> list[_Candidate]:
    """Labels each row may carry: its own, or joined with a wrapped line above or below."""
    found: list[_Candidate] = []
    for index, current in enumerate(rows):
        if not current.label:
            found.extend(_subtotal(rows, index, kind))
            continue
        before = rows[index - 1] if index and _wrapped(rows[index - 1], current) else None
        after = (
            rows[index + 1]
            if index + 1 < len(rows) and _wrapped(current, rows[index + 1])
            else None
        )
        # "Cost of sales:" with no amounts heads the lines under it (Products, Services, Total
        # cost of sales): on its own it is no figure, however well its words name an item.
        heading = not current.cells and current.text.rstrip().endswith((":", "："))
        readings: list[tuple[Row, ...]] = [] if heading else [(current,)]
        if before is not None and current.cells:
            readings.append((before, current))
        if after is not None and not (after.cells and after.label):
            # the label's next line, or its amounts printed on a line of their own under it
            readings.append((current, after))
        # The reading naming an item by its best variant wins, then one that brings amounts;
        # on a tie, the line on its own.
        best: list[_Candidate] = []
        for lines in readings:
            matched = named(join([w for r in lines for w in r.label]), kind)
            new = [_Candidate(item, rank, index, lines) for item, rank in matched]
            if new and (not best or _key(new) < _key(best)):
                best = new
        found.extend(best)
    return found


def _subtotal(rows: list[Row], index: int, kind: Kind) -> list[_Candidate]:
    """An unlabelled line of amounts read as the total (or item) of the heading over it."""
    read = subtotals.heading_of(rows, index, kind)
    if read is None:
        return []
    heading, matched = read
    return [_Candidate(item, rank, index, (heading, rows[index]), True) for item, rank in matched]


def _key(candidates: list[_Candidate]) -> tuple[int, bool]:
    return min(c.rank for c in candidates), not candidates[0].valued


def _wrapped(upper: Row, lower: Row) -> bool:
    """Whether `lower` may continue `upper`'s label (or carry its amounts): adjacent lines, one
    of them without amounts."""
    if upper.line.page != lower.line.page or (upper.cells and lower.cells):
        return False
    if not (lower.label or lower.cells):
        return False
    height = upper.line.bottom - upper.line.top
    return 0 <= lower.line.top - upper.line.bottom < 1.2 * height


def _label(parts: list[str]) -> str:
    """A label wrapped over lines, put back on one: Chinese runs on, Latin words get a space."""
    text = parts[0]
    for part in parts[1:]:
        text += (" " if text[-1:].isascii() and part[:1].isascii() else "") + part
    return re.sub(r"\s+", " ", text).strip()


def _figure(candidate: _Candidate, base: float) -> Figure:
    rows = candidate.rows
    valued = _valued(candidate)
    words = [w for r in rows for w in r.label] + [c.word for c in valued.cells.values()]
    current, prior = valued.cells.get("current"), valued.cells.get("prior")
    confidence = base - (WRAPPED_PENALTY if len(rows) > 1 else 0)
    return Figure(
        current=current.value if current else None,
        prior=prior.value if prior else None,
        page=valued.line.page,
        label=_label([join(r.label) for r in rows]),
        raw=[current.printed if current else None, prior.printed if prior else None],
        position=(
            min(w.x0 for w in words),
            min(w.top for w in words),
            max(w.x1 for w in words),
            max(w.bottom for w in words),
        ),
        confidence=round(confidence, 3),
    )
