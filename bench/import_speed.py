"""`dangan import` against the upload API used file by file, on the embedded default.

A folder of generated PDFs (each unique) with a manifest holding ten bad rows is imported; the
same number of files of the same size is uploaded one request at a time over HTTP to a
`dangan serve` of another data directory. A second import run must store nothing.

    .venv/bin/python -m bench.import_speed [FILES] [KIB]
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import archivist_with_customer, dangan
from tests.factories import random_uscc

DANGAN = str(Path(sys.executable).with_name("dangan"))
BAD_ROWS = 10


def _pdf(size: int) -> bytes:
    return (b"%PDF-1.7\n" + os.urandom(size))[:size]


def _folder(root: Path, files: int, size: int) -> Path:
    """`files` good rows over 20 customers, then ten bad ones; returns the manifest."""
    codes = [random_uscc() for _ in range(20)]
    rows = []
    for n in range(files):
        name = f"f{n:05d}.pdf"
        (root / name).write_bytes(_pdf(size))
        rows.append([name, codes[n % 20], f"客户 {n % 20}", "contract", f"合同 {n}"])
    bad = [
        ["missing.pdf", codes[0], "客户", "contract", "x"],
        ["../escape.pdf", codes[0], "客户", "contract", "x"],
        ["f00000.pdf", codes[0][:17] + "?", "客户", "contract", "x"],
        ["f00001.pdf", codes[1], "客户", "napkin", "x"],
    ]
    (root / "note.txt").write_bytes(b"not a document")
    bad += [["note.txt", codes[2], "客户", "contract", "x"]] * 2
    bad += [["f00003.pdf", codes[3], "客户", "contract", "again"]] * 4  # duplicates
    manifest = root.parent / "manifest.csv"
    with manifest.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["file", "credit_code", "customer_name", "doc_type", "title"])
        writer.writerows(rows + bad[:BAD_ROWS])
    return manifest


def main() -> None:
    """Print the rates of both ways in and their ratio."""
    files = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    size = (int(sys.argv[2]) if len(sys.argv) > 2 else 64) * 1024
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        (work / "in").mkdir()
        manifest = _folder(work / "in", files, size)
        env = {"DANGAN_DATA_DIR": str(work / "data")}
        with dangan(env, work / "serve.log") as (base, _):
            client, customer = archivist_with_customer(base)
            started = time.perf_counter()
            for n in range(files):
                sent = client.post(
                    f"/api/v1/customers/{customer}/documents",
                    data={"doc_type": "contract", "title": f"合同 {n}"},
                    files={"file": (f"u{n}.pdf", _pdf(size), "application/pdf")},
                )
                assert sent.status_code == 201, sent.text
            api_seconds = time.perf_counter() - started
        command = [DANGAN, "import", str(work / "in"), "--manifest", str(manifest)]
        command += ["--as", "bench", "--report", str(work / "rejected.csv")]
        runs = []
        for _ in range(2):
            started = time.perf_counter()
            done = subprocess.run(
                command, env=os.environ | env, capture_output=True, text=True, check=True
            )
            runs.append((time.perf_counter() - started, done.stdout.strip().splitlines()))
    (first_seconds, first), (second_seconds, second) = runs
    megabytes = files * size / 1e6
    print(f"{files} files of {size // 1024} KiB, {BAD_ROWS} bad rows (embedded default)")
    print(
        f"  upload API, file by file: {files / api_seconds:7.1f} files/s"
        f" {megabytes / api_seconds:6.2f} MB/s"
    )
    print(
        f"  dangan import (whole command, start-up included): {files / first_seconds:7.1f}"
        f" files/s {megabytes / first_seconds:6.2f} MB/s"
    )
    print(f"  ratio import / API: {api_seconds / first_seconds:.2f}x")
    print("  first run:  " + " | ".join(first))
    print(f"  second run ({second_seconds:.1f} s): " + " | ".join(second))


if __name__ == "__main__":
    main()
