"""Reading registered capital (注册资本) as licenses print it: 人民币壹仟万元整, 1000万元人民币,
500万美元, 5百万."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

DIGITS = {
    "零": 0, "〇": 0, "壹": 1, "一": 1, "贰": 2, "二": 2, "两": 2, "叁": 3, "三": 3,
    "肆": 4, "四": 4, "伍": 5, "五": 5, "陆": 6, "六": 6, "柒": 7, "七": 7,
    "捌": 8, "八": 8, "玖": 9, "九": 9,
}  # fmt: skip
UNITS = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}
SECTIONS = {"万": 10**4, "萬": 10**4, "亿": 10**8}
# The currency a license names; 元 alone is the yuan (人民币 is usually printed, not always).
CURRENCIES = (("美元", "USD"), ("港", "HKD"), ("欧元", "EUR"), ("日元", "JPY"), ("人民币", "CNY"))
ARABIC = re.compile(r"\d[\d,]*(?:\.\d+)?")
NUMBER_PART = re.compile(ARABIC.pattern + "|[" + "".join([*DIGITS, *UNITS, *SECTIONS]) + "]")
CERTAIN, UNSURE = 0.9, 0.6  # confidence with and without a currency printed


def read_capital(text: str) -> tuple[Decimal, str, float] | None:
    """The amount, its currency and the confidence of reading them, or None if no amount."""
    amount = _amount(text)
    if amount is None:
        return None
    named = next((code for word, code in CURRENCIES if word in text), None)
    if named is None and "元" not in text:
        return amount, "CNY", UNSURE
    return amount, named or "CNY", CERTAIN


def _amount(text: str) -> Decimal | None:
    # Digits and numerals in the order printed; the first run of them is the amount.
    parts = [p.replace(",", "") for p in NUMBER_PART.findall(text)]
    if not parts:
        return None
    total, section, number = Decimal(0), Decimal(0), Decimal(0)
    for part in parts:
        if ARABIC.fullmatch(part):
            try:
                number = Decimal(part)
            except InvalidOperation:
                return None
        elif part in DIGITS:
            number = Decimal(DIGITS[part])
        elif part in UNITS:
            section += (number or 1) * UNITS[part]
            number = Decimal(0)
        elif part == "亿":
            total = (total + section + number) * SECTIONS[part]
            section = number = Decimal(0)
        else:  # 万
            total += (section + number) * SECTIONS[part]
            section = number = Decimal(0)
    amount = total + section + number
    return amount.quantize(Decimal("0.01")) if amount > 0 else None
