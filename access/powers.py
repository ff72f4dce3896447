"""Changes of powers: nobody changes their own, and administrators never come to read content.

Invariants: a user's own roles, clearance, status and department, and every extra rule naming
them or a role they hold, are changed only by someone else (another administrator), so one
administrator alone cannot widen their own powers; nobody holds `admin` together with a role
that reads document content or borrows it, and no rule allowing either names an administrator
or a role an administrator holds, so "administrators read no documents" holds against the
administrators themselves. Every refusal carries its attempt, so it is audited as a denial.
"""

from __future__ import annotations

import uuid
from functools import cache

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from access.authz import POLICY, subject
from access.errors import Forbidden
from storage.models import CasbinRule

ADMIN_ROLE = "admin"
# Either reads document content: directly, or through an approved borrowing.
READS_CONTENT = frozenset({("document", "read_content"), ("borrowing", "request")})


class OwnPowers(Forbidden):
    """A change of the caller's own roles, clearance, status, department or rules."""

    code = "own_powers"


class AdminReadsNoContent(Forbidden):
    """A change that would let an administrator read document content."""

    code = "admin_reads_no_content"


def _held(session: Session, user_id: uuid.UUID) -> set[str]:
    query = select(CasbinRule.v1).where(CasbinRule.ptype == "g", CasbinRule.v0 == subject(user_id))
    return {role for role in session.scalars(query) if role}


@cache
def _base_content_roles() -> frozenset[str]:
    roles = set()
    for line in (POLICY / "policy.csv").read_text().splitlines():
        parts = [part.strip() for part in line.split(",")]
        allows = len(parts) == 6 and parts[0] == "p" and parts[5] == "allow"
        if allows and (parts[3], parts[4]) in READS_CONTENT:
            roles.add(parts[1])
    return frozenset(roles)


def _content_rules(session: Session) -> list[str]:
    # Subjects (roles or users) of the extra rules that allow reading content.
    query = select(CasbinRule.v0).where(
        CasbinRule.ptype == "p", CasbinRule.v4 == "allow", CasbinRule.v0.is_not(None)
    )
    wanted = [(CasbinRule.v2 == obj) & (CasbinRule.v3 == act) for obj, act in READS_CONTENT]
    return [who for who in session.scalars(query.where(or_(*wanted))) if who]


def _reads_content(session: Session, user_id: uuid.UUID) -> bool:
    rules = _content_rules(session)
    roles = _base_content_roles() | {who for who in rules if not who.startswith("user:")}
    return bool(_held(session, user_id) & roles) or subject(user_id) in rules


def _refuse_own(actor_id: uuid.UUID, user_id: uuid.UUID, what: str, step: str) -> None:
    if user_id == actor_id:
        raise OwnPowers(
            f"nobody changes their own {what}; another administrator must",
            ("admin", step),
            f"own {what}",
        )


def check_user_change(actor_id: uuid.UUID, user_id: uuid.UUID, fields: set[str]) -> None:
    """Refuse a change of one's own clearance, status or department."""
    own = sorted(fields & {"clearance", "status", "department_id"})
    if own:
        _refuse_own(actor_id, user_id, ", ".join(own), "update_user")


def check_role(
    session: Session, actor_id: uuid.UUID, user_id: uuid.UUID, role: str, step: str
) -> None:
    """Refuse granting or taking away one's own role, and any role making an admin read content."""
    _refuse_own(actor_id, user_id, "roles", step)
    if step != "grant_role":
        return
    rule = f"{subject(user_id)}: administrators read no document content"
    if role == ADMIN_ROLE and _reads_content(session, user_id):
        raise AdminReadsNoContent(
            "role: this user reads document content, so cannot be an administrator",
            ("admin", step),
            rule,
        )
    content_roles = _base_content_roles() | set(_content_rules(session))
    if role in content_roles and ADMIN_ROLE in _held(session, user_id):
        raise AdminReadsNoContent(
            "role: it reads document content, and this user is an administrator",
            ("admin", step),
            rule,
        )


def check_rule(
    session: Session, actor_id: uuid.UUID, who: str, obj: str, act: str, effect: str, step: str
) -> None:
    """Refuse a rule about oneself or a role one holds, and any letting an admin read content."""
    if who.startswith("user:"):
        _refuse_own(actor_id, uuid.UUID(who.removeprefix("user:")), "rules", step)
    elif who in _held(session, actor_id):
        raise OwnPowers(
            "subject: you hold this role, so another administrator must change its rules",
            ("admin", step),
            f"own role {who}",
        )
    if effect != "allow" or (obj, act) not in READS_CONTENT or step != "add_policy":
        return
    if who.startswith("user:"):
        admin_named = ADMIN_ROLE in _held(session, uuid.UUID(who.removeprefix("user:")))
    else:
        admin_named = who == ADMIN_ROLE or _held_by_an_admin(session, who)
    if admin_named:
        raise AdminReadsNoContent(
            "subject: an administrator would read document content",
            ("admin", step),
            f"{who}: administrators read no document content",
        )


def _held_by_an_admin(session: Session, role: str) -> bool:
    def holders(name: str) -> set[str | None]:
        query = select(CasbinRule.v0).where(CasbinRule.ptype == "g", CasbinRule.v1 == name)
        return set(session.scalars(query))

    return bool(holders(role) & holders(ADMIN_ROLE))
