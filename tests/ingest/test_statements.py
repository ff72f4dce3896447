"""Statement extraction: figures read exactly from real reports, absent items left out, units,
signs and columns right, broken identities flagged, and `dangan extract` for people and scripts."""

from __future__ import annotations

import io
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfgen import canvas
from typer.testing import CliRunner

from archive_api.cli import app
from ingest.statements import Statement, extract, extract_pdf
from ingest.statements.items import BY_NAME
from ingest.statements.numbers import amount
from ingest.words import Page, Word

DATA = Path(__file__).resolve().parent.parent / "data"
TRUTH = {r["file"]: r for r in json.loads((DATA / "statements" / "truth.json").read_text())}
DIGITAL = [
    "cn_a_moutai_2021_annual.pdf",
    "cn_a_shenzhen_energy_2016_annual.pdf",
    "en_ifrs_dfm_2025_annual_fs.pdf",
]
SCAN = "en_ph_scan_ideal_marketing_2022_fs.pdf"


@pytest.fixture(scope="module")
def found() -> dict[str, list[Statement]]:
    """Each digital sample read once for the whole module."""
    return {f: extract_pdf((DATA / "statements" / f).read_bytes()) for f in DIGITAL}


def _consolidated(statements: list[Statement], kind: str) -> Statement:
    return next(s for s in statements if s.type == kind and s.scope == "consolidated")


def _cases() -> list[tuple[str, dict[str, Any]]]:
    return [(f, s) for f in DIGITAL for s in TRUTH[f]["statements"]]


def _assert_matches(statement: Statement, truth: dict[str, Any]) -> None:
    for name, expected in truth["items"].items():
        if expected.get("derived"):
            continue
        figure = statement.items[BY_NAME[name].code]
        want = [None if p is None else amount(p) for p in expected["printed"]]
        got = [figure.current, figure.prior]
        if str(expected.get("sign", "")).startswith("presentation"):
            want = [None if v is None else abs(v) for v in want]
            got = [None if v is None else abs(v) for v in got]
        assert got == want, name
        assert figure.page == expected["page"], name
    for absent in truth.get("absent_items", []):
        assert BY_NAME[absent.split()[0]].code not in statement.items


def _case_id(value: object) -> str:
    return str(value["type"]) if isinstance(value, dict) else str(value)


@pytest.mark.parametrize(("file", "truth"), _cases(), ids=_case_id)
def test_figures_equal_the_hand_read_truth(
    found: dict[str, list[Statement]], file: str, truth: dict[str, Any]
) -> None:
    statement = _consolidated(found[file], truth["type"])
    _assert_matches(statement, truth)
    assert set(truth["pages"]) <= set(statement.pages) | {truth["pages"][-1]}
    assert statement.columns == truth["columns"]
    assert not statement.needs_review


def test_units_and_multipliers_come_from_the_heading(found: dict[str, list[Statement]]) -> None:
    dfm = _consolidated(found["en_ifrs_dfm_2025_annual_fs.pdf"], "balance_sheet")
    assert (dfm.unit, dfm.multiplier, dfm.currency) == ("AED'000", 1000, "AED")
    moutai = _consolidated(found["cn_a_moutai_2021_annual.pdf"], "income_statement")
    assert (moutai.unit, moutai.multiplier, moutai.currency) == ("元", 1, "CNY")


def test_parentheses_are_negative_and_the_printed_text_is_kept(
    found: dict[str, list[Statement]],
) -> None:
    flows = _consolidated(found["cn_a_shenzhen_energy_2016_annual.pdf"], "cash_flow_statement")
    investing = flows.items["investing_cash_flow"]
    assert investing.current == Decimal("-6406950581.95")
    assert investing.raw == ["(6,406,950,581.95)", "(9,472,670,637.14)"]
    x0, top, x1, bottom = investing.position
    assert x0 < x1
    assert top < bottom


def test_blank_cells_are_none_and_unprinted_items_absent(found: dict[str, list[Statement]]) -> None:
    sheet = _consolidated(found["cn_a_moutai_2021_annual.pdf"], "balance_sheet")
    receivable = sheet.items["accounts_receivable"]  # the row is printed with both cells blank
    assert (receivable.current, receivable.prior, receivable.raw) == (None, None, [None, None])
    income = _consolidated(found["cn_a_shenzhen_energy_2016_annual.pdf"], "income_statement")
    assert "total_revenue" not in income.items  # the pre-2018 format has no 营业总收入 line


def test_consolidated_statements_come_first_and_parent_ones_apart(
    found: dict[str, list[Statement]],
) -> None:
    statements = found["cn_a_moutai_2021_annual.pdf"]
    assert [(s.scope, s.type) for s in statements] == [
        ("consolidated", "balance_sheet"),
        ("consolidated", "income_statement"),
        ("consolidated", "cash_flow_statement"),
        ("parent", "balance_sheet"),
        ("parent", "income_statement"),
        ("parent", "cash_flow_statement"),
    ]
    consolidated, parent = statements[0], statements[3]
    assert parent.items["total_assets"].current != consolidated.items["total_assets"].current


def test_only_figures_confirmed_by_an_identity_are_trusted_above_eighty_percent(
    found: dict[str, list[Statement]],
) -> None:
    for statements in found.values():
        for statement in statements:
            checked = {
                code for c in statement.checks if c.ok and c.relation == "=" for code in c.items
            }
            for code, figure in statement.items.items():
                assert figure.confidence <= 0.8 or code in checked


# Synthetic pages: the layouts the samples do not show, built word by word.
def _page(rows: list[tuple[str, ...]], number: int = 1, source: str = "text") -> Page:
    """A page whose rows are (label, current, prior) or free text; amounts right-aligned."""
    words = []
    for index, row in enumerate(rows):
        top = 60.0 + 15 * index
        label, *cells = row
        words.append(Word(label, 60, 60 + 8 * len(label), top, top + 9))
        for right, text in zip((380.0, 500.0), cells, strict=False):
            if text:
                words.append(Word(text, right - 5 * len(text), right, top, top + 9))
    return Page(number, 595, 842, tuple(words), source)  # type: ignore[arg-type]


TRADITIONAL = [
    ("合併資產負債表",),
    ("單位：千元",),
    ("項目", "2023年12月31日", "2022年12月31日"),
    ("貨幣資金", "1,200", "—"),
    ("應收帳款", "(300)", "150"),
    ("資產總計", "10,000", "9,000"),
    ("負債合計", "4,000", "3,500"),
    ("所有者權益合計", "6,000", "5,500"),
]


def test_traditional_characters_thousands_dashes_and_parentheses() -> None:
    [sheet] = extract([_page(TRADITIONAL)])
    assert (sheet.type, sheet.scope, sheet.unit, sheet.multiplier) == (
        "balance_sheet",
        "consolidated",
        "千元",
        1000,
    )
    assert sheet.columns == {"current": "2023年12月31日", "prior": "2022年12月31日"}
    assert sheet.items["cash"].current == Decimal(1200)
    assert sheet.items["cash"].prior == 0  # a printed dash
    assert sheet.items["accounts_receivable"].current == Decimal(-300)
    assert not sheet.needs_review


def test_a_broken_identity_sends_the_statement_to_review() -> None:
    broken = [*TRADITIONAL[:-1], ("所有者權益合計", "6,100", "5,500")]
    [sheet] = extract([_page(broken)])
    assert sheet.needs_review
    failed = [c for c in sheet.checks if not c.ok]
    assert [c.name for c in failed] == ["assets = liabilities + equity (current)"]
    assert sheet.items["total_equity"].confidence < 0.5
    # Figures the failed check does not involve are not marked down, but no identity vouches for
    # cash either, so it stays at the cap for unchecked figures.
    assert sheet.items["cash"].confidence == 0.8


def test_a_label_wrapped_over_two_lines_and_a_statement_over_two_pages() -> None:
    first = _page([
        ("Consolidated statement of cash flows",),
        ("US$'000", "2024", "2023"),
        ("Net cash generated from operating", "", ""),
        ("activities", "500", "400"),
        ("Net cash used in investing activities", "(200)", "(100)"),
    ])  # fmt: skip
    second = _page([
        ("Net cash used in financing activities", "(100)", "-"),
        ("Net increase in cash and cash equivalents", "200", "300"),
    ], number=2)  # fmt: skip
    [flows] = extract([first, second])
    assert flows.pages == [1, 2]
    assert (flows.unit, flows.multiplier, flows.currency) == ("US$'000", 1000, "USD")
    wrapped = flows.items["operating_cash_flow"]
    assert wrapped.label == "Net cash generated from operating activities"
    assert flows.items["financing_cash_flow"].prior == 0
    assert flows.checks
    assert all(c.ok for c in flows.checks)


def _table(title: str, headings: list[str], rows: list[tuple[str, ...]]) -> Page:
    """A one-page statement with a column every 80 points from x=240, headed by `headings`."""
    words = [Word(title, 60, 330, 40, 49)]
    for index, heading in enumerate(headings):
        words.append(Word(heading, 240 + 80 * index, 300 + 80 * index, 60, 69))
    for line, (label, *amounts) in enumerate(rows):
        top = 80 + 15 * line
        words.append(Word(label, 60, 120, top, top + 9))
        for index, text in enumerate(amounts):
            if text:
                words.append(Word(text, 280 + 80 * index, 300 + 80 * index, top, top + 9))
    return Page(1, 595, 842, tuple(words))


def test_a_third_year_column_is_not_taken_for_the_prior_year() -> None:
    page = _table(
        "CONSOLIDATED STATEMENTS OF OPERATIONS (in millions)",
        ["2025", "2024", "2023"],
        [("Net sales", "900", "800", "700"), ("Cost of sales", "500", "", "450")],
    )
    [income] = extract([page])
    assert (income.unit, income.multiplier) == ("millions", 1_000_000)
    revenue = income.items["revenue"]
    assert (revenue.current, revenue.prior) == (Decimal(900), Decimal(800))
    assert income.items["cost_of_sales"].prior is None  # the 2023 amount stays in its column


def test_a_bank_printing_group_and_bank_columns_gives_the_group_figures() -> None:
    # 本集团 2025, 2024 then 本行 2025, 2024, as Chinese banks print them side by side.
    page = _table(
        "资产负债表",
        ["2025年12月31日", "2024年12月31日", "2025年12月31日", "2024年12月31日"],
        [
            ("现金及存放中央银行款项", "100", "90", "80", "70"),
            ("资产总计", "1,000", "900", "800", "700"),
            ("负债合计", "600", "500", "500", "400"),
            ("股东权益合计", "400", "400", "300", "300"),
        ],
    )
    [sheet] = extract([page])
    assert (sheet.items["cash"].current, sheet.items["cash"].prior) == (Decimal(100), Decimal(90))
    assert not sheet.needs_review


def test_ocr_words_are_trusted_less_and_split_amounts_rejoined() -> None:
    page = _table(
        "STATEMENTS OF FINANCIAL POSITION",
        ["2022", "2021"],
        [("Cash", "", "5,000"), ("TOTAL", "9,000", "8,000"), ("TOTAL", "9,000", "8,000")],
    )
    # OCR read the current cash amount as two words, "1," and "250".
    split = (Word("1,", 280, 287, 80, 89), Word("250", 290, 300, 80, 89))
    scanned = Page(1, 595, 842, page.words + split, "ocr")
    [sheet] = extract([scanned])
    assert sheet.items["cash"].current == Decimal(1250)
    assert sheet.items["cash"].confidence < 0.9
    assert (
        sheet.items["total_assets"].current == sheet.items["total_liabilities_and_equity"].current
    )


def test_a_statement_whose_title_ocr_misread_is_still_found() -> None:
    page = _table(
        "STATEMFNTS OF FlNANClAL POSlTlON",
        ["2022", "2021"],
        [
            ("Cash", "1,000", "900"),
            ("Total Current Assets", "2,000", "1,800"),
            ("Total Assets", "5,000", "4,000"),
            ("Total Liabilities", "3,000", "2,500"),
            ("Total Equity", "2,000", "1,500"),
        ],
    )
    [sheet] = extract([Page(1, 595, 842, page.words, "ocr")])
    assert sheet.type == "balance_sheet"
    assert sheet.items["total_assets"].prior == Decimal(4000)
    assert not sheet.needs_review


def test_a_bank_in_millions_group_then_bank_alone() -> None:
    # A bank's group statement, then the bank's own titled 银行…: no current assets, revenue
    # summed under a heading line without amounts, the unit in a remark under the title.
    group = _page([
        ("合并资产负债表",),
        ("(除特别注明外，金额单位均为人民币百万元)",),
        ("本集团", "2024年12月31日", "2023年12月31日"),
        ("现金及存放中央银行款项", "268,973", "274,663"),
        ("发放贷款和垫款", "3,294,053", "3,320,110"),
        ("资产总计", "5,769,270", "5,587,116"),
        ("吸收存款", "3,592,313", "3,458,287"),
        ("负债合计", "5,274,428", "5,114,788"),
        ("股东权益合计", "494,842", "472,328"),
    ])  # fmt: skip
    bank = _page([
        ("银行资产负债表",),
        ("本行", "2024年12月31日", "2023年12月31日"),
        ("现金及存放中央银行款项", "268,900", "274,600"),
        ("资产总计", "5,726,993", "5,564,067"),
        ("负债合计", "5,239,659", "5,097,286"),
        ("股东权益合计", "487,334", "466,781"),
    ], number=2)  # fmt: skip
    income = _page([
        ("合并利润表",),
        ("(除特别注明外，金额单位均为人民币百万元)",),
        ("本集团", "2024年度", "2023年度"),
        ("一、营业收入",),
        ("利息收入", "198,381", "227,617"),
        ("营业收入合计", "146,695", "164,699"),
        ("五、利润总额", "54,738", "57,718"),
        ("减：所得税费用", "(10,230)", "(11,263)"),
        ("六、净利润", "44,508", "46,455"),
    ], number=3)  # fmt: skip
    sheet, profit, own = extract([group, bank, income])
    assert (sheet.scope, own.scope, own.type) == ("consolidated", "parent", "balance_sheet")
    assert (sheet.unit, sheet.multiplier, sheet.currency) == ("百万元", 1_000_000, "CNY")
    assert sheet.items["cash"].current == Decimal(268973)
    assert own.items["total_assets"].current == Decimal(5726993)
    assert "current_assets" not in sheet.items  # a bank has none: never guessed
    revenue = profit.items["revenue"]
    assert (revenue.current, revenue.prior) == (Decimal(146695), Decimal(164699))
    assert not sheet.needs_review
    assert not profit.needs_review


def _bilingual(number: int, rows: list[tuple[str, ...]]) -> Page:
    """A Hong Kong style page: English label, Chinese label, then the two period amounts."""
    words = []
    for index, (english, chinese, *amounts) in enumerate(rows):
        top = 60.0 + 12 * index
        if english:
            words.append(Word(english, 40, 40 + 5 * len(english), top, top + 9))
        if chinese:
            words.append(Word(chinese, 250, 250 + 9 * len(chinese), top, top + 9))
        for right, text in zip((470.0, 550.0), amounts, strict=False):
            if text:
                words.append(Word(text, right - 5 * len(text), right, top, top + 9))
    return Page(number, 595, 842, tuple(words))


def test_a_bilingual_hong_kong_interim_report() -> None:
    # Titles broken after "STATEMENT OF" and repeated in Chinese, labels in two languages on
    # one line, a label wrapped in both, amounts on a line of their own, and the exchange
    # effect added after the opening balance rather than inside the net change.
    position = _bilingual(1, [
        ("INTERIM CONDENSED CONSOLIDATED STATEMENT OF", ""),
        ("FINANCIAL POSITION", ""),
        ("", "中期簡明綜合財務狀況表"),
        ("As at", "", "30 September", "31 March"),
        ("", "", "於2024年9月30日", "於2024年3月31日"),
        ("Note", "", "RMB’000", "RMB’000"),
        ("Cash and cash equivalents", "現金及現金等價物", "516,636", "234,101"),
        ("Total current assets", "流動資產總值", "1,603,265", "1,801,334"),
        ("Total assets", "資產總值", "1,698,326", "1,906,390"),
        ("Total equity", "權益總額", "1,035,610", "1,154,868"),
        ("Total liabilities", "負債總額", "662,716", "751,522"),
        ("Total equity and liabilities", "權益及負債總額", "1,698,326", "1,906,390"),
    ])  # fmt: skip
    flows = _bilingual(2, [
        ("INTERIM CONDENSED CONSOLIDATED STATEMENT OF CASH FLOWS", ""),
        ("", "中期簡明綜合現金流量表"),
        ("", "", "2024", "2023"),
        ("Net cash outflow from operating activities", "", "(97,041)", "(173,990)"),
        ("Net cash inflow from investing activities", "", "495,170", "174,513"),
        ("Net cash (outflow)/inflow from financing", "融資活動產生的現金（流出）╱"),
        ("activities", "流入淨額", "(111,470)", "179,949"),
        ("Net increase in cash and cash equivalents", "", "286,659", "180,472"),
        ("Cash and cash equivalents at beginning of period", "", "234,101", "408,709"),
        ("Effects of exchange rate changes", "匯率變動的影響", "(4,124)", "(3,367)"),
        ("Cash and cash equivalents at end of", "期末現金及現金等價物"),
        ("", "", "516,636", "585,814"),
    ])  # fmt: skip
    sheet, cash = extract([position, flows])
    assert (sheet.type, sheet.scope, sheet.unit, sheet.multiplier) == (
        "balance_sheet",
        "consolidated",
        "RMB'000",
        1000,
    )
    assert sheet.items["current_assets"].current == Decimal(1603265)
    assert sheet.items["total_equity"].prior == Decimal(1154868)
    assert not sheet.needs_review
    assert cash.items["financing_cash_flow"].current == Decimal(-111470)
    assert cash.items["cash_end"].prior == Decimal(585814)
    assert len(cash.checks) == 4
    assert not cash.needs_review


def test_notes_tables_are_not_statements() -> None:
    notes = _page([("现金流量表补充资料",), ("净利润", "1,000", "900")])
    assert extract([notes]) == []


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs Tesseract")
def test_a_scan_is_read_through_ocr() -> None:
    from ingest.ocr import ocr_page

    statements = extract_pdf((DATA / SCAN).read_bytes(), ocr=ocr_page)
    for truth in TRUTH[SCAN]["statements"]:
        # A single company's statements, titled without scope words: reported as the company's.
        statement = next(s for s in statements if s.type == truth["type"])
        assert statement.scope == "company"
        _assert_matches(statement, truth)
        assert all(f.confidence <= 0.9 for f in statement.items.values())  # OCR is noisier


def _no_statement_pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Minutes of the credit committee: nothing to report.")
    page.save()
    return out.getvalue()


def test_cli_prints_one_json_object(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["extract", str(DATA / "statements" / "en_ifrs_dfm_2025_annual_fs.pdf"), "--json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    first = document["statements"][0]
    assert {"type", "scope", "pages", "unit", "multiplier", "columns", "items", "checks"} <= set(
        first
    )
    assert (first["type"], first["multiplier"]) == ("balance_sheet", 1000)
    assert first["items"]["total_assets"]["current"] == "11805623"
    assert first["needs_review"] is False


def test_cli_exit_codes(tmp_path: Path) -> None:
    empty = tmp_path / "minutes.pdf"
    empty.write_bytes(_no_statement_pdf())
    garbage = tmp_path / "broken.pdf"
    garbage.write_bytes(b"%PDF-1.7\n" + b"\x00" * 300)
    runner = CliRunner()
    nothing = runner.invoke(app, ["extract", str(empty), "--json"])
    assert nothing.exit_code == 1
    assert json.loads(nothing.stdout) == {"statements": [], "unread_pages": []}
    unreadable = runner.invoke(app, ["extract", str(garbage)])
    assert unreadable.exit_code == 2
    assert "cannot read" in unreadable.output
    assert "Traceback" not in unreadable.output
    assert runner.invoke(app, ["extract", str(tmp_path / "missing.pdf")]).exit_code == 2
