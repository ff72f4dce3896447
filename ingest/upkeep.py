"""The upkeep of customer files: what one file lacks, and the report of incomplete files.

Invariants: the report lists only customers the caller may see (the list filter every customer
list uses), each weighed on the documents of its department the caller may know exist
(`ingest.completeness`); each reading and each report is audited, a report with the departments
it covers and its number of rows, never the rows.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.categories import Categories
from ingest.completeness import OnFile, evaluate, on_file
from ingest.completeness_schemas import (
    Completeness,
    CompletenessItem,
    IncompleteFile,
    IncompleteReport,
)
from ingest.rights import Rights
from storage.auditevent import Actor, customer_target, record
from storage.auditnames import Action
from storage.models import Customer, Department, Document, User

HEADER = [
    "部门 department",
    "保管人 custodian",
    "客户 customer",
    "统一社会信用代码 credit code",
    "类别 category",
    "状态 status",
    "缺少 missing",
    "已过期 expired",
]
# The document types as a spreadsheet names them (DOMAIN.md "Document types"), both languages.
NAMES = {
    "business_license": "营业执照 business license",
    "tax_certificate": "纳税证明 tax certificate",
    "bank_reference": "银行资信证明 bank reference",
    "financial_statement": "财务报表 financial statement",
    "contract": "合同 contract",
    "authorization": "授权委托书 authorization",
    "guarantee": "担保证明 guarantee",
    "correspondence": "往来函件 correspondence",
    "credit_application": "客户信用申请表 credit application",
    "credit_survey": "客户信用调查表 credit survey",
    "credit_approval": "客户信用审批表 credit approval",
    "annual_review": "年审评价报告 annual review",
    "collection_letter": "催款函 collection letter",
    "payment_voucher": "收付款凭证 payment voucher",
    "credit_report": "客户信用报告 credit report",
    "other": "其他 other",
}


def of_customer(
    session: Session,
    actor: Actor,
    rights: Rights,
    customer: Customer,
    categories: Categories,
    today: date,
    decision: dict[str, Any],
) -> Completeness:
    """What the customer's file must hold and lacks as of `today`, its reading recorded."""
    items = items_of(session, rights, customer, categories, today)
    gaps = sum(1 for item in items if item.state != "present")
    record(
        session, actor, Action.COMPLETENESS_READ, "success", customer_target(customer), decision,
        gaps=gaps, as_of=today.isoformat(),
    )  # fmt: skip
    return Completeness(customer_id=customer.id, as_of=today, complete=not gaps, items=items)


def items_of(
    session: Session, rights: Rights, customer: Customer, categories: Categories, today: date
) -> list[CompletenessItem]:
    """Each thing the customer's file must hold, met or not as of `today`, from the documents
    the reader may know exist."""
    wanted = categories.requirements
    seen = rights.readable_documents(customer.department_id)
    types = {r.doc_type for r in wanted}
    found = on_file(session, Document.customer_id == customer.id, seen, types)
    return evaluate(wanted, customer.category, customer.status, found.get(customer.id, []), today)


def report(
    session: Session,
    actor: Actor,
    rights: Rights,
    categories: Categories,
    today: date,
    wanted: tuple[uuid.UUID | None, uuid.UUID | None],
    form: str,
) -> IncompleteReport:
    """The incomplete files among the visible customers (of one department and custodian, when
    `wanted` names them), by department, custodian and customer; the report is recorded."""
    department_id, custodian_id = wanted
    where = [rights.visible(session, "customer", Customer.department_id, Customer.secrecy)]
    if department_id is not None:
        where.append(Customer.department_id == department_id)
    if custodian_id is not None:
        where.append(Customer.custodian_id == custodian_id)
    rows = session.execute(
        select(Customer, Department.name, User.display_name)
        .join(Department, Department.id == Customer.department_id)
        .join(User, User.id == Customer.custodian_id)
        .where(*where)
        .order_by(Department.name, User.display_name, Customer.name, Customer.id)
    ).all()
    departments = sorted({row[0].department_id for row in rows})
    types = {r.doc_type for r in categories.requirements}
    documents: dict[uuid.UUID, list[OnFile]] = {}
    for department in departments:
        # Each department's documents under that department's own visibility.
        theirs = select(Customer.id).where(*where, Customer.department_id == department)
        seen = rights.readable_documents(department)
        documents |= on_file(session, Document.customer_id.in_(theirs), seen, types)
    items = []
    for customer, department_name, custodian_name in rows:
        found = documents.get(customer.id, [])
        gaps = [
            item
            for item in evaluate(
                categories.requirements, customer.category, customer.status, found, today
            )
            if item.state != "present"
        ]
        if gaps:
            items.append(_incomplete(customer, department_name, custodian_name, gaps))
    record(
        session, actor, Action.INCOMPLETE_EXPORT, "success",
        {"departments": [str(d) for d in departments]},
        format=form, rows=len(items), as_of=today.isoformat(),
        department_id=str(department_id) if department_id else None,
        custodian_id=str(custodian_id) if custodian_id else None,
    )  # fmt: skip
    return IncompleteReport(as_of=today, total=len(items), items=items)


def _incomplete(
    customer: Customer, department_name: str, custodian_name: str, gaps: list[CompletenessItem]
) -> IncompleteFile:
    return IncompleteFile(
        customer_id=customer.id,
        customer_name=customer.name,
        uscc=customer.uscc,
        category=customer.category,
        status=customer.status,
        department_id=customer.department_id,
        department_name=department_name,
        custodian_id=customer.custodian_id,
        custodian_name=custodian_name,
        gaps=gaps,
    )


def table(found: IncompleteReport) -> list[list[Any]]:
    """The report's rows for a spreadsheet, one a file, its gaps named in both languages."""
    return [
        [
            row.department_name,
            row.custodian_name,
            row.customer_name,
            row.uscc,
            row.category or "",
            row.status.value,
            [_named(gap) for gap in row.gaps if gap.state == "missing"],
            [f"{_named(gap)} ({gap.expires_on})" for gap in row.gaps if gap.state == "expired"],
        ]
        for row in found.items
    ]


def _named(gap: CompletenessItem) -> str:
    name = NAMES[gap.doc_type.value]
    return name if gap.year is None else f"{name} {gap.year}"
