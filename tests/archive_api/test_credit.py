"""Statements become reviewed figures, ratios, a grade and a limit, as a credit manager lives it."""

from __future__ import annotations

import io
import time
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update

from access.identity import ensure_admin
from archive_api.app import create_app
from archive_api.backends import connect
from storage.db import unit_of_work
from storage.models import Extraction, Statement
from tests.archive_api.conftest import (
    ADMIN_PASSWORD,
    USER_PASSWORD,
    Api,
    Cast,
    add_user,
    embedded_settings,
    extract_all,
    sign_in,
)
from tests.factories import license_image, qualitative, random_uscc
from tests.statements import Table, statement_pdf, table_pdf

D = Decimal
# Three years of a customer's figures in yuan, chosen so the ratios are easy to check by hand.
YEARS: dict[int, dict[str, Decimal]] = {
    year: {
        "cash": D(cash),
        "accounts_receivable": D(receivable),
        "inventory": D(inventory),
        "current_assets": D(current_assets),
        "intangible_assets": D("500000.00"),
        "total_assets": D(assets),
        "current_liabilities": D(current_liabilities),
        "total_liabilities": D(liabilities),
        "total_equity": D(assets) - D(liabilities),
        "total_liabilities_and_equity": D(assets),
        "total_revenue": D(revenue),
        "revenue": D(revenue),
        "cost_of_sales": D(cost),
        "interest_expense": D("100000.00"),
        "total_profit": D(profit),
        "net_profit": D(profit) * D("0.75"),
        "operating_cash_flow": D(operating),
        "investing_cash_flow": D("-300000.00"),
        "financing_cash_flow": D("-100000.00"),
        "cash_end": D(cash),
    }
    for year, cash, receivable, inventory, current_assets, assets, current_liabilities,
    liabilities, revenue, cost, profit, operating in [
        (2021, "1500000.00", "2000000.00", "3000000.00", "8000000.00", "20000000.00",
         "5000000.00", "9000000.00", "30000000.00", "24000000.00", "2000000.00", "1200000.00"),
        (2022, "1800000.00", "2500000.00", "3200000.00", "9000000.00", "22000000.00",
         "6000000.00", "10000000.00", "36000000.00", "28000000.00", "2600000.00", "1500000.00"),
        (2023, "2100000.00", "2700000.00", "3600000.00", "10000000.00", "25000000.00",
         "7000000.00", "12500000.00", "40000000.00", "31000000.00", "3000000.00", "-400000.00"),
    ]
}  # fmt: skip


def test_three_years_of_statements_become_a_rating_that_matches_a_hand_calculation(
    api: Api, cast: Cast
) -> None:
    credit = cast.add("credit", "credit_manager")
    customer = api.customer("遵义电子有限公司")
    for year in (2022, 2023):  # each annual report prints the year and the one before
        pdf = statement_pdf("遵义电子有限公司", year, YEARS[year], YEARS[year - 1])
        api.upload(
            customer,
            pdf,
            doc_type="financial_statement",
            title=f"{year}年度财务报表",
            filename=f"fs{year}.pdf",
        )

    # Read in the background, never in the request: nothing is there until the worker runs.
    url = f"/api/v1/customers/{customer}"
    jobs = credit.get(f"{url}/extractions").json()
    assert [j["status"] for j in jobs] == ["pending", "pending"]
    assert credit.get(f"{url}/statements").json() == []
    extract_all(api)
    done = credit.get(f"{url}/extractions").json()
    assert {j["status"] for j in done} == {"done"}
    assert [j["result"] for j in done] == [{"unread_pages": []}] * 2  # every page was read
    found = credit.get(f"{url}/statements").json()
    assert sorted((s["fiscal_year"], s["type"]) for s in found) == sorted(
        (year, kind)
        for year in (2022, 2023)
        for kind in ("balance_sheet", "income_statement", "cash_flow_statement")
    )
    for statement in found:
        assert (statement["unit"], statement["multiplier"], statement["status"]) == (
            "元",
            1,
            "extracted",
        )
        for figure in statement["figures"]:
            year = statement["fiscal_year"] - (figure["period"] == "prior")
            assert D(figure["value"]) == YEARS[year][figure["code"]], figure

    # Nothing counts before a credit manager confirms it.
    profile = credit.get(f"{url}/credit-profile").json()
    assert (profile["latest"], profile["preview"]["ratios"]) == (None, [])
    assert cast["seller"].get(f"{url}/statements").status_code == 403

    # A figure corrected keeps what was read, who changed it and why; a correction that
    # breaks assets = liabilities + equity sends the statement back to review.
    sheet = next(s for s in found if (s["fiscal_year"], s["type"]) == (2023, "balance_sheet"))
    statement_url = f"{url}/statements/{sheet['id']}"
    wrong = {"code": "total_assets", "period": "current", "value": "25000001.00", "reason": "typo"}
    corrected = credit.patch(f"{statement_url}/figures", json=wrong).json()
    assets = next(
        f for f in corrected["figures"] if (f["code"], f["period"]) == ("total_assets", "current")
    )
    assert (D(assets["value"]), D(assets["extracted"])) == (D("25000001.00"), D("25000000.00"))
    assert assets["corrected_by_id"] == cast.ids["credit"]
    assert corrected["needs_review"] is True
    refused = credit.post(f"{statement_url}/confirm")
    assert refused.status_code == 409
    assert "assets = liabilities + equity" in refused.json()["detail"]
    assert refused.json()["reason"] == "checks_fail"
    back = dict(wrong, value="25000000.00", reason="与原件核对 checked against the original")
    assert credit.patch(f"{statement_url}/figures", json=back).json()["needs_review"] is False
    for statement in found:
        confirmed = credit.post(f"{url}/statements/{statement['id']}/confirm")
        assert confirmed.status_code == 200, confirmed.text
        assert confirmed.json()["status"] == "confirmed"

    # The credit manager rates: ratios, score, grade and limit follow from the figures.
    entered = {**qualitative("80"), "order_volume": "9000000", "credit_period_days": 60}
    rated = credit.post(f"{url}/ratings", json=entered)
    assert rated.status_code == 201, rated.text
    result = rated.json()["result"]
    ratios = {
        (year["year"], indicator): D(ratio["value"])
        for year in result["ratios"]
        for indicator, ratio in year["ratios"].items()
    }
    now, before = YEARS[2023], YEARS[2022]
    equity = (now["total_equity"] + before["total_equity"]) / 2
    by_hand = {
        "debt_ratio": now["total_liabilities"] / now["total_assets"],
        "current_ratio": now["current_assets"] / now["current_liabilities"],
        "cash_ratio": now["cash"] / now["current_liabilities"],
        "gross_margin": (now["revenue"] - now["cost_of_sales"]) / now["revenue"],
        "roe": now["net_profit"] / equity,
        "roa": (now["total_profit"] + now["interest_expense"])
        / ((now["total_assets"] + before["total_assets"]) / 2),
        "sales_growth": now["revenue"] / before["revenue"] - 1,
    }
    for indicator, value in by_hand.items():
        assert abs(ratios[2023, indicator] - value) < D("0.0001"), indicator
    quantitative, combined = D(result["quantitative_score"]), D(result["combined_score"])
    assert abs(combined - (quantitative * D("0.6") + D(80) * D("0.4"))) < D("0.01")
    limit = result["credit_limit"]
    assert D(limit["limit"]) == D(9000000) * 60 / 90
    assert D(limit["allowed"]) == D(limit["limit"]) * D(limit["risk_coefficient"])
    assert result["grade"] in ("AAA", "AA", "A", "BBB", "BB", "B", "C")
    codes = {w["code"] for w in result["warnings"]}
    assert "operating_cash_flow_negative" in codes  # 2023's is -400,000
    assert rated.json()["grade"] == result["grade"]

    # The profile shows the rating exactly as stored, and apart a preview from its inputs.
    profile = credit.get(f"{url}/credit-profile").json()
    assert profile["latest"] == rated.json()
    assert profile["latest"]["rated_by_name"] == "credit"
    assert profile["preview"]["grade"] == result["grade"]
    assert date.fromisoformat(profile["latest"]["next_review_on"]) > date.today()
    history: list[dict[str, Any]] = credit.get(f"{url}/ratings").json()
    assert [h["inputs"]["credit_period_days"] for h in history] == [60]


def test_a_file_that_cannot_be_read_fails_alone_with_a_reason(api: Api, cast: Cast) -> None:
    credit = cast.add("credit", "credit_manager")
    customer = api.customer("毕节某公司")
    broken = b"%PDF-1.7\n" + b"\x00not a pdf at all" * 500
    api.upload(customer, broken, doc_type="financial_statement", title="坏文件", filename="x.pdf")
    good = statement_pdf("毕节某公司", 2023, YEARS[2023], YEARS[2022])
    api.upload(customer, good, doc_type="financial_statement", title="2023年报", filename="g.pdf")
    extract_all(api)
    jobs = {j["status"]: j for j in credit.get(f"/api/v1/customers/{customer}/extractions").json()}
    assert set(jobs) == {"failed", "done"}
    assert jobs["failed"]["reason"]
    assert "not a pdf" not in jobs["failed"]["reason"]  # the reason names no content
    statements = credit.get(f"/api/v1/customers/{customer}/statements").json()
    assert len(statements) == 3


def _license_png(name: str, uscc: str) -> bytes:
    image, _ = license_image(name, uscc)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(300, 300))
    return out.getvalue()


def test_a_business_license_is_read_and_proposed_for_the_customers_record(
    api: Api, cast: Cast, ocr: None
) -> None:
    credit = cast.add("credit", "credit_manager")
    customer = api.customer("遵义电子有限公司")
    url = f"/api/v1/customers/{customer}"
    uscc = api.client.get(url).json()["uscc"]
    png = _license_png("遵义电子科技有限公司", uscc)
    files = {"file": ("license.png", png, "image/png")}
    form = {"doc_type": "business_license", "title": "营业执照"}
    uploaded = api.client.post(f"{url}/documents", data=form, files=files)
    assert uploaded.status_code == 201, uploaded.text
    extract_all(api)

    # What the license says, and where it differs from the record: the name.
    [job] = credit.get(f"{url}/extractions").json()
    assert job["status"] == "done", job
    assert job["result"]["fields"]["uscc"] == uscc
    assert job["result"]["fields"]["name"] == "遵义电子科技有限公司"
    assert job["result"]["fields"]["indefinite"] is True
    assert job["result"]["mismatches"] == ["name"]
    assert cast["seller"].post(f"{url}/extractions/{job['id']}/accept").status_code == 403
    accepted = credit.post(f"{url}/extractions/{job['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    assert api.client.get(url).json()["name"] == "遵义电子科技有限公司"
    again = credit.post(f"{url}/extractions/{job['id']}/accept")
    assert (again.status_code, again.json()["reason"]) == (409, "license_accepted")

    # Another company's license is flagged and never taken into this record.
    other = _license_png("遵义电子科技有限公司", random_uscc())
    files = {"file": ("other.png", other, "image/png")}
    api.client.post(f"{url}/documents", data=form, files=files)
    extract_all(api)
    newest = credit.get(f"{url}/extractions").json()[0]
    assert "uscc" in newest["result"]["mismatches"]
    refused = credit.post(f"{url}/extractions/{newest['id']}/accept")
    assert refused.status_code == 409
    assert "unified social credit code" in refused.json()["detail"]
    assert refused.json()["reason"] == "license_other_code"  # the web UI says it in Chinese
    assert api.client.get(url).json()["uscc"] == uscc


def test_the_server_reads_an_upload_by_itself_soon_after(tmp_path: Path) -> None:
    settings = embedded_settings(tmp_path).model_copy(update={"extract_every": 0.2})
    backends = connect(settings)
    with unit_of_work(backends.sessions) as session:
        ensure_admin(session, ADMIN_PASSWORD)
    with TestClient(create_app(backends)) as admin:  # the lifespan starts the worker
        sign_in(admin, "admin", ADMIN_PASSWORD)
        department = admin.post(
            "/api/v1/admin/departments", json={"code": "credit", "name": "信用管理部"}
        ).json()["id"]
        add_user(admin, "filer", department, "secret", "archivist", "credit_manager")
        filer = TestClient(admin.app)
        sign_in(filer, "filer", USER_PASSWORD)
        api = Api(filer, admin, backends, department)
        customer = api.customer("六盘水某公司")
        pdf = statement_pdf("六盘水某公司", 2023, YEARS[2023], YEARS[2022])
        api.upload(customer, pdf, doc_type="financial_statement", title="2023年报")
        deadline = time.monotonic() + 60
        url = f"/api/v1/customers/{customer}/extractions"
        while filer.get(url).json()[0]["status"] != "done" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert filer.get(url).json()[0]["status"] == "done"
        assert len(filer.get(f"/api/v1/customers/{customer}/statements").json()) == 3


def test_a_job_whose_worker_died_is_taken_again_but_not_forever(api: Api, cast: Cast) -> None:
    credit = cast.add("credit", "credit_manager")
    customer = api.customer("安顺某公司")
    url = f"/api/v1/customers/{customer}/extractions"
    for year, attempts in ((2023, 1), (2022, 3)):
        pdf = statement_pdf("安顺某公司", year, YEARS[year], YEARS[year - 1])
        api.upload(customer, pdf, doc_type="financial_statement", title=f"{year}年报")
        # As if a worker took the job long ago and died with it.
        with unit_of_work(api.backends.sessions) as session:
            session.execute(
                update(Extraction)
                .where(Extraction.status == "pending")
                .values(
                    status="running", attempts=attempts, started_at=datetime(2020, 1, 1, tzinfo=UTC)
                )
            )
    extract_all(api)
    extract_all(api)
    jobs = {j["attempts"]: j for j in credit.get(url).json()}
    assert jobs[2]["status"] == "done"  # taken again once
    assert jobs[3]["status"] == "failed"
    assert "gave up after 3 attempts" in jobs[3]["reason"]


def test_whoever_corrects_a_statement_sees_its_source_page_without_a_borrowing(
    api: Api, cast: Cast
) -> None:
    credit = cast.add("credit", "credit_manager")
    customer = api.customer("铜仁某公司")
    pdf = statement_pdf("铜仁某公司", 2023, YEARS[2023], YEARS[2022])
    document = api.upload(customer, pdf, doc_type="financial_statement", title="2023年报")
    extract_all(api)
    url = f"/api/v1/customers/{customer}/statements"
    sheet = next(s for s in credit.get(url).json() if s["type"] == "balance_sheet")
    page = sheet["pages"][0]

    # The document's own page images are for archivists and borrowers only ...
    assert credit.get(f"/api/v1/documents/{document['id']}/pages/{page}").status_code == 403
    # ... but the page a statement was read from is shown to whoever may correct its figures.
    shown = credit.get(f"{url}/{sheet['id']}/pages/{page}")
    assert shown.status_code == 200, shown.text
    assert shown.headers["content-type"] == "image/webp"
    assert shown.content[8:12] == b"WEBP"
    assert shown.headers["cache-control"] == "no-store"
    # Only its own pages, and only to reviewers: a seller reads the customer, not its statements.
    unrelated = max(sheet["pages"]) + 1
    assert credit.get(f"{url}/{sheet['id']}/pages/{unrelated}").status_code == 404
    assert cast["seller"].get(f"{url}/{sheet['id']}/pages/{page}").status_code == 403

    # Each page shown is in the audit log, with the statement it was shown for.
    found = cast["auditor"].get(
        "/api/v1/audit/events",
        params={"action": "document:page:read", "document_id": document["id"]},
    )
    assert found.status_code == 200, found.text
    [event] = [e["event"] for e in found.json()["items"]]
    assert (event["statement"], event["page"]) == (sheet["id"], page)
    assert event["actor"]["id"] == cast.ids["credit"]


def test_a_statement_whose_year_was_not_read_is_confirmed_with_the_year_given_once(
    api: Api, cast: Cast
) -> None:
    credit = cast.add("credit", "credit_manager")
    customer = api.customer("六枝某公司")
    pdf = statement_pdf("六枝某公司", 2023, YEARS[2023], YEARS[2022])
    api.upload(customer, pdf, doc_type="financial_statement", title="2023年报")
    extract_all(api)
    url = f"/api/v1/customers/{customer}/statements"
    sheet = next(s for s in credit.get(url).json() if s["type"] == "balance_sheet")
    with unit_of_work(api.backends.sessions) as session:  # as if no heading named the year
        session.execute(
            update(Statement).where(Statement.id == uuid.UUID(sheet["id"])).values(fiscal_year=None)
        )

    unread = credit.post(f"{url}/{sheet['id']}/confirm")
    assert (unread.status_code, unread.json()["reason"]) == (422, "fiscal_year_unread")
    given = credit.post(f"{url}/{sheet['id']}/confirm", json={"fiscal_year": 2023})
    assert given.status_code == 200, given.text
    assert (given.json()["fiscal_year"], given.json()["status"]) == (2023, "confirmed")
    again = credit.post(f"{url}/{sheet['id']}/confirm", json={"fiscal_year": 2023})
    assert (again.status_code, again.json()["reason"]) == (409, "statement_confirmed")


def test_checks_across_statements_and_on_digits_outlive_a_correction_of_another_figure(
    api: Api, cast: Cast
) -> None:
    # The balance sheet's cash was read with its decimals merged (1,000.00 as 100000), so it
    # fails its column's digits and the closing cash of the cash-flow statement.
    years = [[("31 December 2025", (0,)), ("31 December 2024", (1,))]]
    sheet = Table(
        "Consolidated statement of financial position",
        years,
        [
            ("Cash and cash equivalents", "100000", "800.00"),
            ("Inventories", "2,000.00", "1,700.00"),
            ("Total assets", "10,000.00", "9,000.00"),
            ("Total liabilities", "4,000.00", "3,500.00"),
            ("Total equity", "6,000.00", "5,500.00"),
        ],
        (420.0, 540.0),
    )
    flows = Table(
        "Consolidated statement of cash flows",
        [[("Year ended 31 December", (0, 1))], [("2025", (0,)), ("2024", (1,))]],
        [
            ("Net cash generated from operating activities", "200.00", "200.00"),
            ("Cash and cash equivalents at the end of the year", "1,000.00", "800.00"),
        ],
        (420.0, 540.0),
    )
    credit = cast.add("credit", "credit_manager")
    customer = api.customer("凯里某公司")
    pdf = table_pdf([sheet, flows])
    api.upload(customer, pdf, doc_type="financial_statement", title="2025", filename="f.pdf")
    extract_all(api)
    url = f"/api/v1/customers/{customer}/statements"
    found = next(s for s in credit.get(url).json() if s["type"] == "balance_sheet")
    tie = "closing cash = cash on the balance sheet (current)"
    failing = {c["name"] for c in found["checks"] if not c["ok"]}
    assert {tie, "digits of cash (current)"} <= failing
    assert found["needs_review"] is True

    fix = {"code": "inventory", "period": "prior", "value": "1700.00", "reason": "checked"}
    after = credit.patch(f"{url}/{found['id']}/figures", json=fix).json()
    assert {tie, "digits of cash (current)"} <= {c["name"] for c in after["checks"] if not c["ok"]}
    assert credit.post(f"{url}/{found['id']}/confirm").status_code == 409

    cash = {"code": "cash", "period": "current", "value": "1000.00", "reason": "原件为1,000.00"}
    after = credit.patch(f"{url}/{found['id']}/figures", json=cash).json()
    failing = {c["name"] for c in after["checks"] if not c["ok"]}
    assert "digits of cash (current)" not in failing  # a person typed it in
    assert tie in failing  # the tie is not rerun on one statement: confirming must accept it


def test_the_fiscal_year_comes_from_a_heading_over_the_columns(api: Api, cast: Cast) -> None:
    # 本期金额 / 上期金额 print no year; the line over them does.
    income = Table(
        "合并利润表",
        [[("2023年度", (0, 1))], [("本期金额", (0,)), ("上期金额", (1,))]],
        [
            ("一、营业总收入", "5,000.00", "4,500.00"),
            ("其中：营业收入", "5,000.00", "4,500.00"),
            ("三、利润总额", "550.00", "500.00"),
            ("减：所得税费用", "50.00", "50.00"),
            ("四、净利润", "500.00", "450.00"),
        ],
        (420.0, 540.0),
        unit="单位：元",
    )
    credit = cast.add("credit", "credit_manager")
    customer = api.customer("都匀某公司")
    pdf = table_pdf([income])
    api.upload(customer, pdf, doc_type="financial_statement", title="2023", filename="i.pdf")
    extract_all(api)
    [found] = credit.get(f"/api/v1/customers/{customer}/statements").json()
    assert (found["type"], found["fiscal_year"]) == ("income_statement", 2023)


def test_an_interim_report_keeps_its_nine_months_up_to_the_profile(api: Api, cast: Cast) -> None:
    # An IFRS interim: the quarter beside the nine months, balances on 30 September.
    quarter_and_nine: list[list[tuple[str, tuple[int, ...]]]] = [
        [("Three months ended 30 September", (0, 1)), ("Nine months ended 30 September", (2, 3))],
        [("2025", (0,)), ("2024", (1,)), ("2025", (2,)), ("2024", (3,))],
    ]
    income = Table(
        "Condensed consolidated statement of profit or loss",
        quarter_and_nine,
        [
            ("Revenue", "3,200.00", "3,000.00", "9,000.00", "8,400.00"),
            ("Cost of sales", "(2,400.00)", "(2,300.00)", "(6,900.00)", "(6,500.00)"),
            ("Profit before tax", "400.00", "380.00", "1,200.00", "1,100.00"),
            ("Income tax expense", "(100.00)", "(95.00)", "(300.00)", "(275.00)"),
            ("Profit for the period", "300.00", "285.00", "900.00", "825.00"),
        ],
        (290.0, 360.0, 470.0, 540.0),  # the pairs stand apart, each under its heading
    )
    sheet = Table(
        "Condensed consolidated statement of financial position",
        [[("30 September 2025", (0,)), ("31 December 2024", (1,))]],
        [
            ("Inventories", "2,100.00", "1,900.00"),
            ("Trade receivables", "3,300.00", "2,700.00"),
            ("Total assets", "16,000.00", "14,000.00"),
            ("Total liabilities", "7,000.00", "6,000.00"),
            ("Total equity", "9,000.00", "8,000.00"),
        ],
        (420.0, 540.0),
    )
    credit = cast.add("credit", "credit_manager")
    customer = api.customer("铜仁某公司")
    pdf = table_pdf([income, sheet])
    api.upload(customer, pdf, doc_type="financial_statement", title="2025 Q3", filename="q3.pdf")
    extract_all(api)
    url = f"/api/v1/customers/{customer}"
    found = {s["type"]: s for s in credit.get(f"{url}/statements").json()}
    periods = {
        kind: (s["current_months"], s["current_end"], s["prior_months"], s["prior_end"])
        for kind, s in found.items()
    }
    assert periods == {
        "income_statement": (9, "2025-09-30", 9, "2024-09-30"),
        "balance_sheet": (None, "2025-09-30", None, "2024-12-31"),
    }
    revenue = next(
        f
        for f in found["income_statement"]["figures"]
        if (f["code"], f["period"]) == ("revenue", "current")
    )
    assert D(revenue["value"]) == D("9000.00")  # the nine months, not the quarter
    # What the headings printed is not overridden by a length given on confirming.
    as_a_year = credit.post(
        f"{url}/statements/{found['income_statement']['id']}/confirm", json={"months": 12}
    )
    assert (as_a_year.status_code, as_a_year.json()["reason"]) == (422, "months_read")
    for statement in found.values():
        confirmed = credit.post(f"{url}/statements/{statement['id']}/confirm")
        assert confirmed.status_code == 200, confirmed.text

    [_, year] = credit.get(f"{url}/credit-profile").json()["preview"]["ratios"]
    assert (year["year"], year["months"], year["period_unknown"]) == (2025, 9, False)
    turnover = year["ratios"]["asset_turnover"]
    average = (D("16000.00") + D("14000.00")) / 2
    assert D(turnover["value"]) == (D("9000.00") * 12 / 9 / average).quantize(D("0.0001"))
    assert (turnover["basis"], turnover["months"]) == ("annualised", 9)
    assert "roe" not in year["ratios"]
    assert "cover 9 months" in year["absent"]["roe"]


def test_a_period_no_heading_printed_is_given_on_confirming_and_counts_as_such(
    api: Api, cast: Cast
) -> None:
    # Columns headed by the year alone, as many IFRS annual statements print them.
    income = Table(
        "Consolidated statement of profit or loss",
        [[("2025", (0,)), ("2024", (1,))]],
        [
            ("Revenue", "8,000.00", "7,000.00"),
            ("Cost of sales", "(6,000.00)", "(5,400.00)"),
            ("Profit before tax", "900.00", "800.00"),
            ("Income tax expense", "(200.00)", "(180.00)"),
            ("Profit for the year", "700.00", "620.00"),
        ],
        (420.0, 540.0),
    )
    sheet = Table(
        "Consolidated statement of financial position",
        [[("31 December 2025", (0,)), ("31 December 2024", (1,))]],
        [
            ("Total assets", "10,000.00", "9,000.00"),
            ("Total liabilities", "4,000.00", "3,500.00"),
            ("Total equity", "6,000.00", "5,500.00"),
        ],
        (420.0, 540.0),
    )
    credit = cast.add("credit", "credit_manager")
    customer = api.customer("安顺某公司")
    api.upload(customer, table_pdf([income, sheet]), doc_type="financial_statement", title="2025")
    extract_all(api)
    url = f"/api/v1/customers/{customer}"
    found = {s["type"]: s for s in credit.get(f"{url}/statements").json()}
    flows, balances = found["income_statement"], found["balance_sheet"]
    assert (flows["current_months"], flows["prior_months"]) == (None, None)

    at_a_date = credit.post(f"{url}/statements/{balances['id']}/confirm", json={"months": 12})
    assert (at_a_date.status_code, at_a_date.json()["reason"]) == (422, "months_balance_sheet")
    assert credit.post(f"{url}/statements/{balances['id']}/confirm").status_code == 200
    given = credit.post(f"{url}/statements/{flows['id']}/confirm", json={"months": 12})
    assert given.status_code == 200, given.text
    assert (given.json()["current_months"], given.json()["prior_months"]) == (12, 12)
    [_, year] = credit.get(f"{url}/credit-profile").json()["preview"]["ratios"]
    assert (year["year"], year["period_unknown"]) == (2025, False)
    assert year["ratios"]["asset_turnover"]["basis"] == "year"
