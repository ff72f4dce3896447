"""Approval rules of borrowing: the defaults follow docs/domain.md; a bad file stops the start."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from access.rules import InvalidRules, load_rules
from archive_api.cli import app
from storage.models import Secrecy

DEFAULTS = load_rules(None)


@pytest.mark.parametrize(
    ("roles", "own", "secrecy", "external", "rule", "approvers"),
    [
        ({"sales_manager"}, True, "internal", False, "sales-manager-own-department", ["dept_head"]),
        ({"sales"}, True, "internal", False, "own-department", ["dept_head"]),
        ({"sales"}, False, "internal", False, "other-department", ["marketing_director"]),
        ({"sales"}, True, "secret", False, "secret-own-department", ["dept_head", "archivist"]),
        ({"sales"}, False, "secret", False, "secret-other-department",
         ["marketing_director", "archivist"]),
        ({"sales"}, True, "internal", True, "external-disclosure",
         ["dept_head", "marketing_director"]),
        ({"dept_head"}, True, "internal", False, "department-head-own-department",
         ["marketing_director"]),
    ],
)  # fmt: skip
def test_the_default_rules_follow_the_domain(
    roles: set[str], own: bool, secrecy: str, external: bool, rule: str, approvers: list[str]
) -> None:
    found = DEFAULTS.match(roles, own, Secrecy(secrecy), external)
    assert found is not None
    assert (found.name, list(found.approvers)) == (rule, approvers)


def test_a_sales_manager_views_only_and_returns_the_same_day() -> None:
    rule = DEFAULTS.match({"sales_manager"}, True, Secrecy.internal, False)
    assert rule is not None
    assert set(rule.modes) == {"view"}
    # Approved at 20:00 in Shanghai for 8 hours: due at midnight, not at 04:00 the next day.
    start = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert DEFAULTS.due(rule.same_day, start, 8) == datetime(2026, 11, 23, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[[rule]]\nname = "x"\napprovers = ["boss"]\nmodes = ["view"]\nlongest_hours = 1\n',
         "approvers"),
        ('[[rule]]\nname = "x"\napprovers = []\nmodes = ["view"]\nlongest_hours = 1\n',
         "approvers"),
        ('[[rule]]\nname = "x"\napprovers = ["dept_head"]\nmodes = ["copy"]\nlongest_hours = 1\n',
         "modes"),
        ('[[rule]]\nname = "x"\napprover = ["dept_head"]\nmodes = ["view"]\nlongest_hours = 1\n',
         "approver"),
        ('timezone = "Mars/Olympus"\n[[rule]]\nname = "x"\napprovers = ["dept_head"]\n'
         'modes = ["view"]\nlongest_hours = 1\n', "Mars/Olympus"),
        ("[[rule]\n", "borrowing rules"),
    ],
)  # fmt: skip
def test_a_bad_rules_file_is_refused_naming_the_problem(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(text)
    with pytest.raises(InvalidRules, match=problem):
        load_rules(path)


def test_serve_will_not_start_on_a_bad_rules_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[[rule]]\nname = "x"\napprovers = ["boss"]\nmodes = ["view"]\n')
    monkeypatch.setenv("DANGAN_BORROWING_RULES", str(path))
    result = CliRunner().invoke(app, ["serve", "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 2
    assert "borrowing rules" in result.output
    assert not (tmp_path / "data").exists()  # refused before anything was created
