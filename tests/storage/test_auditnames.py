"""One audit vocabulary: every recorded action is a member of `Action`, spelled nowhere else."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.auditevent import Actor, record
from storage.auditindex import ACTION_WIDTH
from storage.auditnames import Action
from storage.db import make_engine, migrate
from storage.models import AuditPending

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("archive_api", "access", "ingest", "storage")


def _spelled_names() -> list[str]:
    """Every string literal shaped like an action name (`source:subject:action`) in the code."""
    found = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if path.name == "auditnames.py" or "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    parts = node.value.split(":")
                    if len(parts) == 3 and all(p and p.replace("_", "").isalpha() for p in parts):
                        found.append(f"{path.relative_to(ROOT)}: {node.value}")
    return found


def test_no_action_name_is_spelled_outside_the_vocabulary() -> None:
    assert _spelled_names() == []


def test_an_action_outside_the_vocabulary_is_refused_and_nothing_is_recorded(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    migrate(engine)
    with Session(engine) as session:
        with pytest.raises(ValueError, match="document:content:peek"):
            record(session, Actor.local("test"), "document:content:peek", "success")  # type: ignore[arg-type]
        record(session, Actor.local("test"), Action.CONTENT_READ, "success")
        session.commit()
        waiting = session.scalars(sa.select(AuditPending.body)).all()
    engine.dispose()
    assert len(waiting) == 1
    assert b'"action":"document:content:read"' in waiting[0]


def test_action_names_are_unique_and_fit_the_log_column() -> None:
    values = [action.value for action in Action]
    assert len(values) == len(set(values))
    assert max(map(len, values)) <= ACTION_WIDTH


def test_every_action_has_a_name_an_auditor_reads_in_the_web_ui() -> None:
    # The English names are typed after the Chinese ones (`typeof zhActions`), so tsc keeps them
    # whole; this keeps the Chinese ones whole against the vocabulary.
    source = (ROOT / "archive_api/web/src/pages/audit/actions.ts").read_text()
    chinese = source[
        source.index("export const zhActions") : source.index("export const enActions")
    ]
    missing = [action.value for action in Action if f'"{action.value}":' not in chinese]
    assert missing == []
