"""The production backup procedure of docs/operations.md, run against real PostgreSQL,
SeaweedFS and OpenBao: database first, then Transit keys and objects; restored into a new
database, a new bucket and a fresh OpenBao, the archive is whole."""

from __future__ import annotations

import secrets
import shutil
import subprocess
from pathlib import Path
from typing import Any, BinaryIO, cast

import hvac
import pytest
import sqlalchemy as sa
from hvac import exceptions as bao
from minio import Minio

from archive_api.backends import Backends, connect
from archive_api.config import Settings
from storage.crypto import public_key_pem
from storage.keys import customer_key_name
from tests.archive_api.conftest import production_settings
from tests.conftest import require_system_package
from tests.factories import fake_file
from tests.servers import KmsServer, S3Server, openbao, postgres_database, postgres_server
from tests.test_backup import archive, assert_whole, upload

OPERATOR_POLICY = Path(__file__).parents[1] / "deploy" / "openbao-backup-policy.hcl"


def libpq(url: str) -> str:
    """A SQLAlchemy URL as the PostgreSQL tools take it."""
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def operator(kms: KmsServer) -> hvac.Client:
    """A client with the backup operator's policy (deploy/openbao-backup-policy.hcl)."""
    root = hvac.Client(url=kms.url, token=kms.root_token)
    root.sys.create_or_update_policy(name="dangan-backup", policy=OPERATOR_POLICY.read_text())
    token = root.auth.token.create(policies=["dangan-backup"], ttl="1h")["auth"]["client_token"]
    return hvac.Client(url=kms.url, token=token)


def s3(server: S3Server) -> Minio:
    """A plain client of the S3 server."""
    return Minio(server.endpoint, server.access_key, server.secret_key, secure=False)


def copy_bucket(client: Minio, source: str, target: str) -> int:
    """Copy every object under docs/ (step 3 of the procedure, as `mc mirror` would)."""
    if not client.bucket_exists(target):
        client.make_bucket(target)
    copied = 0
    for found in client.list_objects(source, prefix="docs/", recursive=True):
        name = str(found.object_name)
        response = client.get_object(source, name)
        try:
            # The response streams: the object never sits whole in memory.
            stream = cast(BinaryIO, response)
            client.put_object(target, name, stream, length=int(found.size or 0))
        finally:
            response.close()
            response.release_conn()
        copied += 1
    return copied


def back_up(settings: Settings, kms: KmsServer, s3_server: S3Server, into: Path) -> str:
    """The backup: database dump, then every Transit key, then the objects, then the audit key."""
    into.mkdir(mode=0o700)
    url = libpq(settings.sqlalchemy_url())
    # 1. One consistent snapshot of the database (pg_dump reads in one transaction).
    subprocess.run(
        ["pg_dump", "--format=custom", f"--file={into / 'dangan.dump'}", url], check=True
    )
    # 2. The keys, after the dump: every key and key version its rows use exists by now.
    keys = operator(kms)
    transit: Any = keys.secrets.transit  # hvac is untyped
    names = [n for n in transit.list_keys()["data"]["keys"] if n.startswith("customer-")]
    for name in names:
        transit.update_key_configuration(name, exportable=True, allow_plaintext_backup=True)
        (into / f"{name}.key").write_text(transit.backup_key(name)["data"]["backup"])
    # 3. The objects, after the dump: each is stored before its row commits, never changed.
    bucket = f"backup-{secrets.token_hex(4)}"
    copy_bucket(s3(s3_server), settings.s3_bucket, bucket)
    # 4. The audit signing key (a deployment secret; it never changes).
    shutil.copy2(settings.audit_key_path(), into / "audit-ed25519.pem")
    return bucket


def restore(
    backup: Path, bucket: str, db_url: str, kms: KmsServer, s3_server: S3Server, data: Path
) -> Settings:
    """The restore: keys into OpenBao, the dump into an empty database, the objects into a new
    bucket, the audit key into its place; returns the settings to start Dangan with."""
    transit: Any = operator(kms).secrets.transit
    for saved in sorted(backup.glob("customer-*.key")):
        transit.restore_key(saved.read_text(), name=saved.stem)
    dump = str(backup / "dangan.dump")
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={libpq(db_url)}", dump],
        check=True,
    )
    restored_bucket = f"restored-{secrets.token_hex(4)}"
    copy_bucket(s3(s3_server), bucket, restored_bucket)
    data.mkdir(mode=0o700)
    shutil.copy2(backup / "audit-ed25519.pem", data / "audit-ed25519.pem")
    return production_settings(data, db_url, s3_server, kms).model_copy(
        update={"s3_bucket": restored_bucket}
    )


def test_the_production_procedure_restores_a_whole_archive(
    postgres_url: str, s3_server: S3Server, kms_server: KmsServer, tmp_path: Path
) -> None:
    if shutil.which("pg_dump") is None:
        require_system_package("PostgreSQL's client tools (pg_dump) are not installed")
    settings = production_settings(tmp_path / "data", postgres_url, s3_server, kms_server)
    live: Backends = connect(settings)
    client, customer = archive(live)
    first = fake_file("pdf", (2 << 20) + 5)
    uploaded = {upload(client, customer, first): first}
    # A rotated key: older versions wrap older documents, and the backup must hold them all.
    live.keys.rotate(customer_key_name(customer))
    for size in (70_000, 90_000):
        content = fake_file("pdf", size)
        uploaded[upload(client, customer, content)] = content
    # Dangan's own token cannot take a key's backup, even once the key allows one.
    dangan_token: Any = hvac.Client(url=kms_server.url, token=kms_server.token)
    with pytest.raises(bao.Forbidden):
        dangan_token.secrets.transit.backup_key(customer_key_name(customer))

    backup = tmp_path / "backup"
    bucket = back_up(settings, kms_server, s3_server, backup)
    # Written after the backup: not in it, and harmless to it.
    upload(client, customer, fake_file("pdf", 30_000))
    trusted = public_key_pem(live.audit_key)
    live.close()

    with (
        openbao(tmp_path / "fresh-openbao") as fresh_kms,
        postgres_database(postgres_server()) as empty_db,
    ):
        restored_settings = restore(
            backup, bucket, empty_db, fresh_kms, s3_server, tmp_path / "restored"
        )
        restored = connect(restored_settings)
        try:
            assert assert_whole(restored, uploaded, trusted) == len(uploaded)
        finally:
            restored.close()
