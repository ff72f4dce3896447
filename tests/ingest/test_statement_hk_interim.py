"""Hong Kong interim reports in traditional Chinese: three- and six-month columns under "2024年"
headings, the unit stated in a sentence, the wording of each line, and pages read by OCR whose
large titles come out as specks or not at all."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

import pytest

from ingest.statements import Statement, extract_pdf
from ingest.statements.chart import Kind
from ingest.statements.extract import extract
from ingest.statements.labels import match, normalize
from ingest.statements.titles import title
from ingest.words import Page, Word, read_pages
from tests.statements import Table, table_pdf

Headings = list[list[tuple[str, tuple[int, ...]]]]
QUARTER_AND_HALF: Headings = [
    [("截至6月30日止三個月", (0, 1)), ("截至6月30日止六個月", (2, 3))],
    [("2024年", (0,)), ("2023年", (1,)), ("2024年", (2,)), ("2023年", (3,))],
    [("人民幣千元", (0,)), ("人民幣千元", (1,)), ("人民幣千元", (2,)), ("人民幣千元", (3,))],
]
HALF_YEAR_END: Headings = [
    [("於2024年6月30日", (0,)), ("於2023年12月31日", (1,))],
    [("人民幣千元", (0,)), ("人民幣千元", (1,))],
]
HALF: Headings = [[("截至6月30日止六個月", (0, 1))], [("2024年", (0,)), ("2023年", (1,))]]
COLUMNS = (420.0, 540.0)

INCOME = Table(
    "中期簡明合併損益表",
    QUARTER_AND_HALF,
    [
        ("收入", "88,887", "67,354", "164,394", "126,832"),
        ("銷售成本", "(70,493)", "(53,193)", "(129,170)", "(101,079)"),
        ("財務成本", "(86)", "(63)", "(433)", "(1,043)"),
        ("除所得稅前利潤", "6,679", "4,955", "11,901", "10,426"),
        ("所得稅費用", "(1,609)", "(1,290)", "(2,658)", "(2,544)"),
        ("期間利潤", "5,070", "3,665", "9,243", "7,882"),
        ("下列人士應佔：",),
        ("本公司擁有人", "5,098", "3,669", "9,280", "7,873"),
        ("非控股權益", "(28)", "(4)", "(37)", "9"),
    ],
)
SHEET = Table(
    "中期簡明合併資產負債表",
    HALF_YEAR_END,
    [
        ("銀行結餘及現金", "39,335", "33,631"),
        ("存貨", "51,524", "44,422"),
        ("流動資產總額", "90,859", "78,053"),
        ("資產總額", "342,175", "324,247"),
        ("負債總額", "168,979", "159,985"),
        ("資產淨值", "173,196", "164,262"),
    ],
    COLUMNS,
)
FLOWS = Table(
    "中期簡明合併現金流量表",
    HALF,
    [
        ("經營活動所得現金淨額", "2,531", "20,162"),
        ("投資活動所用現金淨額", "(2,709)", "(14,492)"),
        ("融資活動所得現金淨額", "6,404", "(2,287)"),
        ("期內現金及現金等價物增加淨額", "6,226", "3,383"),
        ("於1月1日的現金及現金等價物", "33,631", "27,607"),
        ("匯率變動對現金及現金等價物的影響", "(522)", "469"),
        ("於6月30日的現金及現金等價物", "39,335", "31,459"),
    ],
    COLUMNS,
)


def _by_type(statements: list[Statement]) -> dict[str, Statement]:
    return {s.type: s for s in statements}


Pair = tuple[Decimal | int | None, Decimal | int | None]  # expected amounts as plain ints


def _pair(statement: Statement, code: str) -> Pair:
    figure = statement.items[code]
    return figure.current, figure.prior


def test_the_six_months_are_reported_not_the_quarter_beside_them() -> None:
    # Each column's own heading is only its year ("2024年"); the spanning heading over it says
    # three or six months, and the six months is the period to report.
    income = _by_type(extract_pdf(table_pdf([INCOME])))["income_statement"]
    assert income.periods["current"].months == 6
    assert income.periods["current"].end == "2024-06-30"
    assert _pair(income, "revenue") == (164_394, 126_832)
    assert _pair(income, "net_profit") == (9_243, 7_882)  # 期間利潤: profit for the period
    assert _pair(income, "net_profit_parent") == (9_280, 7_873)
    assert not income.needs_review, income.review
    assert income.items["net_profit"].confidence > 0.9  # profit before tax − tax holds


def test_unit_stated_in_a_sentence_and_interim_cash_and_net_assets_lines() -> None:
    # No unit over the columns: only the sentence under the title gives it.
    sheet = dataclasses.replace(
        SHEET, headings=HALF_YEAR_END[:1], unit="（除另有指明外，均以人民幣千元列示）"
    )
    found = _by_type(extract_pdf(table_pdf([sheet, FLOWS])))
    balance, flows = found["balance_sheet"], found["cash_flow_statement"]
    assert (balance.multiplier, balance.currency) == (1_000, "CNY")
    assert _pair(balance, "cash") == (39_335, 33_631)  # 銀行結餘及現金
    assert _pair(balance, "total_equity") == (173_196, 164_262)  # 資產淨值: net assets
    assert _pair(flows, "net_change_in_cash") == (6_226, 3_383)
    assert _pair(flows, "cash_begin") == (33_631, 27_607)  # 於1月1日: the year's first day
    # 於6月30日 closes this half-year but would open a year ending in June: left unread.
    assert "cash_end" not in flows.items
    assert flows.items["net_change_in_cash"].confidence > 0.9  # the three activities add up


@pytest.mark.parametrize(
    ("label", "kind", "code"),
    [
        ("收益", "income_statement", "revenue"),
        ("除稅前(虧損)/溢利", "income_statement", "total_profit"),
        ("除稅前虧損", "income_statement", "total_profit"),
        ("年度溢利", "income_statement", "net_profit"),
        ("期內虧損", "income_statement", "net_profit"),
        ("期間利潤", "income_statement", "net_profit"),
        ("本公司擁有人應佔期內溢利", "income_statement", "net_profit_parent"),
        ("現金及現金等價物", "balance_sheet", "cash"),
        ("銀行結餘及現金", "balance_sheet", "cash"),
        ("資產淨值", "balance_sheet", "total_equity"),
        ("期內現金及現金等價物(減少)/增加淨額", "cash_flow_statement", "net_change_in_cash"),
        ("於2024年1月1日的現金及現金等價物", "cash_flow_statement", "cash_begin"),
        ("於12月31日的現金及現金等價物", "cash_flow_statement", "cash_end"),
        ("期初的現金及現金等價物", "cash_flow_statement", "cash_begin"),
        ("流動資產淨值", "balance_sheet", None),  # net current assets: no chart line
        ("於3月31日的現金及現金等價物", "cash_flow_statement", None),  # which end is unsaid
    ],
)
def test_hong_kong_wording(label: str, kind: Kind, code: str | None) -> None:
    assert [item.code for item, _ in match(normalize(label), kind)] == ([code] if code else [])


@pytest.mark.parametrize(
    ("printed", "kind"),
    [
        ("綜合財務狀況表", "balance_sheet"),
        ("綜合損益表", "income_statement"),
        ("綜合全面收益表", "income_statement"),
        ("中期簡明合併綜合收益表", "income_statement"),  # comprehensive income, Xiaomi's words
        ("綜合損益及其他全面收益表", "income_statement"),
        ("簡明綜合現金流量表", "cash_flow_statement"),
    ],
)
def test_hong_kong_titles(printed: str, kind: Kind) -> None:
    named = title(printed)
    assert named is not None
    assert (named.kind, named.scope) == (kind, "consolidated")


def _scanned(data: bytes, title_words: dict[str, list[str]]) -> list[Page]:
    """The PDF's pages as OCR would give them: words split where digits meet characters, and
    each listed title read as the words given (specks of a graphic beside it, or nothing)."""
    pages = []
    for page in read_pages(data):
        words: list[Word] = []
        for word in page.words:
            if word.text in title_words:
                words += _replaced(word, title_words[word.text])
            elif parts := re.fullmatch(r"(截至\d+月\d+)(日止.+)", word.text):
                words += _split(word, parts[1], parts[2])
            else:
                words.append(word)
        pages.append(dataclasses.replace(page, words=tuple(words), source="ocr"))
    return pages


def _replaced(word: Word, texts: list[str]) -> list[Word]:
    x, out = word.x0, []
    for text in texts:
        width = 7.0 * len(text)
        out.append(Word(text, x, x + width, word.top, word.bottom))
        x += width + 20
    return out


def _split(word: Word, first: str, second: str) -> list[Word]:
    # Less than a character's width apart, more than the spacing of Latin words.
    height = word.bottom - word.top
    share = len(first) / (len(first) + len(second))
    middle = word.x0 + share * (word.x1 - word.x0)
    return [
        Word(first, word.x0, middle - 0.4 * height, word.top, word.bottom),
        Word(second, middle + 0.4 * height, word.x1, word.top, word.bottom),
    ]


def test_a_scanned_title_followed_by_specks_is_still_a_title() -> None:
    pages = _scanned(
        table_pdf([FLOWS]), {"中期簡明合併現金流量表": ["中期簡明合併現金流量表", "ON", ">", "主"]}
    )
    [flows] = extract(pages)
    assert flows.title == "中期簡明合併現金流量表"
    assert _pair(flows, "operating_cash_flow") == (2_531, 20_162)


def test_a_scanned_statement_whose_title_was_not_read_is_found_by_its_lines() -> None:
    # The income statement's large thin title comes out as noise; the balance sheet's is read.
    pages = _scanned(table_pdf([INCOME, SHEET]), {"中期簡明合併損益表": ["BRASH", "ae"]})
    found = _by_type(extract(pages))
    assert set(found) == {"balance_sheet", "income_statement"}
    income = found["income_statement"]
    assert (income.scope, income.pages) == ("consolidated", [1])
    # the OCR-split headings still say which columns are the six months
    assert income.periods["current"].months == 6
    assert _pair(income, "revenue") == (164_394, 126_832)
    assert _pair(income, "net_profit") == (9_243, 7_882)
    assert not income.needs_review, income.review


def test_a_bilingual_line_whose_languages_disagree_is_settled_by_the_other_lines() -> None:
    # The Chinese of "Loss for the period" misprinted as the line above's 除所得稅前虧損.
    income = Table(
        "Interim condensed consolidated statement of comprehensive loss",
        [[("2024", (0,)), ("2023", (1,))]],
        [
            ("Revenues 收入", "436,581", "400,533"),
            ("Loss before income tax 除所得稅前虧損", "(95,087)", "(3,056,577)"),
            ("Income tax expense 所得稅開支", "(3,953)", "(1,490)"),
            ("Loss for the period 除所得稅前虧損", "(99,040)", "(3,058,067)"),
        ],
        COLUMNS,
    )
    [found] = extract_pdf(table_pdf([income]))
    assert _pair(found, "total_profit") == (-95_087, -3_056_577)
    assert _pair(found, "net_profit") == (-99_040, -3_058_067)
    assert found.items["net_profit"].confidence > 0.9  # profit before tax − tax holds


def test_a_scanned_note_without_period_headings_is_not_taken_for_a_missing_statement() -> None:
    note = Table(
        "7 收入及分部資料",
        [],
        [("收入", "164,394", "126,832"), ("銷售成本", "(129,170)", "(101,079)"),
         ("除所得稅前利潤", "11,901", "10,426"), ("所得稅費用", "(2,658)", "(2,544)"),
         ("期間利潤", "9,243", "7,882")],
        COLUMNS,
    )  # fmt: skip
    found = _by_type(extract(_scanned(table_pdf([note, SHEET]), {})))
    assert set(found) == {"balance_sheet"}
