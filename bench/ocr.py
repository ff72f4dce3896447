"""OCR engines and preprocessing on scans, and how long reading a scanned filing takes.

    .venv/bin/python -m bench.ocr            # reading (both engines), then speed
    .venv/bin/python -m bench.ocr reading    # labels and figures per engine, script and steps
    .venv/bin/python -m bench.ocr reading rapidocr none,deskew   # some engines and steps only
    .venv/bin/python -m bench.ocr speed      # 40-page and 3-page scans through extract_pdf

Reading: the statement pages of the real scan (English) and synthetic scans of the digital
samples' statement pages (`bench.scans`: 150-200 dpi, turned up to 1°, blur, noise, some
bilevel), and Moutai's statement pages redrawn from their text layer in traditional characters
and scanned alike; each read by each engine ("auto" is RapidOCR with Tesseract for pages it finds
in traditional Chinese). A figure is read when a word on the page has the printed
amount's value to the last digit; a label when its normalised text is part of a line read; items
are scored end to end by `extract` as in `bench.extraction`. Speed: a 40-page scanned filing
(Moutai pages 40-79, its statements among notes and text) and a 3-page scan (its balance sheet)
through `extract_pdf` with the production reader and skim, in a child process under the
extraction worker's limits, against the targets of issue 17.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.extraction import score
from bench.scans import scanned_pdf, traditional_pdf
from ingest.config import IngestSettings
from ingest.isolation import run_isolated
from ingest.ocr import Engine, ocr_page, ocr_pdf_page, skim_page
from ingest.preprocess import Steps
from ingest.statements import Statement, extract, extract_pdf
from ingest.statements.labels import normalize
from ingest.statements.layout import lines
from ingest.statements.numbers import amount
from ingest.words import Page

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
TRUTH = {r["file"]: r for r in json.loads((DATA / "statements" / "truth.json").read_text())}
REAL_SCAN = "en_ph_scan_ideal_marketing_2022_fs.pdf"
SEED = 17
TRADITIONAL = "cn_a_moutai_2021_annual.pdf"  # also redrawn in traditional characters
FILING = ("cn_a_moutai_2021_annual.pdf", list(range(40, 80)), 90.0)
SHORT = ("cn_a_moutai_2021_annual.pdf", [50, 51, 52], 20.0)
VARIANTS: dict[str, Steps] = {
    "none": Steps(deskew=False),
    "deskew": Steps(),
    "deskew+denoise": Steps(denoise=True),
    "deskew+binarise": Steps(binarise=True),
}


@dataclass
class Sample:
    """A scanned PDF, which of the original's pages it holds, its truth and its script."""

    name: str
    script: str
    data: bytes
    pages: list[int]  # the original page number of each of its pages
    truth: dict[str, Any]


def samples() -> list[Sample]:
    """The real scan and synthetic scans of every digital sample's statement pages."""
    found = [Sample("real scan", "Latin", (DATA / REAL_SCAN).read_bytes(), [1, 2, 3, 4],
                    TRUTH[REAL_SCAN])]  # fmt: skip
    for offset, (name, record) in enumerate(TRUTH.items()):
        if name == REAL_SCAN:
            continue
        pages = sorted({p for s in record["statements"] for p in s["pages"]})
        data, _ = scanned_pdf((DATA / "statements" / name).read_bytes(), pages, SEED + 100 * offset)
        script = "Chinese (simplified)" if record["language"].startswith("zh") else "Latin"
        found.append(Sample(f"synthetic {name}", script, data, pages, record))
        if name == TRADITIONAL:
            data, _ = traditional_pdf((DATA / "statements" / name).read_bytes(), pages, SEED)
            script = "Chinese (traditional)"
            found.append(Sample(f"traditional {name}", script, data, pages, record))
    return found


def _read(page: Page, original: int, record: dict[str, Any]) -> Counter[str]:
    """Labels and figures of the truth printed on this page, and how many were read."""
    values = set()
    for word in page.words:
        try:
            values.add(amount(word.text))
        except (ValueError, ArithmeticError):
            continue
    read = [normalize(line.text) for line in lines(page)]
    counts: Counter[str] = Counter()
    for statement in record["statements"]:
        for item in statement["items"].values():
            if item.get("page") != original or item.get("derived"):
                continue
            counts["labels"] += 1
            counts["labels read"] += any(normalize(item["label"]) in line for line in read)
            for printed in item["printed"]:
                if printed is not None:
                    counts["figures"] += 1
                    counts["figures read"] += amount(printed) in values
    return counts


def reading(engines: tuple[Engine, ...], variants: dict[str, Steps]) -> None:
    """Labels, figures and items read per engine, script and preprocessing."""
    print("| engine | steps | script | labels read | figures read | items exact | s/page |")
    print("|---|---|---|---:|---:|---:|---:|")
    chosen = samples()
    for engine in engines:
        for label, steps in variants.items():
            tally: dict[str, Counter[str]] = {}
            for sample in chosen:
                counts = tally.setdefault(sample.script, Counter())
                pages = []
                for index, original in enumerate(sample.pages):
                    started = time.perf_counter()
                    page = ocr_pdf_page(sample.data, index + 1, engine, steps)
                    counts["milliseconds"] += round(1000 * (time.perf_counter() - started))
                    counts["pages"] += 1
                    pages.append(page)
                    counts.update(_read(page, original, sample.truth))
                items: Counter[str] = Counter()
                score(sample.truth, extract(pages), items, [])
                counts["items"] += items["items"]
                counts["items exact"] += items["exact"]
            for script, c in sorted(tally.items()):
                print(
                    f"| {engine} | {label} | {script} | {_share(c, 'labels')} "
                    f"| {_share(c, 'figures')} | {_share(c, 'items')} "
                    f"| {c['milliseconds'] / 1000 / c['pages']:.2f} |",
                    flush=True,
                )


def _share(counts: Counter[str], what: str) -> str:
    return f"{counts[what + ' read' if what != 'items' else 'items exact']} of {counts[what]}"


def _extracted(data: bytes) -> tuple[list[Statement], float, float]:
    """In the isolated child: the statements, the child's peak address space in MB and the CPU
    seconds it and its helpers (Tesseract) took."""
    found = extract_pdf(data, ocr=ocr_page, skim=skim_page)
    status = Path("/proc/self/status").read_text()
    peak = next(line for line in status.splitlines() if line.startswith("VmPeak:"))
    used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return found, int(peak.split()[1]) / 1024, sum(u.ru_utime + u.ru_stime for u in used)


def speed() -> None:
    """A 40-page and a 3-page scan through extract_pdf with the production reader, in a child
    process under the extraction worker's limits, as the worker runs it."""
    settings = IngestSettings()
    for name, numbers, target in (FILING, SHORT):
        data, _ = scanned_pdf((DATA / "statements" / name).read_bytes(), numbers, SEED)
        started = time.perf_counter()
        found, peak, cpu = run_isolated(
            _extracted,
            data,
            timeout=settings.extract_timeout,
            memory_mb=settings.extract_memory_mb,
        )
        elapsed = time.perf_counter() - started
        record = dict(TRUTH[name])
        # Only the statements printed on the pages scanned are scored.
        record["statements"] = [s for s in record["statements"] if set(s["pages"]) <= set(numbers)]
        tally: Counter[str] = Counter()
        score(record, found, tally, [])
        exact, items = tally["exact"], tally["items"]
        verdict = "PASS" if elapsed <= target else "FAIL"
        print(
            f"{len(numbers)}-page scan ({name} pages {numbers[0]}-{numbers[-1]}): "
            f"{elapsed:.1f} s ({cpu:.1f} s of CPU), target {target:.0f} s: {verdict}; "
            f"items exact {exact} of {items}; "
            f"peak address space {peak:.0f} MB (limit {settings.extract_memory_mb})",
            flush=True,
        )
    print(f"load average at the end: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")


def main() -> None:
    """Reading, speed, or both, as the first argument says."""
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    if what in {"reading", "all"}:
        engines: tuple[Engine, ...] = ("rapidocr", "tesseract", "auto")
        if len(sys.argv) > 2:
            engines = tuple(e for e in engines if e in sys.argv[2].split(","))
        variants = VARIANTS
        if len(sys.argv) > 3:
            variants = {k: v for k, v in VARIANTS.items() if k in sys.argv[3].split(",")}
        reading(engines, variants)
    if what in {"speed", "all"}:
        speed()


if __name__ == "__main__":
    main()
