"""A page OCR cannot read in time is left out and named, the rest of the document is still read,
and any statement that may lie on such a page is not trusted: the worker returns what it read
before its time limit instead of being killed with nothing."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pypdfium2 as pdfium
from typer.testing import CliRunner

from archive_api.cli import app
from bench.scans import Damage
from ingest import ocr, tasks
from ingest.config import IngestSettings
from ingest.isolation import run_isolated
from ingest.pages import PDF
from ingest.statements import Statement, extract_document
from ingest.statements.unread import UNREAD
from tests.ingest.test_scans import BALANCE_SHEET, MOUTAI, _scan

NOTES = 70  # a page of Moutai's notes: text and a table or two, no statement
QUICK = Damage(150, 0.3, 0.4, 8.0, False)


def _scan_then_text() -> bytes:
    """The audit report's last page as a scan, then the balance sheet's pages with their text
    layer: the scanned page, right before the statement, may hold its title."""
    scanned = pdfium.PdfDocument(_scan([BALANCE_SHEET - 1], QUICK))
    digital = pdfium.PdfDocument(MOUTAI.read_bytes())
    joined = pdfium.PdfDocument.new()
    try:
        joined.import_pages(scanned)
        joined.import_pages(digital, [BALANCE_SHEET - 1, BALANCE_SHEET, BALANCE_SHEET + 1])
        out = io.BytesIO()
        joined.save(out)
        return out.getvalue()
    finally:
        for pdf in (joined, digital, scanned):
            pdf.close()


def _assert_distrusted(sheet: Statement, page: int) -> None:
    [failed] = [c for c in sheet.checks if c.name == UNREAD]
    assert not failed.ok
    assert f"page {page} " in failed.detail
    assert set(failed.items) == set(sheet.items)
    assert sheet.needs_review
    # Read exactly from the text layer, yet no figure is trusted: it may be the wrong printing.
    assert all(f.confidence <= 0.5 for f in sheet.items.values())


def test_a_page_not_read_in_time_is_named_and_the_rest_is_read() -> None:
    found = extract_document(
        _scan_then_text(), ocr=ocr.ocr_page, skim=ocr.skim_page, deadline=time.monotonic()
    )
    assert found.unread_pages == [1]
    sheet = next(s for s in found.statements if s.type == "balance_sheet")
    assert sheet.pages == [2, 3, 4]
    cash = sheet.items["cash"]
    assert (str(cash.current), str(cash.prior)) == ("51810243607.11", "36091090060.90")
    _assert_distrusted(sheet, 1)


def test_with_time_for_ocr_no_page_is_unread_and_the_figures_are_checked() -> None:
    found = extract_document(_scan_then_text(), ocr=ocr.ocr_page, skim=ocr.skim_page)
    assert found.unread_pages == []
    sheet = next(s for s in found.statements if s.type == "balance_sheet")
    assert not [c for c in sheet.checks if c.name == UNREAD]
    assert sheet.items["total_assets"].confidence > 0.9  # assets = liabilities + equity holds


def test_the_worker_returns_what_it_read_before_its_time_limit() -> None:
    # Twenty scanned pages of notes: no title on any, so each would be read in full (2-4 s a
    # page here, 50 s or more in all). OCR is given 12 s of a 40 s limit (the worker gives it
    # OCR_SHARE of its limit; less here, so that a page slowed by a loaded machine cannot push
    # the reading past the limit): the reading ends in time, naming the pages it left, instead
    # of being killed with nothing.
    data = _scan([NOTES + n for n in range(20)], QUICK)
    # run_isolated kills the child at the limit and raises: returning at all is in time.
    found = run_isolated(
        tasks.read_statements,
        data,
        PDF,
        12.0,
        timeout=40.0,
        memory_mb=IngestSettings().extract_memory_mb,
    )
    assert found.unread_pages, "every page was read: the test's scan is too small to time out"
    # Named once each, in order, the last page among them (its time was gone); on a loaded
    # machine a page between may be left too, when it alone took longer than the time left.
    assert found.unread_pages == sorted(set(found.unread_pages))
    assert set(found.unread_pages) <= set(range(1, 21))
    assert found.unread_pages[-1] == 20


def test_cli_json_names_the_unread_pages(tmp_path: Path) -> None:
    document = tmp_path / "scan-then-text.pdf"
    document.write_bytes(_scan_then_text())
    result = CliRunner().invoke(app, ["extract", str(document), "--json", "--timeout", "0.1"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["unread_pages"] == [1]
    sheet = next(s for s in printed["statements"] if s["type"] == "balance_sheet")
    [failed] = [c for c in sheet["checks"] if c["name"] == UNREAD]
    assert failed["ok"] is False
    assert "page 1 " in failed["detail"]
    assert sheet["needs_review"] is True
