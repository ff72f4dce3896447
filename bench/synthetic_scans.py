"""Synthetic scans of the digital corpus documents: their statement pages printed and scanned again.

Every digital document with truth gets one image-only PDF of the pages its truth names, rendered
at 150-200 dpi, turned by up to 1 degree, blurred a little and sprinkled with noise; every third
one is cut to one bit per pixel like a fax or a Companies House TIFF. A generator seeded by the
document's name makes every run write the same files. The truth carries over: the figures are the
same, only page numbers change, and the scan's truth record is written beside it.
"""

from __future__ import annotations

import copy
import io
import json
import random
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageFilter

SEED = 17
FIXED_DATE = datetime(2026, 11, 29, tzinfo=UTC).timetuple()  # Pillow wants a struct_time
SUFFIX = ".scan.pdf"
UNIFORM_SPREAD = 73.9  # standard deviation of bytes spread evenly over 0-255
BILEVEL_THRESHOLD = 170  # grey above this turns white: thin strokes survive, the noise floor goes


@dataclass(frozen=True)
class Degradation:
    """How one document's pages are spoiled."""

    dpi: int
    angle: float  # degrees, counter-clockwise
    blur: float  # Gaussian radius in pixels
    noise: float  # standard deviation of the grey noise
    bilevel: bool


def degradation(name: str) -> Degradation:
    """The same spoiling for the same document on every run."""
    rng = random.Random(f"{SEED}:{name}")
    return Degradation(
        dpi=rng.choice((150, 175, 200)),
        angle=round(rng.uniform(-1.0, 1.0), 2),
        blur=round(rng.uniform(0.3, 0.9), 2),
        noise=round(rng.uniform(6.0, 18.0), 1),
        bilevel=rng.random() < 1 / 3,
    )


def statement_pages(record: dict[str, Any]) -> list[int]:
    """Every page the truth's statements are printed on, in order."""
    return sorted({page for s in record["statements"] for page in s["pages"]})


def _spoil(page: Image.Image, how: Degradation, rng: random.Random) -> Image.Image:
    grey = page.convert("L").rotate(
        how.angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255
    )
    grey = grey.filter(ImageFilter.GaussianBlur(how.blur))
    # Uniform bytes from the seeded generator (Image.effect_noise cannot be seeded), scaled to
    # the wanted spread around 128, then added with the 128 taken off again.
    raw = Image.frombytes("L", grey.size, rng.randbytes(grey.size[0] * grey.size[1]))
    spread = how.noise / UNIFORM_SPREAD
    noise = raw.point(lambda v: round(128 + (v - 128) * spread))
    grey = ImageChops.add(grey, noise, scale=1.0, offset=-128)
    if how.bilevel:
        # A little salt and pepper first: bilevel scanners keep specks that grey ones blur away.
        pixels = grey.load()
        assert pixels is not None
        for _ in range(grey.size[0] * grey.size[1] // 4000):
            x, y = rng.randrange(grey.size[0]), rng.randrange(grey.size[1])
            pixels[x, y] = 0 if rng.random() < 0.5 else 255
        return grey.point(lambda v: 255 if v > BILEVEL_THRESHOLD else 0).convert("1")
    return grey


def render(data: bytes, pages: list[int], how: Degradation, name: str) -> bytes:
    """An image-only PDF of the given pages (1-based) spoiled as `how` says."""
    rng = random.Random(f"{SEED}:{name}:specks")
    document = pdfium.PdfDocument(data)
    try:
        images = []
        for number in pages:
            bitmap = document[number - 1].render(scale=how.dpi / 72, grayscale=True)
            images.append(_spoil(bitmap.to_pil(), how, rng))
    finally:
        document.close()
    out = io.BytesIO()
    images[0].save(
        out,
        "PDF",
        resolution=how.dpi,
        save_all=True,
        append_images=images[1:],
        creationDate=FIXED_DATE,  # else Pillow stamps the hour and no two runs give the same file
        modDate=FIXED_DATE,
    )
    return out.getvalue()


def scan_truth(record: dict[str, Any], pages: list[int], how: Degradation) -> dict[str, Any]:
    """The digital document's truth, renumbered to the scan's pages."""
    scan = copy.deepcopy(record)
    new = {old: index + 1 for index, old in enumerate(pages)}
    scan["file"] = Path(record["file"]).stem + SUFFIX
    scan["pages_total"] = len(pages)
    scan["text_layer"] = "synthetic scan (image only)"
    scan["synthetic"] = {"from": record["file"], "pages": pages, **asdict(how)}
    for statement in scan["statements"]:
        statement["pages"] = [new[p] for p in statement["pages"]]
        for item in statement["items"].values():
            if "page" in item:
                item["page"] = new.get(item["page"], item["page"])
    return scan


def write_all(documents: list[dict[str, Any]], records: dict[str, Any], target: Path) -> int:
    """Write the scan of every digital document with truth that is on this machine."""
    from bench.corpus import locate

    target.mkdir(parents=True, exist_ok=True)
    for document in documents:
        record = records.get(document["file"])
        path = locate(document)
        if not document["text_layer"].startswith("digital") or record is None or path is None:
            continue
        pages = statement_pages(record)
        how = degradation(document["file"])
        scan = render(path.read_bytes(), pages, how, document["file"])
        name = Path(document["file"]).stem + SUFFIX
        (target / name).write_bytes(scan)
        truth = scan_truth(record, pages, how)
        truth["split"] = document["split"]
        truth["group"] = document["group"]
        (target / (name + ".json")).write_text(json.dumps(truth, ensure_ascii=False, indent=1))
        kind = "1-bit" if how.bilevel else "grey"
        print(
            f"  {name}: {len(pages)} pages, {how.dpi} dpi, {how.angle:+.2f} deg, blur "
            f"{how.blur}, noise {how.noise}, {kind}, {len(scan):,} bytes"
        )
    print(f"scans in {target}")
    return 0


def written(target: Path) -> list[tuple[Path, dict[str, Any]]]:
    """The scans written so far, each with its truth record."""
    found = []
    for truth in sorted(target.glob("*" + SUFFIX + ".json")):
        pdf = truth.with_suffix("")
        if pdf.exists():
            found.append((pdf, json.loads(truth.read_text())))
    return found
