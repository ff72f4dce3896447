"""RapidOCR: PP-OCR's text detection and recognition, run in-process by onnxruntime on the CPU.

The models ship inside the `rapidocr-onnxruntime` wheel; nothing is fetched at run time. Pages
come and go as arrays in memory. Recognition runs in batches and the page's deadline is checked
between them, so a page stops within one batch (well under a second) of its time limit.
"""

from __future__ import annotations

import time
from functools import cache
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from ingest.errors import OcrTimedOut
from ingest.preprocess import Grey, grey
from ingest.words import Word

Quad = NDArray[np.float32]  # four corners (top left, top right, bottom right, bottom left)

# One thread per reader: on a small shared machine onnxruntime's extra threads spin waiting for
# cores that other workers hold, which cost 80 % more CPU for the same pages and no less time
# (bench.ocr; recognising batches side by side in two threads measured no faster either).
THREADS = 1
BATCH = 24  # text lines recognised between two looks at the clock
LEAST_SCORE = 0.5  # the recogniser's mean confidence below which a line is a guess
# Within a line, characters further apart than this many line heights (centre to centre) are
# in different cells: digits stand about half a height apart, Chinese characters one.
GAP = 2.0
# Half a character's width in line heights, for the ends of a word cut out of a line.
HALF = {True: 0.5, False: 0.28}
INKED = 0.02  # of a line's width: a pixel row with less ink is margin, or a speck of noise
BAND_GAP = 0.15  # of a line's height: blank rows within one band of text
_CJK_FIRST, _CJK_LAST = "\u3400", "\u9fff"


@cache
def _engine() -> Any:
    # Imported here: onnxruntime and the models load only in the process that reads a scan.
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(intra_op_num_threads=THREADS, inter_op_num_threads=THREADS)


def detect(page: Grey, scale: float) -> list[Quad]:
    """Boxes of the text lines on the page, found on a copy `scale` times its size."""
    small = cv2.resize(page, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    boxes, _ = _engine().text_det(cv2.cvtColor(small, cv2.COLOR_GRAY2BGR))
    if boxes is None or len(boxes) == 0:
        return []
    return [np.asarray(box, dtype=np.float32) / scale for box in boxes]


def read(page: Grey, boxes: list[Quad], deadline: float, number: int) -> list[list[Word]]:
    """The words in each of the given line boxes (none where the line was not read), boxed in
    pixels, each line cut where its cells are apart."""
    crops = [_crop(page, box) for box in boxes]
    # Lines of like length share a batch: each is padded to the widest of its batch.
    order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / crops[i].shape[0])
    found: list[list[Word]] = [[] for _ in boxes]
    for start in range(0, len(order), BATCH):
        if time.monotonic() > deadline:
            raise OcrTimedOut(f"OCR of page {number} ran over its time limit")
        batch = order[start : start + BATCH]
        results, _ = _engine().text_rec([crops[i] for i in batch], return_word_box=True)
        for index, (text, score, info) in zip(batch, results, strict=True):
            if text.strip() and score >= LEAST_SCORE:
                found[index] = _words(boxes[index], crops[index], info)
    return found


def _crop(page: Grey, box: Quad) -> NDArray[np.uint8]:
    # The line straightened onto a rectangle; the recogniser wants three channels.
    wide = int(max(np.linalg.norm(box[0] - box[1]), np.linalg.norm(box[3] - box[2])))
    high = int(max(np.linalg.norm(box[0] - box[3]), np.linalg.norm(box[1] - box[2])))
    wide, high = max(wide, 1), max(high, 1)
    target = np.array([[0, 0], [wide, 0], [wide, high], [0, high]], dtype=np.float32)
    warp = cv2.getPerspectiveTransform(box, target)
    line = cv2.warpPerspective(
        page, warp, (wide, high), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
    return grey(cv2.cvtColor(line, cv2.COLOR_GRAY2BGR))


def _cjk(char: str) -> bool:
    return _CJK_FIRST <= char <= _CJK_LAST


def _ink(crop: NDArray[np.uint8]) -> tuple[float, float]:
    """Where the ink of a line starts and ends, as fractions of the crop's height: a detected
    box has a margin round the text, and boxes of lines set close overlap by it, where the
    text layer's do not (so a label wrapped onto the next line would look like the same line).
    The margin may hold an edge of the neighbouring lines' ink: the heaviest band counts."""
    _, ink = cv2.threshold(crop[:, :, 0], 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    mass = ink.sum(axis=1)
    rows = np.flatnonzero(mass >= max(1.0, INKED * crop.shape[1]))
    if len(rows) == 0:
        return 0.0, 1.0
    # Bands of inked rows, a gap of a few rows (between the strokes of 二) still one band.
    breaks = np.flatnonzero(np.diff(rows) > max(1, BAND_GAP * crop.shape[0]))
    bands = np.split(rows, breaks + 1)
    band = max(bands, key=lambda b: int(mass[b].sum()))
    return band[0] / crop.shape[0], (band[-1] + 1) / crop.shape[0]


def _words(box: Quad, crop: NDArray[np.uint8], info: list[Any]) -> list[Word]:
    """A recognised line cut into words at spaces and at wide gaps, each boxed on the page."""
    width = crop.shape[1]
    rise, fall = _ink(crop)
    columns, groups, positions = info[0], info[1], info[2]
    chars = [c for group in groups for c in group]
    # The recogniser's output columns span the line's width; a character sits at its column.
    xs = [(p + 0.5) * width / columns for group in positions for p in group]
    high = float(max(np.linalg.norm(box[0] - box[3]), np.linalg.norm(box[1] - box[2])))
    runs: list[list[int]] = [[]]
    for i, char in enumerate(chars):
        if char.isspace():
            if not _listed(chars, i):
                runs.append([])
            continue
        if runs[-1] and xs[i] - xs[runs[-1][-1]] > GAP * high:
            runs.append([])
        runs[-1].append(i)
    found = []
    for run in (r for r in runs if r):
        first, last = run[0], run[-1]
        left = 0.0 if first == 0 else xs[first] - HALF[_cjk(chars[first])] * high
        right = width if last == len(chars) - 1 else xs[last] + HALF[_cjk(chars[last])] * high
        text = "".join(chars[i] for i in run)
        across = (max(left, 0.0) / width, min(right, width) / width)
        found.append(_placed(text, box, across, (rise, fall)))
    return found


def _listed(chars: list[str], i: int) -> bool:
    """Whether the space at `i` follows a comma between digits: note references (8, 15) or an
    amount read with a space in it (1, 234), each one word as its reader expects."""
    return (
        2 <= i < len(chars) - 1
        and chars[i - 1] == ","
        and chars[i - 2].isdigit()
        and (chars[i + 1].isdigit())
    )


def _placed(text: str, box: Quad, across: tuple[float, float], down: tuple[float, float]) -> Word:
    """A word at fractions `across` of the line's length and `down` of its height, boxed on the
    page."""
    corners = []
    for u in across:
        top, bottom = box[0] + (box[1] - box[0]) * u, box[3] + (box[2] - box[3]) * u
        corners += [top + (bottom - top) * v for v in down]
    xs, ys = [float(c[0]) for c in corners], [float(c[1]) for c in corners]
    return Word(text, min(xs), max(xs), min(ys), max(ys))
