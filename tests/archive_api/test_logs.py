"""`DANGAN_LOG_FORMAT=json`: every line of a real server's log is a JSON object carrying the
request's id, which the response echoes; no query, and of an error only its type."""

from __future__ import annotations

import io
import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from archive_api.app import create_app
from archive_api.backends import connect
from archive_api.cli import server_config
from archive_api.logs import configure
from tests.archive_api.conftest import embedded_settings
from tests.servers import free_port

SECRET_WORD = "保密客户名称"
SECRET_ERROR = "password=hunter2-in-an-error-message"


@pytest.fixture
def json_server(tmp_path: Path) -> Iterator[tuple[str, io.StringIO]]:
    """An embedded archive served by uvicorn, as `dangan serve` sets it up, logging JSON."""
    settings = embedded_settings(tmp_path / "data").model_copy(update={"log_format": "json"})
    backends = connect(settings)
    app = create_app(backends)

    def fail() -> None:
        raise RuntimeError(SECRET_ERROR)

    app.router.add_api_route("/api/v1/fail", fail)
    root = logging.getLogger()
    kept = (list(root.handlers), root.level)  # pytest's own capture, given back afterwards
    log = io.StringIO()
    configure("json", log)
    port = free_port()
    server = uvicorn.Server(server_config(app, settings, "127.0.0.1", port))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", log
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        root.handlers[:] = kept[0]
        root.setLevel(kept[1])
        backends.close()


def test_json_log_lines_parse_and_carry_the_request_id(
    json_server: tuple[str, io.StringIO],
) -> None:
    base, log = json_server
    given = "req-0123456789abcdef"
    with httpx.Client(base_url=base) as client:
        searched = client.get(
            "/api/v1/admin/users", params={"q": SECRET_WORD}, headers={"X-Request-ID": given}
        )
        assert searched.headers["x-request-id"] == given
        failed = client.get("/api/v1/fail")
        assert failed.status_code == 500
        failed_id = failed.headers["x-request-id"]
        assert len(failed_id) >= 8
        assert failed_id != given
    time.sleep(0.2)  # the access line of the last response is written after it is sent
    every = [json.loads(line) for line in log.getvalue().splitlines()]
    # This process is the test's client too: its own lines (httpx's) are not the server's.
    lines = [line for line in every if not line["logger"].startswith(("httpx", "httpcore"))]
    assert lines, "nothing was logged"
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    access = [line for line in lines if line.get("request_id") == given]
    assert [(a["method"], a["path"], a["status"]) for a in access] == [
        ("GET", "/api/v1/admin/users", 401)
    ]
    error = [line for line in lines if line.get("request_id") == failed_id and "exception" in line]
    assert error, "the failed request's error was not logged with its id"
    assert all(line["exception"] == "RuntimeError" for line in error)
    assert any(entry.endswith(" fail") for entry in error[0]["where"])
    text = json.dumps(lines, ensure_ascii=False)
    assert SECRET_WORD not in text
    assert "%E4%BF%9D" not in text
    assert "hunter2" not in text
