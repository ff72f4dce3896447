"""The unified social credit code (统一社会信用代码, GB 32100-2015)."""

from __future__ import annotations

import re

# The 31 characters of the code: digits and capitals without I, O, S, V, Z.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Weight of position i is 3**i mod 31.
WEIGHTS = [pow(3, i, 31) for i in range(17)]
_SHAPE = re.compile(rf"[{ALPHABET}]{{2}}[0-9]{{6}}[{ALPHABET}]{{10}}")


def check_character(first17: str) -> str:
    """The 18th character that GB 32100-2015 computes from the first 17."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why `code` is not a valid unified social credit code, or None if it is."""
    if len(code) != 18:
        return f"must be 18 characters, got {len(code)}"
    if not _SHAPE.fullmatch(code):
        return "must be capitals and digits without I, O, S, V, Z, with a 6-digit region code"
    expected = check_character(code[:17])
    if code[17] != expected:
        return "check character does not match (GB 32100-2015)"
    return None
