"""A customer's lifecycle: which moves between statuses are allowed, and who may make each.

Invariants: a move not in `TRANSITIONS` is refused whoever asks (409, naming the move), so
the table is the whole lifecycle; a move in it is made only by someone holding one of its roles
in the customer's department or company-wide, on top of the policy's `change_status` right
(which keeps deny rules in force), so a role granted that right by an extra rule still cannot
make a move the table does not give it (fail closed).
"""

from __future__ import annotations

from collections.abc import Set

from ingest.errors import RoleRequired
from storage.errors import Conflict
from storage.models import CustomerStatus as S

CREDIT, HEAD, DIRECTOR = "credit_manager", "dept_head", "marketing_director"
# (from, to): the roles that may make the move. Credit decisions are the credit manager's
# (000, 003 篇5: survey, approval, re-review by grade); a department head answers for the
# department's customers; the marketing director for the company's dealings with one
# (004 §5.2.2). Blacklisting bars a customer company-wide, so it is the credit manager's or the
# marketing director's, and lifting it is the marketing director's alone (ours: the seeds name
# no one; DOMAIN.md leaves it open).
TRANSITIONS: dict[tuple[S, S], frozenset[str]] = {
    # Credit approved (客户信用审批表): the prospect becomes a customer.
    (S.prospect, S.active): frozenset({CREDIT, HEAD}),
    (S.prospect, S.terminated): frozenset({HEAD, DIRECTOR}),
    # Re-review by grade, or after an early warning (002 §4).
    (S.active, S.under_review): frozenset({CREDIT, HEAD}),
    (S.under_review, S.active): frozenset({CREDIT}),
    (S.active, S.suspended): frozenset({CREDIT, HEAD}),
    (S.under_review, S.suspended): frozenset({CREDIT, HEAD}),
    (S.suspended, S.under_review): frozenset({CREDIT, HEAD}),
    (S.suspended, S.active): frozenset({CREDIT}),
    (S.active, S.blacklisted): frozenset({CREDIT, DIRECTOR}),
    (S.under_review, S.blacklisted): frozenset({CREDIT, DIRECTOR}),
    (S.suspended, S.blacklisted): frozenset({CREDIT, DIRECTOR}),
    (S.blacklisted, S.under_review): frozenset({DIRECTOR}),
    # Ending the cooperation; one file per code (一户一档), so a returning customer reopens it.
    (S.active, S.terminated): frozenset({HEAD, DIRECTOR}),
    (S.under_review, S.terminated): frozenset({HEAD, DIRECTOR}),
    (S.suspended, S.terminated): frozenset({HEAD, DIRECTOR}),
    (S.blacklisted, S.terminated): frozenset({DIRECTOR}),
    (S.terminated, S.prospect): frozenset({HEAD, DIRECTOR}),
}


def next_statuses(current: S) -> list[S]:
    """Where a customer may move from `current`, in the lifecycle's order."""
    return [to for to in S if (current, to) in TRANSITIONS]


def choices(current: S, roles: Set[str]) -> list[S]:
    """The moves from `current` that someone holding `roles` may make."""
    return [to for to in next_statuses(current) if TRANSITIONS[current, to] & roles]


def check_move(current: S, wanted: S, roles: Set[str]) -> None:
    """Refuse a move the lifecycle lacks (409) or one `roles` may not make (403)."""
    allowed = TRANSITIONS.get((current, wanted))
    move = f"{current.value} → {wanted.value}"
    if allowed is None:
        onward = ", ".join(s.value for s in next_statuses(current)) or "none"
        raise Conflict(
            f"status: {move} is not a move the lifecycle allows (from {current.value}: {onward})",
            reason="status_transition",
        )
    if not allowed & roles:
        raise RoleRequired(
            f"status: {move} is made by {' or '.join(sorted(allowed))} only",
            ("customer", "change_status"),
            f"lifecycle: {move} needs {', '.join(sorted(allowed))}",
            reason="status_role",
        )
