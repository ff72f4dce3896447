"""Page images as a borrower waits for them, against rendering the same page straight from the PDF.

Dangan runs on the embedded default; a salesperson holding a `view` borrowing asks for page
images of the 310-page annual report. The reference, in this process and interleaved with the
requests: pypdfium2 opens the PDF (cold only), renders the page at the same size and Pillow
encodes it as PNG. Renderers drop a document 2 s after its last use here
(`DANGAN_RENDER_CACHE_SECONDS`), so each cold request finds the document not yet opened.

    .venv/bin/python -m bench.page_images [PDF]
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import httpx
import pypdfium2 as pdfium

from bench.harness import archivist_with_customer, borrower, dangan
from ingest.viewer import SIDES

# The report the issue was measured with, kept in the repository so a fresh clone can run this.
SAMPLE = Path(__file__).parents[1] / "tests/data/statements/cn_a_shenzhen_energy_2016_annual.pdf"
WARM_PAGES = [1, 100, 250, 2, 37, 150, 199, 300, 12, 64] * 4
COLD_PAGES = [1, 100, 250, 7, 180]
IDLE = 2.0


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _reference(data: bytes, number: int, pdf: pdfium.PdfDocument | None = None) -> None:
    # What any viewer must do at least: (open,) render at the same size, encode as PNG.
    document = pdf or pdfium.PdfDocument(data)
    page = document[number - 1]
    scale = SIDES["screen"] / max(page.get_size())
    image = page.render(scale=scale).to_pil()
    image.save(io.BytesIO(), "PNG")
    if pdf is None:
        document.close()


def _ours(reader: httpx.Client, url: str, number: int, form: str = "webp") -> bytes:
    response = reader.get(f"{url}/{number}", params={"format": form})
    response.raise_for_status()
    return response.content


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def _line(name: str, ours: float, reference: float, target: float | None = None) -> None:
    ratio = ours / reference
    verdict = (
        "" if target is None else f"(target <= {target}x) {'PASS' if ratio <= target else 'FAIL'}"
    )
    print(f"  {name:<28} ours {ours * 1000:7.1f} ms  reference {reference * 1000:7.1f} ms  "
          f"{ratio:5.2f}x {verdict}")  # fmt: skip


def main() -> None:
    """Upload the report, lend it to view, time cold and warm pages against the reference."""
    sample = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE
    data = sample.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = {"DANGAN_DATA_DIR": str(root / "data"), "DANGAN_RENDER_CACHE_SECONDS": str(IDLE)}
        with dangan(env, root / "dangan.log") as (base, _):
            archivist, customer = archivist_with_customer(base)
            files = {"file": (sample.name, data, "application/pdf")}
            uploaded = archivist.post(
                f"/api/v1/customers/{customer}/documents",
                files=files,
                # Filed as correspondence, which is not read for figures: the extraction worker
                # would otherwise read all 310 pages on the same two cores while we measure.
                data={"doc_type": "correspondence", "title": "年报"},
            )
            uploaded.raise_for_status()
            document = uploaded.json()["id"]
            reader = borrower(base, customer, document, "view")
            url = f"/api/v1/documents/{document}/pages"
            cold, cold_reference = [], []
            for number in COLD_PAGES:
                time.sleep(IDLE + 1.5)  # the renderer lets the document go
                cold.append(_timed(partial(_ours, reader, url, number)))
                cold_reference.append(_timed(partial(_reference, data, number)))
            opened = pdfium.PdfDocument(data)
            warm, warm_reference = [], []
            for number in WARM_PAGES:
                warm.append(_timed(partial(_ours, reader, url, number)))
                warm_reference.append(_timed(partial(_reference, data, number, opened)))
            sizes = {
                form: [len(_ours(reader, url, n, form)) for n in (1, 100, 250)]
                for form in ("webp", "png")
            }
            formats = {
                form: [_timed(partial(_ours, reader, url, n, form)) for n in WARM_PAGES[:10]]
                for form in ("webp", "png")
            }
    print(
        f"{sample.name}: {len(data) / 1e6:.1f} MB; screen size, longest side {SIDES['screen']} px"
    )
    _line("warm page, p95", _p95(warm), _p95(warm_reference), 1.3)
    _line("warm page, median", statistics.median(warm), statistics.median(warm_reference))
    _line(
        "first page not yet opened", statistics.median(cold), statistics.median(cold_reference), 2.0
    )
    for form in ("webp", "png"):
        print(f"  {form}: median {statistics.median(formats[form]) * 1000:.1f} ms per warm page, "
              f"pages 1/100/250 {', '.join(f'{s // 1024} KB' for s in sizes[form])}")  # fmt: skip


if __name__ == "__main__":
    main()
