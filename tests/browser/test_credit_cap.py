"""A grade capped for a short history says which year does not count and what it lacks."""

from __future__ import annotations

import time

from tests.archive_api.test_credit import YEARS
from tests.browser.conftest import Company, Visit
from tests.browser.test_credit import _as
from tests.factories import qualitative, random_uscc
from tests.statements import statement_pdf

SHEET = ("cash", "accounts_receivable", "inventory", "current_assets", "intangible_assets",
         "total_assets", "current_liabilities", "total_liabilities", "total_equity",
         "total_liabilities_and_equity")  # fmt: skip


def _rated_with_one_comparison(company: Company, name: str) -> str:
    """A customer whose 2023 report compares only its balance sheet with 2022, confirmed and
    rated with every qualitative factor at 100."""
    with _as(company, "archivist") as filer:
        opened = filer.post("/api/v1/customers", json={"name": name, "uscc": random_uscc()})
        assert opened.status_code == 201, opened.text
        customer = str(opened.json()["id"])
        prior = {code: YEARS[2022][code] for code in SHEET}
        uploaded = filer.post(
            f"/api/v1/customers/{customer}/documents",
            data={"doc_type": "financial_statement", "title": "2023年度财务报表"},
            files={"file": ("fs2023.pdf", statement_pdf(name, 2023, YEARS[2023], prior))},
        )
        assert uploaded.status_code == 201, uploaded.text
    with _as(company, "credit") as credit:
        url = f"/api/v1/customers/{customer}"
        deadline = time.monotonic() + 120  # the served Dangan reads uploads every second
        while [j["status"] for j in credit.get(f"{url}/extractions").json()] != ["done"]:
            assert time.monotonic() < deadline, "the report was not read in time"
            time.sleep(0.5)
        for statement in credit.get(f"{url}/statements").json():
            done = credit.post(f"{url}/statements/{statement['id']}/confirm")
            assert done.status_code == 200, done.text
        entered = {**qualitative("100"), "order_volume": "9000000", "credit_period_days": 60}
        rated = credit.post(f"{url}/ratings", json=entered)
        assert rated.status_code in (200, 201), rated.text
        cap = rated.json()["result"]["cap"]
    assert (cap["grade"], cap["history_years"]) == ("BBB", 1)
    assert [(g["name"], g["year"]) for g in cap["history_gaps"]] == [
        ("income_statement", 2022),
        ("cash_flow_statement", 2022),
    ]
    return customer


def test_the_cap_names_the_year_whose_report_compared_only_its_balance_sheet(
    visit: Visit, company: Company
) -> None:
    customer = _rated_with_one_comparison(company, "遵义单年电子有限公司")
    page = visit.page
    visit.sign_in("credit", "zh")
    visit.go(f"/credit/{customer}")
    page.get_by_role("tab", name="信用档案").click()
    cap = page.locator(".credit-latest .credit-cap")
    cap.get_by_text("等级上限 BBB（仅按得分为 AA）").wait_for()
    cap.get_by_text("2022 年不计为完整年度，缺少：利润表、现金流量表").wait_for()
    cap.scroll_into_view_if_needed()
    visit.shot("credit-cap-zh")

    page.locator("label", has_text="English").click()
    page.locator("html[lang=en]").wait_for()
    cap.get_by_text("Grade capped at BBB (the score alone gives AA)").wait_for()
    english = "2022 does not count as a full year, missing: Income statement, Cash flow statement"
    cap.get_by_text(english).wait_for()
    page.wait_for_timeout(500)  # the language switch's thumb has moved
    visit.shot("credit-cap-en")
    # The credit manager reads in Chinese again next time.
    page.locator("label", has_text="中文").click()
    page.locator("html[lang=zh-CN]").wait_for()
