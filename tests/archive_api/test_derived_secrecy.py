"""What is derived from a document is seen only by who may see the document; refusals name
nothing the caller may not see."""

from __future__ import annotations

import io
import itertools
import json
import re
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from access.deadline_notices import announce
from archive_api.payments_round import import_now
from ingest.deadlines import Due, keep
from storage.auditevent import Actor
from storage.db import unit_of_work
from storage.models import Rating
from tests.archive_api.conftest import USER_PASSWORD, Api, Cast, add_user, extract_all, sign_in
from tests.archive_api.test_credit import YEARS
from tests.factories import fake_file, license_image, qualitative, random_uscc
from tests.statements import printed, statement_pdf

D = Decimal
# Every figure of the secret statement is the credit test's, moved to values found nowhere else.
SECRET = {
    year: {code: value * D("1.0731") + D("13.57") for code, value in YEARS[year].items()}
    for year in (2022, 2023)
}
SECRET_TITLES = ("绝密年报 TOPSECRET-FS", "绝密执照 TOPSECRET-LICENSE")
SECRET_LICENSE_NAME = "遵义绝密科技有限公司"
HOLD_REASON = "绝密保全 TOPSECRET-HOLD"
SECRET_LETTER = "绝密函件 TOPSECRET-LETTER"
ROLES = (
    "credit_manager",
    "sales",
    "sales_manager",
    "dept_head",
    "archivist",
    "marketing_director",
    "auditor",
)


def _client(api: Api, name: str, clearance: str, *roles: str) -> tuple[TestClient, str]:
    user_id = add_user(api.admin, name, api.department, clearance, *roles)
    client = TestClient(api.client.app)
    sign_in(client, name, USER_PASSWORD)
    return client, user_id


def _license_png(name: str, uscc: str) -> bytes:
    image, _ = license_image(name, uscc)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(300, 300))
    return out.getvalue()


class World:
    """An `internal` customer with a `secret` statement and license, read, confirmed and rated
    by a secret-cleared credit manager, and an `internal` statement beside them."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.customer = api.customer("遵义电子有限公司")
        url = f"/api/v1/customers/{self.customer}"
        uscc = api.client.get(url).json()["uscc"]
        self.statement_pdf = statement_pdf("遵义电子有限公司", 2023, SECRET[2023], SECRET[2022])
        secret_statement = api.upload(
            self.customer,
            self.statement_pdf,
            doc_type="financial_statement",
            title=SECRET_TITLES[0],
            secrecy="secret",
        )
        secret_license = api.upload(
            self.customer,
            _license_png(SECRET_LICENSE_NAME, uscc),
            doc_type="business_license",
            title=SECRET_TITLES[1],
            secrecy="secret",
            filename="license.png",
        )
        shown = statement_pdf("遵义电子有限公司", 2021, YEARS[2021], {})
        self.shown = api.upload(
            self.customer, shown, doc_type="financial_statement", title="2021年报"
        )
        self.documents = {str(secret_statement["id"]), str(secret_license["id"])}
        # A legal hold on the secret statement: its reason and id are as secret as the statement.
        held = api.client.post(
            f"/api/v1/documents/{secret_statement['id']}/holds", json={"reason": HOLD_REASON}
        )
        assert held.status_code == 201, held.text
        self.hold = str(held.json()["id"])
        # A secret letter long due, and the request to dispose of it: as secret as the letter.
        letter = api.upload(
            self.customer, fake_file("pdf", 2200), doc_type="correspondence",
            title=SECRET_LETTER, secrecy="secret", issued_on="2019-05-06",
        )  # fmt: skip
        asked = api.client.post(
            "/api/v1/disposals", json={"document_ids": [letter["id"]], "reason": "保管期满"}
        )
        assert asked.status_code == 201, asked.text
        self.disposal = asked.json()
        self.letter = str(letter["id"])
        extract_all(api)

        credit, _ = _client(api, "credit-secret", "secret", "credit_manager")
        self.statements = credit.get(f"{url}/statements").json()
        self.extractions = credit.get(f"{url}/extractions").json()
        assert {e["status"] for e in self.extractions} == {"done"}, self.extractions
        for statement in self.statements:
            confirmed = credit.post(
                f"{url}/statements/{statement['id']}/confirm",
                json={"accept_failed_checks": True},
            )
            assert confirmed.status_code == 200, confirmed.text
        entered = {**qualitative("80"), "order_volume": "9000000", "credit_period_days": 60}
        rated = credit.post(f"{url}/ratings", json=entered)
        assert rated.status_code == 201, rated.text
        self.rating = rated.json()
        assert self.rating["result"]["rated_year"] == 2023  # the secret figures were used
        # A contract of the (internal) file, to which both secret documents belong.
        contract = credit.post(
            f"{url}/contracts",
            json={"title": "供货合同", "counterparty": "遵义对方有限公司",
                  "document_ids": sorted(self.documents)},
        )  # fmt: skip
        assert contract.status_code == 201, contract.text
        self.contract = str(contract.json()["id"])

        # A secret-cleared seller asks to borrow the statement (waiting for the department
        # head); a department head hands over the archivist who uploaded it, not yet filed.
        seller, self.seller = _client(api, "seller-secret", "secret", "sales")
        head, _ = _client(api, "head-secret", "secret", "dept_head")
        asked = seller.post(
            "/api/v1/borrowings",
            json={
                "customer_id": self.customer,
                "document_ids": [str(secret_statement["id"])],
                "purpose": "核对报表 check the statements",
                "mode": "view",
                "hours": 4,
            },
        )
        assert asked.status_code == 201, asked.text
        self.borrowing = asked.json()
        self.incident = self.lost_original(str(secret_statement["id"]), head)
        opened = head.post(
            "/api/v1/handovers",
            json={
                "employee_id": self.uploader(),
                "successor_id": self.seller,
                "planned_on": datetime.now(UTC).date().isoformat(),
            },
        )
        assert opened.status_code == 201, opened.text
        self.handover = opened.json()
        listed = {d["label"] for d in self.handover["inventory"]["unfiled_documents"]}
        assert SECRET_TITLES[1] in listed  # the statement was filed with its original

        secret = [s for s in self.statements if s["document_id"] in self.documents]
        self.secret_statements = {s["id"] for s in secret}
        self.secret_extractions = {
            e["id"] for e in self.extractions if e["document_id"] in self.documents
        }
        assert len(secret) == 3
        assert len(self.secret_extractions) == 2
        self.forbidden = {
            *self.documents,
            *self.secret_statements,
            *self.secret_extractions,
            str(self.rating["id"]),
            str(self.borrowing["id"]),
            self.borrowing["number"],
            self.incident,
            *SECRET_TITLES,
            SECRET_LICENSE_NAME,
            self.hold,
            HOLD_REASON,
            self.letter,
            SECRET_LETTER,
            str(self.disposal["id"]),
            self.disposal["number"],
        }
        for figures in SECRET.values():
            for value in figures.values():
                self.forbidden |= {f"{value:.2f}", printed(value)}

    round = 0  # which of the secret ids `fill` gives

    def lost_original(self, document: str, head: TestClient) -> str:
        """The paper original of `document`, lent and lost: the incident's id."""
        archive = self.api.client
        placed = archive.put(f"/api/v1/documents/{document}/original", json={"cabinet": "A-1"})
        assert placed.status_code == 200, placed.text
        borrower, _ = _client(self.api, "borrower-secret", "secret", "sales")
        asked = borrower.post(
            "/api/v1/borrowings",
            json={
                "customer_id": self.customer,
                "document_ids": [document],
                "purpose": "核对原件 check the original",
                "mode": "physical",
                "hours": 4,
            },
        )
        assert asked.status_code == 201, asked.text
        url = f"/api/v1/borrowings/{asked.json()['id']}"
        for approver in (head, archive):
            if asked.json()["status"] == "pending":
                asked = approver.post(f"{url}/approve", json={})
                assert asked.status_code == 200, asked.text
        assert archive.post(f"{url}/hand-out").status_code == 200
        lost = archive.post(f"{url}/missing", json={"reason": "遗失 lost"})
        assert lost.status_code == 200, lost.text
        [incident] = archive.get("/api/v1/incidents").json()["items"]
        return str(incident["id"])

    def uploader(self) -> str:
        """The archivist who uploaded everything."""
        users = self.api.admin.get("/api/v1/admin/users").json()["items"]
        return str(next(u["id"] for u in users if u["username"] == "archivist"))

    def statement_documents(self) -> set[str]:
        """The secret documents read as statements."""
        return {s["document_id"] for s in self.statements if s["document_id"] in self.documents}

    def leaks(self, text: str) -> set[str]:
        """What of the secret material `text` shows."""
        return {secret for secret in self.forbidden if secret in text}

    def fill(self, name: str) -> str:
        """A value for a path or query parameter: the secret objects' ids where they fit."""
        secret: dict[str, str] = {
            "customer_id": self.customer,
            "borrowing_id": str(self.borrowing["id"]),
            "handover_id": str(self.handover["id"]),
            "incident_id": self.incident,
            "hold_id": self.hold,
            "contract_id": self.contract,
            "disposal_id": str(self.disposal["id"]),
            "number": "1",
            "rule_id": "1",
        }
        for key, ids in (
            ("document_id", self.documents),
            ("statement_id", self.secret_statements),
            ("extraction_id", self.secret_extractions),
        ):
            secret[key] = sorted(ids)[self.round % len(ids)]
        return secret.get(name, str(uuid.uuid4()))


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    options = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    return _resolve(spec, options[0]) if options else schema


# Values a plausible request would send for fields of these names.
PLAUSIBLE: dict[str, Any] = {
    "code": "total_assets",
    "period": "current",
    "value": "1.00",
    "reason": "核对原件 checked against the original",
    "purpose": "核对报表 check the statements",
    "qualitative_score": "80",
    "order_volume": "9000000",
    "credit_period_days": 60,
    "hours": 4,
    "mode": "view",
    "secrecy": "internal",
    "since": "2000-01-01T00:00:00Z",
    "until": "2100-01-01T00:00:00Z",
}

# Optional fields a plausible request sends all the same: a rating scores the factors (000).
OPTIONAL: dict[str, Any] = qualitative("80")


def _example(spec: dict[str, Any], schema: dict[str, Any], name: str, world: World) -> Any:
    schema = _resolve(spec, schema)
    kind = schema.get("type")
    value: Any
    if name in PLAUSIBLE:
        value = PLAUSIBLE[name]
    elif name == "document_ids":
        value = sorted(world.documents)
    elif name.endswith("_id") and schema.get("format") == "uuid":
        value = world.fill(name)
    elif "enum" in schema:
        value = schema["enum"][0]
    elif kind == "object":
        props = schema.get("properties", {})
        value = {k: _example(spec, props[k], k, world) for k in schema.get("required", [])}
        value |= {k: v for k, v in OPTIONAL.items() if k in props}
    elif kind in ("integer", "number", "boolean", "array"):
        value = {"integer": max(1, schema.get("minimum", 1)), "number": "1"}.get(kind, [])
        value = False if kind == "boolean" else value
    elif schema.get("format") in ("date", "date-time"):
        now = datetime.now(UTC)
        value = now.date().isoformat() if schema["format"] == "date" else now.isoformat()
    else:
        value = "x" * max(1, schema.get("minLength", 1))
    return value


def _call(
    client: TestClient, world: World, spec: dict[str, Any], method: str, path: str
) -> tuple[str, Any]:
    operation = spec["paths"][path][method]
    url = re.sub(r"\{(\w+)\}", lambda m: world.fill(m.group(1)), path)
    query = {
        p["name"]: world.fill(p["name"])
        if p["name"] in ("customer_id", "document_id")
        else _example(spec, p["schema"], p["name"], world)
        for p in operation.get("parameters", [])
        if p["in"] == "query" and (p.get("required") or p["name"] in ("customer_id", "document_id"))
    }
    content = operation.get("requestBody", {}).get("content", {})
    kwargs: dict[str, Any] = {"params": query}
    if "multipart/form-data" in content:
        # The same bytes as the secret statement: a duplicate must not name it.
        kwargs["files"] = {"file": ("fs.pdf", world.statement_pdf, "application/pdf")}
        kwargs["data"] = {"doc_type": "financial_statement", "title": "年报"}
    elif "application/json" in content:
        body = content["application/json"]["schema"]
        kwargs["json"] = _example(spec, body, "", world)
    elif "application/x-www-form-urlencoded" in content:
        kwargs["data"] = {"username": "nobody", "password": "wrong"}
    return url, client.request(method.upper(), url, **kwargs)


def test_a_user_below_a_documents_secrecy_gets_nothing_derived_from_it_on_any_route(
    api: Api,
) -> None:
    # There before the secret material arrives, so that any notice about it would reach them.
    low, _ = _client(api, "low", "internal", *ROLES)
    world = World(api)
    hidden, shown_deadline = _deadlines(world)
    app = api.client.app
    assert isinstance(app, FastAPI)
    spec = app.openapi()
    secret_ids = world.documents | world.secret_statements | world.secret_extractions
    secret_ids |= {str(world.borrowing["id"]), world.incident, world.hold}
    secret_ids |= {str(world.disposal["id"]), world.letter}
    walked = []
    # Reads first, so that what a change could alter has been seen as it was; each secret
    # document, statement and extraction in turn.
    for world.round, mutating in itertools.product(range(3), (False, True)):
        for path, operations in spec["paths"].items():
            for method in operations:
                if (method != "get") != mutating:
                    continue
                url, response = _call(low, world, spec, method, path)
                if response.status_code == 401:  # signed out by the route before: again
                    sign_in(low, "low", USER_PASSWORD)
                    url, response = _call(low, world, spec, method, path)
                walked.append(f"{method.upper()} {path}")
                text = response.content.decode("utf-8", "replace")
                assert not world.leaks(text), (method, url, response.status_code, text[:500])
                if any(i in url for i in secret_ids):
                    # Like the document itself, what is derived from it is not found.
                    assert response.status_code == 404, (method, url, response.text[:300])
    assert len(walked) == 3 * sum(len(ops) for ops in spec["paths"].values())

    # What the user may see is still there: the internal statement, and a profile from it.
    url = f"/api/v1/customers/{world.customer}"
    statements = low.get(f"{url}/statements").json()
    assert {s["document_id"] for s in statements} == {world.shown["id"]}
    profile = low.get(f"{url}/credit-profile").json()["preview"]
    assert [y["year"] for y in profile["ratios"]] == [2021]
    assert profile["request"]["license_expires_on"] is None  # the only license is secret
    # To them the file lacks a license: the secret one is neither counted nor named.
    completeness = low.get(f"{url}/completeness").json()["items"]
    license_ = next(i for i in completeness if i["doc_type"] == "business_license")
    assert (license_["state"], license_["document_id"]) == ("missing", None)
    # Of the file's deadlines they see only the one drawn from nothing secret, and no notice
    # told them of the others (they head the department).
    for listed in (low.get(f"{url}/deadlines").json(), low.get("/api/v1/deadlines/mine").json()):
        assert [d["id"] for d in listed] == [shown_deadline]
    noticed = {n["deadline_id"] for n in low.get("/api/v1/notifications").json()} - {None}
    assert noticed == {shown_deadline}
    assert not noticed & hidden
    # The contract is theirs to see, without the secret documents that belong to it.
    contract = low.get(f"/api/v1/contracts/{world.contract}").json()
    assert (contract["documents"], contract["history"][-1]["kind"]) == ([], "create")
    # The rating the low user just made (above) is theirs to see; the secret one is not.
    ratings = low.get(f"{url}/ratings").json()
    assert ratings
    assert all(r["result"]["rated_year"] == 2021 for r in ratings)


def _deadlines(world: World) -> tuple[set[str], str]:
    """Deadlines of the file as the daily round records and announces them: the secret
    license's end and the secret rating's review (their ids and references forbidden), and a
    year's statements, drawn from nothing secret; (the hidden ids, the shown one)."""
    customer = uuid.UUID(world.customer)
    license_ = next(d for d in world.documents if d not in world.statement_documents())
    found = [
        Due(customer, "license_expiry", "", date(2026, 7, 5), document_id=uuid.UUID(license_)),
        Due(customer, "review_due", "", date(2026, 7, 6), rating_id=uuid.UUID(world.rating["id"])),
        Due(customer, "statement_due", "2025", date(2026, 4, 30)),
    ]
    with unit_of_work(world.api.backends.sessions) as session:
        raised = keep(session, found, date(2026, 6, 15))
        for deadline, _ in raised:
            announce(session, deadline, overdue=False)
        ids = {str(d.id): d.reference for d, _ in raised if d.kind != "statement_due"}
        shown = next(str(d.id) for d, _ in raised if d.kind == "statement_due")
    world.forbidden |= set(ids) | set(ids.values())
    return set(ids), shown


def test_a_duplicate_upload_names_the_document_only_to_whoever_may_see_it(api: Api) -> None:
    customer = api.customer()
    content = fake_file("pdf", 5000)
    hidden = api.upload(customer, content, title=SECRET_TITLES[0], secrecy="secret")
    low, _ = _client(api, "low-sales", "internal", "sales")
    refused = low.post(
        f"/api/v1/customers/{customer}/documents",
        data={"doc_type": "business_license", "title": "营业执照"},
        files={"file": ("again.pdf", content, "application/pdf")},
    )
    assert refused.status_code == 409
    assert refused.json() == {
        "error": "conflict",
        "detail": "this file is already stored in this customer file",
        "reason": "file_already_stored",
    }
    # The archivist, who may see it, is told which document holds the file.
    again = api.client.post(
        f"/api/v1/customers/{customer}/documents",
        data={"doc_type": "business_license", "title": "营业执照"},
        files={"file": ("again.pdf", content, "application/pdf")},
    )
    assert again.status_code == 409
    assert str(hidden["id"]) in again.json()["detail"]
    assert again.json()["reason"] == "file_already_stored"  # what the web UI says per file


def test_a_duplicate_credit_code_names_no_customer_the_caller_cannot_see(api: Api) -> None:
    _, keeper = api.archivist_elsewhere()
    uscc = random_uscc()
    theirs = keeper.post("/api/v1/customers", json={"name": "毕节隐秘有限公司", "uscc": uscc})
    assert theirs.status_code == 201, theirs.text
    secret_uscc = random_uscc()
    ours = api.client.post(
        "/api/v1/customers",
        json={"name": "本部绝密客户", "uscc": secret_uscc, "secrecy": "secret"},
    )
    assert ours.status_code == 201, ours.text

    low, _ = _client(api, "low-seller", "internal", "sales")
    for code, hidden in ((uscc, theirs.json()), (secret_uscc, ours.json())):
        refused = low.post("/api/v1/customers", json={"name": "新客户", "uscc": code})
        assert refused.status_code == 409
        assert not {str(hidden["id"]), hidden["name"]} & set(refused.text.split('"'))
        assert refused.json()["detail"] == (
            "a customer with this unified social credit code already exists in the archive; "
            "ask an archivist"
        )
    # Whoever may see the customer is told which it is.
    again = api.client.post("/api/v1/customers", json={"name": "新客户", "uscc": secret_uscc})
    assert again.status_code == 409
    assert str(ours.json()["id"]) in again.json()["detail"]


def test_a_rating_is_listed_only_while_its_reader_may_see_every_document_it_drew_on(
    api: Api,
) -> None:
    customer = api.customer("铜仁某公司")
    pdf = statement_pdf("铜仁某公司", 2021, YEARS[2021], {})
    document = api.upload(customer, pdf, doc_type="financial_statement", title="2021年报")
    extract_all(api)
    low, _ = _client(api, "credit-low", "internal", "credit_manager")
    high, _ = _client(api, "credit-high", "secret", "credit_manager")
    url = f"/api/v1/customers/{customer}"
    for statement in low.get(f"{url}/statements").json():
        assert low.post(f"{url}/statements/{statement['id']}/confirm").status_code == 200
    entered = {**qualitative("70"), "order_volume": "900000", "credit_period_days": 30}
    rated = low.post(f"{url}/ratings", json=entered)
    assert rated.status_code == 201, rated.text
    rating = rated.json()["id"]
    assert [r["id"] for r in low.get(f"{url}/ratings").json()] == [rating]

    # Raised above the credit manager's clearance, the statement takes its rating with it.
    secrecy = f"/api/v1/documents/{document['id']}/secrecy"
    assert api.client.patch(secrecy, json={"secrecy": "secret"}).status_code == 200
    assert low.get(f"{url}/ratings").json() == []
    assert low.get(f"{url}/credit-profile").json()["preview"]["ratios"] == []
    assert [r["id"] for r in high.get(f"{url}/ratings").json()] == [rating]
    lowered = {"secrecy": "internal", "reason": "已公开披露 published"}
    assert api.client.patch(secrecy, json=lowered).status_code == 200
    assert [r["id"] for r in low.get(f"{url}/ratings").json()] == [rating]

    # A secret license it did not draw on changes nothing; a rating stored before sources
    # were kept counts as drawn on every statement and license, so it is hidden from them.
    api.upload(customer, fake_file("pdf", 3000), title=SECRET_TITLES[1], secrecy="secret")
    assert [r["id"] for r in low.get(f"{url}/ratings").json()] == [rating]
    with unit_of_work(api.backends.sessions) as session:
        session.execute(update(Rating).values(document_ids=None))
    assert low.get(f"{url}/ratings").json() == []
    assert [r["id"] for r in high.get(f"{url}/ratings").json()] == [rating]


def test_a_corrected_figure_is_never_written_to_the_audit_log(api: Api, cast: Cast) -> None:
    customer = api.customer("黔南某公司")
    pdf = statement_pdf("黔南某公司", 2023, SECRET[2023], SECRET[2022])
    api.upload(customer, pdf, doc_type="financial_statement", title=SECRET_TITLES[0])
    extract_all(api)
    credit = cast.add("credit", "credit_manager")
    url = f"/api/v1/customers/{customer}/statements"
    sheet = next(s for s in credit.get(url).json() if s["type"] == "balance_sheet")
    typed = {"code": "cash", "period": "current", "value": "24681357.91", "reason": "核对"}
    assert credit.patch(f"{url}/{sheet['id']}/figures", json=typed).status_code == 200

    events = cast["auditor"].get("/api/v1/audit/events", params={"limit": 1000})
    assert events.status_code == 200, events.text
    [corrected] = [
        e["event"]
        for e in events.json()["items"]
        if e["event"]["action"] == "credit:figure:correct"
    ]
    assert "cash" in json.dumps(corrected, ensure_ascii=False)
    read = printed(SECRET[2023]["cash"]).replace(",", "")
    for value in ("24681357.91", "24,681,357.91", read):
        assert value not in events.text


def test_payment_behaviour_goes_to_credit_readers_and_its_limit_only_with_a_rating_they_see(
    api: Api, tmp_path: Path
) -> None:
    customer = api.customer("铜仁回款公司")
    pdf = statement_pdf("铜仁回款公司", 2021, YEARS[2021], {})
    document = api.upload(customer, pdf, doc_type="financial_statement", title="2021年报")
    extract_all(api)
    low, _ = _client(api, "credit-low", "internal", "credit_manager")
    high, _ = _client(api, "credit-high", "secret", "credit_manager")
    seller, _ = _client(api, "seller-x", "secret", "sales")
    url = f"/api/v1/customers/{customer}"
    for statement in low.get(f"{url}/statements").json():
        assert low.post(f"{url}/statements/{statement['id']}/confirm").status_code == 200
    entered = {**qualitative("70"), "order_volume": "900000", "credit_period_days": 30}
    allowed = D(low.post(f"{url}/ratings", json=entered).json()["allowed_credit"])
    uscc = api.client.get(url).json()["uscc"]
    today = api.backends.today()
    rows = (
        "source,number,kind,credit_code,amount,date,due_date\n"
        f"erp,TOPSECRET-INV,invoice,{uscc},{allowed + 1},{today},{today}\n"
    )
    (tmp_path / "erp.csv").write_text(rows, encoding="utf-8")
    import_now(api.backends, Actor.local("test"), tmp_path / "erp.csv")

    def warned(client: TestClient) -> list[str]:
        found = client.get(f"{url}/credit-profile").json()["payments"]
        assert D(found["exposure"]) == allowed + 1
        return [w["code"] for w in found["warnings"]]

    assert warned(low) == warned(high) == ["exposure_above_limit"]
    # The statement raised above the credit manager's clearance takes the rating, and with it
    # the limit the exposure is judged by; the exposure itself is the customer's, still shown.
    secrecy = f"/api/v1/documents/{document['id']}/secrecy"
    assert api.client.patch(secrecy, json={"secrecy": "secret"}).status_code == 200
    assert warned(low) == []
    assert warned(high) == ["exposure_above_limit"]
    # Who may not read the customer's credit (a salesperson, another department) gets nothing.
    _, keeper = api.archivist_elsewhere()
    for outsider in (seller, keeper):
        refused = outsider.get(f"{url}/credit-profile")
        assert refused.status_code in (403, 404)
        assert "TOPSECRET" not in refused.text
        assert str(allowed + 1) not in refused.text
        listed = outsider.get("/api/v1/warnings?scope=all")
        assert listed.status_code == 200
        assert listed.json()["items"] == []
