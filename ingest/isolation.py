"""Reading a document in a process of its own, so a file that crashes or hangs fails alone.

Invariants: the work runs in a fresh child process (forkserver, safe from a threaded server) in
a process group of its own, with an address-space limit and no core dumps (a core file would hold
the document); at the deadline the whole group is killed, helpers such as Tesseract included;
every failure becomes the caller's error (`ExtractionFailed` by default) with a reason that names
what went wrong and where in the code, never the document's content; a limit reached (time,
memory) may be told apart as its own error; a domain error raised in the child keeps its class
when it is one of the caller's.
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
from typing import Any, TypeVar, TypeVarTuple

from ingest.errors import ExtractionFailed
from storage.errors import DanganError

R = TypeVar("R")
Ts = TypeVarTuple("Ts")

# Forkserver: children fork from a clean single-threaded server, not from the threaded caller.
_CONTEXT = multiprocessing.get_context("forkserver")
_OUT_OF_MEMORY = "ran out of memory"


def preload(*modules: str) -> None:
    """Have the forkserver import `modules` once, before its first child, so children inherit them.

    Each child runs the main script again before its work; where that script imports the whole
    server, importing it in every child costs seconds, inherited it costs nothing.
    """
    _CONTEXT.set_forkserver_preload(list(modules))


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
    if outcome is None:
        raise failed(_death(exitcode))
    succeeded, value = outcome
    if succeeded:
        result: R = value
        return result
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
    os.setpgid(0, 0)  # own group, so a kill at the deadline reaches any helper program too
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        outcome: tuple[bool, object] = (True, function(*args))
    except MemoryError:
        outcome = (False, _OUT_OF_MEMORY)
    except DanganError as error:  # ours are worded without content: they go back whole
        outcome = (False, type(error)(error.detail))
    except Exception as error:  # every failure is reported; none may escape
        outcome = (False, _reason(error))
    try:
        writer.send(outcome)
    except Exception as error:  # an unpicklable result is a failure too
        writer.send((False, f"result could not be returned ({type(error).__name__})"))
    finally:
        writer.close()


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
