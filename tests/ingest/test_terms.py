"""Index terms: what a document is found by, and that a query is cut the same way."""

from __future__ import annotations

from ingest.terms import index_terms, joined, query_terms, snippet, terms_of


def test_han_text_gives_its_bigrams_and_latin_its_lower_case_words() -> None:
    assert terms_of("保证金 ABC-123") == ["保证", "证金", "abc", "123"]


def test_traditional_and_full_width_forms_are_folded_to_one() -> None:
    assert terms_of("發生逾期") == terms_of("发生逾期")
    assert terms_of("ＡＢＣ１２３") == ["abc123"]


def test_a_lone_han_character_is_a_term_of_its_own() -> None:
    assert terms_of("甲 方") == ["甲", "方"]


def test_stored_terms_are_distinct_and_a_query_keeps_every_one() -> None:
    assert index_terms("逾期 逾期 逾期") == "逾期"
    assert query_terms("逾期 保证金") == ["逾期", "保证", "证金"]


def test_words_split_by_the_layout_are_rejoined_between_han_characters() -> None:
    assert joined([["保证", "金"], ["Loan", "No.", "7"]]) == "保证金\nLoan No. 7"


def test_a_snippet_is_the_text_around_the_first_match() -> None:
    text = "甲" * 100 + "保证金五十万元" + "乙" * 100
    found = snippet(text, ["保证", "证金"], width=30)
    assert found is not None
    assert "保证金五十万元" in found
    assert found.startswith("…")
    assert found.endswith("…")
    assert snippet(text, ["逾期"]) is None
