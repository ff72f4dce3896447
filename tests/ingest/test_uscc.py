"""The unified social credit code check (GB 32100-2015)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ingest.uscc import ALPHABET, check_character, uscc_problem

# Codes printed on real business licenses (listed companies, public records).
REAL_CODES = [
    "91520000214434146R",
    "9144030071526726XG",
    "91330100716105852F",
    "91110000802100433B",
]


def test_real_companies_codes_are_valid() -> None:
    for code in REAL_CODES:
        assert uscc_problem(code) is None, code


def test_any_single_changed_character_is_caught() -> None:
    # The weights make every single-character substitution change the check character.
    for code in REAL_CODES:
        for position in range(18):
            for replacement in ALPHABET:
                if replacement == code[position]:
                    continue
                changed = code[:position] + replacement + code[position + 1 :]
                if position in range(2, 8) and not replacement.isdigit():
                    continue  # the region code must be digits, refused for that reason instead
                assert uscc_problem(changed) is not None, changed


@given(
    st.text(alphabet=ALPHABET, min_size=2, max_size=2),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=ALPHABET, min_size=9, max_size=9),
)
def test_a_computed_check_character_always_validates(head: str, region: str, org: str) -> None:
    body = head + region + org
    assert uscc_problem(body + check_character(body)) is None


def test_problems_are_named() -> None:
    assert "18 characters" in (uscc_problem("9152") or "")
    assert "without I, O" in (uscc_problem("91520000214434146I") or "")
    assert "check character" in (uscc_problem("91520000214434146A") or "")
