"""The vocabularies of the domain (docs/domain.md), shared by every layer."""

from __future__ import annotations

from enum import StrEnum


class Secrecy(StrEnum):
    """Secrecy level of a document (密级), ordered public < internal < confidential < secret."""

    public = "public"
    internal = "internal"
    confidential = "confidential"
    secret = "secret"  # noqa: S105 - a secrecy level, not a password  # nosec B105

    @property
    def rank(self) -> int:
        """Position in the order; a clearance must rank at least as high as the level."""
        return list(Secrecy).index(self)


class DocType(StrEnum):
    """Kinds of document kept in a customer file (docs/domain.md, "What a customer file holds")."""

    business_license = "business_license"
    tax_certificate = "tax_certificate"
    bank_reference = "bank_reference"
    financial_statement = "financial_statement"
    contract = "contract"
    authorization = "authorization"
    guarantee = "guarantee"
    correspondence = "correspondence"
    credit_application = "credit_application"
    credit_survey = "credit_survey"
    credit_approval = "credit_approval"
    annual_review = "annual_review"
    collection_letter = "collection_letter"
    payment_voucher = "payment_voucher"
    credit_report = "credit_report"  # made by the archive itself (ingest.credit_reports)
    other = "other"


class Channel(StrEnum):
    """How a piece of correspondence (往来函件、电报、传真、电话记录) travelled."""

    letter = "letter"  # 信函
    fax = "fax"  # 传真
    telegram = "telegram"  # 电报
    phone = "phone"  # 电话记录
    email = "email"  # 电子邮件


class Direction(StrEnum):
    """Whether a piece of correspondence came to the company or left it."""

    incoming = "incoming"  # 来函
    outgoing = "outgoing"  # 去函


class CustomerStatus(StrEnum):
    """Where a customer stands with the company; `ingest.lifecycle` says which moves are allowed."""

    prospect = "prospect"  # 潜在客户: being surveyed, no credit yet
    active = "active"  # 正常合作
    under_review = "under_review"  # 复核中: re-reviewed after a warning or by its grade
    suspended = "suspended"  # 暂停合作: no new orders on credit
    blacklisted = "blacklisted"  # 黑名单
    terminated = "terminated"  # 终止合作


class ContractKind(StrEnum):
    """What a contract record is (003 篇2: 合同正本、副本及变更、解除合同的书面协议)."""

    original = "original"  # 正本
    copy = "copy"  # 副本
    amendment = "amendment"  # 变更协议
    termination = "termination"  # 解除协议


class TransactionKind(StrEnum):
    """What a customer's transaction from the ERP or finance system is (000 动态行为信息)."""

    invoice = "invoice"  # 发票/订单: a receivable from its date until paid
    payment = "payment"  # 回款
    credit_note = "credit_note"  # 红字发票/贷项
    write_off = "write_off"  # 坏账核销


class ContractStatus(StrEnum):
    """Where a contract stands; a number once given is never freed, so a contract not made is
    cancelled, not deleted."""

    draft = "draft"  # 草拟: numbered, not yet signed
    signed = "signed"  # 已签订
    performing = "performing"  # 履行中
    completed = "completed"  # 履行完毕
    terminated = "terminated"  # 已解除
    cancelled = "cancelled"  # 作废


class UserStatus(StrEnum):
    """Lifecycle of an account; only `active` accounts are let in."""

    active = "active"
    disabled = "disabled"
    departed = "departed"


class TokenKind(StrEnum):
    """Bearer tokens: short-lived login sessions and long-lived personal API tokens."""

    session = "session"
    personal = "personal"


class BorrowMode(StrEnum):
    """How a borrowed file may be used (docs/domain.md, "Looking up a file is borrowing")."""

    view = "view"  # rendered, watermarked page images in the browser; never the file itself
    download = "download"  # the file, PDFs watermarked on every page
    physical = "physical"  # the paper original, handed out and checked back in by an archivist


class BorrowingStatus(StrEnum):
    """Where a borrowing stands; `overdue` is not stored but read off `approved` and the clock."""

    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    returned = "returned"
    revoked = "revoked"
    lost = "lost"  # paper originals not returned, marked missing; an incident is open


class HandoverStatus(StrEnum):
    """Where a handover (交接) stands."""

    open = "open"
    completed = "completed"
    cancelled = "cancelled"


class Capacity(StrEnum):
    """In what capacity someone confirms a handover; each of the three confirms once."""

    dept_head = "dept_head"
    archivist = "archivist"
    successor = "successor"


class ExtractionStatus(StrEnum):
    """Where a background extraction stands."""

    pending = "pending"
    running = "running"
    done = "done"
    failed = "failed"


class StatementStatus(StrEnum):
    """A statement's figures count for ratings only once a credit manager confirms them."""

    extracted = "extracted"
    confirmed = "confirmed"


class Language(StrEnum):
    """The language a person reads Dangan in; Simplified Chinese unless they choose English."""

    zh = "zh"
    en = "en"
