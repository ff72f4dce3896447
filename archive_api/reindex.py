"""Rebuilding the search index: queue what is missing, read it, report progress; resumable."""

from __future__ import annotations

from collections.abc import Callable

from archive_api.backends import Backends
from archive_api.extractor import Indexer
from ingest import textindex
from storage.db import unit_of_work


def reindex(backends: Backends, report: Callable[[str], None]) -> int:
    """Bring the index up to date; how many documents were read. Interrupted, it resumes where it
    stopped: the queued jobs are rows, taken again by the next run or by the server's indexer."""
    max_secrecy = backends.settings.search_max_secrecy
    with unit_of_work(backends.sessions) as session:
        dropped = textindex.forget_above(session, max_secrecy)
        queued = textindex.queue_missing(session, max_secrecy)
        textindex.rebuild(session)
        waiting = textindex.pending(session)
    report(f"removed {dropped} above {max_secrecy}; queued {queued}; {waiting} to read")
    indexer, done = Indexer(backends), 0
    while indexer.run_once():
        done += 1
        report(f"read {done} of {waiting}")
    report(f"done: {done} documents read")
    return done
