"""Ids in paths: every one declared, and a malformed one is a 404 before anything runs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from archive_api.app import create_app
from storage.models.audit import AuditEvent, AuditPending
from tests.archive_api.conftest import Api

_PARAM = re.compile(r"{(\w+)}")
_NOT_UUIDS = ("not-a-uuid", "0", "99999999999999999999", "%00", "..%2F..%2Fetc")
_NOT_NUMBERS = ("not-a-number", "1.5", "-1", "%00")


def _operations(api: Api) -> list[tuple[str, str, dict[str, Any]]]:
    spec = create_app(api.backends).openapi()
    return [
        (method.upper(), path, operation)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_path_parameter_is_documented_as_a_uuid_or_number(api: Api) -> None:
    """Every `{name}` in a path is a declared parameter of its operation: a UUID or a number."""
    for method, path, operation in _operations(api):
        declared = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "path"}
        for name in _PARAM.findall(path):
            assert name in declared, f"{method} {path}: {name} undocumented"
            schema = declared[name]["schema"]
            typed = schema.get("format") == "uuid" or schema.get("type") == "integer"
            assert typed, f"{method} {path}: {name} is {schema}"


def _audit_rows(api: Api) -> int:
    # One statement, one snapshot: the sequencer moves events from pending to chained meanwhile.
    pending = select(func.count()).select_from(AuditPending).scalar_subquery()
    chained = select(func.count()).select_from(AuditEvent).scalar_subquery()
    with api.backends.sessions() as session:
        return session.scalar(select(pending + chained)) or 0


@pytest.mark.parametrize("signed_in", [True, False])
def test_a_malformed_id_is_a_404_that_records_nothing(api: Api, signed_in: bool) -> None:
    """Any route, any method, any malformed id: 404, and the audit log is left as it was."""
    client = api.client if signed_in else TestClient(api.client.app)
    before = _audit_rows(api)
    for method, path, operation in _operations(api):
        first = _PARAM.search(path)
        if first is None:
            continue
        schema = next(p["schema"] for p in operation["parameters"] if p["name"] == first[1])
        for bad in _NOT_NUMBERS if schema.get("type") == "integer" else _NOT_UUIDS:
            url = _PARAM.sub(bad, path, count=1)
            url = _PARAM.sub("00000000-0000-4000-8000-000000000000", url)
            response = client.request(method, url)
            assert response.status_code == 404, f"{method} {url}: {response.status_code}"
            assert bad not in response.text
    assert _audit_rows(api) == before
