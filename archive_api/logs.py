"""The server's log: plain text, or one JSON object a line (`DANGAN_LOG_FORMAT=json`).

Invariant: a JSON line holds the logger's message (already free of content, keys and personal
data, as every message is written), its level, logger, time, thread and the request's id, and
of an exception only its type and where it was raised, never its text: a driver's error
message may quote the values of the statement that failed.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TextIO

# Set per request by the app (archive_api.app.ResponseHeaders); threads a request runs in
# (FastAPI's thread pool) inherit it, and uvicorn writes its access line from the same task.
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonLines(logging.Formatter):
    """One JSON object per record."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON object on one line."""
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "thread": record.threadName,
        }
        request_id = REQUEST_ID.get()
        if request_id is not None:
            line["request_id"] = request_id
        if record.name == "uvicorn.access" and isinstance(record.args, tuple):
            # client, method, path (without its query: cli._PathsOnly), HTTP version, status
            _, method, path, _, status = record.args
            line.update(method=method, path=path, status=status)
        if record.exc_info and record.exc_info[0] is not None:
            kind, _, trace = record.exc_info
            line["exception"] = kind.__name__
            frames = traceback.extract_tb(trace)
            line["where"] = [f"{frame.filename}:{frame.lineno} {frame.name}" for frame in frames]
        return json.dumps(line, ensure_ascii=False, default=str)


def configure(log_format: str, stream: TextIO = sys.stderr) -> None:
    """Send every logger's records (uvicorn's too) to `stream`, as text or JSON lines."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLines() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # uvicorn's own logging set-up, done earlier in this process (a text-format start), gives
    # its loggers handlers of their own and stops them propagating: every line goes to root.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        found = logging.getLogger(name)
        found.handlers.clear()
        found.propagate = True
