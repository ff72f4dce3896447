"""`dangan keys`: rotate the key-encryption keys, move every wrapped data key onto the new one.

Content is never re-encrypted and the archive keeps serving: every key version unwraps until it
is retired, so readers never wait for a rewrap. A running server may go on wrapping uploads
under a batch key it began before the rotation (`storage.batchkeys`), for at most
`DANGAN_KEY_BATCH_MAX_AGE` seconds; `rotate` therefore waits that long and makes a second pass.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress

from archive_api.backends import Backends
from archive_api.cli_common import DataDir, open_backends, refusals_in_one_line
from storage import rotation
from storage.auditevent import Actor, record
from storage.auditnames import Action
from storage.db import unit_of_work
from storage.keys import customer_key_name

keys_app = typer.Typer(
    help="The key-encryption keys: rotation, rewrapping, which version wraps what.",
    no_args_is_help=True,
)


@keys_app.command("rotate")
def rotate_command(
    customer: Annotated[
        uuid.UUID | None, typer.Option(help="Rotate only this customer's key (its id).")
    ] = None,
    wait: Annotated[
        bool, typer.Option(help="Wait for uploads' batch keys begun before, then a last pass.")
    ] = True,
    data_dir: DataDir = None,
) -> None:
    """Add a new version to every customer's key (or one customer's), then rewrap every data key
    under it. Run `dangan keys rewrap` to finish a run that was interrupted."""
    backends = open_backends(data_dir)
    try:
        with refusals_in_one_line():
            with unit_of_work(backends.sessions) as session:
                names = (
                    [customer_key_name(str(customer))] if customer else rotation.key_names(session)
                )
            latest = rotation.rotate(backends.keys, names)
            rotated = {"keys": len(latest)} | ({"customer": str(customer)} if customer else {})
            _record(backends, Action.KEYS_ROTATE, "dangan keys rotate", rotated)
            typer.echo(f"rotated {len(latest)} keys")
            _pass(backends, names)
            if wait:
                seconds = backends.settings.key_batch_max_age
                typer.echo(f"waiting {seconds:.0f} s for uploads' batch keys begun before it")
                time.sleep(seconds)
                _pass(backends, names)
    finally:
        backends.close()


@keys_app.command("rewrap")
def rewrap_command(
    data_dir: DataDir = None,
    defer: Annotated[
        bool, typer.Option(help="Queue it for a `dangan worker` instead (PostgreSQL only).")
    ] = False,
) -> None:
    """Rewrap every data key still under an earlier version of its key (resumes a rotation)."""
    backends = open_backends(data_dir)
    try:
        if defer:
            _defer(backends)
            return
        with refusals_in_one_line():
            with unit_of_work(backends.sessions) as session:
                names = rotation.wrapping_keys(session)
            _pass(backends, names)
    finally:
        backends.close()


@keys_app.command("status")
def status_command(data_dir: DataDir = None) -> None:
    """How many stored versions are wrapped by their key's latest version, and how many not."""
    backends = open_backends(data_dir)
    try:
        with refusals_in_one_line(), unit_of_work(backends.sessions) as session:
            tally = rotation.versions(session, backends.keys)
    finally:
        backends.close()
    current = sum(n for (_, latest), n in tally.items() if latest)
    earlier = sum(n for (_, latest), n in tally.items() if not latest)
    behind = len({name for (name, latest) in tally if not latest})
    typer.echo(f"{current} versions on their key's latest version")
    typer.echo(f"{earlier} versions under an earlier version, of {behind} keys")
    if earlier:
        typer.echo("next: dangan keys rewrap")


def _pass(backends: Backends, names: list[str]) -> None:
    """One rewrap pass with a progress bar; audited with what it did."""
    with unit_of_work(backends.sessions) as session:
        total = rotation.count(session, names)
    # rich comes with typer: the bar costs no dependency of its own; it goes to standard error.
    with Progress(console=Console(stderr=True)) as bar:
        task = bar.add_task("rewrapping", total=total)
        done = rewrap_all(
            backends, names, "dangan keys rewrap", lambda rows: bar.advance(task, rows)
        )
    typer.echo(
        f"rewrapped {done.moved} data keys; {done.current} were on the latest version already"
        + (f"; {done.changed} changed meanwhile: run `dangan keys rewrap`" if done.changed else "")
    )


def _defer(backends: Backends) -> None:
    if backends.queue is None:
        typer.echo("error: --defer needs the job queue of a server database (DANGAN_DATABASE_URL)")
        raise typer.Exit(2)
    # The task's module imports this one: imported here, when it is needed.
    from archive_api.queue import defer_rewrap

    defer_rewrap(backends)
    typer.echo("queued: a `dangan worker` rewraps the data keys (audited as it finishes)")


def rewrap_all(
    backends: Backends,
    names: list[str],
    command: str,
    done: Callable[[int], object] = lambda rows: None,
) -> rotation.Rewrapped:
    """Rewrap every data key of `names` still under an earlier version, audited as `command`
    (the command, or the worker's task, `archive_api.queue.rewrap_keys`)."""
    result = rotation.rewrap(backends.sessions, backends.keys, names, done)
    counts = {"rewrapped": result.moved, "current": result.current, "changed": result.changed}
    _record(backends, Action.KEYS_REWRAP, command, counts)
    return result


def _record(backends: Backends, action: Action, command: str, counts: dict[str, Any]) -> None:
    with unit_of_work(backends.sessions) as session:
        record(session, Actor.local(command), action, "success", counts)
