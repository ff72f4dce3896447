"""An idle connection stays open longer than a proxy keeps it idle before reusing it."""

from __future__ import annotations

import http.client
import threading
import time
from pathlib import Path

import uvicorn

from archive_api.app import create_app
from archive_api.backends import connect
from archive_api.cli import server_config
from tests.archive_api.conftest import embedded_settings
from tests.servers import free_port


def test_a_connection_idle_past_uvicorns_own_timeout_still_takes_a_post(tmp_path: Path) -> None:
    # uvicorn alone closes a connection after 5 idle seconds; a client (a proxy, locust in
    # bench.load) sending just then loses the request, and an upload is not sent again.
    backends = connect(embedded_settings(tmp_path / "data"))
    port = free_port()
    server = uvicorn.Server(
        server_config(create_app(backends), backends.settings, "127.0.0.1", port)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/openapi.json")
        assert connection.getresponse().read()
        socket = connection.sock
        time.sleep(6)
        form = "username=nobody&password=wrong"
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        connection.request("POST", "/api/v1/auth/token", body=form, headers=headers)
        answer = connection.getresponse()
        assert answer.status == 401
        assert connection.sock is socket  # the same connection, not a new one
        connection.close()
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        backends.close()
