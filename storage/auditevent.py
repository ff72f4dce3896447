"""How an audit event is written: the actor, the targets, and the one function that records.

Invariants: every recorded action is a member of `auditnames.Action` (`record` refuses any
other name, so a test that records one fails; `auditlog.append` is called only here); an event
names people and objects by id with their names as they read at the time (names change later,
the event keeps what was true); it carries no document content, password or token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from storage import auditlog
from storage.auditnames import Action
from storage.models import Contract, Customer, Document, User


@dataclass(frozen=True)
class Actor:
    """Who acts and from where, as they stood when the request began; built once per request."""

    id: str | None
    username: str | None = None
    name: str | None = None
    department: str | None = None
    department_name: str | None = None
    roles: tuple[str, ...] = ()
    clearance: str | None = None
    client: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def of(cls, user: User, roles: list[str], client: dict[str, str | None]) -> Actor:
        """A signed-in user with the roles the request was decided by."""
        return cls(
            id=str(user.id),
            username=user.username,
            name=user.display_name,
            department=str(user.department_id) if user.department_id else None,
            department_name=user.department.name if user.department else None,
            roles=tuple(roles),
            clearance=user.clearance,
            client=client,
        )

    @classmethod
    def local(cls, command: str) -> Actor:
        """The operator at this machine's command line, who signs in to nothing."""
        return cls(id=None, client={"address": "local", "command": command})

    def person(self) -> dict[str, Any] | None:
        """The event's `actor`: None for the local operator."""
        if self.id is None:
            return None
        return {
            "id": self.id,
            "username": self.username,
            "name": self.name,
            "department": self.department,
            "department_name": self.department_name,
            "roles": list(self.roles),
            "clearance": self.clearance,
        }


def record(
    session: Session,
    actor: Actor,
    action: Action,
    outcome: str,
    target: dict[str, Any] | None = None,
    decision: dict[str, Any] | None = None,
    **extra: Any,
) -> None:
    """Append one event to the session's transaction; it commits with what it records."""
    action = Action(action)  # a name outside the vocabulary is a programming error: ValueError
    auditlog.append(
        session,
        {
            "action": action,
            "outcome": outcome,
            "actor": actor.person(),
            "target": target or {},
            "decision": decision or {},
            "client": actor.client,
            **extra,
        },
    )


def customer_target(customer: Customer) -> dict[str, Any]:
    """The audit target of a customer file, named as it is now."""
    return {
        "customer": str(customer.id),
        "customer_name": customer.name,
        "secrecy": customer.secrecy,
    }


def contract_target(contract: Contract) -> dict[str, Any]:
    """The audit target of a contract of the ledger: its customer's file, and its number."""
    return {
        **customer_target(contract.customer),
        "contract": str(contract.id),
        "contract_number": contract.number,
    }


def document_target(document: Document, version: int | None = None) -> dict[str, Any]:
    """The audit target of a document (and one of its versions), named as it is now."""
    return {
        "customer": str(document.customer_id),
        "customer_name": document.customer.name,
        "document": str(document.id),
        "title": document.title,
        "version": version,
        "secrecy": document.secrecy,
    }


def record_search(
    session: Session,
    actor: Actor,
    action: Action,
    found: int,
    customer: Any = None,
    decision: dict[str, Any] | None = None,
    /,  # the filter's own names come in `asked`
    **asked: Any,
) -> None:
    """Record a list or search: the filter asked (`asked`, unset ones left out) and how many
    it found, never the rows; `customer`, when the list is of one customer's file."""
    target = {"customer": str(customer)} if customer is not None else {}
    wanted = {name: str(value) for name, value in asked.items() if value is not None}
    record(session, actor, action, "success", target, decision, filter=wanted, results=found)
