"""Reading a business license from positioned words, as the text layer or OCR gives them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ingest.capital import read_capital
from ingest.license import read_license
from ingest.uscc import check_character
from ingest.words import Page, Word
from tests.factories import random_uscc


def _page(*rows: tuple[tuple[float, str], ...]) -> Page:
    # Each row is (x, text) pairs on one line, 30 points below the one before.
    words = tuple(
        Word(text, x, x + 12 * len(text), 100 + 30 * index, 112 + 30 * index)
        for index, row in enumerate(rows)
        for x, text in row
    )
    return Page(1, 842, 595, words)


def _code(body: str) -> str:
    return body + check_character(body)


def _license(code: str, term: str = "2015年03月12日 至 长期") -> Page:
    # The 2016 layout: two columns, so a value must stop at the next column's label.
    return _page(
        ((60, "营业执照"),),
        ((60, "统一社会信用代码"), (260, code)),
        ((60, "名"), (120, "称"), (180, "上海示例贸易有限公司"), (450, "注册资本"), (560, "5百万")),
        ((60, "成立日期"), (180, "2015年03月12日")),
        ((60, "营业期限"), (180, term)),
    )


def test_a_license_gives_name_code_founding_and_an_open_term() -> None:
    code = random_uscc()
    fields = read_license([_license(code)])
    assert fields is not None
    assert fields.name == "上海示例贸易有限公司"
    assert fields.uscc == code
    assert fields.founded_on == date(2015, 3, 12)
    assert fields.valid_from == date(2015, 3, 12)
    assert fields.indefinite
    assert fields.valid_until is None
    assert min(fields.name_confidence, fields.uscc_confidence, fields.term_confidence) >= 0.9


def test_a_term_with_an_end_date_ends_then() -> None:
    fields = read_license([_license(random_uscc(), "自2015年03月12日至2035年03月11日")])
    assert fields is not None
    assert (fields.valid_from, fields.valid_until) == (date(2015, 3, 12), date(2035, 3, 11))
    assert not fields.indefinite


def test_a_term_with_only_its_end_is_read_with_less_confidence() -> None:
    full = read_license([_license(random_uscc(), "2015年03月12日 至 2035年03月11日")])
    partial = read_license([_license(random_uscc(), "至 2035年03月11日")])
    assert full is not None
    assert partial is not None
    assert partial.valid_from is None
    assert partial.valid_until == date(2035, 3, 11)
    assert partial.term_confidence < full.term_confidence


def test_letters_misread_for_digits_are_put_right() -> None:
    code = _code("91310105" + "MA1FL2Q5X")
    misread = code.translate(str.maketrans("0125", "OIZS"))
    assert misread != code
    exact = read_license([_license(code)])
    fields = read_license([_license(misread)])
    assert fields is not None
    assert exact is not None
    assert fields.uscc == code
    assert fields.uscc_confidence < exact.uscc_confidence


def test_b_and_8_are_told_apart_by_the_check_character() -> None:
    code = _code("91440300" + "B7KQ4MX3N")
    assert code[-1] not in "B8"  # else the check character itself would be in doubt
    fields = read_license([_license(code.replace("B", "8"))])
    assert fields is not None
    assert fields.uscc == code


def test_a_character_read_twice_is_left_out() -> None:
    code = _code("91310115" + "MA1H7RXK3")
    fields = read_license([_license(code[:9] + "S" + code[9:])])
    assert fields is not None
    assert fields.uscc == code


def test_a_one_read_as_one_and_small_l_stays_a_one() -> None:
    # Tesseract read 91012917QP0W33A1PR as 91012917QPOW33A1lPR: the small l is no letter L.
    code = "91012917QP0W33A1PR"
    assert check_character(code[:17]) == code[17]
    fields = read_license([_license("91012917QPOW33A1lPR")])
    assert fields is not None
    assert fields.uscc == code


def test_a_code_that_cannot_be_made_valid_is_not_guessed() -> None:
    code = _code("91310115" + "MA1H7RXK3")  # no B or 8 that a swap could make valid
    wrong = code[:17] + next(c for c in "ACDEFGHJ" if c != code[17])
    fields = read_license([_license(wrong)])
    assert fields is not None
    assert fields.uscc is None
    assert fields.uscc_confidence == 0
    assert fields.name == "上海示例贸易有限公司"  # the rest is still read


def test_a_code_without_its_label_is_trusted_less() -> None:
    code = random_uscc()
    page = _page(((60, "名称"), (180, "示例厂")), ((60, code),))
    fields = read_license([page])
    assert fields is not None
    assert fields.uscc == code
    assert 0 < fields.uscc_confidence < 1


def test_a_misread_label_still_finds_its_value() -> None:
    page = _page(((60, "成立日其"), (180, "2O15年O3月I2日")))
    fields = read_license([page])
    assert fields is not None
    assert fields.founded_on == date(2015, 3, 12)


def test_a_value_on_the_line_below_its_label() -> None:
    code = random_uscc()
    fields = read_license([_page(((60, "统一社会信用代码"),), ((60, code), (400, "(1-1)")))])
    assert fields is not None
    assert fields.uscc == code


def test_a_page_that_is_no_license_gives_nothing() -> None:
    statement = _page(((60, "资产总计"), (300, "297,466,784")), ((60, "负债合计"), (300, "1,000")))
    assert read_license([statement]) is None
    assert read_license([]) is None


def test_capital_representative_and_address_are_read_beside_their_labels() -> None:
    page = _page(
        ((60, "名称"), (180, "上海示例贸易有限公司"), (450, "注册资本"), (560, "人民币壹仟万元整")),
        ((60, "法定代表人"), (180, "张三"), (450, "成立日期"), (560, "2015年03月12日")),
        ((60, "住"), (120, "所"), (180, "上海市浦东新区世纪大道100号")),
    )
    fields = read_license([page])
    assert fields is not None
    assert (fields.registered_capital, fields.capital_currency) == (Decimal("10000000"), "CNY")
    assert fields.legal_representative == "张三"
    assert fields.address == "上海市浦东新区世纪大道100号"
    assert min(fields.capital_confidence, fields.legal_representative_confidence) >= 0.9


def test_without_those_labels_nothing_is_proposed_for_them() -> None:
    fields = read_license([_license(random_uscc())])
    assert fields is not None
    assert fields.legal_representative is None
    assert fields.address is None
    assert fields.address_confidence == 0


@pytest.mark.parametrize(
    ("printed", "amount", "currency"),
    [
        ("人民币壹仟万元整", "10000000", "CNY"),
        ("1000万元人民币", "10000000", "CNY"),
        ("1,000.5万元", "10005000", "CNY"),
        ("伍佰万美元", "5000000", "USD"),
        ("壹亿贰仟叁佰万元", "123000000", "CNY"),
        ("贰拾万零伍仟元", "205000", "CNY"),
        ("港币3000万元", "30000000", "HKD"),
    ],
)
def test_capital_is_read_as_licenses_print_it(printed: str, amount: str, currency: str) -> None:
    found = read_capital(printed)
    assert found is not None
    assert found[:2] == (Decimal(amount), currency)


def test_capital_without_a_currency_is_yuan_with_less_confidence() -> None:
    unsure = read_capital("5百万")
    assert unsure is not None
    assert unsure[:2] == (Decimal("5000000"), "CNY")
    assert unsure[2] < 0.9
    assert read_capital("无") is None
    assert read_capital("") is None
