"""Who may do what: the Casbin enforcer (one door for single objects) and the one list filter.

Invariants: the domain (department) and secrecy of a request come from the database row, never
from the request; a forbidden object answers like an absent one (404) unless the caller may see
it exists; the list filter is derived by asking the enforcer about every (department, secrecy)
pair, so it cannot disagree with it; every worker reloads the policy on the first request after
a change, because every change bumps a revision counter in the database.
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import casbin
from casbin import persist
from casbin_sqlalchemy_adapter import Adapter
from sqlalchemy import ColumnElement, Engine, and_, false, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from access.errors import Forbidden
from storage.errors import NotFound
from storage.models import CasbinRule, Department, PolicyRevision, Secrecy, User

POLICY = Path(__file__).parent / "policy"
COMPANY = "*"  # the domain of company-wide roles and rules
ACTIONS = {
    "customer": ("read", "create", "update"),
    "document": ("read", "create", "read_content", "change_secrecy"),
    "admin": ("manage",),
    "audit": ("read", "export"),
}


def subject(user_id: uuid.UUID) -> str:
    """The Casbin subject of a user."""
    return f"user:{user_id}"


def domain(department_id: uuid.UUID | None) -> str:
    """The Casbin domain of a department; None is the whole company."""
    return COMPANY if department_id is None else f"dept:{department_id}"


class _Adapter(Adapter):  # type: ignore[misc]  # the adapter ships without type hints
    """Loads the base policy from git, then the rules and role assignments in the database."""

    def load_policy(self, model: casbin.Model) -> None:
        for line in (POLICY / "policy.csv").read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                persist.load_policy_line(line, model)
        super().load_policy(model)


class Authorizer:
    """The enforcer of this process, reloaded when the policy revision changes."""

    def __init__(self, engine: Engine) -> None:
        self._adapter = _Adapter(engine, db_class=CasbinRule, create_all_models=False)
        self._lock = threading.Lock()
        self._loaded: tuple[int, casbin.Enforcer] | None = None

    def enforcer(self, session: Session) -> casbin.Enforcer:
        """The enforcer for the policy as committed now."""
        revision = session.scalar(select(PolicyRevision.revision)) or 0
        loaded = self._loaded
        if loaded is not None and loaded[0] == revision:
            return loaded[1]
        with self._lock:
            # A fresh enforcer is swapped in whole, so concurrent requests never see half a load.
            fresh = casbin.Enforcer(str(POLICY / "model.conf"), self._adapter)
            self._loaded = (revision, fresh)
            return fresh


def allowed(
    enforcer: casbin.Enforcer,
    user: User,
    department_id: uuid.UUID | None,
    obj: str,
    act: str,
    secrecy: str = Secrecy.public,
) -> bool:
    """Whether the user may `act` on an `obj` of this department and secrecy."""
    clearance, level = Secrecy(user.clearance).rank, Secrecy(secrecy).rank
    return bool(
        enforcer.enforce(subject(user.id), domain(department_id), obj, act, clearance, level)
    )


def require(
    enforcer: casbin.Enforcer,
    user: User,
    department_id: uuid.UUID | None,
    obj: str,
    act: str,
    secrecy: str = Secrecy.public,
) -> None:
    """Refuse with 403 unless the user may `act` on such an object."""
    if not allowed(enforcer, user, department_id, obj, act, secrecy):
        raise Forbidden(f"not allowed to {act.replace('_', ' ')} this {obj}")


def require_known(
    enforcer: casbin.Enforcer,
    user: User,
    department_id: uuid.UUID | None,
    obj: str,
    act: str,
    secrecy: str,
) -> None:
    """For an existing object: 404 unless the user may know it exists, then 403 unless `act`."""
    if not allowed(enforcer, user, department_id, obj, "read", secrecy):
        raise NotFound(f"no such {obj}")
    require(enforcer, user, department_id, obj, act, secrecy)


def visible(
    session: Session,
    enforcer: casbin.Enforcer,
    user: User,
    obj: str,
    department: InstrumentedAttribute[uuid.UUID],
    secrecy: InstrumentedAttribute[str],
) -> ColumnElement[bool]:
    """The SQL condition for rows the user may read, asked of the enforcer pair by pair."""
    departments = list(session.scalars(select(Department.id)))
    terms = []
    for level in Secrecy:
        where = [d for d in departments if allowed(enforcer, user, d, obj, "read", level)]
        if where:
            terms.append(and_(secrecy == level.value, department.in_(where)))
    return or_(*terms) if terms else false()


def bump_revision(session: Session) -> None:
    """Record that the policy changed, so every worker reloads it on its next request."""
    if session.get(PolicyRevision, 1) is None:
        session.add(PolicyRevision(id=1, revision=1))
    else:
        session.execute(
            update(PolicyRevision)
            .where(PolicyRevision.id == 1)
            .values(revision=PolicyRevision.revision + 1)
        )
    session.flush()


def roles_of(session: Session, user: User) -> list[str]:
    """The user's roles as `role@domain`, as they stand now (recorded with audit events)."""
    rows = session.execute(
        select(CasbinRule.v1, CasbinRule.v2).where(
            CasbinRule.ptype == "g", CasbinRule.v0 == subject(user.id)
        )
    )
    return sorted(f"{role}@{where}" for role, where in rows)
