"""Letters: the channel, direction, sender and recipient of correspondence and the escalation
level of a collection letter (004 附件四), checked against the document's type and edited."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import ConfigDict, Field, StringConstraints
from sqlalchemy.orm import Session

from ingest.errors import InvalidField
from ingest.schemas import LetterFields, Text
from storage.auditevent import Actor, document_target, record
from storage.auditnames import Action
from storage.errors import Conflict
from storage.models import DocType, Document

LETTERS = frozenset({DocType.correspondence, DocType.collection_letter})
# Which types keep which field: a collection letter is correspondence too (sent by letter, fax
# or e-mail, to someone), and the only one with an escalation level.
KEPT_BY: dict[str, frozenset[DocType]] = {
    "channel": LETTERS,
    "direction": LETTERS,
    "sender": LETTERS,
    "recipient": LETTERS,
    "escalation_level": frozenset({DocType.collection_letter}),
}
# 004 附件四: the five reminders, each firmer than the one before.
LEVELS = {
    1: ("首次提醒信", "first reminder"),
    2: ("第二次提醒信", "second reminder"),
    3: ("第三次提醒信", "third reminder"),
    4: ("最后提醒信", "final reminder (handed to a collection agency)"),
    5: ("诉讼前的最后付款要求", "last demand before legal action"),
}
EDITABLE = ("issued_on", *KEPT_BY)
# Names of people and companies stay out of the audit log (docs/architecture.md: no personal
# data in logs): its events name these fields, and carry the values of the others only.
PARTIES = frozenset({"sender", "recipient"})


class LetterUpdate(LetterFields):
    """A change of a letter's details: only the fields sent change (null clears one); the
    reason, if given, is kept in the audit event."""

    model_config = ConfigDict(extra="forbid")

    issued_on: date | None = Field(None, description="the date of the letter, fax or call")
    reason: Annotated[Text, StringConstraints(max_length=500)] | None = None


def check_kept(doc_type: str, fields: LetterFields) -> None:
    """Refuse a letter's field sent for a type that does not keep it, naming the field."""
    for name, types in KEPT_BY.items():
        if getattr(fields, name) is not None and doc_type not in types:
            kept = " or ".join(sorted(types))
            raise InvalidField(f"{name}: only a document of type {kept} records it")


def letter_of(document: Document) -> dict[str, Any]:
    """The letter's details set on a document as its audit events carry them: the channel,
    direction and level, and which of sender and recipient are given (not who)."""
    values = {name: getattr(document, name) for name in KEPT_BY}
    return {
        name: True if name in PARTIES else value
        for name, value in values.items()
        if value is not None
    }


def update(
    session: Session,
    actor: Actor,
    document: Document,
    data: LetterUpdate,
    decision: dict[str, Any],
) -> Document:
    """Change the letter's details sent, and only those; each change, before and after, is in
    the audit event."""
    if document.doc_type not in LETTERS:
        raise InvalidField(f"doc_type: a {document.doc_type} has no letter details to edit")
    if document.disposal_id is not None:
        raise Conflict("the document was disposed of: its details are gone")
    sent = data.model_fields_set - {"reason"}
    if not sent:
        raise InvalidField("request: name at least one field to change besides the reason")
    check_kept(document.doc_type, data)
    day = data.issued_on if "issued_on" in sent else document.issued_on
    if day and document.expires_on and document.expires_on < day:
        raise InvalidField("issued_on: after the document's expires_on")
    changed = [n for n in EDITABLE if n in sent and getattr(document, n) != getattr(data, n)]
    shown = {
        name: [_plain(getattr(document, name)), _plain(getattr(data, name))]
        for name in changed
        if name not in PARTIES
    }
    for name in changed:
        setattr(document, name, getattr(data, name))
    if changed:
        record(
            session, actor, Action.DOCUMENT_UPDATE, "success", document_target(document),
            decision, fields=changed, changes=shown, reason=data.reason,
        )  # fmt: skip
    return document


def _plain(value: Any) -> Any:
    # JSON form for the audit event: dates ISO, enums their value.
    return value.isoformat() if isinstance(value, date) else value
