"""Customers, their documents and the stored versions of each document."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    FetchedValue,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, IdMixin
from storage.models.enums import CustomerStatus, Secrecy

EMPTY_LIST = text("'[]'")  # a JSON column's default for rows stored before it


class Customer(IdMixin, Base):
    """One customer, one file (一户一档)."""

    __tablename__ = "customer"

    name: Mapped[str] = mapped_column(String(200), index=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    category: Mapped[str | None] = mapped_column(String(64))
    # Chooses the credit reference table a rating uses when none is named.
    industry: Mapped[str | None] = mapped_column(String(64))
    department_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("department.id"), index=True)
    # The employee responsible for the file; handover moves it, it is never left empty.
    custodian_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    # Default level of the customer's documents; also limits who may know the customer exists.
    secrecy: Mapped[str] = mapped_column(String(16), default=Secrecy.internal)
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    # Its standing with the company; every change is a CustomerChange with its reason.
    status: Mapped[str] = mapped_column(String(16), default=CustomerStatus.prospect, index=True)
    # Master data (DOMAIN.md "What a customer file holds"), changed only with a CustomerChange.
    registered_capital: Mapped[Decimal | None] = mapped_column(Numeric(20, 2))
    capital_currency: Mapped[str | None] = mapped_column(String(3))  # ISO 4217
    legal_representative: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(300))
    business_scope: Mapped[str | None] = mapped_column(Text)
    founded_on: Mapped[date | None]
    # [{"name", "share"}]: share a percentage as a decimal string.
    shareholders: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, server_default=EMPTY_LIST
    )
    # [{"bank", "account_name", "account_no"}]: the number is shown to readers of the file only,
    # never written to a log or audit event, and masked in the history.
    bank_references: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, server_default=EMPTY_LIST
    )
    cooperation_since: Mapped[date | None]
    # 重要客户 (004 §4.1.2: kept separately): marked and unmarked with a reason by the approving
    # roles, each change a CustomerChange of kind "important".
    important: Mapped[bool] = mapped_column(default=False, server_default=false(), index=True)
    # Uploads to the file are refused until then: set while a disposal shreds its key, and for
    # the key batches' age after (storage.rotation.shred; ingest.upload checks it).
    uploads_closed_until: Mapped[datetime | None]

    documents: Mapped[list[Document]] = relationship(back_populates="customer")


class CustomerChange(IdMixin, Base):
    """One change of a customer's record: who made it, when, why, and each field before and
    after; kept for as long as the customer, never updated."""

    __tablename__ = "customer_change"
    __table_args__ = (Index(None, "customer_id", "created_at"),)

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"))
    # "edit" (master data), "status" (the lifecycle) or "license" (fields read and accepted).
    kind: Mapped[str] = mapped_column(String(16))
    changed_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    # Required for edits and status changes; a license's fields are taken for the document's sake.
    reason: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("document.id"))
    # {field: [before, after]} in JSON form (decimals as strings, dates ISO).
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)


class Document(IdMixin, Base):
    """A document in a customer file; its bytes live in its versions."""

    __tablename__ = "document"
    # `department_id` is read after a write rather than returned by it (see DocumentText).
    __mapper_args__: Any = {"eager_defaults": False}  # noqa: RUF012 - read once by SQLAlchemy
    __table_args__ = (
        # A department's documents newest first, a page without reading them all (migration
        # 0030); the level rides along, so the visible ones are told apart in the index.
        Index(
            "ix_document_department_created",
            "department_id",
            "created_at",
            "id",
            postgresql_include=["secrecy"],
        ),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    # A copy of its customer's department, for the indexes of the metadata (migration 0019)
    # and of the newest documents (0030), written by triggers whenever the document or its
    # customer's department changes; never set here. Lists of documents decide what the caller
    # sees on it (a row without one is seen by nobody), as the search does on its own copies.
    department_id: Mapped[uuid.UUID] = mapped_column(
        nullable=True, server_default=FetchedValue(), server_onupdate=FetchedValue()
    )
    doc_type: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(String(300))
    secrecy: Mapped[str] = mapped_column(String(16), index=True)
    issued_on: Mapped[date | None]
    expires_on: Mapped[date | None]
    # The number of the contract it belongs to: a contract's own when linked to one of the
    # ledger (`contract_id`), kept equal to it, so holds on that number cover it.
    contract_no: Mapped[str | None] = mapped_column(String(100))
    contract_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contract.id"), index=True)
    counterparty: Mapped[str | None] = mapped_column(String(200))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    # Correspondence and collection letters (`ingest.letters` says which type keeps which): how
    # it travelled, which way, between whom; its date is `issued_on`. A collection letter's
    # escalation level is which of 004 附件四's five reminders it is (1 first … 5 before suing).
    channel: Mapped[str | None] = mapped_column(String(16))
    direction: Mapped[str | None] = mapped_column(String(8))
    sender: Mapped[str | None] = mapped_column(String(200))
    recipient: Mapped[str | None] = mapped_column(String(200))
    escalation_level: Mapped[int | None] = mapped_column(SmallInteger)
    latest_version: Mapped[int] = mapped_column(default=1)
    # Where the paper original is kept (cabinet, shelf, box); empty when there is none.
    original_cabinet: Mapped[str | None] = mapped_column(String(64))
    original_shelf: Mapped[str | None] = mapped_column(String(64))
    original_box: Mapped[str | None] = mapped_column(String(64))
    # When an archivist accepted the document into the archive (checked and filed); until
    # then it is listed in its uploader's handover.
    filed_at: Mapped[datetime | None]
    filed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    # Set when the document was disposed of: the row is then a tombstone (id, type, customer,
    # dates; its hashes are in the disposal's item), its versions and derived rows gone.
    disposal_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("disposal.id"))
    disposed_at: Mapped[datetime | None]

    customer: Mapped[Customer] = relationship(back_populates="documents")
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", order_by="DocumentVersion.version"
    )


class DocumentVersion(IdMixin, Base):
    """One stored, encrypted version of a document; older versions are kept."""

    __tablename__ = "document_version"
    __table_args__ = (
        UniqueConstraint("document_id", "version"),
        # The same bytes twice in one customer file are refused (409), even under a race.
        UniqueConstraint("customer_id", "sha256"),
    )

    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("document.id"))
    # Denormalised from the document so the uniqueness above can be a database constraint.
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"))
    version: Mapped[int]
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    object_key: Mapped[str] = mapped_column(String(200), unique=True)
    ciphertext_size: Mapped[int] = mapped_column(BigInteger)
    ciphertext_sha256: Mapped[str] = mapped_column(String(64))
    key_name: Mapped[str] = mapped_column(String(100))
    # The data key wrapped by the customer's key-encryption key; rotation rewrites only this.
    wrapped_key: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))

    document: Mapped[Document] = relationship(back_populates="versions")
