"""A server told to stop (SIGTERM, as an orchestrator does before replacing it) finishes the
uploads under way: the sender gets its answer and the document is kept."""

from __future__ import annotations

import signal
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.factories import MARKER, random_uscc, sample_pdf
from tests.test_cli import _serving, _signed_in, archivist


def test_a_stopping_server_finishes_the_upload_under_way(tmp_path: Path) -> None:
    pdf = sample_pdf() + MARKER * 20000
    boundary = uuid.uuid4().hex
    head = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in (("doc_type", "contract"), ("title", "购销合同"))
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    body = head.encode() + pdf + f"\r\n--{boundary}--\r\n".encode()
    half_sent, stop_sent = threading.Event(), threading.Event()

    def slowly() -> Iterator[bytes]:
        yield body[: len(body) // 2]
        half_sent.set()
        assert stop_sent.wait(30)
        yield body[len(body) // 2 :]

    with _serving(tmp_path / "data", tmp_path) as (base, process):
        client = archivist(base)
        customer = client.post("/api/v1/customers", json={"name": "客户甲", "uscc": random_uscc()})
        answers: list[httpx.Response] = []
        sending = threading.Thread(
            target=lambda: answers.append(
                client.post(
                    f"/api/v1/customers/{customer.json()['id']}/documents",
                    content=slowly(),
                    headers={
                        "Content-Type": f"multipart/form-data; boundary={boundary}",
                        "Content-Length": str(len(body)),
                    },
                )
            )
        )
        sending.start()
        assert half_sent.wait(30)
        process.send_signal(signal.SIGTERM)
        # The server stops taking new connections, not the one under way.
        _until_refused(base)
        stop_sent.set()
        sending.join(60)
        # uvicorn ends by raising the signal it caught again, once everything has stopped.
        assert process.wait(timeout=60) == -signal.SIGTERM
    [answer] = answers
    assert answer.status_code == 201, answer.text
    document = answer.json()["id"]
    with _serving(tmp_path / "data", tmp_path) as (base, _):
        again = _signed_in(base, "wang", "wang-long-passphrase")
        assert again.get(f"/api/v1/documents/{document}/content").content == pdf


def _until_refused(base: str) -> None:
    for _ in range(100):
        try:
            httpx.get(f"{base}/healthz", timeout=1)
        except httpx.TransportError:
            return
        threading.Event().wait(0.1)
    raise AssertionError("the stopping server still took new connections")
