"""Passwords are kept at the production strength of argon2id (the suite itself uses less)."""

from __future__ import annotations

import subprocess
import sys


def test_a_password_is_hashed_with_argon2id_at_rfc_9106_strength() -> None:
    # A fresh interpreter, as `dangan serve` runs: the suite's quick hasher is not in it.
    made = subprocess.run(
        [sys.executable, "-c", "from access.identity import hash_password as h; print(h('pw'))"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    # RFC 9106's second recommended option: 64 MiB of memory, three passes, four lanes.
    assert made.startswith("$argon2id$v=19$m=65536,t=3,p=4$"), made
