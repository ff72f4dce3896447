"""OCR of pages without a text layer: Tesseract's words, boxed in PDF points like the text layer.

Invariants: the page image reaches Tesseract through a pipe and its words come back through one,
so no plaintext of the document is written to disk; every page has a time limit; failures carry
a reason without any of the page's text.
"""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
import statistics
import subprocess  # runs tesseract with fixed arguments, never a shell  # nosec B404

from PIL import Image, ImageOps

from ingest.errors import ExtractionFailed, Unrenderable
from ingest.pages import open_image, open_pdf
from ingest.words import Page, Word

logger = logging.getLogger(__name__)

DPI = 300
LANGUAGES = "chi_sim+chi_tra+eng"
PAGE_TIMEOUT = 60  # seconds; a clean A4 page takes 1-3 s
LONGEST_SIDE = 7000  # pixels: A3 at 300 DPI fits, a poster-sized page is scaled down to it
GUESS = 5  # Tesseract's confidence (0-100) below which a word is a guess, not a reading
SPECK = 50  # below this, a word of marks only (| ~ _ ') is usually dust on the scan
# Tesseract reads Chinese character by character. Characters closer than a line height belong
# to one word (labels spaced out with full-width spaces, 名　称, stay apart); between Chinese and
# digits or Latin, as in 2015年03月12日, a space shows as half a line height.
JOIN = 1.0
JOIN_MIXED = 0.5
RULES = "_|"  # table rules that Tesseract glues to the ends of words (_297,466,784)
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
_INK = re.compile(r"\w")
# Tesseract's threads fight the other workers on a small machine; one per page is fastest.
_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def ocr_page(data: bytes, number: int) -> Page:
    """Page `number` (from 1) of a PDF, read by OCR."""
    pdf = open_pdf(data)
    try:
        if not 1 <= number <= len(pdf):
            raise Unrenderable(f"page: the document has no page {number}")
        page = pdf[number - 1]
        width, height = page.get_size()
        scale = min(DPI / 72, LONGEST_SIDE / max(width, height))
        picture = page.render(scale=scale, grayscale=True).to_pil()
    finally:
        pdf.close()
    return _read(picture, number, width, height)


def ocr_image(data: bytes) -> list[Page]:
    """Every page of a scan (each frame of a multi-page TIFF), read by OCR."""
    pages = []
    with open_image(data) as image:
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            dpi = _resolution(image)
            frame = ImageOps.exif_transpose(image).convert("L")
            width, height = frame.width * 72 / dpi, frame.height * 72 / dpi
            frame.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
            pages.append(_read(frame, index + 1, width, height))
    return pages


def _resolution(image: Image.Image) -> float:
    # Scanners record their DPI; a missing or absurd one (0, 1) means the usual scan's 300.
    dpi = image.info.get("dpi", (0, 0))[0]
    return float(dpi) if 50 <= dpi <= 2400 else DPI


def _read(picture: Image.Image, number: int, width: float, height: float) -> Page:
    out = io.BytesIO()
    picture.save(out, "PPM")  # uncompressed: quicker to write than PNG, and Tesseract reads it
    tsv = _tesseract(out.getvalue(), picture.width * 72 / width, number)
    words = _words(tsv, across=width / picture.width, down=height / picture.height)
    return Page(number, width, height, tuple(words), source="ocr")


def _tesseract(image: bytes, dpi: float, number: int) -> str:
    program = shutil.which("tesseract")
    if program is None:
        raise ExtractionFailed("OCR is not available: the tesseract program is not installed")
    # --psm 6, one uniform block: forms and statement tables come back whole, where automatic
    # layout analysis (3) drops sparse Chinese labels and misreads large titles.
    command = [program, "stdin", "stdout", "-l", LANGUAGES, "--dpi", str(round(dpi))]
    command += ["--psm", "6", "tsv"]
    try:
        # Fixed arguments, no shell (the program as found on PATH); the image goes in on stdin.
        done = subprocess.run(  # noqa: S603  # nosec B603
            command, input=image, capture_output=True, timeout=PAGE_TIMEOUT, env=_ENV, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise ExtractionFailed(f"OCR of page {number} timed out after {PAGE_TIMEOUT} s") from error
    if done.returncode != 0:
        # Tesseract complains about missing languages or unreadable images, never page text.
        complaint = done.stderr.decode(errors="replace").strip()[-300:]
        logger.warning("tesseract exited with status %d: %s", done.returncode, complaint)
        raise ExtractionFailed(
            f"OCR of page {number} failed (tesseract exit status {done.returncode})"
        )
    return done.stdout.decode()


def _words(tsv: str, across: float, down: float) -> list[Word]:
    # Columns: level page block paragraph line word left top width height confidence text;
    # level 5 rows are words, and (block, paragraph, line) names the line they sit on.
    lines: dict[tuple[str, ...], list[Word]] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t", 11)
        if len(cells) < 12 or cells[0] != "5":
            continue
        text, confidence = cells[11].strip().strip(RULES), float(cells[10])
        if not text or confidence < GUESS or (confidence < SPECK and not _INK.search(text)):
            continue
        left, top, wide, high = (int(cell) for cell in cells[6:10])
        lines.setdefault(tuple(cells[2:5]), []).append(
            Word(text, left * across, (left + wide) * across, top * down, (top + high) * down)
        )
    return [word for line in lines.values() for word in _join_cjk(line)]


def _join_cjk(line: list[Word]) -> list[Word]:
    # A label such as 资产总计 comes back as one word, as the text layer has it.
    height = statistics.median(word.bottom - word.top for word in line)
    joined = [line[0]]
    for word in line[1:]:
        last = joined[-1]
        before, after = bool(_CJK.match(last.text[-1])), bool(_CJK.match(word.text[0]))
        reach = JOIN if before and after else JOIN_MIXED if before or after else 0
        if word.x0 - last.x1 < reach * height:
            joined[-1] = Word(
                last.text + word.text,
                min(last.x0, word.x0),
                max(last.x1, word.x1),
                min(last.top, word.top),
                max(last.bottom, word.bottom),
            )
        else:
            joined.append(word)
    return joined
