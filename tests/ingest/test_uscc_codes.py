"""The codes the web UI's check character is tested with are judged the same by ingest.uscc."""

from __future__ import annotations

import json
from pathlib import Path

from ingest.uscc import uscc_problem

CODES = Path(__file__).parents[2] / "archive_api/web/src/pages/customers/uscc-codes.json"


def test_the_web_uis_valid_codes_are_valid_here() -> None:
    valid = json.loads(CODES.read_text())["valid"]
    assert len(valid) >= 20
    for code in valid:
        assert uscc_problem(code) is None, code


def test_the_web_uis_wrong_codes_fail_by_their_check_character_here() -> None:
    wrong = json.loads(CODES.read_text())["wrong_check"]
    assert len(wrong) >= 10
    for code in wrong:
        assert uscc_problem(code) == "check character does not match (GB 32100-2015)", code
