"""Statements read without their title: in documents where no title was recognised, and on
scanned pages whose title OCR misread (a large, thin title comes out as specks or not at all).

Every such page is read as each kind of statement; the caller keeps only pages the chart fits
well (more lines than under a title) and, of several, the latest-ending and fullest.
"""

from __future__ import annotations

from ingest.statements.chart import KINDS
from ingest.statements.finder import Section, read_line
from ingest.statements.layout import Column, lines
from ingest.statements.titles import Title, title
from ingest.words import Page


def untitled(pages: list[Page]) -> list[Section]:
    """Each page read as each kind of statement, for documents where no title was recognised
    (a scan whose title OCR misread); the caller keeps only pages the chart fits well."""
    found = []
    for page in pages:
        page_lines = lines(page)
        for kind in KINDS:
            section = Section(Title(kind, None, "", f"untitled {kind}"), page.number)
            section.source = page.source
            columns: list[Column] | None = None
            for line in page_lines:
                columns = read_line(section, line, page_lines, columns)
            found.append(section)
    return found


def misread(pages: list[Page], found: list[Section]) -> list[Section]:
    """Beside titled statements, scanned pages that may print one under a title OCR misread:
    read by OCR, held by no titled statement and titled as none (not even as a statement we do
    not read, such as changes in equity), read as each kind no title was found for. Only pages
    whose columns are headed by periods count: a note's table of amounts is no statement."""
    held = {n for s in found for n in (s.page, *s.pages)}
    loose = [
        p
        for p in pages
        if p.source == "ocr"
        and p.number not in held
        and not any(title(line.text) for line in lines(p))
    ]
    kinds = {s.title.kind for s in found}
    return [s for s in untitled(loose) if s.title.kind not in kinds and s.columns]
