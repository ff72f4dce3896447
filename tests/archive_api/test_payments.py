"""Customers' transactions from the ERP: imported idempotently from files and a database view,
shown in the credit profile with their warnings, to whoever may read the customer's credit."""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from pydantic import SecretStr
from typer.testing import CliRunner

from archive_api.cli import app
from archive_api.payments_round import PaymentsImporter, configured, import_now
from ingest.payments import ImportReport
from storage.auditevent import Actor
from storage.db import unit_of_work
from storage.models import PaymentImport, Transaction
from tests.archive_api.conftest import Api, Cast, audit_events, cli_environment
from tests.archive_api.test_credit_records import _rate, _rated_customer
from tests.factories import random_uscc
from tests.servers import postgres_database, postgres_server

D = Decimal
OPERATOR = Actor.local("test")
HEADER = "source,number,kind,credit_code,amount,currency,date,due_date,paid_date,applies_to"
# November 2026's export; on 30 November (the archive's clock):
# INV-000 written off (a bad debt of 3000), INV-003 paid, INV-002 part paid (30000 left, 30
# days late), the credit note on account goes to the earliest due, INV-001 (95000 left, 91 days
# late), INV-004 not yet due (60000).
MONTH = """\
erp,INV-000,invoice,{code},3000.00,CNY,2026-01-10,2026-02-10,,
erp,INV-001,invoice,{code},100000.00,CNY,2026-08-01,2026-08-31,,
erp,INV-002,invoice,{code},50000.00,CNY,2026-10-01,2026-10-31,,
erp,INV-003,invoice,{code},80000.00,CNY,2026-09-15,2026-10-15,2026-10-20,
erp,INV-004,invoice,{code},60000,,2026-11-10,2026-12-10,,
finance,PAY-001,payment,{code},20000.00,CNY,2026-11-20,,,INV-002
erp,CN-001,credit_note,{code},5000.00,CNY,2026-11-25,,,
erp,WO-001,write_off,{code},3000.00,CNY,2026-06-30,,,INV-000
"""
AGEING = [
    {"from_days": 1, "to_days": 30, "amount": "30000.00"},
    {"from_days": 31, "to_days": 60, "amount": "0.00"},
    {"from_days": 61, "to_days": 90, "amount": "0.00"},
    {"from_days": 91, "to_days": None, "amount": "95000.00"},
]


def _on_30_november(api: Api) -> None:
    api.backends.clock = lambda: datetime(2026, 11, 30, 4, 0, tzinfo=UTC)


def _uscc(api: Api, customer: str) -> str:
    return str(api.client.get(f"/api/v1/customers/{customer}").json()["uscc"])


def _payments(client: TestClient, customer: str) -> dict[str, Any]:
    profile = client.get(f"/api/v1/customers/{customer}/credit-profile")
    assert profile.status_code == 200, profile.text
    found: dict[str, Any] = profile.json()["payments"]
    return found


def _figures(found: dict[str, Any]) -> tuple[Any, ...]:
    return (
        D(found["exposure"]), D(found["overdue"]), found["ageing"], found["longest_overdue_days"],
        D(found["sales_90_days"]), found["dso_days"], D(found["bad_debts_12_months"]),
    )  # fmt: skip


def test_a_month_imported_twice_gives_the_same_exposure_and_ageing(
    api: Api, cast: Cast, tmp_path: Path
) -> None:
    _on_30_november(api)
    credit = cast.add("credit", "credit_manager")
    customer = api.customer("遵义回款电子有限公司")
    month = f"{HEADER}\n{MONTH.format(code=_uscc(api, customer))}"
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "2026-11.csv").write_text(month, encoding="utf-8")

    first = import_now(api.backends, OPERATOR, drop)
    assert [(r.origin, r.imported, r.updated, r.unchanged, r.rejected) for r in first] == [
        ("2026-11.csv", 8, 0, 0, [])
    ]
    found = _payments(credit, customer)
    assert _figures(found) == (
        D(185000), D(125000), AGEING, 91, D(190000), "87.6", D(3000)
    )  # fmt: skip
    assert [w["code"] for w in found["warnings"]] == ["payment_delay"]
    assert found["warnings"][0]["figures"]["longest_overdue_days"] == "91"

    # The same file again is skipped; the same month exported again (rows in another order,
    # Windows line ends) changes nothing.
    assert [r.skipped for r in import_now(api.backends, OPERATOR, drop)] == [True]
    lines = month.splitlines()
    (drop / "2026-11-again.csv").write_bytes(
        "\r\n".join([lines[0], *reversed(lines[1:])]).encode("utf-8-sig")
    )
    again = import_now(api.backends, OPERATOR, drop)
    assert [(r.origin, r.skipped, r.imported, r.updated, r.unchanged) for r in again] == [
        ("2026-11-again.csv", False, 0, 0, 8),
        ("2026-11.csv", True, 0, 0, 0),
    ]
    assert _figures(_payments(credit, customer)) == _figures(found)
    with unit_of_work(api.backends.sessions) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Transaction)) == 8

    # A correction: INV-002 paid in full; the row is updated, not doubled.
    paid = month.replace("2026-10-31,,", "2026-10-31,2026-11-28,")
    (drop / "2026-11-corrected.csv").write_text(paid, encoding="utf-8")
    corrected = import_now(api.backends, OPERATOR, drop / "2026-11-corrected.csv")
    assert [(r.imported, r.updated, r.unchanged) for r in corrected] == [(0, 1, 7)]
    assert D(_payments(credit, customer)["exposure"]) == D(155000)

    runs = [e for e in audit_events(api.backends) if e["action"] == "credit:payments:import"]
    assert sorted((e["imported"], e["updated"], e["unchanged"], e["rejected"]) for e in runs) == [
        (0, 0, 8, 0), (0, 1, 7, 0), (8, 0, 0, 0),
    ]  # fmt: skip
    assert all("INV-" not in str(e) and "100000" not in str(e) for e in runs)


def test_an_xlsx_with_bad_rows_imports_the_good_ones_and_names_each_bad_one(
    api: Api, cast: Cast, tmp_path: Path
) -> None:
    _on_30_november(api)
    credit = cast.add("credit", "credit_manager")
    customer = api.customer("遵义表格有限公司")
    code = _uscc(api, customer)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.upper().split(","))
    sheet.append(["erp", "INV-1", "invoice", code, 1200.5, "CNY", datetime(2026, 11, 1),
                  "2026-11-20", None, None])  # fmt: skip
    sheet.append(["erp", "INV-2", "invoice", random_uscc(), 10, "CNY", "2026-11-01",
                  "2026-11-20", None, None])  # fmt: skip
    sheet.append(["erp", "INV-3", "invoice", code, 10, "CNY", "2026-13-01", "2026-11-20"])
    sheet.append([None] * 10)  # a blank line is no row
    sheet.append(["erp", "INV-4", "invoice", code, "12,5x", "CNY", "2026-11-01", "2026-11-20"])
    sheet.append(["erp", None, "payment", code, 10, "CNY", "2026-11-01"])
    sheet.append(["erp", "INV-5", "invoice", code, 10, "CNY", "2026-11-01"])
    sheet.append(["erp", "R-1", "refund", code, 10, "CNY", "2026-11-01"])
    sheet.append(["erp", "INV-6", "invoice", code, 10, "USD", "2026-11-01", "2026-11-20"])
    sheet.append(["erp", "PAY-1", "payment", code, "200.50", None, "2026-11-25", None, None,
                  "INV-1"])  # fmt: skip
    data = io.BytesIO()
    book.save(data)
    (tmp_path / "november.xlsx").write_bytes(data.getvalue())

    [report] = import_now(api.backends, OPERATOR, tmp_path / "november.xlsx")
    assert (report.imported, report.updated, report.unchanged) == (2, 0, 0)
    assert [(r.row, r.reason) for r in report.rejected] == [
        (3, "credit_code: no customer on file has this credit code"),
        (4, "date: not a date in the form 2026-11-30"),
        (6, "amount: not a decimal number such as 12500.00"),
        (7, "number: missing"),
        (8, "due_date: an invoice needs the day it is due"),
        (9, "kind: one of invoice, payment, credit_note, write_off"),
        (10, "currency: only CNY is kept"),
    ]
    found = _payments(credit, customer)
    assert (D(found["exposure"]), found["longest_overdue_days"]) == (D(1000), 10)
    assert found["warnings"] == []

    # A file refused as a whole keeps nothing and says why; it is not read again.
    (tmp_path / "broken.csv").write_text("number,amount\nINV-9,10\n", encoding="utf-8")
    [refused] = import_now(api.backends, OPERATOR, tmp_path / "broken.csv")
    assert refused.problem == "file: missing column(s) source, kind, credit_code, date"
    assert import_now(api.backends, OPERATOR, tmp_path / "broken.csv")[0].skipped


def test_an_exposure_above_the_latest_ratings_allowed_credit_raises_a_warning(
    api: Api, cast: Cast, tmp_path: Path
) -> None:
    _on_30_november(api)
    credit = cast.add("credit", "credit_manager")
    url = _rated_customer(api, credit)
    customer = url.rsplit("/", 1)[1]
    allowed = D(_rate(credit, url).json()["allowed_credit"])
    code = _uscc(api, customer)
    # Within the allowed credit: no warning; one yuan beyond it: the warning, with the figures.
    rows = f"erp,INV-A,invoice,{code},{allowed},CNY,2026-11-20,2026-12-20,,\n"
    (tmp_path / "a.csv").write_text(f"{HEADER}\n{rows}", encoding="utf-8")
    import_now(api.backends, OPERATOR, tmp_path / "a.csv")
    assert _payments(credit, customer)["warnings"] == []
    rows += f"erp,INV-B,invoice,{code},1.00,CNY,2026-11-21,2026-12-21,,\n"
    (tmp_path / "b.csv").write_text(f"{HEADER}\n{rows}", encoding="utf-8")
    import_now(api.backends, OPERATOR, tmp_path / "b.csv")

    [warning] = _payments(credit, customer)["warnings"]
    assert warning["code"] == "exposure_above_limit"
    assert {k: warning["figures"][k] for k in ("exposure", "allowed_credit", "excess")} == {
        "exposure": str(allowed + 1),
        "allowed_credit": str(allowed),
        "excess": "1.00",
    }
    assert "赊销额度" in warning["message_zh"]
    # Listed among the early warnings too, after those of the rating's figures.
    listed = credit.get("/api/v1/warnings?scope=all").json()["items"]
    assert [w["code"] for w in listed if w["customer_id"] == customer][-1] == (
        "exposure_above_limit"
    )


def test_the_order_volume_is_what_the_erp_invoiced_in_the_window_unless_entered(
    api: Api, cast: Cast, tmp_path: Path
) -> None:
    _on_30_november(api)
    credit = cast.add("credit", "credit_manager")
    url = _rated_customer(api, credit)
    code = _uscc(api, url.rsplit("/", 1)[1])
    # Invoiced within the 90 days up to 30 November, paid or not; and once before them.
    rows = (
        f"erp,INV-1,invoice,{code},600000.00,CNY,2026-09-15,2026-10-15,2026-10-10,\n"
        f"erp,INV-2,invoice,{code},300000.00,CNY,2026-11-20,2026-12-20,,\n"
        f"erp,PAY-1,payment,{code},600000.00,CNY,2026-10-10,,,INV-1\n"
        f"erp,INV-0,invoice,{code},5000000.00,CNY,2026-08-01,2026-09-01,2026-08-30,\n"
    )
    (tmp_path / "orders.csv").write_text(f"{HEADER}\n{rows}", encoding="utf-8")
    import_now(api.backends, OPERATOR, tmp_path / "orders.csv")

    # A volume the rater enters comes first.
    entered = _rate(credit, url).json()["result"]["credit_limit"]
    assert (D(entered["order_volume"]), entered["order_volume_source"]) == (D("9000000"), "entered")

    drawn = _rate(credit, url, order_volume=None, orders_through=None)

    assert drawn.status_code == 201, drawn.text
    result = drawn.json()["result"]
    limit = result["credit_limit"]
    assert (D(limit["order_volume"]), limit["order_volume_source"]) == (D("900000"), "erp")
    assert result["request"]["orders_through"] == "2026-11-30"
    assert D(limit["limit"]) == D("900000") * 60 / 90  # volume x 60 days' terms / window


def test_the_sql_view_is_read_on_postgresql(api: Api, cast: Cast) -> None:
    _on_30_november(api)
    credit = cast.add("credit", "credit_manager")
    customer = api.customer("遵义视图有限公司")
    code = _uscc(api, customer)
    with postgres_database(postgres_server()) as url:
        erp = sa.create_engine(url)
        with erp.begin() as connection:
            connection.execute(
                sa.text(
                    "CREATE TABLE ar_items (source text, number text, kind text, "
                    "credit_code text, amount numeric(18,2), currency text, date date, "
                    "due_date date, paid_date date, applies_to text, internal_note text)"
                )
            )
            connection.execute(
                sa.text(
                    "INSERT INTO ar_items VALUES "
                    "('finance','F-1','invoice',:c,7000.00,'CNY','2026-09-01','2026-10-01',"
                    "NULL,NULL,'x'), "
                    "('finance','F-2','invoice',:c,-1,'CNY','2026-09-01','2026-10-01',NULL,"
                    "NULL,'x')"
                ),
                {"c": code},
            )
            connection.execute(sa.text("CREATE SCHEMA dangan"))
            connection.execute(
                sa.text(
                    "CREATE VIEW dangan.receivables AS SELECT source, number, kind, "
                    "credit_code, amount, currency, date, due_date, paid_date, applies_to "
                    "FROM ar_items"
                )
            )
        erp.dispose()
        api.backends.settings = api.backends.settings.model_copy(
            update={"payments_sql_url": SecretStr(url),
                    "payments_sql_view": "dangan.receivables"}
        )  # fmt: skip
        first = import_now(api.backends, OPERATOR)
        second = import_now(api.backends, OPERATOR)
    assert [(r.origin, r.imported, r.unchanged) for r in first + second] == [
        ("view:dangan.receivables", 1, 0),
        ("view:dangan.receivables", 0, 1),
    ]
    assert [(r.row, r.reason) for r in first[0].rejected] == [
        (2, "amount: must be more than 0 (the kind says which way it goes)")
    ]
    found = _payments(credit, customer)
    assert (D(found["exposure"]), found["longest_overdue_days"]) == (D(7000), 60)


def test_another_departments_user_sees_no_payment_data(
    api: Api, cast: Cast, tmp_path: Path
) -> None:
    _on_30_november(api)
    customer = api.customer("遵义保密有限公司")
    month = f"{HEADER}\n{MONTH.format(code=_uscc(api, customer))}"
    (tmp_path / "m.csv").write_text(month, encoding="utf-8")
    import_now(api.backends, OPERATOR, tmp_path / "m.csv")
    _, keeper = api.archivist_elsewhere()
    profile = f"/api/v1/customers/{customer}/credit-profile"
    for outsider in (keeper, cast["seller"]):
        refused = outsider.get(profile)
        assert refused.status_code in (403, 404)
        assert "185000" not in refused.text
        assert "payment" not in refused.text
        assert outsider.get("/api/v1/warnings?scope=all").json()["items"] == []
    assert _payments(cast["head"], customer)["exposure"] == "185000.00"


def test_the_round_takes_new_files_from_the_drop_folder_and_the_command_prints_the_report(
    api: Api, tmp_path: Path
) -> None:
    _on_30_november(api)
    customer = api.customer("遵义定时有限公司")
    drop = tmp_path / "drop"
    drop.mkdir()
    api.backends.settings = api.backends.settings.model_copy(update={"payments_drop_dir": drop})
    assert configured(api.backends)
    month = f"{HEADER}\n{MONTH.format(code=_uscc(api, customer))}"
    (drop / "2026-11.csv").write_text(month + "erp,X-1,invoice,,1,CNY,,,,\n", encoding="utf-8")
    (drop / "notes.txt").write_text("not a transaction file", encoding="utf-8")
    PaymentsImporter(api.backends).round()
    runs = [e for e in audit_events(api.backends) if e["action"] == "credit:payments:import"]
    assert [(e["target"]["origin"], e["imported"], e["rejected"]) for e in runs] == [
        ("2026-11.csv", 8, 1)
    ]
    assert runs[0]["client"]["worker"] == "payments"

    # The command: the drop folder again (nothing new), then a file named on the command line.
    (tmp_path / "late.csv").write_text(
        f"{HEADER}\nerp,INV-001,invoice,{_uscc(api, customer)},100000.00,CNY,2026-08-01,"
        "2026-08-31,2026-11-29,\nerp,X-2,invoice,,1,CNY,2026-11-01,2026-12-01,,\n",
        encoding="utf-8",
    )
    env = {
        **cli_environment(api.backends.settings),
        "DANGAN_PAYMENTS_DROP_DIR": str(drop),
    }
    data_dir = ["--data-dir", str(api.backends.settings.data_dir)]
    again = CliRunner().invoke(app, ["payments", "import", *data_dir], env=env)
    assert again.exit_code == 0, again.output
    assert again.output == "2026-11.csv: skipped, imported before (same SHA-256)\n"
    late = CliRunner().invoke(
        app, ["payments", "import", str(tmp_path / "late.csv"), *data_dir], env=env
    )
    assert late.exit_code == 0, late.output
    assert late.output.splitlines() == [
        "late.csv: 0 imported, 1 updated, 0 unchanged, 1 rejected",
        "  row 3: credit_code: missing",
    ]


@pytest.mark.parametrize("settings", ["production"], indirect=True)
def test_two_importers_at_once_import_a_file_once(api: Api, tmp_path: Path) -> None:
    _on_30_november(api)
    customer = api.customer("遵义并发有限公司")
    month = f"{HEADER}\n{MONTH.format(code=_uscc(api, customer))}"
    for n in range(3):
        part = month.replace("erp,", f"erp{n},").replace("finance,", f"finance{n},")
        (tmp_path / f"part-{n}.csv").write_text(part, encoding="utf-8")
    start = threading.Barrier(2)
    reports: list[ImportReport] = []
    failures: list[BaseException] = []

    def importer() -> None:
        start.wait()
        try:
            reports.extend(import_now(api.backends, OPERATOR, tmp_path))
        except Exception as error:  # without the lock: a duplicate key, a file read twice
            failures.append(error)

    threads = [threading.Thread(target=importer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    imported = [r for r in reports if not r.skipped]
    assert sorted(r.origin for r in imported) == ["part-0.csv", "part-1.csv", "part-2.csv"]
    assert sum(r.imported for r in imported) == 24
    with unit_of_work(api.backends.sessions) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(PaymentImport)) == 3
        assert session.scalar(sa.select(sa.func.count()).select_from(Transaction)) == 24
