"""Notices of upkeep deadlines: to the customer's custodian and the heads of its department (and
a contract's own custodian, for its hand-overs).

Invariants: a notice names the kind of deadline, its day and its reference only — never the
customer, its code or any document's content, since e-mail leaves the archive; the reader
follows the reference into the archive, where the doors decide what they see. Only those
cleared for the customer's file (and the document a deadline derives from) hear of it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from access.roles import holders
from storage.models import (
    Contract,
    Customer,
    Deadline,
    Document,
    Notification,
    Rating,
    Secrecy,
    User,
    UserStatus,
)

HEAD = "dept_head"
# kind → (subject, body), bilingual as the users are; {ref} is the deadline's reference.
TEXTS = {
    "license_expiry": (
        "营业执照到期 Business license expires {due}: {ref}",
        "您负责的一份客户档案中的营业执照于 {due} 到期，请收取新的营业执照（期限 {ref}）。\n"
        "A business license in a customer file you keep expires {due}; please obtain the new "
        "one (deadline {ref}).",
    ),
    "statement_due": (
        "年度财务报表待交 Annual statements {year} due {due}: {ref}",
        "您负责的一份客户档案缺少 {year} 年度财务报表，应于 {due} 前收取（期限 {ref}）。\n"
        "A customer file you keep lacks its {year} annual statements, due {due} (deadline {ref}).",
    ),
    "review_due": (
        "信用复审到期 Credit re-review due {due}: {ref}",
        "您负责的一份客户档案应于 {due} 前按其信用等级复审（期限 {ref}）。\n"
        "A customer file you keep is due for its credit re-review by grade on {due} "
        "(deadline {ref}).",
    ),
    "contract_to_credit": (
        "合同待移交信用管理员 Contract file to the credit manager by {due}: {ref}",
        "您负责的一份合同应于 {due} 前将合同档案资料移交信用(合同)管理员（期限 {ref}）。\n"
        "A contract in your care is due to reach the credit (contract) manager by {due} "
        "(deadline {ref}).",
    ),
    "contract_to_archive": (
        "合同待移交档案室 Contract file to the archive by {due}: {ref}",
        "您负责的一份合同应于 {due} 前由信用(合同)管理员移交档案室归档（期限 {ref}）。\n"
        "A contract in your care is due to reach the archive from the credit manager by {due} "
        "(deadline {ref}).",
    ),
    "document_handin": (
        "文件逾期未交档案室 Document not handed to the archive by {due}: {ref}",
        "您负责的一份客户档案中有一份文件应于 {due} 前（上传后 3 个工作日内）交档案室归档，"
        "至今未归档（期限 {ref}）。\n"
        "A document in a customer file you keep was due at the archive by {due} (three working "
        "days after its upload) and is not filed yet (deadline {ref}).",
    ),
}
OVERDUE = (
    "已逾期 Overdue: ",
    "此期限已过，尚未办结；每周提醒一次，直至办结。\n"
    "This deadline has passed and is not resolved; you are reminded weekly until it is.\n",
)


def announce(session: Session, deadline: Deadline, overdue: bool) -> list[uuid.UUID]:
    """Queue one notice of the deadline for its custodian and department heads; returns who."""
    customer = session.get_one(Customer, deadline.customer_id)
    keepers = [customer.custodian_id, *holders(session, HEAD, customer.department_id)]
    if deadline.contract_id is not None:  # and whoever is responsible for the contract
        keepers.insert(0, session.get_one(Contract, deadline.contract_id).custodian_id)
    people = _cleared(session, keepers, _secrecy(session, customer, deadline))
    subject, body = TEXTS[deadline.kind]
    facts = {
        "due": deadline.due_on.isoformat(),
        "year": deadline.subject,
        "ref": deadline.reference,
    }
    subject, body = subject.format(**facts), body.format(**facts)
    if overdue:
        subject, body = OVERDUE[0] + subject, OVERDUE[1] + body
    kind = f"deadline_{'overdue' if overdue else 'raised'}"
    for user_id in people:
        session.add(
            Notification(
                user_id=user_id, kind=kind, subject=subject, body=body, deadline_id=deadline.id
            )
        )
    return people


def _secrecy(session: Session, customer: Customer, deadline: Deadline) -> int:
    # The file's level, or that of what the deadline derives from when higher (the license, the
    # rating's sources): to anyone below, it does not exist.
    levels = [customer.secrecy]
    sources = select(Document.secrecy).where(Document.customer_id == customer.id)
    if deadline.document_id is not None:
        levels += session.scalars(sources.where(Document.id == deadline.document_id))
    elif deadline.rating_id is not None:
        drawn = session.get_one(Rating, deadline.rating_id).document_ids
        # Stored before its sources were kept: as if drawn on every document of the file.
        levels += session.scalars(
            sources if drawn is None else sources.where(Document.id.in_(map(uuid.UUID, drawn)))
        )
    return max(Secrecy(level).rank for level in levels)


def _cleared(session: Session, user_ids: Iterable[uuid.UUID], level: int) -> list[uuid.UUID]:
    wanted = list(dict.fromkeys(user_ids))
    active = (User.id.in_(wanted), User.status == UserStatus.active)
    users = session.scalars(select(User).where(*active))
    cleared = {u.id for u in users if Secrecy(u.clearance).rank >= level}
    return [u for u in wanted if u in cleared]
