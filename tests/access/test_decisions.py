"""Dangan's decisions equal Casbin's own over the whole policy, whatever the policy holds: the
rules it hands the matcher (those of the request's object, action and department) lose none
that could match, and the answers it remembers are the answers Casbin gives."""

from __future__ import annotations

import tempfile
from pathlib import Path

import casbin
from hypothesis import given, settings
from hypothesis import strategies as st

from access.authz import POLICY
from access.decisions import COMPANY, Enforcer, Rules

USERS = ["user:a", "user:b", "user:c"]
ROLES = ["sales", "archivist", "dept_head", "auditor", "reviewer"]
DOMAINS = [COMPANY, "dept:1", "dept:2"]
OBJECTS = [("customer", "read"), ("document", "read"), ("document", "read_content")]

grants = st.lists(
    st.tuples(st.sampled_from(USERS + ROLES), st.sampled_from(ROLES), st.sampled_from(DOMAINS)),
    max_size=12,
)  # users hold roles, and roles roles, in a department or company-wide
rules = st.lists(
    st.tuples(
        st.sampled_from(ROLES),
        st.sampled_from(DOMAINS),
        st.sampled_from(OBJECTS),
        st.sampled_from(["allow", "deny"]),
    ),
    max_size=12,
)
requests = st.lists(
    st.tuples(
        st.sampled_from(USERS),
        st.sampled_from(DOMAINS[1:]),
        st.sampled_from(OBJECTS),
        st.integers(0, 3),
        st.integers(0, 3),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(grants, rules, requests)
def test_a_decision_is_what_casbin_decides_over_every_rule(
    held: list[tuple[str, str, str]],
    extra: list[tuple[str, str, tuple[str, str], str]],
    asked: list[tuple[str, str, tuple[str, str], int, int]],
) -> None:
    lines = [
        line
        for line in (POLICY / "policy.csv").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    lines += [f"g, {who}, {role}, {where}" for who, role, where in held]
    lines += [f"p, {role}, {where}, {obj}, {act}, {eft}" for role, where, (obj, act), eft in extra]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "policy.csv"
        path.write_text("\n".join(lines) + "\n")
        model = str(POLICY / "model.conf")
        ours, theirs = Rules(Enforcer(model, str(path))), casbin.Enforcer(model, str(path))
    for who, where, (obj, act), clearance, level in asked:
        request = (who, where, obj, act, clearance, level)
        expected = theirs.enforce(*request)
        assert ours.decide(request)[0] == expected, request
        assert ours.decide(request)[0] == expected  # remembered, unchanged
