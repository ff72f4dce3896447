"""Reading a document in a process of its own, so a file that crashes or hangs fails alone.

Invariants: the work runs in a child process (forkserver, safe from a threaded server) — a fresh
one per call (`run_isolated`), or one that stays up between calls (`Resident`) — in a process
group of its own, with an address-space limit and no core dumps (a core file would hold
the document); at the deadline the whole group is killed, helpers such as Tesseract included;
every failure becomes the caller's error (`ExtractionFailed` by default) with a reason that names
what went wrong and where in the code, never the document's content; a limit reached (time,
memory) may be told apart as its own error; a domain error raised in the child keeps its class
when it is one of the caller's; a resident child that passes a deadline or dies is ended with its
group, and the next call starts a fresh one; running out of memory empties what it kept.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import resource
import signal
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from pathlib import Path
from threading import Lock
from typing import Any, Generic, Protocol, TypeVar, TypeVarTuple

from ingest.errors import ExtractionFailed
from storage.errors import DanganError

R = TypeVar("R")
Ts = TypeVarTuple("Ts")


class Tidy(Protocol):
    """What a resident child keeps between calls; `tidy` runs whenever it has been idle a while."""

    def tidy(self) -> None:
        """Drop what has been kept too long."""
        ...


S = TypeVar("S", bound=Tidy)

# Forkserver: children fork from a clean single-threaded server, not from the threaded caller.
_CONTEXT = multiprocessing.get_context("forkserver")
_OUT_OF_MEMORY = "ran out of memory"
_PRELOADED: set[str] = set()


def preload(*modules: str) -> None:
    """Have the fork server import `modules` once, so children start with them imported.

    It counts only before the first child is started: call it when your module is imported. Each
    child also runs the main script again before its work; where that script imports the whole
    server, preloading it turns seconds per child into nothing.
    """
    _PRELOADED.update(modules)
    _CONTEXT.set_forkserver_preload(sorted(_PRELOADED))


def run_isolated(
    function: Callable[[*Ts], R],
    *args: *Ts,
    timeout: float,
    memory_mb: int,
    failed: type[DanganError] = ExtractionFailed,
    exceeded: type[DanganError] | None = None,
) -> R:
    """`function(*args)` run in a child process; raises `failed` (`exceeded` for limits) saying why.

    The arguments reach the child through a pipe, never a file.
    """
    over = exceeded or failed
    reader, writer = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(
        target=_work, args=(function, args, memory_mb, writer), name="isolated", daemon=True
    )
    child.start()
    writer.close()  # the child holds the only writer now, so its death shows as end of file
    try:
        finished = wait([reader, child.sentinel], timeout)
        outcome = _receive(reader) if finished else None
    finally:
        reader.close()
        exitcode = _end(child)
    if not finished:
        raise over(f"timed out after {timeout:g} s")
    result: R = _settle(outcome, exitcode, memory_mb, failed, over)
    return result


class Resident(Generic[S]):
    """A child process that stays up between calls, under the same limits, keeping a state.

    The state (made by `start` in the child) is what makes later calls cheap, and it never leaves
    the child. Calls are taken one at a time; one that passes the deadline or kills the child
    ends the child and its group, and the next call starts a fresh one.
    """

    def __init__(
        self,
        start: Callable[[], S],
        *,
        timeout: float,
        memory_mb: int,
        idle: float,
        failed: type[DanganError] = ExtractionFailed,
        exceeded: type[DanganError] | None = None,
    ) -> None:
        self._start, self._idle = start, idle
        self._timeout, self._memory_mb = timeout, memory_mb
        self._failed, self._over = failed, exceeded or failed
        self._lock = Lock()
        self._child: tuple[multiprocessing.process.BaseProcess, Connection] | None = None

    def call(self, function: Callable[[S, *Ts], R], *args: *Ts) -> R:
        """`function(state, *args)` in the child; failures raised as in `run_isolated`."""
        with self._lock:
            child, connection = self._running()
            try:
                connection.send((function, args))
                finished = wait([connection, child.sentinel], self._timeout)
                outcome = _receive(connection) if connection in finished else None
            except OSError:  # the child died while the request was being written
                finished, outcome = [child.sentinel], None
            exitcode = None
            if not finished or outcome is None:
                exitcode = self._stop()
                if not finished:
                    raise self._over(f"timed out after {self._timeout:g} s")
            result: R = _settle(outcome, exitcode, self._memory_mb, self._failed, self._over)
            return result

    def start(self) -> None:
        """Start the child now, so that the first call does not wait for it."""
        with self._lock:
            self._running()

    def close(self) -> None:
        """End the child, and with it everything it kept."""
        with self._lock:
            self._stop()

    def _running(self) -> tuple[multiprocessing.process.BaseProcess, Connection]:
        if self._child is None or not self._child[0].is_alive():
            self._stop()
            ours, theirs = _CONTEXT.Pipe()
            child = _CONTEXT.Process(
                target=_reside,
                args=(self._start, self._memory_mb, self._idle, theirs),
                name="resident",
                daemon=True,
            )
            child.start()
            theirs.close()
            self._child = child, ours
        return self._child

    def _stop(self) -> int | None:
        if self._child is None:
            return None
        child, connection = self._child
        self._child = None
        connection.close()
        return _end(child)


def _reside(start: Callable[[], Tidy], memory_mb: int, idle: float, connection: Connection) -> None:
    # Runs in the resident child: limits, then calls one by one until the parent hangs up.
    _limit(memory_mb)
    state = start()
    while True:
        if not connection.poll(idle):
            state.tidy()
            continue
        try:
            function, args = connection.recv()
        except EOFError:
            return
        outcome = _outcome(function, (state, *args))
        if outcome == (False, _OUT_OF_MEMORY):
            state = start()  # what it kept may be what filled the memory
        _send(connection, outcome)


def _settle(
    outcome: tuple[bool, Any] | None,
    exitcode: int | None,
    memory_mb: int,
    failed: type[DanganError],
    over: type[DanganError],
) -> Any:
    # The child's value, or its failure raised as the caller's error.
    if outcome is None:
        raise failed(_death(exitcode))
    succeeded, value = outcome
    if succeeded:
        return value
    if isinstance(value, failed):
        raise value  # the child's own refusal, worded without content
    if isinstance(value, DanganError):
        raise failed(value.detail)
    if value == _OUT_OF_MEMORY:
        raise over(f"ran out of memory (limit {memory_mb} MB)")
    raise failed(value)


def _receive(reader: Connection) -> tuple[bool, Any] | None:
    # The child's (ok, value), or None when it died without a word.
    try:
        outcome: tuple[bool, Any] = reader.recv()
    except EOFError:
        return None
    return outcome


def _work(
    function: Callable[..., object], args: tuple[object, ...], memory_mb: int, writer: Connection
) -> None:
    # Runs in the child: limits first, then the work; the outcome goes back as (ok, value).
    _limit(memory_mb)
    try:
        _send(writer, _outcome(function, args))
    finally:
        writer.close()


def _limit(memory_mb: int) -> None:
    # In the child: its own group, so a kill at the deadline reaches any helper program too.
    os.setpgid(0, 0)
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _outcome(function: Callable[..., object], args: tuple[object, ...]) -> tuple[bool, object]:
    # In the child: (True, result) or (False, the failure in words that quote no content).
    try:
        return True, function(*args)
    except MemoryError:
        return False, _OUT_OF_MEMORY
    except DanganError as error:  # ours are worded without content: they go back whole
        return False, type(error)(error.detail)
    except Exception as error:  # every failure is reported; none may escape
        return False, _reason(error)


def _send(writer: Connection, outcome: tuple[bool, object]) -> None:
    try:
        writer.send(outcome)
    except Exception as error:  # an unpicklable result is a failure too
        writer.send((False, f"result could not be returned ({type(error).__name__})"))


def _reason(error: Exception) -> str:
    # Others' errors may quote the document, so they are named by type and where they were raised.
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}{where}"


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        number = -exitcode
        name = signal.Signals(number).name if number in signal.valid_signals() else "unknown"
        return f"crashed (signal {number}, {name})"
    return f"crashed (exit status {exitcode})"


def _end(child: multiprocessing.process.BaseProcess) -> int | None:
    # Kill the child's group before reaping the child: helpers it started (Tesseract) go too,
    # and the group id cannot have been reused while the child is unreaped.
    if child.pid is not None:
        # No such group: the child died before forming it, or the group is gone already.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
    child.kill()
    child.join()
    exitcode = child.exitcode
    child.close()
    return exitcode
