"""Statement extraction against the hand-read figures of real statements, and its speed.

    .venv/bin/python -m bench.extraction

Every item of `tests/data/statements/truth.json` counts once per statement: exact when both
periods equal the printed amounts to the last digit (absolute values where the truth says the
sign is presentation only), wrong when a value differs, missing when the item was not
extracted. Items the truth marks absent must not be extracted; derived items (not printed) are
not scored. The scan is scored only when an OCR reader (`ingest.ocr.ocr_page`) exists.
"""

from __future__ import annotations

import importlib
import json
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from ingest.statements import Statement, extract_pdf
from ingest.statements.chart import BY_NAME
from ingest.statements.numbers import amount
from ingest.words import Reader, read_pages

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
TRUTH = DATA / "statements" / "truth.json"
SURE = 0.9  # a wrong value must never be reported with more confidence than this


def _expected(printed: str | None) -> Decimal | None:
    return None if printed is None else amount(printed)


def _ocr() -> Reader | None:
    try:
        module = importlib.import_module("ingest.ocr")
    except ImportError:
        return None
    reader: Reader = module.ocr_page
    return reader


def score(record: dict[str, Any], found: list[Statement], tally: dict[str, Counter[str]]) -> None:
    """Add one document's items to the tally per statement type."""
    for truth in record["statements"]:
        kind = truth["type"]
        counts = tally.setdefault(kind, Counter())
        statement = next((s for s in found if s.type == kind and s.scope == "consolidated"), None)
        items = statement.items if statement else {}
        for name, expected in truth["items"].items():
            if expected.get("derived"):
                continue
            counts["items"] += 1
            figure = items.get(BY_NAME[name].code)
            if figure is None:
                counts["missing"] += 1
                continue
            want = [_expected(p) for p in expected["printed"]]
            got = [figure.current, figure.prior]
            if str(expected.get("sign", "")).startswith("presentation"):
                want = [None if v is None else abs(v) for v in want]
                got = [None if v is None else abs(v) for v in got]
            if want == got:
                counts["exact"] += 1
            else:
                counts["wrong"] += 1
                counts["wrong_sure"] += figure.confidence > SURE
                print(f"  WRONG {record['file']} {kind} {name}: {got} != {want}")
        for absent in truth.get("absent_items", []):
            counts["absent"] += 1
            if BY_NAME[absent.split()[0]].code in items:
                counts["absent_extracted"] += 1
                print(f"  NOT ABSENT {record['file']} {kind} {absent.split()[0]}")


def main() -> None:
    """Score every sample, print per statement type, then the speed."""
    ocr = _ocr()
    tallies: dict[str, dict[str, Counter[str]]] = {"digital": {}, "scan (OCR)": {}}
    speed = []
    for record in json.loads(TRUTH.read_text()):
        path = DATA / "statements" / record["file"]
        scanned = not path.exists()
        path = path if path.exists() else DATA / record["file"]
        if scanned and ocr is None:
            print(f"skipped {record['file']}: no OCR reader (ingest.ocr) yet")
            continue
        data = path.read_bytes()
        started = time.perf_counter()
        found = extract_pdf(data, ocr=ocr)
        elapsed = time.perf_counter() - started
        speed.append((record["file"], record["pages_total"], elapsed, scanned))
        score(record, found, tallies["scan (OCR)" if scanned else "digital"])
    for source, tally in tallies.items():
        if not tally:
            continue
        print(f"\n{source}\n")
        print("| statement type | items | exact | missing | wrong | wrong, conf > 0.9 | absent |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        total: Counter[str] = Counter()
        for kind, counts in tally.items():
            total.update(counts)
            _row(kind, counts)
        _row("all", total)
    print("\n| document | pages | extract_pdf s | pages/s |")
    print("|---|---:|---:|---:|")
    for name, pages, elapsed, _ in speed:
        print(f"| {name} | {pages} | {elapsed:.1f} | {pages / elapsed:.1f} |")
    _text_speed()
    if ocr is not None:
        _ocr_speed(ocr)


def _row(kind: str, counts: Counter[str]) -> None:
    share = 100 * counts["exact"] / max(counts["items"], 1)
    kept = counts["absent"] - counts["absent_extracted"]  # absent items left out, as they should
    print(
        f"| {kind} | {counts['items']} | {counts['exact']} ({share:.1f} %) | {counts['missing']} "
        f"| {counts['wrong']} | {counts['wrong_sure']} | {kept} of {counts['absent']} left out |"
    )


def _text_speed() -> None:
    """Positioned words from the text layer, the step that costs most per page read."""
    pages = 0
    started = time.perf_counter()
    for path in sorted((DATA / "statements").glob("*.pdf")):
        pages += len(read_pages(path.read_bytes(), numbers=range(1, 61)))
    elapsed = time.perf_counter() - started
    print(
        f"\ntext-layer words (pdfplumber, first 60 pages of each digital sample): {pages} pages "
        f"in {elapsed:.1f} s = {pages / elapsed:.1f} pages/s"
    )


def _ocr_speed(ocr: Reader) -> None:
    data = (DATA / "en_ph_scan_ideal_marketing_2022_fs.pdf").read_bytes()
    started = time.perf_counter()
    for number in range(1, 5):
        ocr(data, number)
    elapsed = time.perf_counter() - started
    print(f"OCR (ingest.ocr.ocr_page): 4 pages in {elapsed:.1f} s = {4 / elapsed:.2f} pages/s")


if __name__ == "__main__":
    main()
