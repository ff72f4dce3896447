"""The rating's texts in the reader's language: every text of the credit policy in Chinese and in
English, the seeds cited alike in both; ratings stored when a text was one string still load."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pydantic import BaseModel

from ingest.method_schemas import Bilingual
from ingest.rating import load_policy, rate
from ingest.rating_schemas import Rating, RatingRequest
from tests.ingest.test_rating_method import MOUTAI, MOUTAI_BLANKS

HAN = re.compile(r"[\u3400-\u9fff]+")
WORD = re.compile(r"[A-Za-z]{4,}")


def _texts(found: object, where: str = "") -> list[tuple[str, Bilingual]]:
    """Every text in both languages within a model, with where it is."""
    if isinstance(found, Bilingual):
        return [(where, found)]
    if isinstance(found, BaseModel):
        found = dict(found)
    if isinstance(found, dict):
        return [t for k, v in found.items() for t in _texts(v, f"{where}.{k}")]
    if isinstance(found, list):
        return [t for i, v in enumerate(found) for t in _texts(v, f"{where}[{i}]")]
    return []


def _rate(**fields: object) -> Rating:
    request = RatingRequest.model_validate(
        {"figures": MOUTAI, "blanks": MOUTAI_BLANKS, "today": date(2022, 6, 30),
         "qualitative_score": "80", **fields}
    )  # fmt: skip
    return rate(request, load_policy())


def _each_in_its_language(where: str, text: Bilingual) -> None:
    assert text.zh != text.en, where
    assert HAN.search(text.zh), where
    assert not WORD.search(text.zh), f"{where}: {text.zh}"
    # Chinese in the English text is a seed cited, written as in the Chinese text.
    for cited in HAN.findall(text.en):
        assert cited in text.zh, f"{where}: {cited!r} of {text.en!r} is not in {text.zh!r}"


def test_every_text_of_the_policy_is_given_in_both_languages() -> None:
    texts = _texts(load_policy())
    # Methods, choices, tables' titles and sources, refusals: none left in one string.
    assert len(texts) >= 2 * 2 + 14 + 4 * 2 + 2
    for where, text in texts:
        _each_in_its_language(where, text)
    electronics = load_policy().tables["electronics"]
    assert electronics.source is not None
    assert "004 附件三" in electronics.title.en
    assert "004 附件三" in electronics.source.en


@pytest.mark.parametrize(
    ("fields", "how_zh", "how_en"),
    [
        ({"table": "白酒"}, "由信用经理选定：白酒", "chosen by the credit manager: 白酒"),
        (
            {"industry": "白酒"},
            "按客户所属行业选定：白酒",
            "chosen by the customer's industry: 白酒",
        ),
        (
            {"industry": "造船"},
            "没有适用于客户所属行业 造船 的参照表",
            "no table is for the customer's",
        ),
        ({}, "默认表：客户未登记行业", "the default: the customer has no industry on file"),
    ],
)
def test_a_rating_says_how_it_was_made_in_both_languages(
    fields: dict[str, str], how_zh: str, how_en: str
) -> None:
    rating = _rate(**fields)
    for where, text in _texts(rating):
        _each_in_its_language(where, text)
    table = next(c for c in rating.choices if c.name == "reference_table")
    assert how_zh in table.source.zh
    assert how_en in table.source.en
    assert rating.scoring is not None
    assert (rating.scoring.title.zh, rating.scoring.title.en) == (
        "线性 0–100 分",
        "linear, 0–100 points",
    )
    for warning in rating.method_warnings:
        assert rating.table.title.zh in warning.message_zh
        assert not WORD.search(warning.message_zh), warning.message_zh
        assert rating.table.title.en in warning.message_en


def test_a_rating_stored_when_texts_were_one_string_still_loads() -> None:
    stored = _rate(industry="白酒").model_dump(mode="json")
    # As ratings stored before this change hold them: one mixed string per text.
    old = "线性 0–100 linear"
    stored["scoring"]["title"] = old
    stored["policy"]["methods"]["linear"]["title"] = old
    stored["policy"]["choices"]["method"]["source"] = "ours: the seeds give no scoring method"
    stored["table"]["title"] = "酒、饮料和食品 liquor and food (example — replace)"
    stored["table"]["source"] = "example — replace: Dangan's illustration, no seed values"
    stored["choices"][0]["source"] = "ours: the seeds give no scoring method"
    reasons = ["1 full fiscal year(s) on file, fewer than 2"]
    stored["cap"] = {"grade": "BBB", "reasons": reasons, "uncapped_grade": "AA"}
    loaded = Rating.model_validate(stored)
    assert loaded.scoring is not None
    assert loaded.scoring.title == Bilingual(zh=old, en=old)  # shown as stored, in either
    assert loaded.table.title.zh == "酒、饮料和食品 liquor and food (example — replace)"
    assert loaded.choices[0].source.en == "ours: the seeds give no scoring method"
    assert loaded.cap is not None
    assert (loaded.cap.history_years, loaded.cap.missing) == (None, [])
    # What it says is kept as it was: dumped again, both languages hold the stored words.
    assert loaded.model_dump(mode="json")["scoring"]["title"] == {"zh": old, "en": old}
