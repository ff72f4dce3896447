"""Printed amounts and units: "(1,234.50)" is −1234.50, a dash is zero, "AED'000" is thousands.

Digits are also checked against how their column prints the others: OCR that drops a decimal
point turns 4,918,755.00 into 491875500, a hundred times too large, and a point read as a comma
puts separators out of their groups of three. Such amounts are still read, and named by `odd`
so that the figure fails a check instead of passing for a clean reading.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from ingest.statements.labels import fold

_BRACKETS = str.maketrans("{[]}", "(())")
_DASH = re.compile(r"[-‐‑‒–—―−﹣－]{1,3}")
_AMOUNT = re.compile(
    r"(?P<sign>[-−])?(?P<open>\()?(?P<inner>[-−])?"
    r"(?P<digits>\d{1,3}(?:,\d{3})+|\d+(?:,\d+)*)(?P<fraction>\.\d+)?(?P<close>\))?"
)
# A currency sign before the digits, inside a bracket too; Philippine filings print the peso
# sign as a P struck through with "=", which the text layer gives as "P=" or "=P".
_SYMBOL = re.compile(r"^(\(?)(?:[A-Z]{0,2}\$|£|€|¥|₱|P=|=P)\s?(?=[\d(])")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
# Fewer digits than this with separators out of place is a list ("5,6": notes 5 and 6).
_LEAST_MISGROUPED = 5


def amount(text: str) -> Decimal | None:
    """The value of a printed amount cell, or None when the text is not an amount."""
    # OCR reads a bracket as a brace now and then.
    printed = unicodedata.normalize("NFKC", text).strip().translate(_BRACKETS)
    printed = _SYMBOL.sub(r"\1", printed)  # "$1,234" as one word: the symbol is no digit
    if _DASH.fullmatch(printed):
        return Decimal(0)
    found = _AMOUNT.fullmatch(printed)
    if found is None or bool(found["open"]) != bool(found["close"]):
        return None
    digits = found["digits"]
    if not _GROUPED.fullmatch(digits) and len(digits.replace(",", "")) < _LEAST_MISGROUPED:
        return None
    value = Decimal(found["digits"].replace(",", "") + (found["fraction"] or ""))
    negative = bool(found["sign"] or found["open"] or found["inner"])
    return -value if negative else value


def is_money(text: str) -> bool:
    """Whether the text looks like a money amount rather than a note number or a year."""
    printed = unicodedata.normalize("NFKC", text)
    return bool(re.search(r"\d,\d{3}|\d\.\d{2}\)?$", printed)) or bool(
        _DASH.fullmatch(printed.strip())
    )


@dataclass(frozen=True)
class _Style:
    decimals: int
    grouped: bool
    digits: int  # before the decimal point


def _style(text: str) -> _Style | None:
    printed = unicodedata.normalize("NFKC", text).strip().translate(_BRACKETS)
    found = _AMOUNT.fullmatch(printed)
    if found is None or amount(text) in (None, 0):
        return None  # dashes and zeros say nothing about how a column prints its digits
    fraction = found["fraction"] or "."
    integer = found["digits"]
    return _Style(len(fraction) - 1, "," in integer, len(integer.replace(",", "")))


SETTLED = 0.75  # share of a column printing one way for the rest to be held to it
LEAST_CELLS = 3  # a column with fewer amounts sets no style


def odd(printed: list[str]) -> dict[int, str]:
    """Amounts of one column printed unlike the rest of it, by index, with what is odd."""
    styles = [_style(p) for p in printed]
    found: dict[int, str] = {}
    for index, text in enumerate(printed):
        digits = _AMOUNT.fullmatch(unicodedata.normalize("NFKC", text).strip().translate(_BRACKETS))
        if digits and not _GROUPED.fullmatch(digits["digits"]):
            found[index] = "thousands separators not in groups of three"
    read = [s for n, s in enumerate(styles) if s is not None and n not in found]
    if len(read) < LEAST_CELLS:
        return found
    decimals = Counter(s.decimals for s in read).most_common(1)[0]
    long = [s for s in read if s.digits > 4]
    grouped = sum(s.grouped for s in long)
    for index, style in enumerate(styles):
        if style is None or index in found:
            continue
        # Either way round: 491875500 in a column of cents, 1327.00 in a column of whole units.
        if decimals[1] >= SETTLED * len(read) and style.decimals != decimals[0]:
            found[index] = f"{style.decimals} decimals where its column prints {decimals[0]}"
        elif (
            len(long) >= LEAST_CELLS
            and grouped >= SETTLED * len(long)
            and style.digits > 4
            and not style.grouped
        ):
            found[index] = "no thousands separators where its column prints them"
    return found


@dataclass(frozen=True)
class Unit:
    """The unit amounts are printed in, as printed, and what one of it is worth."""

    text: str
    multiplier: int
    currency: str | None


_YUAN = {"千": 1_000, "万": 10_000, "百万": 1_000_000, "亿": 100_000_000}
_WORDS = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SUFFIX = {"000": 1_000, "m": 1_000_000, "mn": 1_000_000, "million": 1_000_000, "bn": 10**9}
_CURRENCIES = (
    (r"人民币|\b(rmb|cny|renminbi)\b", "CNY"),
    (r"港币|港元|hk\$|\bhkd\b|hong ?kong dollars?", "HKD"),
    (r"美元|us\$|\busd\b|u\.?s\.? dollars?|united states dollars?", "USD"),
    (r"欧元|€|\beur(o|os)?\b", "EUR"),
    (r"英镑|£|\bgbp\b", "GBP"),
    (r"\b(aed|dirhams?)\b", "AED"),
    (r"\b(php|pesos?)\b", "PHP"),
    (r"\bsgd\b|singapore dollars?", "SGD"),
    (r"日元|\b(jpy|yen)\b", "JPY"),
)
_CODE_THOUSANDS = re.compile(r"(?P<code>[a-z]{2,3}\$?|\$|£|€)\s?['’‘]\s?(?P<suffix>000|mn|m|bn)\b")
# The same without the apostrophe: "£000", "AED 000", "€m" (letter codes must be currencies).
_CODE_BARE = re.compile(
    r"(?<![a-z0-9])(?P<code>rmb|hk\$|us\$|s\$|a\$|c\$|\$|£|€|usd|hkd|cny|eur|gbp|aed|sgd|php|jpy)"
    r"\s?(?P<suffix>000|mn|m|bn)(?![a-z0-9])"
)
_IN_WORDS = re.compile(
    r"\b(?:in|of)\s+(thousand|million|billion)s?\b|\((thousand|million|billion)s\)"
)
_CODE_WORD = re.compile(
    r"(?P<code>rmb|hk\$|us\$|s\$|a\$|c\$|\$|usd|hkd|cny|eur|gbp|aed|sgd|php|jpy)\s?"
    r"(?P<word>thousand|million|billion)s?\b"
)
_YUAN_UNIT = r"(?:人民币|港币|美元)?((百万|千|万|亿)?(人民币|港|美)?元)"
# "单位：元", "金额单位：人民币千元", "金额单位均为人民币百万元"
_CHINESE = re.compile(rf"单位[:：]?\s*(?:均?为|是)?\s*{_YUAN_UNIT}")
# A unit printed over each column: "人民币千元 人民币千元", read as one run of characters.
_CHINESE_BARE = re.compile(rf"(?:^|\s|(?<=元)){_YUAN_UNIT}(?=\s|$|人民币|港币|美元|[千万亿]|百万)")
# "（除另有指明外，均以人民幣千元列示）": Hong Kong statements state the unit in a sentence.
_CHINESE_PRESENTED = re.compile(rf"以{_YUAN_UNIT}(?:列示|呈列|列报|呈报|为单位)")


def _currency(text: str) -> str | None:
    for pattern, code in _CURRENCIES:
        if re.search(pattern, text):
            return code
    return None


def find_unit(text: str) -> Unit | None:
    """The unit a statement's heading declares, if it declares one."""
    folded = fold(text)
    chinese = _CHINESE.search(folded) or _CHINESE_BARE.search(folded)
    if found := chinese or _CHINESE_PRESENTED.search(folded):
        return Unit(
            found[1],
            _YUAN.get(found[2] or "", 1),
            _currency(found[0]) or _currency(folded) or "CNY",
        )
    if found := _CODE_THOUSANDS.search(folded) or _CODE_BARE.search(folded):
        code, suffix = found["code"].upper(), found["suffix"]
        text = f"{code}'{suffix}" if found.re is _CODE_THOUSANDS else found[0].upper()
        return Unit(text, _SUFFIX[suffix], _currency(folded))
    if found := _IN_WORDS.search(folded):
        word = found[1] or found[2]
        return Unit(f"{word}s", _WORDS[word], _currency(folded))
    if found := _CODE_WORD.search(folded):
        word = found["word"]
        return Unit(f"{found['code'].upper()} {word}s", _WORDS[word], _currency(found[0]))
    if currency := _currency(folded):
        return Unit(currency, 1, currency)
    return None
