"""Scanned pages made easier to read before OCR: straightened, cleaned, brought to one scale.

Everything works on greyscale pixel arrays in memory; nothing is written anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

Grey = NDArray[np.uint8]

# A scanner's feeder turns a sheet by a degree or two; beyond 5° a page was put in sideways or
# photographed, which deskewing by text lines would not rescue anyway.
MAX_SKEW = 5.0
COARSE, FINE = 0.25, 0.025  # degrees between the angles tried, first over the range, then near
MIN_SKEW = 0.05  # degrees: turning a page by less moves no text line by a pixel at 300 dpi
SKEW_WIDTH = 1000  # pixels: text lines are found as well on a page this wide, in a tenth the time
MIN_INK = 500  # ink pixels: fewer is an empty page, with no lines to straighten by


@dataclass(frozen=True)
class Steps:
    """Which preprocessing steps run; the defaults are those that measured better (BENCHMARKS)."""

    deskew: bool = True
    denoise: bool = False
    binarise: bool = False


def grey(pixels: Any) -> Grey:
    """An array from OpenCV (whose stubs say only "some array") as the grey pixels it is."""
    return np.asarray(pixels, dtype=np.uint8)


def skew(page: Grey) -> float:
    """How far the page's text lines are turned counter-clockwise, in degrees.

    Text lines straightened make the row profile of the ink spiky (dense rows, empty gaps), so
    the angle whose profile has the largest sum of squares is the page's turn.
    """
    scale = min(1.0, SKEW_WIDTH / page.shape[1])
    small = cv2.resize(page, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ys, xs = np.nonzero(ink)
    if len(ys) < MIN_INK:
        return 0.0
    y, x = ys.astype(np.float64), xs.astype(np.float64) - small.shape[1] / 2
    best = _sharpest(y, x, np.arange(-MAX_SKEW, MAX_SKEW + COARSE / 2, COARSE))
    return _sharpest(y, x, np.arange(best - COARSE, best + COARSE + FINE / 2, FINE))


def _sharpest(y: NDArray[np.float64], x: NDArray[np.float64], angles: NDArray[np.float64]) -> float:
    scores = []
    for angle in angles:
        # A line turned counter-clockwise by `angle` climbs to the right: undo the climb.
        rows = np.rint(y + x * np.tan(np.radians(angle))).astype(np.int64)
        profile = np.bincount(rows - rows.min())
        scores.append(float(np.dot(profile, profile)))
    return float(angles[int(np.argmax(scores))])


def straighten(page: Grey, angle: float) -> Grey:
    """The page turned back by `angle` degrees, the corners filled with paper white."""
    if abs(angle) < MIN_SKEW:
        return page
    height, width = page.shape
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), -angle, 1.0)
    return grey(
        cv2.warpAffine(page, turn, (width, height), flags=cv2.INTER_LINEAR, borderValue=(255,))
    )


def denoise(page: Grey) -> Grey:
    """Salt-and-pepper specks and sensor noise smoothed, strokes kept (3×3 median)."""
    return grey(cv2.medianBlur(page, 3))


def binarise(page: Grey) -> Grey:
    """Ink black, paper white: a threshold from each neighbourhood, for uneven lighting."""
    return grey(
        cv2.adaptiveThreshold(page, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 31, 15)
    )


def prepared(page: Grey, steps: Steps) -> Grey:
    """The page after the chosen steps, in the order that helps each: clean, straighten, cut."""
    if steps.denoise:
        page = denoise(page)
    if steps.deskew:
        page = straighten(page, skew(page))
    if steps.binarise:
        page = binarise(page)
    return page
