"""The company the load and scaling benchmarks work in: departments, people, customers, documents.

Made through the API as an administrator and archivists would (`bench.load`, `bench.scaling`):
two sales departments, each with department heads, archivists, salespeople and sales managers,
a company-wide marketing director; customers of each department with a few generated documents
of every secrecy level, and a real scanned statement (`en_ph_scan_ideal_marketing_2022_fs.pdf`,
4 pages) in some files, so page views render real pages. Written out as JSON for the locustfile.
"""

from __future__ import annotations

import io
import random
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from bench.harness import ADMIN_PASSWORD, USER_PASSWORD, signed_in
from bench.search_corpus import bank_reference, company
from tests.factories import random_uscc, sample_pdf

FONT = "STSong-Light"  # a CID font every PDF reader knows; nothing to embed
# The generated documents of each file: (type, secrecy). Secret ones are never indexed for search.
KINDS = (
    ("credit_survey", "internal"),
    ("bank_reference", "confidential"),
    ("credit_approval", "secret"),
)
# Clearance of each kind of person: a salesperson reads up to confidential, the others secret.
CLEARANCE = {
    "sales": "confidential",
    "sales_manager": "secret",
    "archivist": "secret",
    "dept_head": "secret",
}


@dataclass
class Department:
    """One department: its people by role (user names) and its customers."""

    code: str
    id: str
    people: dict[str, list[str]] = field(default_factory=dict)
    customers: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Company:
    """Everything the locust users need to know: who they are, what there is to find."""

    password: str
    director: str
    departments: list[Department]
    words: list[str]

    def save(self, path: Path) -> None:
        """Write it for the locustfile (`BENCH_LOAD_COMPANY`)."""
        import json

        path.write_text(json.dumps(asdict(self), ensure_ascii=False), encoding="utf-8")


def text_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with a text layer: the title, then the lines wrapped to the page."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont(FONT, 16)
    page.drawString(60, 780, title)
    page.setFont(FONT, 10)
    y = 750
    for line in lines:
        for start in range(0, len(line), 44):
            page.drawString(60, y, line[start : start + 44])
            y -= 14
            if y < 60:
                break
    page.showPage()
    page.save()
    return out.getvalue()


def upload(
    client: httpx.Client, customer: str, data: bytes, doc_type: str, title: str, secrecy: str
) -> str:
    """Add a PDF to a customer's file; returns the document id."""
    answer = client.post(
        f"/api/v1/customers/{customer}/documents",
        data={"doc_type": doc_type, "title": title, "secrecy": secrecy},
        files={"file": ("document.pdf", io.BytesIO(data), "application/pdf")},
    )
    answer.raise_for_status()
    return str(answer.json()["id"])


def add_person(
    admin: httpx.Client, username: str, department: str | None, role: str, clearance: str
) -> None:
    """A user holding `role` in `department` (company-wide when None)."""
    made = admin.post(
        "/api/v1/admin/users",
        json={
            "username": username,
            "display_name": username,
            "password": USER_PASSWORD,
            "department_id": department,
            "clearance": clearance,
        },
    )
    made.raise_for_status()
    grant = {"user_id": made.json()["id"], "role": role, "department_id": department}
    admin.post("/api/v1/admin/roles", json=grant).raise_for_status()


def _fill(
    base: str, department: Department, customers: int, scans: int, rng: random.Random
) -> list[str]:
    """Open the department's customer files, as its first archivist; returns search words."""
    archivist = signed_in(base, department.people["archivist"][0], USER_PASSWORD)
    words: list[str] = []
    scan = sample_pdf()
    try:
        for n in range(customers):
            name = f"{company(rng)}{n + 1}号"
            made = archivist.post("/api/v1/customers", json={"name": name, "uscc": random_uscc()})
            made.raise_for_status()
            customer = str(made.json()["id"])
            documents = []
            for doc_type, secrecy in KINDS:
                letter = bank_reference(rng, name, date(2026, 1 + n % 12, 1 + n % 28))
                title = f"{letter.title} {secrets.token_hex(2)}"
                data = text_pdf(title, list(letter.pieces))
                document = upload(archivist, customer, data, doc_type, title, secrecy)
                documents.append({"id": document, "secrecy": secrecy, "title": title, "pages": 1})
                words.append(letter.title[:4])
            if n < scans:  # the real scan, a financial statement kept secret
                title = f"{name} 2022 年度财务报表"
                document = upload(archivist, customer, scan, "financial_statement", title, "secret")
                documents.append({"id": document, "secrecy": "secret", "title": title, "pages": 4})
            department.customers.append({"id": customer, "name": name, "documents": documents})
            words.append(name[2:6])
    finally:
        archivist.close()
    return words


def seed(
    base: str, people: dict[str, int], customers: int, scans: int, seed_value: int = 23
) -> Company:
    """Two departments with `people[role]` persons of each role, `customers` files each, the
    real scan in the first `scans` of them; returns what was made."""
    rng = random.Random(seed_value)
    admin = signed_in(base, "admin", ADMIN_PASSWORD)
    try:
        departments = []
        for code, name in (("sales-east", "华东销售部"), ("sales-north", "华北销售部")):
            made = admin.post("/api/v1/admin/departments", json={"code": code, "name": name})
            made.raise_for_status()
            departments.append(Department(code, str(made.json()["id"])))
        add_person(admin, "director", None, "marketing_director", "secret")
        for department in departments:
            for role, count in people.items():
                names = [f"{role}-{department.code}-{n + 1}" for n in range(count)]
                department.people[role] = names
                for username in names:
                    add_person(admin, username, department.id, role, CLEARANCE[role])
    finally:
        admin.close()
    # Each department's archivist fills its files; the two at once.
    with ThreadPoolExecutor(len(departments)) as pool:
        found = pool.map(
            lambda d: _fill(base, d, customers, scans, random.Random(rng.random())), departments
        )
        words = [word for words in found for word in words]
    return Company(USER_PASSWORD, "director", departments, sorted(set(words)))
