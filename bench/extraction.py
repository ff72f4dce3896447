"""Statement extraction scored against hand-read truth: the corpus of issue 17 and first samples.

    .venv/bin/python -m bench.corpus fetch     # once: the documents not kept in git
    .venv/bin/python -m bench.corpus scans     # once: synthetic scans of the digital ones
    .venv/bin/python -m bench.extraction                   # everything on this machine
    .venv/bin/python -m bench.extraction --digital-only    # no scans (OCR is slow)
    .venv/bin/python -m bench.extraction --scans-only      # real and synthetic scans only
    .venv/bin/python -m bench.extraction --groups HK US --split holdout
    .venv/bin/python -m bench.extraction --files hk_xiaomi_2024_interim.pdf

Documents are listed in `tests/data/corpus/manifest.json`, truth in `tests/data/corpus/truth.json`
and `tests/data/statements/truth.json`. Every printed item of a statement counts once: exact when
both periods equal the printed amounts to the last digit (absolute values where the truth says
the sign is presentation only), wrong when a value differs, missing when not extracted. Items the
truth derives (not printed) are not scored; items it marks absent, and statements a document does
not have, must not be extracted: one that is counts as a wrong value ("spurious"). A wrong value
is "flagged" when a failing check of its statement names it.

Each document is read as the extraction worker reads it: OCR stops at `tasks.OCR_SHARE` of the
worker's time limit (`DANGAN_EXTRACT_TIMEOUT`, 600 s), and the pages it left are listed. Times
are wall seconds and CPU seconds (this process and the OCR programs it ran).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import resource
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench import corpus, synthetic_scans
from bench.truth_check import amount
from ingest.config import IngestSettings
from ingest.statements import Figure, Statement, extract_document
from ingest.statements.items import BY_NAME
from ingest.tasks import OCR_SHARE
from ingest.words import Reader, Skimmer
from storage.errors import DanganError

BANDS = ((0.9, "conf >= 0.9"), (0.8, "0.8-0.9"), (0.5, "0.5-0.8"), (0.0, "< 0.5"))
SURE = 0.9  # a wrong value at or above this without a failing check breaks the promise
TARGETS = {"digital": 98.0, "scan": 90.0}


def _ocr() -> tuple[Reader | None, Skimmer | None]:
    # The full reader and the cheap skim, as `dangan extract` passes them.
    try:
        module = importlib.import_module("ingest.ocr")
    except ImportError:
        return None, None
    reader: Reader = module.ocr_page
    skim: Skimmer = module.skim_page
    return reader, skim


def _layer(text_layer: str) -> str:
    if text_layer.startswith("synthetic"):
        return "synthetic scan"
    return "scan" if text_layer.startswith("scan") else "digital"


def _pick(found: list[Statement], kind: str, scope: str) -> Statement | None:
    """The statement scored for a truth statement: consolidated ones for group accounts.

    For a company's own accounts a statement titled as the parent company's comes first, then
    whatever was returned: a company reporting alone ("company"), or one whose titles were not
    read (consolidated).
    """
    of_kind = [s for s in found if s.type == kind]
    if scope.startswith(("consolidated", "合并")):
        of_kind = [s for s in of_kind if s.scope == "consolidated"]
    else:
        of_kind.sort(key=lambda s: s.scope != "parent")
    return of_kind[0] if of_kind else None


def _flagged(statement: Statement, code: str) -> bool:
    return any(not check.ok and code in check.items for check in statement.checks)


def _same(want: list[Decimal | None], got: list[Decimal | None], sign: str) -> bool:
    if sign.startswith("presentation"):
        want = [None if v is None else abs(v) for v in want]
        got = [None if v is None else abs(v) for v in got]
    return want == got


def score(
    record: dict[str, Any], found: list[Statement], counts: Counter[str], wrong: list[str]
) -> None:
    """Add one document's items to `counts`; describe each wrong value in `wrong`."""
    name = record["file"]
    scope = str(record.get("scope", "consolidated"))

    def bad(statement: Statement, code: str, figure: Figure, what: str) -> None:
        band = next(label for floor, label in BANDS if figure.confidence >= floor)
        flagged = _flagged(statement, code)
        counts[f"wrong {band}"] += 1
        counts["wrong flagged"] += flagged
        counts["wrong sure unflagged"] += figure.confidence >= SURE and not flagged
        mark = "flagged" if flagged else "NOT flagged"
        wrong.append(f"  {name} {statement.type} {code}: {what} conf {figure.confidence} {mark}")

    for truth in record["statements"]:
        statement = _pick(found, truth["type"], scope)
        items = statement.items if statement else {}
        for key, expected in truth["items"].items():
            if expected.get("derived"):
                continue
            counts["items"] += 1
            code = BY_NAME[key].code
            figure = items.get(code)
            if figure is None or statement is None:
                counts["missing"] += 1
                continue
            want = [amount(p) for p in expected["printed"]]
            got = [figure.current, figure.prior]
            if _same(want, got, str(expected.get("sign", ""))):
                counts["exact"] += 1
            else:
                counts["wrong"] += 1
                bad(statement, code, figure, f"{got} != {want}")
        for absent in truth.get("absent_items", []):
            code = BY_NAME[absent.split()[0]].code
            if statement is not None and code in items:
                counts["spurious"] += 1
                bad(statement, code, items[code], "extracted, but the statement has no such line")
    for kind in record.get("absent_statements", []):
        for statement in (s for s in found if s.type == kind):
            counts["spurious statements"] += 1
            wrong.append(f"  {name} {kind}: reported, but the document has none")
            for code, figure in statement.items.items():
                counts["spurious"] += 1
                bad(statement, code, figure, "from a statement the document does not have")


def _cases(args: argparse.Namespace) -> tuple[list[tuple[Path, dict[str, Any]]], list[str]]:
    """The documents to run, each with its truth, and the ones with truth that are not here."""
    records = corpus.truths()
    cases, missing = [], []
    for document in corpus.documents():
        record = records.get(document["file"])
        if record is None:
            continue
        record = {**record, "split": document["split"], "group": document["group"]}
        record["layer"] = _layer(document["text_layer"])
        path = corpus.locate(document)
        if path is None:
            missing.append(document["file"])
        else:
            cases.append((path, record))
    for path, record in synthetic_scans.written(corpus.cache_dir() / "scans"):
        cases.append((path, {**record, "layer": "synthetic scan"}))
    wanted = [
        (p, r)
        for p, r in cases
        if (not args.digital_only or r["layer"] == "digital")
        and (not args.scans_only or r["layer"] != "digital")
        and (not args.groups or r["group"] in args.groups)
        and (not args.split or r["split"] == args.split)
        and (not args.files or p.name in args.files)
    ]
    return wanted, missing


def main(argv: list[str] | None = None) -> None:
    """Score every document on this machine, print per group and layer, then the targets."""
    parser = argparse.ArgumentParser(prog="bench.extraction", description=__doc__.splitlines()[0])
    layers = parser.add_mutually_exclusive_group()
    layers.add_argument("--digital-only", action="store_true", help="skip real and synthetic scans")
    layers.add_argument("--scans-only", action="store_true", help="only real and synthetic scans")
    parser.add_argument("--groups", nargs="*", help="e.g. A-share HK US UK IFRS 'private (PH)'")
    parser.add_argument("--split", choices=["development", "holdout"])
    parser.add_argument("--files", nargs="*", help="only these documents (file names)")
    args = parser.parse_args(argv)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # broken colour operators, per page
    cases, missing = _cases(args)
    if missing:
        print(f"{len(missing)} documents with truth are not on this machine: {', '.join(missing)}")
        print("  fetch them: .venv/bin/python -m bench.corpus fetch")
    if not args.digital_only and not synthetic_scans.written(corpus.cache_dir() / "scans"):
        print("no synthetic scans yet: .venv/bin/python -m bench.corpus scans")
    ocr, skim = _ocr()
    rows: dict[str, Counter[str]] = {}
    splits: dict[str, Counter[str]] = {}
    wrong: list[str] = []
    failures: list[str] = []
    timings = []
    budget = OCR_SHARE * IngestSettings().extract_timeout
    for path, record in cases:
        started, cpu = time.perf_counter(), _cpu()
        unread: list[int] = []
        try:
            read = extract_document(path.read_bytes(), ocr, skim, time.monotonic() + budget)
            found, unread = read.statements, read.unread_pages
        except DanganError as error:  # the user gets nothing, so score nothing
            print(f"{path.name}: extraction failed: {error}", file=sys.stderr)
            failures.append(f"  {path.name}: extraction failed ({type(error).__name__})")
            found = []
        elapsed, cpu = time.perf_counter() - started, _cpu() - cpu
        counts: Counter[str] = Counter()
        score(record, found, counts, wrong)
        done = f"{counts['exact']} of {counts['items']}"
        timings.append(
            (path.name, record["split"], record["pages_total"], done, elapsed, cpu, unread)
        )
        print(f"{path.name}: {done} exact in {elapsed:.1f} s, CPU {cpu:.1f} s", file=sys.stderr)
        rows.setdefault(f"{record['group']} | {record['layer']}", Counter()).update(counts)
        layer = "digital" if record["layer"] == "digital" else "scan"
        splits.setdefault(f"{record['split']} | {layer}", Counter()).update(counts)
    report(rows, splits, wrong + failures, timings)


def _cpu() -> float:
    """CPU seconds of this process and of the children it has waited for (Tesseract)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _share(counts: Counter[str]) -> float:
    return 100 * counts["exact"] / max(counts["items"], 1)


def _table(title: str, rows: dict[str, Counter[str]]) -> None:
    bands = " | ".join(label for _, label in BANDS)
    print(f"\n| {title} | items | exact | missing | wrong | spurious | {bands} | flagged |")
    print("|---|---:|---:|---:|---:|---:|" + "---:|" * len(BANDS) + "---:|")
    for name, c in sorted(rows.items()):
        wrongs = c["wrong"] + c["spurious"]
        banded = " | ".join(str(c[f"wrong {label}"]) for _, label in BANDS)
        print(
            f"| {name} | {c['items']} | {c['exact']} ({_share(c):.1f} %) | {c['missing']} "
            f"| {c['wrong']} | {c['spurious']} | {banded} | {c['wrong flagged']} of {wrongs} |"
        )


def report(
    rows: dict[str, Counter[str]],
    splits: dict[str, Counter[str]],
    wrong: list[str],
    timings: list[tuple[str, str, int, str, float, float, list[int]]],
) -> None:
    """Print the tables, the wrong values, the targets and the time per document."""
    _table("group \\| layer", rows)
    _table("split \\| layer", splits)
    if wrong:
        print("\nwrong values:")
        print("\n".join(wrong))
    total: dict[str, Counter[str]] = {"digital": Counter(), "scan": Counter()}
    for name, counts in rows.items():
        total["digital" if name.endswith("| digital") else "scan"].update(counts)
    print()
    for layer, target in TARGETS.items():
        if total[layer]["items"]:
            share = _share(total[layer])
            verdict = "PASS" if share >= target else "FAIL"
            items = total[layer]["items"]
            print(f"{layer}: {share:.1f} % exact of {items} (target >= {target:.0f} %) {verdict}")
    sure = sum(c["wrong sure unflagged"] for c in rows.values())
    print(
        f"wrong values at conf >= {SURE} without a failing check: {sure} (target 0) "
        f"{'PASS' if sure == 0 else 'FAIL'}"
    )
    print("\n| document | split | pages | exact | wall s | CPU s | unread pages |")
    print("|---|---|---:|---:|---:|---:|---|")
    for name, split, pages, done, elapsed, cpu, unread in timings:
        left = ", ".join(map(str, unread)) or "-"
        print(f"| {name} | {split} | {pages} | {done} | {elapsed:.1f} | {cpu:.1f} | {left} |")


if __name__ == "__main__":
    main()
