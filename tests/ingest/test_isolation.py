"""Isolated extraction: a result comes back; a file that hangs, crashes or bloats fails alone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.errors import ExtractionFailed, Unrenderable
from ingest.isolation import Resident, run_isolated
from storage.errors import DanganError

# A child of the fork server that preloaded the whole server (as `dangan serve` and, once a test
# has imported it, this suite do) starts with about 440 MB of address space: the limit leaves
# room above that for the work and for sending its answer back.
TIMEOUT, MEMORY_MB = 20.0, 1024


def _total(figures: list[str]) -> dict[str, Decimal]:
    return {"total_assets": sum((Decimal(f) for f in figures), Decimal(0))}


def _hang(seconds: float) -> None:
    time.sleep(seconds)


def _exit(status: int) -> None:
    os._exit(status)


def _segfault() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def _bloat(megabytes: int) -> bytes:
    return bytes(megabytes * 1024 * 1024)


def _complain(text: str) -> None:
    raise ValueError(f"cannot parse {text!r}")


def _refuse() -> None:
    raise ExtractionFailed("statements are read from PDFs only")


def _start_helper_then_hang(pid_file: Path) -> None:
    helper = subprocess.Popen(["sleep", "60"])  # stands in for a Tesseract that hangs
    pid_file.write_text(str(helper.pid))
    time.sleep(60)


def _still_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has stopped; only its parent has yet to reap it


def test_the_result_comes_back_exactly() -> None:
    result = run_isolated(
        _total, ["233365059.10", "64101725.25"], timeout=TIMEOUT, memory_mb=MEMORY_MB
    )
    assert result == {"total_assets": Decimal("297466784.35")}


def test_a_file_that_hangs_is_stopped_at_the_deadline() -> None:
    started = time.monotonic()
    with pytest.raises(ExtractionFailed, match=r"^timed out after 1 s$") as failure:
        run_isolated(_hang, 30.0, timeout=1, memory_mb=512)
    assert time.monotonic() - started < 10
    assert failure.value.status == 422
    assert failure.value.code == "extraction_failed"


def test_helper_programs_die_with_the_hung_child(tmp_path: Path) -> None:
    pid_file = tmp_path / "helper.pid"
    with pytest.raises(ExtractionFailed, match="timed out"):
        run_isolated(_start_helper_then_hang, pid_file, timeout=3, memory_mb=512)
    helper = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _still_running(helper) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _still_running(helper)


def test_a_hang_in_one_thread_does_not_hold_up_another() -> None:
    # The server calls from worker threads; each call has its own child and deadline.
    with ThreadPoolExecutor(2) as pool:
        hung = pool.submit(lambda: run_isolated(_hang, 30.0, timeout=3, memory_mb=MEMORY_MB))
        quick = pool.submit(
            lambda: run_isolated(_total, ["5"], timeout=TIMEOUT, memory_mb=MEMORY_MB)
        )
        assert quick.result(timeout=10) == {"total_assets": Decimal(5)}
        assert not hung.done()
        with pytest.raises(ExtractionFailed, match="timed out"):
            hung.result(timeout=10)


def test_a_child_that_exits_abruptly_fails_with_its_status() -> None:
    with pytest.raises(ExtractionFailed, match=r"^crashed \(exit status 3\)$"):
        run_isolated(_exit, 3, timeout=TIMEOUT, memory_mb=MEMORY_MB)


def test_a_segfault_fails_as_a_crash_and_the_parent_carries_on() -> None:
    with pytest.raises(ExtractionFailed, match=r"^crashed \(signal 11, SIGSEGV\)$"):
        run_isolated(_segfault, timeout=TIMEOUT, memory_mb=MEMORY_MB)
    assert run_isolated(_total, ["1"], timeout=TIMEOUT, memory_mb=MEMORY_MB) == {
        "total_assets": Decimal(1)
    }


def test_a_file_that_needs_too_much_memory_fails_for_that_reason() -> None:
    with pytest.raises(ExtractionFailed, match=rf"^ran out of memory \(limit {MEMORY_MB} MB\)$"):
        run_isolated(_bloat, 2048, timeout=TIMEOUT, memory_mb=MEMORY_MB)
    # The parent is unharmed, and work within the limit still runs.
    assert len(run_isolated(_bloat, 64, timeout=TIMEOUT, memory_mb=MEMORY_MB)) == 64 * 1024 * 1024


def test_an_error_is_named_without_the_document_content_it_quotes() -> None:
    with pytest.raises(ExtractionFailed) as failure:
        run_isolated(_complain, "资产总计 297,466,784", timeout=TIMEOUT, memory_mb=MEMORY_MB)
    assert failure.value.detail.startswith("ValueError at test_isolation.py:")
    assert "297" not in failure.value.detail
    assert "资产" not in failure.value.detail


def test_a_domain_error_keeps_its_reason() -> None:
    with pytest.raises(ExtractionFailed, match=r"^statements are read from PDFs only$"):
        run_isolated(_refuse, timeout=TIMEOUT, memory_mb=MEMORY_MB)


class _Exceeded(DanganError):
    """Stands for a caller's error for a limit reached."""

    status, code = 422, "exceeded"


class _Refused(Unrenderable):
    """Stands for a caller's own domain error raised in the child."""

    code = "refused"


def _refuse_to_render() -> None:
    raise _Refused("this page is refused")


def test_a_caller_tells_limits_reached_from_other_failures() -> None:
    kinds = {"failed": Unrenderable, "exceeded": _Exceeded}
    with pytest.raises(_Exceeded, match=r"^timed out after 1 s$"):
        run_isolated(_hang, 30.0, timeout=1, memory_mb=MEMORY_MB, **kinds)
    with pytest.raises(_Exceeded, match=rf"^ran out of memory \(limit {MEMORY_MB} MB\)$"):
        run_isolated(_bloat, 2048, timeout=TIMEOUT, memory_mb=MEMORY_MB, **kinds)
    with pytest.raises(Unrenderable, match=r"^crashed \(signal 11, SIGSEGV\)$") as crash:
        run_isolated(_segfault, timeout=TIMEOUT, memory_mb=MEMORY_MB, **kinds)
    assert type(crash.value) is Unrenderable


def test_a_domain_error_of_the_callers_kind_keeps_its_class() -> None:
    with pytest.raises(_Refused, match=r"^this page is refused$"):
        run_isolated(_refuse_to_render, timeout=TIMEOUT, memory_mb=MEMORY_MB, failed=Unrenderable)
    # Another kind is the caller's failure, with the same reason.
    with pytest.raises(Unrenderable, match=r"^statements are read from PDFs only$") as other:
        run_isolated(_refuse, timeout=TIMEOUT, memory_mb=MEMORY_MB, failed=Unrenderable)
    assert type(other.value) is Unrenderable


class _Tally:
    """A resident's state: how many calls it has taken."""

    def __init__(self) -> None:
        self.calls = 0

    def tidy(self) -> None:
        """Nothing here grows stale."""


def _take(state: _Tally) -> int:
    state.calls += 1
    return state.calls


def _crash(_: _Tally) -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def test_a_resident_keeps_its_state_between_calls_and_starts_afresh_after_a_crash() -> None:
    resident = Resident(_Tally, timeout=TIMEOUT, memory_mb=MEMORY_MB, idle=60, failed=Unrenderable)
    try:
        assert [resident.call(_take) for _ in range(3)] == [1, 2, 3]
        with pytest.raises(Unrenderable, match=r"crashed \(signal 11, SIGSEGV\)"):
            resident.call(_crash)
        assert resident.call(_take) == 1  # a new child, with nothing of the old one
    finally:
        resident.close()


def test_a_preloaded_module_is_imported_once_by_the_forkserver_not_by_each_child(
    tmp_path: Path,
) -> None:
    # A server whose main script imports the whole app: each child runs that script again, so
    # what it imports must come with the fork. A fresh process, for a forkserver of its own.
    (tmp_path / "app.py").write_text(
        "import os\nIMPORTED_BY = os.getpid()\n\n"
        "def where() -> tuple[int, int]:\n    return IMPORTED_BY, os.getpid()\n"
    )
    (tmp_path / "main.py").write_text(
        "import os, sys\nimport app\nfrom ingest.isolation import preload, run_isolated\n"
        "if __name__ == '__main__':\n"
        "    if sys.argv[1] == 'preload':\n        preload('app')\n"
        "    print(*run_isolated(app.where, timeout=30, memory_mb=1024), os.getpid())\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{root}"}

    def pids(mode: str) -> list[int]:
        command = [sys.executable, str(tmp_path / "main.py"), mode]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        return [int(pid) for pid in done.stdout.split()]

    imported_by, child, parent = pids("preload")
    assert imported_by not in (child, parent)  # the forkserver's import, inherited
    imported_by, child, parent = pids("each")
    assert imported_by == child  # without the preload, the child imports it again
