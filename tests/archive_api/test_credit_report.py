"""The customer credit report: written with each rating and on demand, kept in the file as one
document with a version each time, readable as any document, as secret as what it draws on."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
from fastapi.testclient import TestClient

from archive_api.payments_round import import_now
from storage.auditevent import Actor
from tests.archive_api.conftest import USER_PASSWORD, Api, Cast, add_user, extract_all, sign_in
from tests.archive_api.test_credit import YEARS
from tests.archive_api.test_payments import HEADER
from tests.factories import qualitative
from tests.statements import statement_pdf

NAME = "遵义电子有限公司 & <Partners>"  # printed as typed, never read as markup


def _rated(api: Api, cast: Cast, secrecy: str = "internal") -> tuple[TestClient, str, Any]:
    """Two annual reports (2021-2023) confirmed and rated by a credit manager."""
    credit = cast.add("credit", "credit_manager")
    customer = api.customer(NAME)
    for year in (2022, 2023):
        pdf = statement_pdf("遵义电子有限公司", year, YEARS[year], YEARS[year - 1])
        api.upload(
            customer, pdf, doc_type="financial_statement", title=f"{year}年度财务报表",
            filename=f"fs{year}.pdf", secrecy=secrecy,
        )  # fmt: skip
    extract_all(api)
    url = f"/api/v1/customers/{customer}"
    for statement in credit.get(f"{url}/statements").json():
        confirmed = credit.post(f"{url}/statements/{statement['id']}/confirm")
        assert confirmed.status_code == 200, confirmed.text
    entered = {**qualitative("80"), "order_volume": "9000000", "credit_period_days": 60}
    rated = credit.post(f"{url}/ratings", json=entered)
    assert rated.status_code == 201, rated.text
    return credit, customer, rated.json()


def _reports(client: TestClient, customer: str) -> list[dict[str, Any]]:
    listed = client.get(
        "/api/v1/documents", params={"customer_id": customer, "doc_type": "credit_report"}
    )
    assert listed.status_code == 200, listed.text
    items: list[dict[str, Any]] = listed.json()["items"]
    return items


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def test_a_rating_writes_the_report_and_each_request_adds_a_version(api: Api, cast: Cast) -> None:
    credit, customer, rating = _rated(api, cast)
    [report] = _reports(api.client, customer)
    assert (report["title"], report["latest_version"], report["secrecy"]) == (
        "客户信用报告", 1, "internal",
    )  # fmt: skip
    pdf = api.client.get(f"/api/v1/documents/{report['id']}/content").content
    text = _text(pdf)
    for printed in (
        "客户信用报告", NAME, "一、基本信息", "二、档案完整性", "三、最新信用评级",
        "四、历年财务比率", "五、付款情况（ERP 导入）", "ERP 尚未导入该客户的交易。", "六、预警",
        f"信用等级 {rating['grade']}",
        # 2023: current assets 10,000,000 / current liabilities 7,000,000; debt 12.5 / 25 M.
        "1.43", "50.00 %", "盈利、负债与增长（%）", "存货与应收账款周转率（次）", "2022", "2023",
        "赊销额度（元）", f"{float(rating['allowed_credit']):,.2f}", "credit",
    ):  # fmt: skip
        assert printed in text, printed
    assert "(+08:00)" in text or "(CST)" in text  # the time names its zone
    with pikepdf.open(io.BytesIO(pdf)) as document:
        fonts = [
            font for page in document.pages for font in (page.Resources.get("/Font") or {}).values()
        ]
        assert fonts
        for font in fonts:
            # Embedded: a reader without Asian fonts still shows the text.
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant.FontDescriptor

    again = credit.post(f"/api/v1/customers/{customer}/credit-report?language=en")
    assert again.status_code == 201, again.text
    assert (again.json()["id"], again.json()["latest_version"]) == (report["id"], 2)
    english = _text(api.client.get(f"/api/v1/documents/{report['id']}/content").content)
    assert "Customer credit report" in english
    assert f"Grade {rating['grade']}" in english
    first = api.client.get(f"/api/v1/documents/{report['id']}/content?version=1").content
    assert first == pdf  # the earlier version stays as it was


def test_the_report_prints_the_payments_the_erp_delivered(
    api: Api, cast: Cast, tmp_path: Path
) -> None:
    credit, customer, _ = _rated(api, cast)
    code = api.client.get(f"/api/v1/customers/{customer}").json()["uscc"]
    day = datetime.now(UTC).date()
    # Invoiced 60 days ago, due 20 days ago, unpaid: overdue in the first bucket.
    row = f"erp,INV-7,invoice,{code},250000.00,CNY,{day - timedelta(60)},{day - timedelta(20)},,"
    (tmp_path / "erp.csv").write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    import_now(api.backends, Actor.local("test"), tmp_path / "erp.csv")

    made = credit.post(f"/api/v1/customers/{customer}/credit-report")

    assert made.status_code == 201, made.text
    text = _text(api.client.get(f"/api/v1/documents/{made.json()['id']}/content").content)
    printed_all = ("五、付款情况（ERP 导入）", "应收余额（元）", "逾期 1–30 天（元）", "250,000.00")
    for printed in printed_all:
        assert printed in text, printed
    assert "ERP 尚未导入" not in text


def test_the_report_is_as_secret_as_the_statements_it_draws_on(api: Api, cast: Cast) -> None:
    _, customer, _ = _rated(api, cast, secrecy="secret")
    [report] = _reports(api.client, customer)
    assert report["secrecy"] == "secret"
    add_user(api.admin, "reader", api.department, "confidential", "sales")
    reader = TestClient(api.client.app)
    sign_in(reader, "reader", USER_PASSWORD)
    assert _reports(reader, customer) == []
    assert reader.get(f"/api/v1/documents/{report['id']}").status_code == 404


@pytest.mark.parametrize("language", ["fr", "zh-TW"])
def test_only_the_languages_offered_are_taken(api: Api, cast: Cast, language: str) -> None:
    credit = cast.add("credit", "credit_manager")
    customer = api.customer(NAME)
    refused = credit.post(f"/api/v1/customers/{customer}/credit-report?language={language}")
    assert refused.status_code == 422
    assert "language" in refused.text
    assert _reports(api.client, customer) == []


def test_a_report_is_made_only_by_raters_of_the_department(api: Api, cast: Cast) -> None:
    customer = api.customer(NAME)
    assert cast["seller"].post(f"/api/v1/customers/{customer}/credit-report").status_code == 403
    _, elsewhere = api.archivist_elsewhere()
    outsider = elsewhere.post(f"/api/v1/customers/{customer}/credit-report")
    assert outsider.status_code == 404
    assert NAME not in outsider.text
    made = cast.add("credit", "credit_manager").post(f"/api/v1/customers/{customer}/credit-report")
    assert made.status_code == 201, made.text
    text = _text(api.client.get(f"/api/v1/documents/{made.json()['id']}/content").content)
    assert "尚无信用评级" in text  # nothing rated yet, and said so
    assert "尚无已确认的财务报表" in text
