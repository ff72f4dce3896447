"""Synthetic scans of digital statement pages: the truth of the digital page carries over.

A page is rendered as a scanner would see it: 150-200 dpi, turned by up to 1°, slightly
blurred, with sensor noise, some pages stored bilevel as document scanners do. Everything is
drawn from one seed, so a benchmark run and its rerun read the same pixels.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

import numpy as np
import opencc
import pdfplumber
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"  # Debian fonts-noto-cjk


@dataclass(frozen=True)
class Damage:
    """How one page was spoilt: resolution, turn (degrees, counter-clockwise), blur, noise."""

    dpi: int
    angle: float
    blur: float  # Gaussian radius in pixels
    noise: float  # standard deviation of the added noise, in grey levels
    bilevel: bool


def damage(seed: int) -> Damage:
    """A scanner's damage drawn from the ranges in issue 17."""
    draw = random.Random(seed)
    return Damage(
        dpi=draw.choice((150, 200, 200)),
        angle=round(draw.uniform(-1.0, 1.0), 2),
        blur=round(draw.uniform(0.3, 0.8), 2),
        noise=round(draw.uniform(6.0, 16.0), 1),
        bilevel=draw.random() < 0.3,
    )


def scanned(page: Image.Image, spoilt: Damage, seed: int) -> Image.Image:
    """The rendered page as the scanner delivers it (greyscale, or bilevel)."""
    turned = page.convert("L").rotate(
        spoilt.angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255
    )
    blurred = turned.filter(ImageFilter.GaussianBlur(spoilt.blur))
    pixels = np.asarray(blurred, dtype=np.float32)
    pixels += np.random.default_rng(seed).normal(0.0, spoilt.noise, pixels.shape)
    noisy = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return noisy.point(lambda v: 255 if v > 160 else 0).convert("1") if spoilt.bilevel else noisy


def render(pdf: pdfium.PdfDocument, number: int, dpi: int) -> Image.Image:
    """Page `number` (from 1) drawn in grey at `dpi`."""
    image: Image.Image = pdf[number - 1].render(scale=dpi / 72, grayscale=True).to_pil()
    return image


def scanned_pdf(data: bytes, numbers: list[int], seed: int) -> tuple[bytes, list[Damage]]:
    """An image-only PDF of the given pages as scanned, and the damage done to each."""
    pdf = pdfium.PdfDocument(data)
    images, done = [], []
    try:
        for offset, number in enumerate(numbers):
            spoilt = damage(seed + offset)
            images.append(scanned(render(pdf, number, spoilt.dpi), spoilt, seed + offset))
            done.append(spoilt)
    finally:
        pdf.close()
    out = io.BytesIO()
    # One resolution for the file: Pillow writes each page's size from it, so pages drawn at
    # 150 dpi are brought to 200 first, as a scanner set to 200 would have delivered them.
    pages = [
        image if spoilt.dpi == 200 else image.resize(_at(image, spoilt.dpi))
        for image, spoilt in zip(images, done, strict=True)
    ]
    pages[0].save(out, "PDF", resolution=200, save_all=True, append_images=pages[1:])
    return out.getvalue(), done


def _at(image: Image.Image, dpi: int) -> tuple[int, int]:
    return round(image.width * 200 / dpi), round(image.height * 200 / dpi)


def traditional_pdf(data: bytes, numbers: list[int], seed: int) -> tuple[bytes, list[Damage]]:
    """The pages redrawn from their text layer in traditional characters (as a Hong Kong report
    prints them), then scanned: the same table, the same figures, another script."""
    convert = opencc.OpenCC("s2hk")
    pdf = pdfium.PdfDocument.new()
    with pdfplumber.open(io.BytesIO(data)) as source:
        for number in numbers:
            page = source.pages[number - 1]
            image = Image.new("L", (round(page.width * 3), round(page.height * 3)), 255)
            draw = ImageDraw.Draw(image)
            for word in page.extract_words():
                size = max(round((word["bottom"] - word["top"]) * 3), 6)
                font = ImageFont.truetype(FONT, size)
                at = (word["x0"] * 3, word["top"] * 3)
                draw.text(at, convert.convert(word["text"]), font=font, fill=0)
            out = io.BytesIO()
            image.save(out, "PDF", resolution=216)
            pdf.import_pages(pdfium.PdfDocument(out.getvalue()))
    out = io.BytesIO()
    pdf.save(out)
    return scanned_pdf(out.getvalue(), list(range(1, len(numbers) + 1)), seed)
