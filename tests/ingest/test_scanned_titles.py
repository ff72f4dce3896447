"""Statement titles read loosely on scans: OCR confuses a character of 资产负债表, 利润表 or
现金流量表 (most of all their traditional forms, whose characters RapidOCR's model lacks), and a
statement whose title was read so is still found under its title; prose and notes are not."""

from __future__ import annotations

import dataclasses

import pytest

from ingest.statements import extract
from ingest.statements.survey import holds_title
from ingest.statements.titles import loosely, read_title, title
from ingest.words import read_pages
from tests.ingest.test_statement_hk_interim import FLOWS, INCOME, SHEET
from tests.statements import table_pdf


@pytest.mark.parametrize(
    ("read", "kind", "scope"),
    [
        ("资产负责表", "balance_sheet", None),  # 债 read as 责
        ("合并资产负值表", "balance_sheet", "consolidated"),
        ("中期簡明合併資產負賃表", "balance_sheet", "consolidated"),  # traditional, 債 as 賃
        ("中期简 fed 資產負債表", "balance_sheet", None),  # specks inside the title
        ("母公司资产贝债表", "balance_sheet", "parent"),  # 负 as 贝
        ("合并利闰表", "income_statement", "consolidated"),  # 润 as 闰
        ("利潤表（續）", "income_statement", None),
        ("綜合損盆表", "income_statement", "consolidated"),
        ("中期簡明綜合全面收盖表", "income_statement", "consolidated"),
        ("合并现金流最表", "cash_flow_statement", "consolidated"),  # 量 as 最
        ("現金流量衰", None, None),  # the closing 表 itself misread: not taken
        ("合併現金流重表 2024年度", "cash_flow_statement", "consolidated"),
    ],
)
def test_a_title_with_one_character_misread_is_read_loosely(
    read: str, kind: str | None, scope: str | None
) -> None:
    found = loosely(read)
    if kind is None:
        assert found is None
        return
    assert found is not None, read
    assert (found.kind, found.scope) == (kind, scope)
    assert found.text == read


@pytest.mark.parametrize(
    "printed",
    [
        "资产负债表日后事项",  # a note's heading that starts with a statement's name
        "現金流量表補充資料",
        "本公司于资产负债表日的应收账款。",  # a sentence
        "现金及现金等价物净增加额",
        "合并所有者权益变动表",  # a statement not read: no loose match to another
        "应收账款坏账准备计提表",
        "一览表",
        "其他应收款明细表",
        "借款费用资本化表",
    ],
)
def test_notes_and_prose_are_not_read_as_titles(printed: str) -> None:
    assert loosely(printed) is None


def test_lines_of_a_text_layer_are_read_exactly() -> None:
    assert read_title("合并资产负责表", scanned=False) is None
    named = read_title("合并资产负责表", scanned=True)
    assert named is not None
    assert named.kind == "balance_sheet"
    assert title("合并资产负债表") == read_title("合并资产负债表", scanned=True)


def test_a_skim_finds_a_statement_page_by_a_misread_title() -> None:
    # The lines a skim reads off a scanned or garbled page: its title, its headings.
    lines = ["截至2024年6月30日止六個月", "中期簡明合併現金流最表", "人民幣千元"]
    assert holds_title(lines, scanned=True)
    assert not holds_title(lines)  # a text layer's lines are read exactly
    assert not holds_title(["現金流量表補充資料", "人民幣千元"], scanned=True)


def test_statements_under_misread_titles_are_found_and_scoped() -> None:
    misread = {
        "中期簡明合併資產負債表": "中期簡明合併資產負責表",
        "中期簡明合併現金流量表": "中期簡明合併現金流最表",
        "中期簡明合併損益表": "中期簡明合併損盆表",
    }
    pages = []
    for page in read_pages(table_pdf([SHEET, INCOME, FLOWS])):
        words = tuple(dataclasses.replace(w, text=misread.get(w.text, w.text)) for w in page.words)
        pages.append(dataclasses.replace(page, words=words, source="ocr"))
    found = {s.type: s for s in extract(pages)}
    assert set(found) == {"balance_sheet", "income_statement", "cash_flow_statement"}
    assert found["balance_sheet"].title == "中期簡明合併資產負責表"  # found by its title
    assert {s.scope for s in found.values()} == {"consolidated"}
    assert found["cash_flow_statement"].items["operating_cash_flow"].current == 2_531
    # On a text layer the same misprints are no titles: no statement is found under them.
    printed = [dataclasses.replace(p, source="text") for p in pages]
    assert not any(s.title in misread.values() for s in extract(printed))


def test_a_statement_whose_first_title_was_misread_continues_under_its_printed_title() -> None:
    # Xiaomi's balance sheet: assets on one page under a title OCR read as
    # "中期简fed資產負債表" (scope lost), liabilities on the next under the title read whole.
    assets = dataclasses.replace(SHEET, rows=SHEET.rows[:4])
    liabilities = dataclasses.replace(SHEET, rows=SHEET.rows[4:])
    pages = []
    for page in read_pages(table_pdf([assets, liabilities, FLOWS])):
        words = tuple(
            dataclasses.replace(w, text="中期简fed資產負債表")
            if page.number == 1 and w.text == SHEET.title
            else w
            for w in page.words
        )
        pages.append(dataclasses.replace(page, words=words, source="ocr"))
    sheets = [s for s in extract(pages) if s.type == "balance_sheet"]
    [sheet] = sheets  # one statement over both pages, not a "parent" one beside the group's
    assert (sheet.scope, sheet.pages, sheet.title) == ("consolidated", [1, 2], SHEET.title)
    assert sheet.items["cash"].current == 39_335
    assert sheet.items["total_liabilities"].current == 168_979
