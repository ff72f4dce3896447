"""Stamped downloads: a borrower's copy of the 310-page report through the API, against pikepdf.

Dangan runs on its embedded default (`dangan serve` with a data directory only). The upload is
read in the background for search (its text, every page): the benchmark waits until the report
is found by a word of its text, so that this reading does not share the cores with the timed
downloads, and prints how long it took. A salesperson borrows the report to download and the
department head approves; each round then times the
borrower's `GET /documents/{id}/content` (decrypt, stamp in the limited child process, audit,
send) and, in this process, the reference: pikepdf opening the same file, adding one shared Form
XObject to every page and saving it. Rounds alternate; medians are reported, with sizes, and
Dangan's time and size as ratios of the reference's (size against the original too: the issue's
target), with the load average, since the figures mean little without it. The first download
after the start is timed apart.

    .venv/bin/python -m bench.stamping [rounds]
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pikepdf

from bench.harness import archivist_with_customer, borrower, dangan

REPORT = Path(__file__).resolve().parent.parent / "tests/data/statements"
REPORT /= "cn_a_shenzhen_energy_2016_annual.pdf"
# In the report's text, not in its title or customer's name; and how long its reading may take.
WORD_OF_TEXT, WAIT_FOR_TEXT = "深圳能源", 1800.0
TARGETS = {"time vs pikepdf": 1.5, "size vs pikepdf": None, "size vs original": 1.1}


def reference(data: bytes) -> bytes:
    """What pikepdf does with the fewest steps: one Form XObject drawn over every page, saved."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1)
        font.BaseFont = pikepdf.Name.Helvetica
        form = pdf.make_stream(
            b"BT /F 24 Tf 36 36 Td (reference mark) Tj ET",
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Form,
            BBox=[0, 0, 595, 842],
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F=font)),
        )
        draw = pdf.make_stream(b"q /Mark Do Q")
        for page in pdf.pages:
            page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name("/Mark"))
            page.contents_add(draw)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def indexed(archivist: httpx.Client, document: str) -> float:
    """Seconds until the upload's text is searchable: the server's background reading is over."""
    started = time.perf_counter()
    while time.perf_counter() - started < WAIT_FOR_TEXT:
        found = archivist.get("/api/v1/search", params={"q": WORD_OF_TEXT}).json()
        if any(hit["document"]["id"] == document for hit in found["items"]):
            return time.perf_counter() - started
        time.sleep(2)
    raise SystemExit(f"the report's text was not searchable after {WAIT_FOR_TEXT:.0f} s")


def main() -> None:
    """Lend the report, then time Dangan's stamped download against the reference, alternately."""
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    data = REPORT.read_bytes()
    with (
        tempfile.TemporaryDirectory() as tmp,
        dangan({"DANGAN_DATA_DIR": tmp}, Path(tmp) / "dangan.log") as (base, _pid),
    ):
        archivist, customer = archivist_with_customer(base)
        files = {"file": (REPORT.name, data, "application/pdf")}
        fields = {"doc_type": "other", "title": "年度报告"}  # no figures read, only the text
        document = archivist.post(
            f"/api/v1/customers/{customer}/documents", data=fields, files=files
        ).json()["id"]
        reading = indexed(archivist, document)
        load_before = os.getloadavg()[0]
        seller = borrower(base, customer, document, "download")
        url = f"/api/v1/documents/{document}/content"
        # The first stamping after a start also starts the forkserver that every child forks from.
        started = time.perf_counter()
        assert seller.get(url).status_code == 200
        first = time.perf_counter() - started
        times: dict[str, list[float]] = {"dangan": [], "pikepdf": []}
        sizes: dict[str, int] = {}
        for _ in range(rounds):
            started = time.perf_counter()
            served = seller.get(url)
            times["dangan"].append(time.perf_counter() - started)
            assert served.status_code == 200, served.text
            sizes["dangan"] = len(served.content)
            started = time.perf_counter()
            sizes["pikepdf"] = len(reference(data))
            times["pikepdf"].append(time.perf_counter() - started)
    dangan_s, pikepdf_s = (statistics.median(times[k]) for k in ("dangan", "pikepdf"))
    load = f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    print(f"{REPORT.name}: {len(data) / 1e6:.2f} MB, {rounds} rounds, medians; {load}\n")
    print("| | seconds (median) | min–max | MB out |")
    print("|---|---:|---:|---:|")
    for name, label in (("dangan", "Dangan, stamped download"), ("pikepdf", "pikepdf reference")):
        spread = f"{min(times[name]):.2f}–{max(times[name]):.2f}"
        print(f"| {label} | {statistics.median(times[name]):.2f} | {spread} | "
              f"{sizes[name] / 1e6:.2f} |")  # fmt: skip
    ratios = {
        "time vs pikepdf": dangan_s / pikepdf_s,
        "size vs pikepdf": sizes["dangan"] / sizes["pikepdf"],
        "size vs original": sizes["dangan"] / len(data),
    }
    print(f"\nDangan's first stamped download after its start: {first:.2f} s")
    print(f"(the upload's background reading for search, waited for first: {reading:.0f} s)\n")
    for name, ratio in ratios.items():
        target = TARGETS[name]
        if target is None:
            print(f"{name}: {ratio:.2f}×")
            continue
        verdict = "meets" if ratio <= target else "misses"
        print(f"{name}: {ratio:.2f}× ({verdict} the target of ≤ {target}×)")


if __name__ == "__main__":
    main()
