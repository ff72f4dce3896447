"""Bulk import: one manifest row at a time through the same intake and sealing as an upload.

Invariants: a row's file is taken only from inside the import directory (no absolute path, no
`..`, no symlink leading out); it is stored by `filing.upload`, the API's own step, so it is
checked, hashed, sealed and audited exactly as an upload is; a customer is created only when no
customer has its credit code, in the same transaction as its first document; a row whose bytes
the customer file already holds is skipped before anything is sealed (the database's
uniqueness stays the backstop), so a second run stores nothing new.
"""

from __future__ import annotations

import csv
import hashlib
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest import customer_files, filing
from ingest.categories import Categories
from ingest.customer_schemas import CustomerCreate
from ingest.filing import Vault
from ingest.rights import Rights
from ingest.schemas import DocumentCreate
from ingest.uscc import uscc_problem
from storage.auditevent import Actor, customer_target
from storage.errors import Conflict, DanganError
from storage.keys import KeyProvider
from storage.models import Customer, DocType, DocumentVersion

COLUMNS = (
    "file",
    "credit_code",
    "customer_name",
    "doc_type",
    "title",
    "secrecy",
    "issued_on",
    "expires_on",
    "contract_no",
)
REQUIRED = ("file", "credit_code", "customer_name", "doc_type", "title")
_DOCUMENT_FIELDS = ("doc_type", "title", "secrecy", "issued_on", "expires_on", "contract_no")
_CHUNK = 1 << 20


class BadManifest(DanganError):
    """The manifest as a whole cannot be read (no header, a required column missing)."""

    status = 422
    code = "invalid_field"


class Rejected(Exception):
    """Why one row was not imported: a stable `kind` and a sentence for the report."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind, self.reason = kind, reason


@dataclass(frozen=True)
class Row:
    """One manifest row: its line in the file and its cells by column."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """The cell, stripped; empty when absent."""
        return (self.cells.get(column) or "").strip()


@dataclass(frozen=True)
class Imported:
    """A row stored as a new document."""

    document_id: uuid.UUID
    size: int


@dataclass(frozen=True)
class Skipped:
    """A row whose file the customer file held before this run."""

    document_id: uuid.UUID


def read_manifest(path: Path) -> Iterator[Row]:
    """The manifest's rows (UTF-8, with or without BOM); BadManifest if its header is unusable."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [column for column in REQUIRED if column not in header]
        if missing:
            raise BadManifest(f"manifest: missing column(s) {', '.join(missing)}")
        reader.fieldnames = header
        for cells in reader:
            yield Row(reader.line_num, {k: v for k, v in cells.items() if isinstance(v, str)})


def locate(root: Path, name: str) -> Path:
    """The row's file inside `root`, refused when it is missing or leads out of it."""
    if not name:
        raise Rejected("missing_file", "file: empty")
    relative = PurePosixPath(name.replace("\\", "/"))
    if relative.is_absolute() or PureWindowsPath(name).drive:
        raise Rejected("outside_dir", "file: an absolute path (give it relative to DIR)")
    if ".." in relative.parts:
        raise Rejected("outside_dir", "file: '..' leads out of DIR")
    path = root / relative
    # A symlink anywhere on the way may point out of the directory: judge where it ends.
    if not path.resolve().is_relative_to(root.resolve()):
        raise Rejected("outside_dir", "file: leads out of DIR (through a symbolic link)")
    if not path.is_file():
        raise Rejected("missing_file", "file: no such file in DIR")
    return path


@dataclass
class Importer:
    """What every row is imported with: the vault, the directory, the new customers' home."""

    keys: KeyProvider
    vault: Vault
    root: Path
    department_id: uuid.UUID | None
    custodian_id: uuid.UUID | None
    categories: Categories  # a new customer's category is checked against them
    today: Callable[[], date]
    # (credit code, sha256) -> the line that stored or found it in this run: a later row with
    # the same bytes is a duplicate within the manifest (on a resumed run too), not a skip.
    stored: dict[tuple[str, str], int]

    def run(self, session: Session, actor: Actor, rights: Rights, row: Row) -> Imported | Skipped:
        """Import one row in the caller's transaction as `actor`; Rejected says why not."""
        code = row.get("credit_code").upper()
        problem = uscc_problem(code)
        if problem is not None:
            raise Rejected("bad_credit_code", f"credit_code: {problem}")
        if row.get("doc_type") not in DocType.__members__:
            raise Rejected(
                "unknown_type", f"doc_type: unknown document type {row.get('doc_type')!r}"
            )
        path = locate(self.root, row.get("file"))
        size = path.stat().st_size
        if size > self.vault.max_bytes:
            raise Rejected(
                "too_large", f"file: larger than the limit of {self.vault.max_bytes} bytes"
            )
        fields = {k: row.get(k) for k in _DOCUMENT_FIELDS if row.get(k)}
        try:
            DocumentCreate.model_validate(fields)
        except ValidationError as error:
            raise Rejected("invalid_field", _first_problem(error)) from None
        sha256 = _sha256(path)
        earlier = self.stored.get((code, sha256))
        if earlier is not None:
            raise Rejected("duplicate", f"file: the same bytes as line {earlier}")
        customer = session.scalar(select(Customer).where(Customer.uscc == code))
        if customer is None:
            customer = self._open_customer(session, actor, rights, row, code)
        with _about(customer):
            # Another department's file is not looked into: whether it holds these bytes is
            # not the importer's to learn (refused as not found, and audited).
            rights.require_known(customer.department_id, "customer", "read", customer.secrecy)
            held = session.scalar(
                select(DocumentVersion.document_id).where(
                    DocumentVersion.customer_id == customer.id, DocumentVersion.sha256 == sha256
                )
            )
            if held is not None:
                self.stored[(code, sha256)] = row.line
                return Skipped(held)
            with path.open("rb") as stream:
                form = filing.LocalForm(stream, path.name, fields)
                try:
                    document = filing.upload(
                        session, actor, rights, customer, lambda: form, self.vault
                    )
                except Conflict as error:
                    if error.reason == "file_already_stored":
                        raise Rejected("duplicate", error.detail) from None
                    raise
        self.stored[(code, sha256)] = row.line
        return Imported(document.id, size)

    def _open_customer(
        self, session: Session, actor: Actor, rights: Rights, row: Row, code: str
    ) -> Customer:
        try:
            data = CustomerCreate(
                name=row.get("customer_name"),
                uscc=code,
                department_id=self.department_id,
                custodian_id=self.custodian_id,
            )
        except ValidationError as error:
            raise Rejected("invalid_field", _first_problem(error)) from None
        return customer_files.create(
            session, actor, rights, self.keys, data, self.categories, self.today()
        )


@contextmanager
def _about(customer: Customer) -> Iterator[None]:
    """A refusal names the customer it was about, as the API's door does, for its audit event."""
    try:
        yield
    except DanganError as error:
        error.target = error.target or customer_target(customer)
        raise


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _first_problem(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "row"
    return f"{where}: {first['msg']}"


def kind_of(error: DanganError) -> str:
    """The report's kind for a refusal raised by the upload step itself."""
    return {
        "payload_too_large": "too_large",
        "unsupported_media_type": "type_not_allowed",
        "forbidden": "not_allowed",
        "not_found": "not_allowed",
    }.get(error.code, error.code)
