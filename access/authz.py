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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import casbin
from casbin import persist
from casbin_sqlalchemy_adapter import Adapter
from sqlalchemy import ColumnElement, Engine, and_, false, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from access import searching
from access.decisions import COMPANY, CasbinRequest, Enforcer, Rules
from access.errors import Forbidden, Hidden
from storage.auditnames import Action
from storage.models import (
    CasbinRule,
    Department,
    Document,
    PolicyRevision,
    Secrecy,
    User,
)

POLICY = Path(__file__).parent / "policy"
_DEPARTMENT = "dept:"  # the domain of a department: this prefix and its id
POLICY_CHANGED = "policy_changed"  # in Session.info: this transaction bumped the revision
REVISION_READ = "policy_revision"  # in Session.info: the revision read with the request's token
# The audit name of every action the policy knows.
EVENTS: dict[tuple[str, str], Action] = {
    ("customer", "read"): Action.CUSTOMER_READ,
    ("customer", "create"): Action.CUSTOMER_CREATE,
    ("customer", "update"): Action.CUSTOMER_UPDATE,
    ("customer", "export"): Action.CUSTOMER_EXPORT,
    ("customer", "reassign"): Action.CUSTODIAN_REASSIGN,
    ("customer", "read_credit"): Action.PROFILE_READ,
    ("customer", "review_figures"): Action.STATEMENT_REVIEW,
    ("customer", "rate"): Action.RATING_CREATE,
    ("customer", "change_status"): Action.CUSTOMER_STATUS,
    ("contract", "read"): Action.CONTRACT_READ,
    ("contract", "create"): Action.CONTRACT_CREATE,
    ("contract", "update"): Action.CONTRACT_UPDATE,
    ("contract", "report"): Action.CONTRACT_REPORT,
    ("disposal", "read"): Action.DISPOSAL_READ,
    ("disposal", "request"): Action.DISPOSAL_REQUEST,
    ("disposal", "approve"): Action.DISPOSAL_APPROVE,
    ("disposal", "refuse"): Action.DISPOSAL_REFUSE,
    ("disposal", "execute"): Action.DISPOSAL_EXECUTE,
    ("document", "read"): Action.DOCUMENT_READ,
    ("document", "create"): Action.DOCUMENT_UPLOAD,
    ("document", "update"): Action.DOCUMENT_UPDATE,
    ("customer", "propose_secrecy"): Action.SECRECY_PROPOSE,
    ("document", "propose_secrecy"): Action.SECRECY_PROPOSE,
    ("customer", "approve_secrecy"): Action.SECRECY_APPROVE,
    ("document", "approve_secrecy"): Action.SECRECY_APPROVE,
    ("customer", "mark_important"): Action.CUSTOMER_IMPORTANT,
    ("document", "read_content"): Action.CONTENT_READ,
    ("document", "change_secrecy"): Action.SECRECY_CHANGE,
    ("document", "file_original"): Action.ORIGINAL_FILE,
    ("document", "file"): Action.DOCUMENT_FILE,
    ("customer", "hold"): Action.HOLD_SET,
    ("document", "hold"): Action.HOLD_SET,
    ("document", "review_retention"): Action.DISPOSAL_LIST,
    ("admin", "manage"): Action.ADMIN_MANAGE,
    ("audit", "read"): Action.AUDIT_READ,
    ("audit", "export"): Action.AUDIT_EXPORT,
    ("borrowing", "request"): Action.BORROWING_REQUEST,
    ("borrowing", "manage"): Action.REGISTER_MANAGE,
    ("handover", "open"): Action.HANDOVER_OPEN,
}
# Steps that their own rules decide rather than the policy, named for the audit log.
STEPS: dict[tuple[str, str], Action] = {
    ("borrowing", "read"): Action.BORROWING_READ,
    ("borrowing", "approve"): Action.BORROWING_APPROVE,
    ("borrowing", "reject"): Action.BORROWING_REJECT,
    ("borrowing", "extend"): Action.EXTENSION_REQUEST,
    ("borrowing", "hand_out"): Action.HAND_OUT,
    ("borrowing", "return"): Action.RETURN,
    ("borrowing", "revoke"): Action.REVOKE,
    ("borrowing", "missing"): Action.MISSING,
    ("handover", "read"): Action.HANDOVER_READ,
    ("handover", "search"): Action.HANDOVER_SEARCH,
    ("customer", "search"): Action.CUSTOMER_SEARCH,
    ("customer", "read_history"): Action.CUSTOMER_HISTORY,
    ("customer", "read_completeness"): Action.COMPLETENESS_READ,
    ("customer", "read_deadlines"): Action.DEADLINE_READ,
    ("document", "search"): Action.DOCUMENT_SEARCH,
    ("contract", "search"): Action.CONTRACT_SEARCH,
    ("contract", "link"): Action.CONTRACT_LINK,
    ("borrowing", "search"): Action.BORROWING_SEARCH,
    ("statement", "search"): Action.STATEMENT_SEARCH,
    ("extraction", "search"): Action.EXTRACTION_SEARCH,
    ("rating", "search"): Action.RATING_SEARCH,
    ("handover", "confirm"): Action.HANDOVER_CONFIRM,
    ("handover", "cancel"): Action.HANDOVER_CANCEL,
    ("handover", "print"): Action.HANDOVER_PRINT,
    ("incident", "read"): Action.INCIDENT_READ,
    ("incident", "resolve"): Action.INCIDENT_RESOLVE,
    ("customer", "lift_hold"): Action.HOLD_LIFT,
    ("document", "lift_hold"): Action.HOLD_LIFT,
    ("customer", "read_holds"): Action.HOLD_SEARCH,
    ("document", "read_holds"): Action.HOLD_SEARCH,
    ("admin", "update_user"): Action.USER_UPDATE,
    ("admin", "grant_role"): Action.ROLE_GRANT,
    ("admin", "revoke_role"): Action.ROLE_REVOKE,
    ("admin", "add_policy"): Action.POLICY_ADD,
    ("admin", "delete_policy"): Action.POLICY_DELETE,
}
# What a refused attempt is recorded as.
NAMED = {**EVENTS, **STEPS, ("auth", "password"): Action.PASSWORD_CHANGE}
ACTIONS: dict[str, tuple[str, ...]] = {}
for _obj, _act in EVENTS:
    ACTIONS[_obj] = (*ACTIONS.get(_obj, ()), _act)


def subject(user_id: uuid.UUID) -> str:
    """The Casbin subject of a user."""
    return f"user:{user_id}"


def domain(department_id: uuid.UUID | None) -> str:
    """The Casbin domain of a department; None is the whole company."""
    return COMPANY if department_id is None else f"{_DEPARTMENT}{department_id}"


def department_of(where: str) -> uuid.UUID | None:
    """The department a Casbin domain stands for; None for the whole company."""
    return None if where == COMPANY else uuid.UUID(where.removeprefix(_DEPARTMENT))


class _Adapter(Adapter):  # type: ignore[misc]  # the adapter ships without type hints
    """Loads the base policy from git, then the rules and role assignments in the database."""

    def load_policy(self, model: casbin.Model) -> None:
        for line in (POLICY / "policy.csv").read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                persist.load_policy_line(line, model)
        super().load_policy(model)


class Authorizer:
    """The rules of this process, reloaded when the policy revision changes."""

    def __init__(self, engine: Engine) -> None:
        self._adapter = _Adapter(engine, db_class=CasbinRule, create_all_models=False)
        self._lock = threading.Lock()
        self._loaded: tuple[int, Rules] | None = None

    def known(self, session: Session) -> Rules | None:
        """The rules in force if known without I/O: the revision read with the token is loaded."""
        revision, loaded = _revision_read(session), self._loaded
        if revision is not None and loaded is not None and loaded[0] == revision:
            return loaded[1]
        return None

    def rules(self, session: Session) -> Rules:
        """The rules as committed now (as read with the request's token, if it was)."""
        revision = _revision_read(session)
        if revision is None:
            revision = session.scalar(select(PolicyRevision.revision)) or 0
        loaded = self._loaded
        if loaded is not None and loaded[0] == revision:
            return loaded[1]
        with self._lock:
            # Fresh rules are swapped in whole, so concurrent requests never see half a load.
            fresh = Rules(Enforcer(str(POLICY / "model.conf"), self._adapter))
            self._loaded = (revision, fresh)
            return fresh


def _revision_read(session: Session) -> int | None:
    # Read with the request's token (identity.user_for_token), unless this transaction has
    # changed the policy since.
    return None if session.info.get(POLICY_CHANGED) else session.info.get(REVISION_READ)


@dataclass(frozen=True)
class Access:
    """One user under the policy in force: the questions every door asks about them."""

    rules: Rules
    user: User

    def _request(
        self, department_id: uuid.UUID | None, obj: str, act: str, secrecy: str
    ) -> CasbinRequest:
        # The one shape of every Casbin request (model.conf's request_definition).
        clearance, level = Secrecy(self.user.clearance).rank, Secrecy(secrecy).rank
        return subject(self.user.id), domain(department_id), obj, act, clearance, level

    def allowed(
        self, department_id: uuid.UUID | None, obj: str, act: str, secrecy: str = Secrecy.public
    ) -> bool:
        """Whether the user may `act` on an `obj` of this department and secrecy."""
        return self.decide(department_id, obj, act, secrecy)[0]

    def decide(
        self, department_id: uuid.UUID | None, obj: str, act: str, secrecy: str = Secrecy.public
    ) -> tuple[bool, str]:
        """The same question, with the rule that answered it (for the audit log)."""
        return self.rules.decide(self._request(department_id, obj, act, secrecy))

    def require(
        self, department_id: uuid.UUID | None, obj: str, act: str, secrecy: str = Secrecy.public
    ) -> str:
        """Refuse with 403 unless allowed; returns the allowing rule."""
        ok, rule = self.decide(department_id, obj, act, secrecy)
        if not ok:
            raise Forbidden(f"not allowed to {act.replace('_', ' ')} this {obj}", (obj, act), rule)
        return rule

    def require_known(
        self, department_id: uuid.UUID | None, obj: str, act: str, secrecy: str
    ) -> str:
        """For an existing object: 404 unless the user may know it exists, then 403 unless `act`."""
        ok, rule = self.decide(department_id, obj, "read", secrecy)
        if not ok:
            raise Hidden(f"no such {obj}", (obj, act), rule)
        return self.require(department_id, obj, act, secrecy)

    def roles_in(self, department_id: uuid.UUID | None) -> frozenset[str]:
        """The roles the user holds in a department, counting those held company-wide."""
        here = {COMPANY, domain(department_id)}
        held = (r.rpartition("@") for r in self.rules.roles_of(subject(self.user.id)))
        return frozenset(role for role, _, where in held if where in here)

    def readable_documents(self, department_id: uuid.UUID) -> ColumnElement[bool]:
        """The SQL condition for one department's documents the user may know exist.

        Whatever is derived from a document (statements, figures, extractions, ratings) is
        shown only where this holds, so it can never be seen by someone the document is not.
        """
        levels = [s.value for s in Secrecy if self.allowed(department_id, "document", "read", s)]
        return Document.secrecy.in_(levels) if levels else false()

    def content_readable(self, session: Session, now: datetime) -> Callable[[Document], bool]:
        """A test of whether the user may read a document's content now (`access.searching`)."""
        return searching.content_readable(session, self, now)

    def visible(
        self,
        session: Session,
        obj: str,
        department: InstrumentedAttribute[uuid.UUID],
        secrecy: InstrumentedAttribute[str],
        act: str = "read",
        departments: Sequence[uuid.UUID] | None = None,
    ) -> ColumnElement[bool]:
        """The SQL condition for rows the user may `act` on, asked of the enforcer pair by pair
        (`departments`: all of them, if already read)."""
        if departments is None:
            departments = list(session.scalars(select(Department.id)))
        terms = []
        for level in Secrecy:
            where = [d for d in departments if self.allowed(d, obj, act, level)]
            if where:
                terms.append(and_(secrecy == level.value, department.in_(where)))
        return or_(*terms) if terms else false()


def bump_revision(session: Session) -> None:
    """Record that the policy changed, so every worker reloads it on its next request."""
    session.info[POLICY_CHANGED] = True
    if session.get(PolicyRevision, 1) is None:
        session.add(PolicyRevision(id=1, revision=1))
    else:
        session.execute(
            update(PolicyRevision)
            .where(PolicyRevision.id == 1)
            .values(revision=PolicyRevision.revision + 1)
        )
    session.flush()
