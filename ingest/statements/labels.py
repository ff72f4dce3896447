"""Printed labels made comparable, and matched against the chart.

`normalize` folds traditional characters, full-width forms, case, spacing, numbering
(一、 1. (一)), lead-ins (其中： 减： Less:) and remarks in brackets (（或股东权益） (loss)),
so one pattern in the chart covers the many ways a line is printed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import opencc

from ingest.statements.chart import Item, Kind
from ingest.statements.items import ITEMS

_ENUMERATION = re.compile(r"^([一二三四五六七八九十]+|\d{1,2}|[a-z]|[ivx]+)[、.)]")
_LEAD_IN = re.compile(r"^(其中|减|加|less|add|including|of which)[:：]")
_BRACKETS = str.maketrans("{[]}", "(())")  # OCR reads a bracket as a brace now and then
_PAREN = re.compile(r"\([^()]*\)")
_NOISE = re.compile(r"[\s:;,.'\"`/\\╱_*#·•‘’“”\-–—−]")


@cache
def _traditional() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """The text in simplified characters (traditional ones converted, all else kept)."""
    return str(_traditional().convert(text))


def fold(text: str) -> str:
    """Simplified characters, ASCII forms of full-width ones, lower case."""
    return unicodedata.normalize("NFKC", simplified(text)).lower()


def normalize(label: str) -> str:
    """The comparable form of a printed label."""
    text = re.sub(r"\s+", " ", fold(label)).strip().translate(_BRACKETS)
    while (shorter := _PAREN.sub("", text)) != text:
        text = shorter
    text = re.sub(r"\(.*$", "", text)  # a remark cut off by a line wrap
    text = re.sub(r"^[^(]*\)", "", text)
    for pattern in (_ENUMERATION, _LEAD_IN, _LEAD_IN):
        text = pattern.sub("", text.strip())
    return _NOISE.sub("", text)


def named(label: str, kind: Kind) -> list[tuple[Item, int]]:
    """Chart items of `kind` a printed label names (`match` of its `normalize`d form). A
    bracket left open with the label going on after it is a closing bracket OCR lost
    ("投資活動所得/(所用現金淨額"), not a remark cut off by a wrap: read without it too."""
    found = match(normalize(label), kind)
    folded = fold(label).translate(_BRACKETS)
    if found or folded.count("(") <= folded.count(")"):
        return found
    return match(normalize(_LONE_OPEN.sub("", folded)), kind)


# An opening bracket with no closing one after it and words of the label following it.
_LONE_OPEN = re.compile(r"\((?=[^()]*\S[^()]*$)")


@cache
def _compiled(kind: Kind) -> tuple[tuple[Item, tuple[re.Pattern[str], ...]], ...]:
    return tuple(
        (item, tuple(re.compile(label) for label in item.labels))
        for item in ITEMS
        if item.kind == kind
    )


_CJK = re.compile(r"[\u3400-\u9fff]+")


def match(label: str, kind: Kind) -> list[tuple[Item, int]]:
    """Chart items of `kind` a normalised label names, with the rank of the variant matched.

    A bilingual line ("Total assets 資產總值", as Hong Kong reports print them) names the item
    in each language, each wrapped on its own: each item either names counts, at its better
    rank. Where the two name different items (a misprint: "Loss for the period 除所得稅前虧損")
    the line stays a candidate for both, and the lines naming each plainly settle it."""
    found = _match(label, kind)
    chinese, latin = "".join(_CJK.findall(label)), _CJK.sub("", label)
    if found or not (chinese and latin):
        return found
    best: dict[Item, int] = {}
    for item, rank in _match(latin, kind) + _match(chinese, kind):
        best[item] = min(rank, best.get(item, rank))
    return list(best.items())


def _match(label: str, kind: Kind) -> list[tuple[Item, int]]:
    found = []
    for item, patterns in _compiled(kind):
        for rank, pattern in enumerate(patterns):
            if pattern.fullmatch(label):
                found.append((item, rank))
                break
    return found
