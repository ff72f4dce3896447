"""Casbin's answers, asked quickly and remembered: the matcher is handed only the rules that
can match a request, and each answer is kept for the loaded policy.

Invariants: an answer is the one Casbin's enforcer gives over the whole policy (the rules left
out cannot match under model.conf: another object, action or department, or a role the subject
does not hold; tests/access/test_decisions.py compares them); a remembered answer is never
stale, since a policy change loads new Rules.
"""

from __future__ import annotations

import ast
import re
import threading
from typing import Any

import casbin
from casbin.util.expression import SimpleEval

COMPANY = "*"  # the domain of company-wide roles and rules
# subject, domain, object, action, clearance rank, secrecy rank (model.conf's request_definition)
CasbinRequest = tuple[str, str, str, str, int, int]
MAX_ANSWERS = 100_000  # remembered policy answers per process
_PARSED: dict[str, ast.expr] = {}  # matchers, parsed


class Enforcer(casbin.Enforcer):  # type: ignore[misc]  # casbin ships without type hints
    """Casbin's enforcer, its matcher parsed once instead of at every question (0.8 ms each)."""

    @staticmethod
    def _get_expression(expr: str, functions: Any = None) -> SimpleEval:
        # As casbin.CoreEnforcer._get_expression, with the parsed expression kept.
        parsed = _PARSED.get(expr)
        if parsed is None:
            text = re.sub(r"!(?!=)", "not ", expr.replace("&&", "and").replace("||", "or"))
            parsed = _PARSED[expr] = ast.parse(text.strip()).body[0].value  # type: ignore[attr-defined]
        evaluator = SimpleEval("", functions)
        evaluator.expr, evaluator.ast_parsed_value = expr, parsed
        return evaluator


class Rules:
    """The policy loaded at one revision, with its answers remembered."""

    def __init__(self, enforcer: casbin.Enforcer) -> None:
        self.enforcer = enforcer
        self._answers: dict[CasbinRequest, tuple[bool, str]] = {}
        self._roles: dict[str, list[str]] | None = None
        # The rules of each object, action and department (or the company), with their place
        # in the policy: the matcher (r.obj == p.obj && r.act == p.act, p.dom "*" or r.dom) is
        # asked about those alone, not about every rule of a policy that grows with the
        # departments (at 10,000 rules, tens of milliseconds an answer).
        self._of: dict[tuple[str, str, str], list[tuple[int, list[str]]]] = {}
        for place, rule in enumerate(enforcer.get_policy()):
            self._of.setdefault((rule[2], rule[3], rule[1]), []).append((place, rule))
        # pycasbin's domain role manager ships an equality "pattern" function that makes it
        # compare every role with every other as it builds a department's links (quadratic);
        # without one, names are compared for equality all the same, directly.
        enforcer.get_role_manager().add_matching_func(None)
        # The policy is narrowed for each question, and CPython 3.11's parser is not safe
        # across threads (a 500 seen in CI): the matcher is asked by one thread at a time.
        self._asking = threading.Lock()

    def roles_of(self, sub: str) -> list[str]:
        """The subject's roles as `role@domain` in this policy (as `roles_of` reads them)."""
        roles = self._roles
        if roles is None:  # built once per loaded policy, swapped in whole
            found: dict[str, list[str]] = {}
            for who, role, where in self.enforcer.get_grouping_policy():
                found.setdefault(who, []).append(f"{role}@{where}")
            roles = self._roles = {who: sorted(held) for who, held in found.items()}
        return list(roles.get(sub, []))

    def decide(self, request: CasbinRequest) -> tuple[bool, str]:
        """Whether the request is allowed, and the rule that allowed it or why not."""
        answer = self._answers.get(request)
        if answer is None:
            if len(self._answers) >= MAX_ANSWERS:
                self._answers.clear()  # bounded memory; they are recomputed as asked
            answer = self._answers[request] = self._ask(request)
        return answer

    def _candidates(self, sub: str, dom: str, obj: str, act: str) -> list[list[str]]:
        """The rules that can match, in policy order: of the object and action, in the
        department or company-wide, for a role the subject holds there or company-wide
        (inherited roles too, as Casbin's role manager follows them for the two `g` terms)."""
        held = set(self.enforcer.get_implicit_roles_for_user(sub, dom))
        held.update(self.enforcer.get_implicit_roles_for_user(sub, COMPANY))
        places = self._of.get((obj, act, COMPANY), [])
        if dom != COMPANY:
            places = sorted(places + self._of.get((obj, act, dom), []))
        return [rule for _, rule in places if rule[0] in held]

    def _ask(self, request: CasbinRequest) -> tuple[bool, str]:
        sub, dom, obj, act, clearance, level = request
        candidates = self._candidates(sub, dom, obj, act)
        policy = self.enforcer.model.model["p"]["p"]
        with self._asking:
            everything, policy.policy = policy.policy, candidates
            try:
                result, rule = self.enforcer.enforce_ex(*request)
            finally:
                policy.policy = everything
        if result:
            return True, _allowing_rule(self.enforcer, candidates, sub, dom, obj, act)
        if clearance < level:
            return False, "clearance below secrecy"
        return False, ", ".join(rule) if rule else "no rule allows"


def _allowing_rule(
    enforcer: casbin.Enforcer, rules: list[list[str]], sub: str, dom: str, obj: str, act: str
) -> str:
    # Casbin explains only denials under deny-override; the first allow rule the matcher would
    # have matched is the one recorded (the matcher itself has already decided).
    links = enforcer.get_role_manager()
    for rule in rules:
        role, where, kind, verb, effect = rule
        applies = (effect, kind, verb) == ("allow", obj, act) and where in (COMPANY, dom)
        if applies and (links.has_link(sub, role, dom) or links.has_link(sub, role, COMPANY)):
            return ", ".join(rule)
    return "allowed"
