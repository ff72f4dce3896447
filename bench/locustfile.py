"""The people of the load test, for locust: run by `bench.load` and `bench.scaling`, not alone.

Each locust user is one person of the company `bench.load_seed` made (named in the JSON file
`BENCH_LOAD_COMPANY`), signed in with a token of its own; a borrowing it asks for is approved,
step by step, by the people the rules name for the step it waits for (department head, archivist,
marketing director), each signed in by this locust user with a token of its own too.

- `Salesperson`: searches, opens files, uploads, borrows internal or confidential documents of
  its department (the department head approves), views the pages and returns them.
- `SalesManager`: borrows secret documents (the department head, then an archivist), in view.
- `Archivist`: reads pages directly (archivists keep the file), uploads, opens files.
- `DepartmentHead`: looks at what awaits its approval; its own borrowings go to the marketing
  director.
- `Reader` (`bench.scaling` only): the read mix with no pause, spread over `BENCH_SCALING_BASES`.
"""

from __future__ import annotations

import io
import json
import os
import random
import secrets
import time
from itertools import count
from pathlib import Path
from typing import Any, ClassVar

from locust import FastHttpUser, between, constant, task

from bench.load_seed import text_pdf

COMPANY: dict[str, Any] = (
    json.loads(Path(os.environ["BENCH_LOAD_COMPANY"]).read_text(encoding="utf-8"))
    if "BENCH_LOAD_COMPANY" in os.environ
    else {"departments": [], "words": [], "password": "", "director": ""}
)
_LOW, _HIGH = (float(s) for s in os.environ.get("BENCH_LOAD_WAIT", "2,8").split(","))
_TAKEN: dict[str, count[int]] = {}  # each role's people, handed out in turn
_BASES = [b for b in os.environ.get("BENCH_SCALING_BASES", "").split(",") if b]


class Person(FastHttpUser):
    """One signed-in person of a department, with the tokens of the approvers it needs."""

    abstract = True
    role: ClassVar[str] = ""
    approvers: ClassVar[tuple[str, ...]] = ()  # roles whose approval its borrowings wait for
    wait_time = between(_LOW, _HIGH)
    network_timeout = 120.0
    connection_timeout = 30.0

    def on_start(self) -> None:
        """Take the next person of this role and sign in as them (and as their approvers)."""
        taken = next(_TAKEN.setdefault(self.role, count()))
        departments = COMPANY["departments"]
        self.department: dict[str, Any] = departments[taken % len(departments)]
        people = self.department["people"][self.role]
        self.username: str = people[(taken // len(departments)) % len(people)]
        self.token = self.sign_in(self.username)
        self.tokens: dict[str, str] = {}
        for role in self.approvers:
            # Whoever holds the role in the customer's department (the marketing director:
            # company-wide); never the person asking.
            names = [COMPANY["director"]] if role == "marketing_director" else [
                n for n in self.department["people"][role] if n != self.username
            ]  # fmt: skip
            self.tokens[role] = self.sign_in(names[taken % len(names)])

    def sign_in(self, username: str) -> str:
        """A bearer token of `username`."""
        form = {"username": username, "password": COMPANY["password"]}
        answer = self.client.post("/api/v1/auth/token", data=form, name="sign in")
        return str(answer.json()["access_token"])

    def call(
        self, method: str, path: str, name: str, token: str | None = None, **extra: Any
    ) -> Any:
        """One request as this person (or with `token`); the JSON answer, None when it failed."""
        headers = {"Authorization": f"Bearer {token or self.token}"}
        answer = self.client.request(method, path, name=name, headers=headers, **extra)
        if not answer.ok:
            return None
        kind = str(answer.headers.get("content-type", "")) if answer.headers else ""
        return answer.json() if kind.startswith("application/json") else answer.content

    def customer(self) -> dict[str, Any]:
        """A customer file of this person's department."""
        return random.choice(self.department["customers"])

    def document(self, levels: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, Any]]:
        """A customer of the department and one of its documents of the given levels."""
        while True:
            customer = self.customer()
            found = [d for d in customer["documents"] if d["secrecy"] in levels]
            if found:
                return customer, random.choice(found)

    def search(self) -> None:
        """A search for a word of the archive: a customer's name, a bank."""
        word = random.choice(COMPANY["words"])
        self.call("GET", "/api/v1/search", "search", params={"q": word, "limit": 20})

    def open_file(self) -> None:
        """A customer's file as the UI opens it: the customer, then its documents."""
        customer = self.customer()["id"]
        self.call("GET", f"/api/v1/customers/{customer}", "file: customer")
        params = {"customer_id": customer, "limit": 100}
        self.call("GET", "/api/v1/documents", "file: documents", params=params)

    def upload(self) -> None:
        """A new one-page document in a customer's file (new bytes each time)."""
        customer = self.customer()
        title = f"{customer['name']} 客户信用调查表 {secrets.token_hex(4)}"
        data = text_pdf(title, [f"调查日期 {time.strftime('%Y-%m-%d')}", secrets.token_hex(16)])
        fields = {"doc_type": "credit_survey", "title": title, "secrecy": "internal"}
        files = {"file": ("survey.pdf", io.BytesIO(data), "application/pdf")}
        self.call(
            "POST", f"/api/v1/customers/{customer['id']}/documents", "upload",
            data=fields, files=files,
        )  # fmt: skip

    def view_pages(self, document: dict[str, Any], prefix: str) -> bool:
        """Ask how many pages the viewer has, then look at one of them."""
        counted = self.call("GET", f"/api/v1/documents/{document['id']}/pages", f"{prefix}pages")
        if counted is None:
            return False
        number = random.randint(1, counted["pages"])
        path = f"/api/v1/documents/{document['id']}/pages/{number}"
        return self.call("GET", path, f"{prefix}page image") is not None

    def borrow(self, levels: tuple[str, ...]) -> None:
        """The borrowing cycle: request, every approval, a page viewed, the return; timed whole."""
        started = time.perf_counter()
        customer, document = self.document(levels)
        asked = {
            "customer_id": customer["id"],
            "document_ids": [document["id"]],
            "purpose": "年度信用复核 annual credit review",
            "mode": "view",
            "hours": 4,
        }
        borrowing = self.call("POST", "/api/v1/borrowings", "borrow: request", json=asked)
        if borrowing is None:
            return
        path = f"/api/v1/borrowings/{borrowing['id']}"
        while borrowing is not None and borrowing["status"] == "pending":
            role = borrowing["waiting_for"]
            borrowing = self.call(
                "POST", f"{path}/approve", f"borrow: approve ({role})", self.tokens[role]
            )
        if borrowing is None:
            return
        viewed = self.view_pages(document, "borrow: ")
        returned = self.call("POST", f"{path}/return", "borrow: return")
        if viewed and returned is not None:
            elapsed = (time.perf_counter() - started) * 1000
            self.environment.events.request.fire(
                request_type="CYCLE", name="borrowing cycle (whole)", response_time=elapsed,
                response_length=0, exception=None, context={},
            )  # fmt: skip


class Salesperson(Person):
    """Finds, opens and adds to its department's files; borrows what it may not read directly."""

    role = "sales"
    approvers = ("dept_head",)
    weight = 6

    @task(5)
    def find(self) -> None:
        """Search the archive."""
        self.search()

    @task(4)
    def open(self) -> None:
        """Open a customer's file."""
        self.open_file()

    @task(2)
    def add(self) -> None:
        """Upload a document."""
        self.upload()

    @task(1)
    def borrowing(self) -> None:
        """Borrow a document, read a page, return it."""
        self.borrow(("internal", "confidential"))


class SalesManager(Person):
    """Borrows secret material: the department head, then an archivist approve; view only."""

    role = "sales_manager"
    approvers = ("dept_head", "archivist")
    weight = 2

    @task(3)
    def find(self) -> None:
        """Search the archive."""
        self.search()

    @task(3)
    def open(self) -> None:
        """Open a customer's file."""
        self.open_file()

    @task(2)
    def borrowing(self) -> None:
        """Borrow a secret document, read a page, return it."""
        self.borrow(("secret",))


class Archivist(Person):
    """Keeps the files: reads pages directly, files new documents."""

    role = "archivist"
    weight = 1

    @task(4)
    def view(self) -> None:
        """View pages of any document of the department."""
        self.view_pages(self.document(("internal", "confidential", "secret"))[1], "view: ")

    @task(2)
    def find(self) -> None:
        """Search the archive."""
        self.search()

    @task(2)
    def open(self) -> None:
        """Open a customer's file."""
        self.open_file()

    @task(1)
    def add(self) -> None:
        """Upload a document."""
        self.upload()


class DepartmentHead(Person):
    """Oversees the department; its own borrowings are approved by the marketing director."""

    role = "dept_head"
    approvers = ("marketing_director",)
    weight = 1

    @task(2)
    def awaiting(self) -> None:
        """The borrowings awaiting its approval."""
        params = {"scope": "to_approve", "limit": 20}
        self.call("GET", "/api/v1/borrowings", "borrowings to approve", params=params)

    @task(2)
    def open(self) -> None:
        """Open a customer's file."""
        self.open_file()

    @task(1)
    def find(self) -> None:
        """Search the archive."""
        self.search()

    @task(1)
    def borrowing(self) -> None:
        """Borrow a document, read a page, return it (secret ones would go to another head)."""
        self.borrow(("internal", "confidential"))


class Reader(Person):
    """The read mix of `bench.scaling`: no pause; archivists, so pages need no borrowing."""

    role = "archivist"
    wait_time = constant(0)

    def on_start(self) -> None:
        """Sign in at one of the servers, taken in turn, and send everything there."""
        self.client.base_url = _BASES[next(_TAKEN.setdefault("base", count())) % len(_BASES)]
        super().on_start()

    @task(3)
    def find(self) -> None:
        """Search the archive."""
        self.search()

    @task(3)
    def listing(self) -> None:
        """A customer's documents."""
        params = {"customer_id": self.customer()["id"], "limit": 100}
        self.call("GET", "/api/v1/documents", "file: documents", params=params)

    @task(3)
    def metadata(self) -> None:
        """One document's metadata."""
        document = self.document(("internal", "confidential", "secret"))[1]
        self.call("GET", f"/api/v1/documents/{document['id']}", "document")

    @task(1)
    def page(self) -> None:
        """One page image."""
        document = self.document(("internal", "confidential", "secret"))[1]
        number = random.randint(1, document["pages"])
        self.call("GET", f"/api/v1/documents/{document['id']}/pages/{number}", "page image")
