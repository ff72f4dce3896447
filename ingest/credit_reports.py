"""Making a customer's credit report and keeping it in the file: one document, a new version
each time it is made (on demand, and after each rating), stored as any upload is."""

from __future__ import annotations

import io
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest import filing
from ingest import profile as profiles
from ingest.categories import Categories
from ingest.confirmed import confirmed_statements
from ingest.credit_report import ReportFacts, report_pdf
from ingest.credit_report_words import WORDS, Language
from ingest.credit_schemas import CreditPolicy
from ingest.rights import Rights
from ingest.upkeep import items_of
from storage.auditevent import Actor
from storage.models import Customer, Department, DocType, Document, Rating, Secrecy, User

TITLES: dict[Language, str] = {"zh": "客户信用报告", "en": "Customer credit report"}


def make(
    session: Session,
    actor: Actor,
    rights: Rights,
    policy: CreditPolicy,
    categories: Categories,
    customer: Customer,
    vault: filing.Vault,
    language: Language,
    now: datetime,
    decision: dict[str, Any],
) -> Document:
    """Write the report as of `now` (the company's time) and file it; returns its document."""
    today = now.date()
    seen = rights.readable_documents(customer.department_id)
    completeness = items_of(session, rights, customer, categories, today)
    profile = profiles.profile(session, policy, customer, today, seen)
    sources = {item.document_id for item in completeness if item.document_id is not None}
    sources |= {s.document_id for s in confirmed_statements(session, customer.id, seen)}
    if profile.latest is not None:
        rating = session.get_one(Rating, profile.latest.id)
        sources |= {uuid.UUID(i) for i in rating.document_ids or ()}
    level = _level(session, customer, sources)
    facts = ReportFacts(
        name=customer.name,
        master=_master(customer, categories, language),
        secrecy=level,
        custodian=session.get_one(User, customer.custodian_id).display_name,
        department=session.get_one(Department, customer.department_id).name,
        completeness=completeness,
        profile=profile,
        made_at=now,
        made_by=rights.user.display_name,
    )
    pdf = report_pdf(facts, language)
    fields = {
        "doc_type": DocType.credit_report.value,
        "title": TITLES[language],
        "issued_on": today.isoformat(),
    }
    form = filing.LocalForm(io.BytesIO(pdf), f"credit-report-{today:%Y%m%d}.pdf", fields)
    kept = session.scalar(
        select(Document)
        .where(Document.customer_id == customer.id, Document.doc_type == DocType.credit_report)
        .where(seen, Document.disposal_id.is_(None))  # a disposed report takes no new version
        .order_by(Document.created_at)
        .limit(1)
    )
    if kept is None:
        return filing.upload(session, actor, rights, customer, lambda: form, vault, level)
    if Secrecy(level).rank > Secrecy(kept.secrecy).rank:
        kept.secrecy = level  # never lowered here: earlier versions may hold more
    return filing.add_version(session, actor, rights, kept, lambda: form, vault, decision)


def _level(session: Session, customer: Customer, sources: set[uuid.UUID]) -> Secrecy:
    # A report tells what its sources hold: whoever may read it must be cleared for each of
    # them, as a rating is shown only to those who may see every document it drew on.
    levels = set(session.scalars(select(Document.secrecy).where(Document.id.in_(sources))))
    return max((Secrecy(v) for v in levels | {customer.secrecy}), key=lambda v: v.rank)


def _master(
    customer: Customer, categories: Categories, language: Language
) -> list[tuple[str, str]]:
    titles = {c.code: getattr(c.title, language) for c in categories.offered}
    capital = customer.registered_capital
    holders = "；".join(str(h.get("name", "")) for h in customer.shareholders or [])
    found: list[tuple[str, str | Decimal | None]] = [
        ("uscc", customer.uscc),
        ("category", titles.get(customer.category or "", customer.category)),
        ("status", WORDS[language][f"status_{customer.status}"]),
        ("industry", customer.industry),
        ("registered_capital", f"{capital:,.2f} {customer.capital_currency or ''}".strip()
         if capital is not None else None),
        ("legal_representative", customer.legal_representative),
        ("address", customer.address),
        ("founded_on", customer.founded_on.isoformat() if customer.founded_on else None),
        ("cooperation_since",
         customer.cooperation_since.isoformat() if customer.cooperation_since else None),
        ("shareholders", holders or None),
    ]  # fmt: skip
    return [(word, str(value) if value is not None else "—") for word, value in found]
