"""`dangan export-bag`: one customer's file written as a BagIt bag, as a named archivist."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from sqlalchemy import select

from access.authz import Access
from access.roles import roles_of
from archive_api.backends import Backends
from ingest import bagging
from ingest.customers import get_customer
from ingest.errors import InvalidField
from ingest.filing import Vault
from storage.auditevent import Actor
from storage.db import unit_of_work
from storage.models import User, UserStatus


def export_bag(
    backends: Backends, customer_id: uuid.UUID, target: Path, username: str
) -> bagging.BagSummary:
    """Write the bag into `target` (new or empty) under the user's rights; audited as them."""
    settings = backends.settings
    vault = Vault(backends.store, backends.keys, settings.max_upload_bytes)
    existed = target.exists()
    if existed and (not target.is_dir() or any(target.iterdir())):
        raise InvalidField(f"{target}: not an empty folder")  # never cleared below
    try:
        # The bag is kept only once its audit event has committed: a failed commit leaves no
        # unaudited copy of the file behind.
        with unit_of_work(backends.sessions) as session:
            user = session.scalar(select(User).where(User.username == username))
            if user is None or user.status != UserStatus.active:
                raise InvalidField(f"--as: no active user {username!r}")
            rights = Access(backends.authorizer.rules(session), user)
            customer = get_customer(session, customer_id)
            # The API's door: another department's customer is unknown (404), others' 403.
            rule = rights.require_known(
                customer.department_id, "customer", "export", customer.secrecy
            )
            client: dict[str, str | None] = {"address": "local", "command": "dangan export-bag"}
            actor = Actor.of(user, roles_of(session, user), client)
            return bagging.export(
                session, actor, rights, vault, customer, target,
                organisation=settings.organisation, now=backends.clock(),
                decision={"effect": "allow", "rule": rule},
            )  # fmt: skip
    except BaseException:
        # A bag cut short, or not audited, leaves no decrypted file behind (nor a folder that
        # looks like one); the folder was empty or absent when the export began.
        if not existed:
            shutil.rmtree(target, ignore_errors=True)
        elif target.is_dir():
            for child in target.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise
