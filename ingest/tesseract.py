"""Tesseract, run as a program: the page image goes in through a pipe, its words come out through
one, so no plaintext of the document is written to disk; the program is killed at its deadline.
"""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
import statistics
import subprocess  # runs tesseract with fixed arguments, never a shell  # nosec B404
from typing import TYPE_CHECKING

from PIL import Image

from ingest.errors import ExtractionFailed, OcrTimedOut
from ingest.words import Word

if TYPE_CHECKING:
    from ingest.preprocess import Grey

logger = logging.getLogger(__name__)

LANGUAGES = "chi_sim+chi_tra+eng"
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


def read(pixels: Grey, dpi: float, number: int, timeout: float) -> list[Word]:
    """The words Tesseract reads on a page image, boxed in pixels."""
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "PPM")  # uncompressed: quicker to write than PNG
    return _words(_tesseract(out.getvalue(), dpi, number, timeout), across=1.0, down=1.0)


def _tesseract(image: bytes, dpi: float, number: int, timeout: float) -> str:
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
            command, input=image, capture_output=True, timeout=timeout, env=_ENV, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise OcrTimedOut(f"OCR of page {number} timed out after {timeout:g} s") from error
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
