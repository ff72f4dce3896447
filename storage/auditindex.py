"""An audit event's body format, and the index columns derived from it.

Invariants: the index is a pure function of the hashed body, so whoever must not trust the
stored columns (the chain does not cover them) recomputes it; every body gets an index,
whatever its bytes: a field that cannot be read gets a marker (null for ids and time, the
names below for action and outcome) and a reason, and such an event is chained and quarantined,
never dropped or left pending; reasons name fields, never content.
"""

from __future__ import annotations

import json
import uuid
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from storage.auditnames import Action

UNREADABLE_ACTION = Action.QUARANTINED  # the action column when the body names none
UNREADABLE_OUTCOME = "quarantined"  # the outcome column when the body names none
# The widths of the action and outcome columns: a longer name cannot be stored.
ACTION_WIDTH, OUTCOME_WIDTH = 64, 16


def canonical(value: dict[str, Any]) -> bytes:
    """Canonical JSON: sorted keys, no spaces, UTF-8, no floats (architecture §6)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def timestamp(moment: datetime) -> str:
    """UTC time as ISO 8601 with microseconds and `Z`."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Index:
    """What the index columns of one event say, and why any of them is a marker."""

    at: datetime | None
    actor_id: uuid.UUID | None
    customer_id: uuid.UUID | None
    document_id: uuid.UUID | None
    action: str
    outcome: str
    problems: tuple[str, ...] = ()
    # Canonical JSON of an object: one line that verify.py reads, so exports may show it.
    readable: bool = True

    def agrees_with(self, row: Any) -> bool:
        """Whether stored index columns say what the body says (`at` only where it has one)."""
        return (
            (self.at is None or self.at == row.at)
            and (self.actor_id, self.customer_id, self.document_id)
            == (row.actor_id, row.customer_id, row.document_id)
            and (self.action, self.outcome) == (row.action, row.outcome)
        )


def index(body: bytes, *, strict: bool = True) -> Index:
    """The index of an event body; never raises, whatever the bytes.

    Not `strict`, the costly check that the body is canonical JSON is left to the caller
    (`is_canonical`), which needs it only for the few events an export shows.
    """
    try:
        event = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return _unreadable("not JSON")
    if not isinstance(event, dict):
        return _unreadable("not a JSON object")
    problems: list[str] = []
    readable = not strict or is_canonical(event, body)
    if not readable:
        problems.append("not canonical JSON")
    actor, target = _part(event, "actor", problems), _part(event, "target", problems)
    at = _moment(event.get("at"), problems)
    actor_id = _id(actor, "id", "actor.id", problems)
    customer_id = _id(target, "customer", "target.customer", problems)
    document_id = _id(target, "document", "target.document", problems)
    action = _name(event.get("action"), ACTION_WIDTH, "action", problems)
    outcome = _name(event.get("outcome"), OUTCOME_WIDTH, "outcome", problems)
    return Index(
        at,
        actor_id,
        customer_id,
        document_id,
        action or UNREADABLE_ACTION,
        outcome or UNREADABLE_OUTCOME,
        tuple(problems),
        readable,
    )


def is_canonical(event: dict[str, Any], body: bytes) -> bool:
    """Whether `body` is exactly the canonical JSON of `event`, parsed from it."""
    try:
        return canonical(event) == body
    except (ValueError, RecursionError):  # e.g. a lone surrogate cannot be encoded
        return False


def _unreadable(problem: str) -> Index:
    return Index(
        None, None, None, None, UNREADABLE_ACTION, UNREADABLE_OUTCOME, (problem,), readable=False
    )


def _part(event: dict[str, Any], name: str, problems: list[str]) -> dict[str, Any]:
    value = event.get(name)
    if isinstance(value, dict):
        return value
    if value is not None:
        problems.append(f"{name} is not an object")
    return {}


def _moment(value: Any, problems: list[str]) -> datetime | None:
    moment = None
    # Out of range once in UTC (year 1 at +14:00) is refused too: the column holds UTC.
    with suppress(ValueError, OverflowError):
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
        if parsed is not None and parsed.tzinfo is not None:
            moment = parsed.astimezone(UTC)
    if moment is None:
        problems.append("at is not a UTC time")
    return moment


def _id(part: dict[str, Any], key: str, name: str, problems: list[str]) -> uuid.UUID | None:
    value = part.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        with suppress(ValueError):
            return uuid.UUID(value)
    problems.append(f"{name} is not a UUID")
    return None


def _name(value: Any, width: int, name: str, problems: list[str]) -> str | None:
    # Names of the domain are printable ASCII; that also keeps out what PostgreSQL text cannot
    # hold (NUL, lone surrogates), which would stop the whole batch.
    if (
        isinstance(value, str)
        and 0 < len(value) <= width
        and value.isascii()
        and value.isprintable()
    ):
        return value
    problems.append(f"{name} is missing or not a name")
    return None
