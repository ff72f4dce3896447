"""Printed amounts and units: "(1,234.50)" is −1234.50, a dash is zero, "AED'000" is thousands."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from ingest.statements.labels import fold

_BRACKETS = str.maketrans("{[]}", "(())")
_DASH = re.compile(r"[-‐‑‒–—―−﹣－]{1,3}")
_AMOUNT = re.compile(
    r"(?P<sign>[-−])?(?P<open>\()?(?P<inner>[-−])?"
    r"(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<fraction>\.\d+)?(?P<close>\))?"
)


def amount(text: str) -> Decimal | None:
    """The value of a printed amount cell, or None when the text is not an amount."""
    # OCR reads a bracket as a brace now and then.
    printed = unicodedata.normalize("NFKC", text).strip().translate(_BRACKETS)
    if _DASH.fullmatch(printed):
        return Decimal(0)
    found = _AMOUNT.fullmatch(printed)
    if found is None or bool(found["open"]) != bool(found["close"]):
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
_CHINESE_BARE = re.compile(rf"(?:^|\s){_YUAN_UNIT}(?:\s|$)")


def _currency(text: str) -> str | None:
    for pattern, code in _CURRENCIES:
        if re.search(pattern, text):
            return code
    return None


def find_unit(text: str) -> Unit | None:
    """The unit a statement's heading declares, if it declares one."""
    folded = fold(text)
    if found := _CHINESE.search(folded) or _CHINESE_BARE.search(folded):
        return Unit(
            found[1],
            _YUAN.get(found[2] or "", 1),
            _currency(found[0]) or _currency(folded) or "CNY",
        )
    if found := _CODE_THOUSANDS.search(folded):
        code = found["code"].upper()
        return Unit(f"{code}'{found['suffix']}", _SUFFIX[found["suffix"]], _currency(folded))
    if found := _IN_WORDS.search(folded):
        word = found[1] or found[2]
        return Unit(f"{word}s", _WORDS[word], _currency(folded))
    if found := _CODE_WORD.search(folded):
        word = found["word"]
        return Unit(f"{found['code'].upper()} {word}s", _WORDS[word], _currency(found[0]))
    if currency := _currency(folded):
        return Unit(currency, 1, currency)
    return None
