"""`dangan keys rotate`: every wrapped data key moves onto the new key version, content is not
re-encrypted, documents read byte-exact throughout, and an interrupted rewrap resumes."""

from __future__ import annotations

from sqlalchemy import select
from typer.testing import CliRunner

from archive_api.cli import app
from storage import rotation
from storage.db import unit_of_work
from storage.keys import customer_key_name, key_provider
from storage.models import DocumentVersion
from tests.archive_api.conftest import Api, audit_events, cli_environment
from tests.factories import fake_file


def _files(api: Api) -> tuple[dict[str, bytes], str]:
    """Two customers' documents, one in two versions: the latest bytes of each by document id,
    and the first customer's id."""
    first, second = api.customer("贵州轮换一有限公司"), api.customer("贵州轮换二有限公司")
    files: dict[str, bytes] = {}
    for customer, size in ((first, 4000), (first, 5000), (second, 6000)):
        content = fake_file("pdf", size)
        files[str(api.upload(customer, content, doc_type="contract", title="合同")["id"])] = content
    document, newer = next(iter(files)), fake_file("pdf", 7000)
    response = api.client.post(
        f"/api/v1/documents/{document}/versions",
        files={"file": ("v2.pdf", newer, "application/pdf")},
    )
    assert response.status_code == 201, response.text
    files[document] = newer
    return files, first


def _keys(api: Api) -> dict[str, tuple[int, int, str]]:
    """Each stored version's key version, its key's latest, and its object key, by row id."""
    keys = api.backends.keys
    with unit_of_work(api.backends.sessions) as session:
        rows = session.scalars(select(DocumentVersion)).all()
        return {
            str(r.id): (
                keys.key_version(r.wrapped_key),
                keys.latest_version(r.key_name),
                r.object_key,
            )
            for r in rows
        }


def _reads_byte_exact(api: Api, files: dict[str, bytes]) -> None:
    for document, content in files.items():
        got = api.client.get(f"/api/v1/documents/{document}/content")
        assert got.status_code == 200, got.text
        assert got.content == content


def _keys_command(api: Api, *args: str) -> str:
    data_dir = str(api.backends.settings.data_dir)
    env = cli_environment(api.backends.settings)
    result = CliRunner().invoke(app, ["keys", *args, "--data-dir", data_dir], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def _events(api: Api, action: str) -> list[dict[str, object]]:
    return [e for e in audit_events(api.backends) if e["action"] == action]


def test_rotation_moves_every_data_key_to_the_new_version_and_rewrites_no_content(
    api: Api,
) -> None:
    files, _ = _files(api)
    before = _keys(api)
    assert {(version, latest) for version, latest, _ in before.values()} == {(1, 1)}
    objects = {key: api.backends.store.stat(key).size for _, _, key in before.values()}

    output = _keys_command(api, "rotate", "--no-wait")

    after = _keys(api)
    assert after.keys() == before.keys()
    assert {(version, latest) for version, latest, _ in after.values()} == {(2, 2)}
    assert "rewrapped 4 data keys" in output
    # The objects are the same bytes: only the wrapped keys changed.
    assert {key: api.backends.store.stat(key).size for key in objects} == objects
    _reads_byte_exact(api, files)
    [rotated] = _events(api, "archive:keys:rotate")
    assert rotated["target"] == {"keys": 2}
    [rewrapped] = _events(api, "archive:keys:rewrap")
    assert rewrapped["target"] == {"rewrapped": 4, "current": 0, "changed": 0}
    assert "4 versions on their key's latest version" in _keys_command(api, "status")


def test_an_interrupted_rotation_reads_on_and_resumes_with_rewrap(api: Api) -> None:
    files, first = _files(api)
    # A run (another process, as `dangan keys rotate` is) that stopped after rotating, before
    # any rewrap: keys of both versions are in use, and reading goes on.
    with unit_of_work(api.backends.sessions) as session:
        rotation.rotate(key_provider(api.backends.settings), rotation.key_names(session))
    _reads_byte_exact(api, files)
    assert "4 versions under an earlier version, of 2 keys" in _keys_command(api, "status")
    # The server's uploads still wrap under the batch key it began before the rotation, for
    # at most the batch's age; the rewrap catches them too.
    late = fake_file("pdf", 8000)
    uploaded = api.upload(first, late, doc_type="contract", title="合同")
    files[str(uploaded["id"])] = late

    assert "rewrapped 5 data keys; 0 were on the latest version already" in _keys_command(
        api, "rewrap"
    )

    assert {(version, latest) for version, latest, _ in _keys(api).values()} == {(2, 2)}
    _reads_byte_exact(api, files)
    assert "rewrapped 0 data keys" in _keys_command(api, "rewrap")


def test_one_customer_can_be_rotated_alone(api: Api) -> None:
    _, first = _files(api)

    _keys_command(api, "rotate", "--customer", first, "--no-wait")

    with unit_of_work(api.backends.sessions) as session:
        customers = {str(c) for c in session.scalars(select(DocumentVersion.customer_id))}
    latest = {c: api.backends.keys.latest_version(customer_key_name(c)) for c in customers}
    assert latest == {first: 2} | dict.fromkeys(customers - {first}, 1)


def test_a_row_rewrapped_by_someone_else_meanwhile_is_not_overwritten(api: Api) -> None:
    files, _ = _files(api)
    keys = api.backends.keys
    with unit_of_work(api.backends.sessions) as session:
        names = rotation.key_names(session)
    rotation.rotate(keys, names)
    rewrap = keys.rewrap
    raced: list[str] = []

    def racing(name: str, wrapped: str, context: bytes) -> str:
        # Another rewrap (a second operator's run) writes this row first.
        new = rewrap(name, wrapped, context)
        if not raced:
            with unit_of_work(api.backends.sessions) as session:
                row = session.scalars(
                    select(DocumentVersion).where(DocumentVersion.wrapped_key == wrapped)
                ).one()
                row.wrapped_key = rewrap(name, wrapped, context)
                raced.append(row.wrapped_key)
        return new

    api.backends.keys.rewrap = racing  # type: ignore[method-assign]
    done = rotation.rewrap(api.backends.sessions, keys, names)

    assert (done.moved, done.changed) == (3, 1)
    with unit_of_work(api.backends.sessions) as session:
        assert raced[0] in set(session.scalars(select(DocumentVersion.wrapped_key)))
    _reads_byte_exact(api, files)
