"""Retention rules as configuration: the shipped file, refused files, and the calendar."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from archive_api.cli import app as cli
from ingest.retention import InvalidRetention, add_years, latest_trigger, load_retention
from storage.models import DocType, Document

ZONE = ZoneInfo("Asia/Shanghai")


def test_the_shipped_rules_give_every_type_a_period_and_its_trigger() -> None:
    retention = load_retention(None, ZONE)
    assert set(retention.rules) == {t.value for t in DocType}
    contract = retention.rule("contract")
    assert (contract.years, contract.after) == (10, ("term_end",))
    assert retention.rule("correspondence").years == 5
    assert retention.rule("financial_statement").after == ("issued", "uploaded")
    assert retention.rule("other") == retention.rule("tax_certificate")  # the [default]


def test_a_document_counts_from_the_first_date_it_has() -> None:
    retention = load_retention(None, ZONE)
    letter = Document(doc_type="correspondence", issued_on=date(2020, 2, 29))
    assert retention.trigger(letter) == ("issued", date(2020, 2, 29))
    assert retention.due_on(letter) == date(2025, 2, 28)
    contract = Document(doc_type="contract", issued_on=date(2020, 1, 1))
    assert retention.trigger(contract) is None  # signed, but its term end is not recorded
    assert retention.due_on(contract) is None


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[types.contrat]\nyears = 10\nafter = ['term_end']", "contrat"),
        ("[default]\nyears = 0\nafter = ['issued']", "years"),
        ("[default]\nyears = 5\nafter = ['signed']", "after"),
        ("[default]\nyears = 5\nafter = []", "after"),
        ("[default]\nyears = 5\nafter = ['issued', 'issued']", "named twice"),
        ("[default]\nyears = 5\nafter = ['issued']\nkeep = true", "keep"),
        ("[types.contract]\nyears = 10\nafter = ['term_end']", "no rule for business_license"),
        ("[default\nyears = 5", "retention.toml"),
    ],
)
def test_a_bad_file_is_refused_naming_the_file_and_the_problem(
    tmp_path: Path, text: str, named: str
) -> None:
    path = tmp_path / "retention.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidRetention, match=r"retention\.toml") as refused:
        load_retention(path, ZONE)
    assert named in str(refused.value)


def test_a_missing_file_is_refused() -> None:
    with pytest.raises(InvalidRetention, match=r"nowhere\.toml"):
        load_retention(Path("/nowhere.toml"), ZONE)


def test_the_cutoff_agrees_with_counting_years_on_every_day_around_leap_years() -> None:
    # The list's SQL compares a trigger with `latest_trigger`; the item shows `add_years`.
    start = date(2023, 12, 1)
    triggers = [date(2019, 12, 1) + timedelta(days=i) for i in range(2 * 366 + 120)]
    for years in (1, 4, 5):
        for step in range(800):
            today = start + timedelta(days=step)
            last = latest_trigger(today, years)
            for trigger in triggers:
                assert (add_years(trigger, years) <= today) == (trigger <= last), (
                    trigger, today, years,
                )  # fmt: skip


def test_dangan_does_not_start_on_a_bad_file_and_says_why(tmp_path: Path) -> None:
    rules = tmp_path / "retention.toml"
    rules.write_text("[types.contract]\nyears = 10\nafter = ['signed']\n", encoding="utf-8")
    environment = {"DANGAN_RETENTION_RULES": str(rules)}
    command = ["audit", "public-key", "--data-dir", str(tmp_path / "data")]
    refused = CliRunner().invoke(cli, command, env=environment)
    assert refused.exit_code == 2
    assert str(rules) in refused.stderr
    assert "types.contract.after" in refused.stderr
    assert not (tmp_path / "data").exists()  # stopped before touching anything
