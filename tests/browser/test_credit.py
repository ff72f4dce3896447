"""The credit manager's journey: a statement beside its page, corrected, confirmed, then rated."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import httpx
from playwright.sync_api import Page

from tests.archive_api.test_credit import YEARS
from tests.browser.conftest import Company, Visit
from tests.factories import random_uscc
from tests.statements import statement_pdf


@contextmanager
def _as(company: Company, who: str) -> Iterator[httpx.Client]:
    # `with company.as_user(...)` cannot be used: signing in has opened the client already.
    client = company.as_user(who)
    try:
        yield client
    finally:
        client.close()


def _customer_with_statements(company: Company, name: str) -> str:
    """A customer of department A with two annual reports, read by the served extractor."""
    with _as(company, "archivist") as filer:
        opened = filer.post("/api/v1/customers", json={"name": name, "uscc": random_uscc()})
        assert opened.status_code == 201, opened.text
        customer = str(opened.json()["id"])
        for year in (2022, 2023):
            uploaded = filer.post(
                f"/api/v1/customers/{customer}/documents",
                data={"doc_type": "financial_statement", "title": f"{year}年度财务报表"},
                files={
                    "file": (
                        f"fs{year}.pdf",
                        statement_pdf(name, year, YEARS[year], YEARS[year - 1]),
                        "application/pdf",
                    )
                },
            )
            assert uploaded.status_code == 201, uploaded.text
    with _as(company, "credit") as credit:
        url = f"/api/v1/customers/{customer}/extractions"
        deadline = time.monotonic() + 120  # the served Dangan reads uploads every second
        while time.monotonic() < deadline:
            jobs = credit.get(url).json()
            if [j["status"] for j in jobs] == ["done", "done"]:
                break
            time.sleep(0.5)
        assert [j["status"] for j in credit.get(url).json()] == ["done", "done"]
    return customer


def _confirm_the_rest(company: Company, customer: str) -> None:
    """The other statements confirmed through the API, so that every year has its ratios."""
    with _as(company, "credit") as credit:
        url = f"/api/v1/customers/{customer}/statements"
        for statement in credit.get(url).json():
            if statement["status"] != "confirmed":
                done = credit.post(f"{url}/{statement['id']}/confirm")
                assert done.status_code == 200, done.text


def _source_page_shown(page: Page) -> None:
    page.wait_for_function(
        "() => { const i = document.querySelector('img.credit-page');"
        " return i !== null && i.complete && i.naturalWidth > 400; }"
    )


def _charts_drawn(page: Page, count: int) -> None:
    # ECharts draws on canvases: each chart has one, sized to its box, with something drawn.
    page.wait_for_function(
        """(count) => {
          const canvases = [...document.querySelectorAll('.credit-chart canvas')];
          return canvases.length >= count && canvases.every((c) => {
            const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
            return false;
          });
        }""",
        arg=count,
    )


def _quiet(page: Page) -> None:
    # The screenshot shows the page, not the "saved" message that fades over it.
    page.wait_for_function("() => !document.querySelector('.ant-message-notice')")


def test_a_credit_manager_reviews_a_statement_and_rates_the_customer(
    visit: Visit, company: Company
) -> None:
    name = "遵义信用电子有限公司"
    customer = _customer_with_statements(company, name)
    page = visit.page
    visit.sign_in("credit", "zh")

    # The customers to review, found by name, lead to the customer's statements.
    page.get_by_role("link", name="信用").click()
    page.get_by_label("按名称或统一社会信用代码查找").fill("遵义信用")
    page.get_by_label("按名称或统一社会信用代码查找").press("Enter")
    page.get_by_role("link", name=name).wait_for()
    page.wait_for_function("() => !document.querySelector('.ant-table .ant-spin-spinning')")
    visit.shot("credit-list-zh")
    page.get_by_role("link", name=name).click()
    page.get_by_role("heading", name=name).wait_for()

    # The newest balance sheet first, beside the page it was read from.
    # Named with the period its columns cover ("2023年度 · 截至 2023-12-31 · 资产负债表 · …").
    page.get_by_text(re.compile(r"^2023年度 · 截至 2023-12-31 · 资产负债表")).first.wait_for()
    _source_page_shown(page)
    assert page.get_by_role("img", name="报表原件第 1 页").is_visible()
    image = page.get_by_role("img", name="报表原件第 1 页")
    fitted = image.bounding_box()
    page.get_by_role("radiogroup", name="缩放").get_by_text("200%").click()  # small print
    enlarged = image.bounding_box()
    assert fitted is not None
    assert enlarged is not None
    assert enlarged["width"] > 1.9 * fitted["width"]
    page.get_by_role("radiogroup", name="缩放").get_by_text("100%").click()
    figures = page.locator(".credit-figures .ant-table-row")
    assert figures.count() >= 20
    assert page.get_by_text("资产 = 负债 + 所有者权益").first.is_visible()

    # A figure corrected to what the page prints, with the reason.
    page.get_by_role("button", name="更正 货币资金 本期").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("更正后的金额").fill("2,150,000.00")
    dialog.get_by_role("button", name="保存更正").click()
    dialog.get_by_text("请填写更正理由").wait_for()  # no correction without a reason
    dialog.get_by_label("更正理由").fill("与原件核对，读数有误")
    dialog.get_by_role("button", name="保存更正").click()
    page.locator(".credit-figures .ant-table-row", has_text="2,150,000.00").wait_for()
    cash = page.locator(".credit-figures .ant-table-row", has_text="货币资金").first
    assert "2,150,000.00" in cash.inner_text()
    assert cash.get_by_text("已更正").is_visible()
    _quiet(page)
    visit.shot("credit-statement-zh")

    # Confirmed: from now on its figures count.
    page.get_by_role("button", name="确认报表").click()
    with page.expect_response(lambda r: r.url.endswith("/confirm") and r.status == 200):
        visit.dialog().get_by_role("button", name="确认报表").click()
    page.get_by_text("报表已确认").first.wait_for()
    page.get_by_text("2023年度 · 截至 2023-12-31 · 资产负债表 · 合并 · 已确认").wait_for()
    with _as(company, "credit") as credit:
        statements = credit.get(f"/api/v1/customers/{customer}/statements").json()
    sheet = next(s for s in statements if (s["fiscal_year"], s["type"]) == (2023, "balance_sheet"))
    assert sheet["status"] == "confirmed"
    cash_figure = next(
        f for f in sheet["figures"] if (f["code"], f["period"]) == ("cash", "current")
    )
    assert Decimal(cash_figure["value"]) == Decimal("2150000.00")
    assert cash_figure["correction_reason"] == "与原件核对，读数有误"

    # The profile: ratios over the years as charts, then a rating with its grade and limit.
    _confirm_the_rest(company, customer)
    page.get_by_role("tab", name="信用档案").click()
    _charts_drawn(page, 3)
    page.get_by_text("尚未保存评级").wait_for()
    # The qualitative score factor by factor (000), with collateral recorded.
    for factor, score in [("行业地位", "90"), ("市场竞争力", "80"), ("合作年限", "80"),
                          ("管理层信用口碑", "80"), ("重点扶持行业", "70")]:  # fmt: skip
        page.get_by_label(factor, exact=True).fill(score)
    page.get_by_label("上季度订单金额（元）").fill("9000000")
    page.get_by_label("标准信用期（天）").fill("120")  # longer than any grade may have
    page.get_by_label("抵押担保物").fill("厂房抵押")
    page.get_by_label("抵押担保价值（元）").fill("500000")
    page.get_by_role("button", name="保存评级").click()
    page.get_by_text("评级已保存").first.wait_for()
    with _as(company, "credit") as credit:
        [rating] = credit.get(f"/api/v1/customers/{customer}/ratings").json()
    assert rating["grade"]
    assert Decimal(rating["result"]["request"]["qualitative_score"]) == Decimal(80)
    latest = page.locator(".credit-latest")
    latest.locator(".credit-grade", has_text=rating["grade"]).wait_for()
    # The limit at the 90 days the grade allows (9,000,000 × 90 / 90), the allowed credit apart.
    assert rating["credit_limit"] == "9000000.00"
    limit = latest.locator("th", has_text="信用限额").locator("xpath=following-sibling::td[1]")
    assert limit.inner_text() == "9,000,000.00"
    allowed = latest.locator("th", has_text="赊销额度").locator("xpath=following-sibling::td[1]")
    assert allowed.inner_text().replace(",", "") == rating["allowed_credit"]
    latest.get_by_text("90 天（录入 120 天，该等级最长 90 天）").wait_for()
    latest.get_by_text(rating["rated_on"]).first.wait_for()
    assert latest.locator(".credit-factors .ant-table-row").count() == 5
    # How it was made: no industry on file, so the default table, said so; the method is
    # Dangan's own; every choice with its source; values in percent as the seed tables.
    latest.get_by_text("客户未登记行业，也未选择行业参照表").wait_for()
    latest.get_by_text("本系统自定").first.wait_for()
    # The policy's texts in the reader's language: the seed cited as written.
    latest.get_by_text("线性 0–100 分").first.wait_for()
    latest.get_by_text("电子工业（004 附件三）").first.wait_for()
    assert (
        latest.locator(".credit-scores .ant-table-row", has_text="资产负债率")
        .get_by_text("70.00%")
        .is_visible()
    )
    latest.get_by_text("评级所用的全部设定（14 项）及来源").click()
    latest.locator(".credit-choices .ant-table-row", has_text="定量 / 定性权重").wait_for()
    # Each indicator's inputs name their statement, scope, year, column and page.
    debt = latest.locator(".credit-scores .ant-table-row", has_text="资产负债率")
    debt.get_by_role("button").first.click()
    latest.get_by_text(
        re.compile(r"资产总计 2023：.* · 资产负债表（合并）2023 年报本期，第 \d+ 页")
    ).wait_for()
    # 近三年平均利润率 from 2021–2023 (two reports with their prior years), shown, not scored.
    margin = rating["result"]["average_margin"]
    assert margin["shortfalls"] == []
    latest.locator(".credit-margin", has_text=f"近三年平均利润率：{margin['shown']}%").wait_for()
    preview = page.locator(".credit-preview")
    preview.get_by_text("若今天评级，下次复审").wait_for()
    # The preview, made as the saved rating, does not repeat the method or unchanged scores.
    preview.get_by_text("评分方法、行业参照表与报表口径同已保存评级").wait_for()
    preview.get_by_text("各指标得分与已保存评级相同").wait_for()
    assert preview.locator(".credit-scores").count() == 0
    page.get_by_text("经营活动现金流量净额为负").wait_for()  # 2023's is -400,000
    history = page.locator(".ant-card", has_text="评级记录").locator(".ant-table-row")
    assert history.count() == 1
    _charts_drawn(page, 3)
    page.mouse.move(0, 0)
    _quiet(page)
    visit.shot("credit-profile-zh")
    # The rating wrote the credit report; an English one is kept as its next version.
    report = page.locator(".credit-report")
    report.get_by_role("button", name="生成英文报告").click()
    report.get_by_text("已存为档案文件第 2 版").wait_for()
    report.get_by_role("link", name="在客户档案中查看").wait_for()
    visit.shot("credit-report-zh")

    # The same in English.
    page.locator("label", has_text="English").click()
    page.locator("html[lang=en]").wait_for()
    page.get_by_role("tab", name="Credit profile").wait_for()
    page.get_by_text("Net cash flow from operating activities is negative").wait_for()
    latest.get_by_text("The customer has no industry on file").first.wait_for()
    latest.get_by_text("Reference table", exact=True).first.wait_for()
    latest.get_by_text("linear, 0–100 points").first.wait_for()
    latest.get_by_text("electronics industry (004 附件三)").first.wait_for()
    _charts_drawn(page, 3)
    page.wait_for_timeout(500)  # the language switch's thumb has moved
    visit.shot("credit-profile-en")
    page.get_by_role("tab", name="Financial statements").click()
    page.get_by_text("Fiscal year 2023 · at 31 Dec 2023 · Balance sheet").first.wait_for()
    _source_page_shown(page)
    page.get_by_text("Assets = liabilities + equity").first.wait_for()
    visit.shot("credit-statement-en")
    # The credit manager reads in Chinese again next time.
    page.locator("label", has_text="中文").click()
    page.locator("html[lang=zh-CN]").wait_for()
