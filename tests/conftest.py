"""Fixtures for the real servers every backend test runs against."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from access import identity
from tests.servers import (
    KmsServer,
    S3Server,
    openbao,
    postgres_database,
    postgres_server,
    seaweedfs,
)


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes() -> Iterator[None]:
    """Cheap argon2 parameters for the passwords the tests set and check by the thousand.

    At the production strength each hash or check costs a quarter of a second of CPU, and a
    test's cast of six people needs thirteen. Servers the tests start as processes keep the
    production strength, which tests/access/test_passwords.py holds to.
    """
    quick = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(identity, "_hasher", quick)
        patch.setattr(identity, "_DUMMY_HASH", quick.hash("not anybody's password"))
        yield


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """One SeaweedFS for the session; tests keep apart by using their own buckets."""
    with seaweedfs(tmp_path_factory.mktemp("seaweedfs")) as server:
        yield server


@pytest.fixture(scope="session")
def kms_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KmsServer]:
    """One OpenBao for the session; keys are named by fresh ids, so tests keep apart."""
    with openbao(tmp_path_factory.mktemp("openbao")) as server:
        yield server


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh database per test on the PostgreSQL at DANGAN_TEST_DATABASE_URL."""
    with postgres_database(postgres_server()) as url:
        yield url


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty data directory."""
    return tmp_path / "data"


def _tesseract_problem() -> str | None:
    program = shutil.which("tesseract")
    if program is None:
        return "the tesseract program is not installed"
    languages = subprocess.run(
        [program, "--list-langs"], capture_output=True, text=True, check=False
    ).stdout.split()
    missing = {"chi_sim", "chi_tra"} - set(languages)
    return f"Tesseract's {', '.join(sorted(missing))} not installed" if missing else None


@pytest.fixture(scope="session")
def ocr() -> None:
    """Tesseract with Chinese; a test needing it skips without it, except in CI, where it fails."""
    problem = _tesseract_problem()
    if problem and os.environ.get("CI"):
        pytest.fail(
            f"{problem}: CI must run the OCR tests (Debian tesseract-ocr-chi-sim, -chi-tra)"
        )
    if problem:
        pytest.skip(problem)


def require_system_package(problem: str) -> None:
    """Skip for want of a system package, except in CI, where every test must run."""
    if os.environ.get("CI"):
        pytest.fail(f"{problem}: CI must run this test")
    pytest.skip(problem)


@pytest.fixture(scope="session")
def built_ui() -> None:
    """The web UI built from its sources, as `dangan serve` builds it (needs Node.js and npm)."""
    from archive_api import webapp

    try:
        webapp.ensure_built()
    except webapp.UnbuiltUi as missing:
        require_system_package(str(missing))


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium, which Playwright drives (never a browser Playwright downloads)."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        require_system_package("Debian's chromium is not installed")
    return path
