"""Every route × every role × own/other department × every secrecy level, from one table.

GRANTS below is the table, written from docs/domain.md "People and roles" independently of the
policy file; the expected status of each cell follows from it by three rules: a user who may
not read an object gets 404 (it may as well not exist), one who may read it but not act gets
403, and nobody sees above their clearance.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

import httpx
import pytest
from fastapi.testclient import TestClient

from access.identity import ensure_admin
from archive_api.app import create_app
from archive_api.backends import connect
from ingest.deadlines import Due, keep
from storage.db import unit_of_work
from tests.archive_api.conftest import (
    ADMIN_PASSWORD,
    USER_PASSWORD,
    add_user,
    embedded_settings,
    sign_in,
)
from tests.factories import fake_file, random_uscc

GRANTS: dict[str, dict[str, set[str]]] = {
    "sales": {
        "customer": {"read", "create", "propose_secrecy"},
        "document": {"read", "create", "propose_secrecy"},
        "contract": {"read", "create"},
    },
    "sales_manager": {
        "customer": {"read", "create", "propose_secrecy"},
        "document": {"read", "create", "propose_secrecy"},
        "contract": {"read", "create"},
    },
    "credit_manager": {
        "customer": {
            "read",
            "update",
            "read_credit",
            "review_figures",
            "rate",
            "change_status",
            "propose_secrecy",
        },
        "document": {"read", "create", "update", "propose_secrecy"},
        "contract": {"read", "create", "update", "report"},
    },
    "archivist": {
        "customer": {"read", "create", "update", "hold", "propose_secrecy"},
        "document": {
            "read",
            "create",
            "update",
            "read_content",
            "change_secrecy",
            "file",
            "file_original",
            "hold",
            "review_retention",
        },
        "contract": {"read", "update"},
        "disposal": {"read", "request", "approve", "refuse", "execute"},
    },
    "dept_head": {
        "customer": {
            "read",
            "create",
            "update",
            "reassign",
            "read_credit",
            "change_status",
            "hold",
            "approve_secrecy",
            "mark_important",
        },
        "document": {
            "read",
            "create",
            "update",
            "change_secrecy",
            "hold",
            "review_retention",
            "approve_secrecy",
        },
        "contract": {"read", "create", "update", "report"},
        "disposal": {"read", "request", "approve", "refuse"},
    },
    "marketing_director": {
        "customer": {"read", "read_credit", "change_status", "approve_secrecy", "mark_important"},
        "document": {"read", "approve_secrecy"},
        "contract": {"read", "report"},
    },
    "auditor": {
        "customer": {"read"},
        "document": {"read"},
        "contract": {"read"},
        "audit": {"read", "export"},
    },
    "admin": {
        "customer": {"read"},
        "document": {"read"},
        "contract": {"read"},
        "admin": {"manage"},
    },
}
COMPANY_WIDE = {"marketing_director", "auditor", "admin"}
CLEARANCE = "confidential"
LEVELS = ["public", "internal", "confidential", "secret"]
OWN, OTHER = "own", "other"


@dataclass
class Target:
    """A customer with one of its documents and one of its contracts, in one department at
    one secrecy level, and a request to dispose of another of its documents (a letter long
    due), awaiting approval."""

    department: str
    customer: str
    document: str
    contract: str = ""
    disposal: str = ""
    proposal: str = ""


@dataclass
class Route:
    """One route: what it acts on, with which action, and how to call it."""

    name: str
    obj: str
    act: str
    call: Callable[[TestClient, Target, str], httpx.Response]
    ok: int = 200


def _version(client: TestClient, target: Target) -> httpx.Response:
    response: httpx.Response = client.post(
        f"/api/v1/documents/{target.document}/versions",
        files={"file": ("v.pdf", fake_file("pdf", 3000), "application/pdf")},
    )
    return response


def _upload(client: TestClient, target: Target, _: str) -> httpx.Response:
    response: httpx.Response = client.post(
        f"/api/v1/customers/{target.customer}/documents",
        data={"doc_type": "contract", "title": "合同"},
        files={"file": ("c.pdf", fake_file("pdf", 2000), "application/pdf")},
    )
    return response


ROUTES = [
    Route("read customer", "customer", "read",
          lambda c, t, _: c.get(f"/api/v1/customers/{t.customer}")),
    Route("create customer", "customer", "create",
          lambda c, t, level: c.post("/api/v1/customers", json={
              "name": "新客户", "uscc": random_uscc(), "department_id": t.department,
              "secrecy": level}), ok=201),
    Route("read document", "document", "read",
          lambda c, t, _: c.get(f"/api/v1/documents/{t.document}")),
    Route("read extraction states", "document", "read",
          lambda c, t, _: c.get(f"/api/v1/documents/{t.document}/extractions")),
    Route("read content", "document", "read_content",
          lambda c, t, _: c.get(f"/api/v1/documents/{t.document}/content")),
    Route("upload document", "document", "create", _upload, ok=201),
    Route("new version", "document", "create", lambda c, t, _: _version(c, t), ok=201),
    Route("file paper original", "document", "file_original",
          lambda c, t, _: c.put(f"/api/v1/documents/{t.document}/original",
                                json={"cabinet": "A-3", "shelf": "2", "box": "17"})),
    Route("file document", "document", "file",
          lambda c, t, _: c.post(f"/api/v1/documents/{t.document}/file")),
    Route("set industry", "customer", "update",
          lambda c, t, _: c.patch(f"/api/v1/customers/{t.customer}",
                                  json={"industry": "电力", "reason": "核对"})),
    Route("read history", "customer", "read",
          lambda c, t, _: c.get(f"/api/v1/customers/{t.customer}/history")),
    Route("read completeness", "customer", "read",
          lambda c, t, _: c.get(f"/api/v1/customers/{t.customer}/completeness")),
    Route("read deadlines", "customer", "read",
          lambda c, t, _: c.get(f"/api/v1/customers/{t.customer}/deadlines")),
    # Past the door, a move the lifecycle lacks (a prospect to itself) is a conflict.
    Route("change status", "customer", "change_status",
          lambda c, t, _: c.put(f"/api/v1/customers/{t.customer}/status",
                                json={"status": "prospect", "reason": "核对"}),
          ok=409),
    # Past the door, a custodian who does not exist is refused as invalid (422).
    Route("reassign custodian", "customer", "reassign",
          lambda c, t, _: c.put(f"/api/v1/customers/{t.customer}/custodian",
                                json={"custodian_id": str(uuid.uuid4()), "reason": "调岗"}),
          ok=422),
    Route("read statements", "customer", "read_credit",
          lambda c, t, _: c.get(f"/api/v1/customers/{t.customer}/statements")),
    Route("write the credit report", "customer", "rate",
          lambda c, t, _: c.post(f"/api/v1/customers/{t.customer}/credit-report"), ok=201),
    Route("check an order", "customer", "read_credit",
          lambda c, t, _: c.post(f"/api/v1/customers/{t.customer}/order-checks",
                                 json={"order_amount": "1", "outstanding": "0"})),
    # Past the door, a statement that does not exist is not found.
    Route("correct a figure", "customer", "review_figures",
          lambda c, t, _: c.patch(
              f"/api/v1/customers/{t.customer}/statements/{uuid.uuid4()}/figures",
              json={"code": "cash", "period": "current", "value": "1", "reason": "印刷值"}),
          ok=404),
    Route("see a statement's page", "customer", "review_figures",
          lambda c, t, _: c.get(
              f"/api/v1/customers/{t.customer}/statements/{uuid.uuid4()}/pages/1"),
          ok=404),
    Route("hold a customer's file", "customer", "hold",
          lambda c, t, _: c.post(f"/api/v1/customers/{t.customer}/holds",
                                 json={"reason": "诉讼保全"}), ok=201),
    # Past the door, a hold that does not exist is not found.
    Route("lift a customer's hold", "customer", "hold",
          lambda c, t, _: c.post(f"/api/v1/customers/{t.customer}/holds/{uuid.uuid4()}/lift",
                                 json={"reason": "撤诉"}), ok=404),
    Route("read a customer's holds", "customer", "read",
          lambda c, t, _: c.get(f"/api/v1/customers/{t.customer}/holds")),
    Route("hold a document", "document", "hold",
          lambda c, t, _: c.post(f"/api/v1/documents/{t.document}/holds",
                                 json={"reason": "诉讼保全"}), ok=201),
    Route("lift a document's hold", "document", "hold",
          lambda c, t, _: c.post(f"/api/v1/documents/{t.document}/holds/{uuid.uuid4()}/lift",
                                 json={"reason": "撤诉"}), ok=404),
    Route("read a document's holds", "document", "read",
          lambda c, t, _: c.get(f"/api/v1/documents/{t.document}/holds")),
    Route("read contract", "contract", "read",
          lambda c, t, _: c.get(f"/api/v1/contracts/{t.contract}")),
    Route("create contract", "contract", "create",
          lambda c, t, _: c.post(f"/api/v1/customers/{t.customer}/contracts",
                                 json={"title": "供货合同", "counterparty": "对方"}), ok=201),
    Route("change contract", "contract", "update",
          lambda c, t, _: c.patch(f"/api/v1/contracts/{t.contract}",
                                  json={"title": "供货合同（修订）", "reason": "核对"})),
    Route("join documents to a contract", "contract", "update",
          lambda c, t, _: c.post(f"/api/v1/contracts/{t.contract}/documents",
                                 json={"document_ids": [t.document], "reason": "归入合同"})),
    Route("read a disposal", "disposal", "read",
          lambda c, t, _: c.get(f"/api/v1/disposals/{t.disposal}")),
    # Past the door, a refusal without its reason is invalid (the request stays pending).
    Route("refuse a disposal", "disposal", "refuse",
          lambda c, t, _: c.post(f"/api/v1/disposals/{t.disposal}/decision",
                                 json={"approve": False}), ok=422),
    # Past the door, a disposal not yet approved is not executed.
    Route("execute a disposal", "disposal", "execute",
          lambda c, t, _: c.post(f"/api/v1/disposals/{t.disposal}/execute"), ok=409),
    # Past the door, a contract keeps no letter details (422).
    Route("correct a letter's details", "document", "update",
          lambda c, t, _: c.patch(f"/api/v1/documents/{t.document}", json={"sender": "某某"}),
          ok=422),
    # Past the door, the level a customer or document already has is no proposal (422).
    Route("propose a customer's level", "customer", "propose_secrecy",
          lambda c, t, level: c.post(f"/api/v1/customers/{t.customer}/secrecy-proposals",
                                     json={"secrecy": level, "reason": "核对"}), ok=422),
    Route("propose a document's level", "document", "propose_secrecy",
          lambda c, t, level: c.post(f"/api/v1/documents/{t.document}/secrecy-proposals",
                                     json={"secrecy": level, "reason": "核对"}), ok=422),
    Route("read a secrecy proposal", "document", "read",
          lambda c, t, _: c.get(f"/api/v1/secrecy-proposals/{t.proposal}")),
    # Past the door, a refusal without its reason is invalid (the proposal stays pending).
    Route("decide a secrecy proposal", "document", "approve_secrecy",
          lambda c, t, _: c.post(f"/api/v1/secrecy-proposals/{t.proposal}/decision",
                                 json={"approve": False}), ok=422),
    # Marking it as it is changes nothing.
    Route("mark an important customer", "customer", "mark_important",
          lambda c, t, _: c.put(f"/api/v1/customers/{t.customer}/important",
                                json={"important": False, "reason": "核对"})),
    Route("change secrecy", "document", "change_secrecy",
          lambda c, t, level: c.patch(f"/api/v1/documents/{t.document}/secrecy",
                                      json={"secrecy": level})),
]  # fmt: skip


def expected(role: str, where: str, level: str, route: Route) -> int:
    """The status the table gives for one cell."""

    def may(obj: str, act: str) -> bool:
        in_scope = where == OWN or role in COMPANY_WIDE
        cleared = LEVELS.index(level) <= LEVELS.index(CLEARANCE)
        return in_scope and cleared and act in GRANTS[role].get(obj, set())

    if route.obj == "customer" and route.act == "create":
        return route.ok if may("customer", "create") else 403  # nothing exists yet to hide
    # An upload or a new contract goes into a customer: the customer must be known, then the
    # step allowed.
    into = route.name in ("upload document", "create contract")
    known = may("customer", "read") if into else may(route.obj, "read")
    if not known:
        return 404
    return route.ok if may(route.obj, route.act) else 403


World = tuple[dict[str, TestClient], dict[tuple[str, str], Target]]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Two departments, a customer and a document per department and level, a user per role."""
    backends = connect(embedded_settings(tmp_path_factory.mktemp("matrix")))
    with unit_of_work(backends.sessions) as session:
        ensure_admin(session, ADMIN_PASSWORD)
    app = create_app(backends)
    with TestClient(app) as admin:
        sign_in(admin, "admin", ADMIN_PASSWORD)
        departments = {
            where: admin.post(
                "/api/v1/admin/departments", json={"code": where, "name": where}
            ).json()["id"]
            for where in (OWN, OTHER)
        }
        targets: dict[tuple[str, str], Target] = {}
        for where, department in departments.items():
            add_user(admin, f"filer-{where}", department, "secret", "archivist", "credit_manager")
            filer = TestClient(app)
            sign_in(filer, f"filer-{where}", USER_PASSWORD)
            for level in LEVELS:
                customer = filer.post(
                    "/api/v1/customers",
                    json={"name": f"{where}-{level}", "uscc": random_uscc(), "secrecy": level},
                ).json()["id"]
                document = _upload(filer, Target(department, customer, ""), level).json()["id"]
                contract = filer.post(
                    f"/api/v1/customers/{customer}/contracts",
                    json={"title": "合同", "counterparty": "对方", "status": "signed",
                          "signed_on": "2026-01-05", "amount": "100"},
                )  # fmt: skip
                assert contract.status_code == 201, contract.text
                letter = filer.post(
                    f"/api/v1/customers/{customer}/documents",
                    data={"doc_type": "correspondence", "title": "函", "issued_on": "2019-01-02"},
                    files={"file": ("l.pdf", fake_file("pdf", 2100), "application/pdf")},
                ).json()["id"]
                disposal = filer.post(
                    "/api/v1/disposals", json={"document_ids": [letter], "reason": "期满"}
                ).json()["id"]
                # A proposal of another level for the document, awaiting a decision.
                other = "internal" if level == "public" else "public"
                proposal = filer.post(
                    f"/api/v1/documents/{document}/secrecy-proposals",
                    json={"secrecy": other, "reason": "核对密级"},
                )
                assert proposal.status_code == 201, proposal.text
                targets[where, level] = Target(
                    department, customer, document, contract.json()["id"], disposal,
                    proposal.json()["id"],
                )  # fmt: skip
        # A year's statements due for every file, as the daily round would record them.
        with unit_of_work(backends.sessions) as session:
            due = [
                Due(uuid.UUID(t.customer), "statement_due", "2025", date(2026, 4, 30))
                for t in targets.values()
            ]
            assert len(keep(session, due, date(2026, 6, 15))) == len(targets)
        clients = {}
        for role in GRANTS:
            add_user(
                admin, f"u-{role}", departments[OWN], CLEARANCE, role,
                company_wide=role in COMPANY_WIDE,
            )  # fmt: skip
            clients[role] = TestClient(app)
            sign_in(clients[role], f"u-{role}", USER_PASSWORD)
        yield clients, targets
    backends.close()


@pytest.mark.parametrize("role", list(GRANTS))
def test_every_route_answers_as_the_table_says(world: World, role: str) -> None:
    clients, targets = world
    wrong = []
    for route in ROUTES:
        for where in (OWN, OTHER):
            for level in LEVELS:
                status = route.call(clients[role], targets[where, level], level).status_code
                want = expected(role, where, level, route)
                if status != want:
                    wrong.append(f"{route.name} / {where} / {level}: {status}, expected {want}")
    assert wrong == []


@pytest.mark.parametrize("role", list(GRANTS))
def test_lists_show_exactly_what_detail_shows(world: World, role: str) -> None:
    clients, targets = world
    client = clients[role]
    customers = {c["id"] for c in client.get("/api/v1/customers?limit=500").json()["items"]}
    documents = client.get("/api/v1/documents?limit=500").json()
    listed = {d["id"] for d in documents["items"]}
    for (where, level), target in targets.items():
        read_customer = Route("read customer", "customer", "read", ROUTES[0].call)
        read_document = Route("read document", "document", "read", ROUTES[2].call)
        assert (target.customer in customers) == (
            expected(role, where, level, read_customer) == 200
        )
        assert (target.document in listed) == (expected(role, where, level, read_document) == 200)
    # The count agrees with the list: nothing hidden is counted.
    assert documents["total"] == len(listed)
    # Every file here lacks its license (its one document is a contract), so the report of
    # incomplete files lists exactly the customers the caller may read.
    report = client.get("/api/v1/customers/incomplete").json()
    assert {row["customer_id"] for row in report["items"]} == customers
    assert report["total"] == len(customers)
    # The contract ledger lists exactly the contracts the caller may read, and counts no more.
    ledger = client.get("/api/v1/contracts?limit=500").json()
    contracts = {c["id"] for c in ledger["items"]}
    read_contract = next(r for r in ROUTES if r.name == "read contract")
    for (where, level), target in targets.items():
        assert (target.contract in contracts) == (
            expected(role, where, level, read_contract) == 200
        )
    assert ledger["total"] == len(contracts)
    # Every file has a deadline: a head's own are their department's files they may read, the
    # custodian (the filer) is nobody here, so anyone else has none.
    mine = {d["customer_id"] for d in client.get("/api/v1/deadlines/mine").json()}
    heads = {t.customer for (where, _), t in targets.items() if where == OWN}
    assert mine == (customers & heads if role == "dept_head" else set())
    if role == "dept_head":
        assert mine  # not vacuous: the head has some


@pytest.mark.parametrize("role", list(GRANTS))
def test_the_contract_statistics_count_exactly_the_contracts_a_reporter_may_see(
    world: World, role: str
) -> None:
    clients, targets = world
    response = clients[role].get("/api/v1/contracts/statistics?year=2026&half=1")
    reports = "report" in GRANTS[role].get("contract", set())
    assert response.status_code == (200 if reports else 403)
    if not reports:
        return
    # Each target's one signed contract of January, and nothing else signed in the half year.
    read_contract = next(r for r in ROUTES if r.name == "read contract")
    seen = [t for (w, lv), t in targets.items() if expected(role, w, lv, read_contract) == 200]
    assert sum(r["count"] for r in response.json()["rows"]) == len(seen) > 0


@pytest.mark.parametrize("role", list(GRANTS))
def test_disposals_are_listed_exactly_as_they_are_read(world: World, role: str) -> None:
    clients, targets = world
    found = clients[role].get("/api/v1/disposals?limit=200").json()
    listed = {item["id"] for item in found["items"]}
    read = ROUTES[[r.name for r in ROUTES].index("read a disposal")]
    for (where, level), target in targets.items():
        assert (target.disposal in listed) == (expected(role, where, level, read) == 200)
    assert found["total"] == len(listed)
    if "read" in GRANTS[role].get("disposal", set()):
        assert listed  # not vacuous: reviewers see their department's


@pytest.mark.parametrize("role", list(GRANTS))
def test_secrecy_proposals_are_listed_exactly_as_they_are_read(world: World, role: str) -> None:
    clients, targets = world
    found = clients[role].get("/api/v1/secrecy-proposals?status=pending&limit=200").json()
    listed = {item["id"] for item in found["items"]}
    read = next(r for r in ROUTES if r.name == "read a secrecy proposal")
    for (where, level), target in targets.items():
        assert (target.proposal in listed) == (expected(role, where, level, read) == 200)
    assert found["total"] == len(listed)


@pytest.mark.parametrize("role", list(GRANTS))
def test_only_administrators_administer(world: World, role: str) -> None:
    clients, _ = world
    status = clients[role].get("/api/v1/admin/users").status_code
    assert status == (200 if "manage" in GRANTS[role].get("admin", set()) else 403)


@pytest.mark.parametrize("role", list(GRANTS))
def test_only_auditors_read_and_export_the_log(world: World, role: str) -> None:
    clients, _ = world
    may_read = "read" in GRANTS[role].get("audit", set())
    assert clients[role].get("/api/v1/audit/events").status_code == (200 if may_read else 403)
    window = {"since": "2020-01-01T00:00:00Z", "until": "2020-01-02T00:00:00Z"}
    exported = clients[role].post("/api/v1/audit/exports", json=window).status_code
    assert exported == (200 if "export" in GRANTS[role].get("audit", set()) else 403)


@pytest.mark.parametrize("role", list(GRANTS))
def test_the_disposal_list_shows_exactly_the_documents_a_reviewer_may_know(
    world: World, role: str
) -> None:
    # The matrix's documents are contracts without a term end: never due, listed as undated.
    clients, targets = world
    response = clients[role].get("/api/v1/retention/disposal-list?state=undated&limit=500")
    reviews = "review_retention" in GRANTS[role].get("document", set())
    assert response.status_code == (200 if reviews else 403)
    if not reviews:
        return
    listed = {item["document_id"] for item in response.json()["items"]}
    read_document = Route("read document", "document", "read", ROUTES[2].call)
    for (where, level), target in targets.items():
        known = expected(role, where, level, read_document) == 200
        assert (target.document in listed) == (known and where == OWN)
    assert response.json()["total"] == len(listed)
