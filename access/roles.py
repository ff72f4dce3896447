"""Who holds which role where, read from the policy's grouping rules."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from access.authz import department_of, domain, subject
from access.decisions import COMPANY
from storage.models import CasbinRule, User, UserStatus


def roles_of(session: Session, user: User) -> list[str]:
    """The user's roles as `role@domain`, as they stand now (recorded with audit events)."""
    rows = session.execute(
        select(CasbinRule.v1, CasbinRule.v2).where(
            CasbinRule.ptype == "g", CasbinRule.v0 == subject(user.id)
        )
    )
    return sorted(f"{role}@{where}" for role, where in rows)


def roles_held(session: Session, user: User) -> list[tuple[str, uuid.UUID | None]]:
    """The user's roles with the department each is held in (None: company-wide)."""
    rows = session.execute(
        select(CasbinRule.v1, CasbinRule.v2).where(
            CasbinRule.ptype == "g", CasbinRule.v0 == subject(user.id)
        )
    )
    return sorted((str(role), department_of(str(where))) for role, where in rows)


def roles_in(session: Session, user_id: uuid.UUID, department_id: uuid.UUID | None) -> set[str]:
    """The roles a user holds in a department, counting those held company-wide."""
    return set(
        session.scalars(
            select(CasbinRule.v1).where(
                CasbinRule.ptype == "g",
                CasbinRule.v0 == subject(user_id),
                CasbinRule.v2.in_([domain(department_id), COMPANY]),
            )
        )
    )


def holders(session: Session, role: str, department_id: uuid.UUID | None) -> list[uuid.UUID]:
    """The active users holding `role` in a department or company-wide."""
    subjects = session.scalars(
        select(CasbinRule.v0).where(
            CasbinRule.ptype == "g",
            CasbinRule.v1 == role,
            CasbinRule.v2.in_([domain(department_id), COMPANY]),
        )
    )
    ids = {uuid.UUID(s.removeprefix("user:")) for s in subjects if s and s.startswith("user:")}
    active = select(User.id).where(User.id.in_(ids), User.status == UserStatus.active)
    return sorted(session.scalars(active))
