"""One contract for every key provider, run against the local keyring and real OpenBao."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from storage.batchkeys import BatchBounds, BatchingKeyProvider
from storage.crypto import new_data_key
from storage.errors import BackendUnavailable, IntegrityError, NotFound
from storage.keyring import LocalKeyring
from storage.keys import KeyProvider
from storage.transit import TransitKeyProvider
from tests.servers import KmsServer, free_port


@pytest.fixture(params=["keyring", "openbao", "keyring, batched", "openbao, batched"])
def keys(request: pytest.FixtureRequest, tmp_path: Path) -> KeyProvider:
    """A key provider of each kind, and each under batch keys (the contract is the same)."""
    service: KeyProvider
    if request.param.startswith("keyring"):
        service = LocalKeyring(tmp_path / "keyring.json")
    else:
        server: KmsServer = request.getfixturevalue("kms_server")
        service = TransitKeyProvider(url=server.url, token=server.token)
    if request.param.endswith("batched"):
        return BatchingKeyProvider(service, BatchBounds(max_age=60, max_uses=100, max_entries=10))
    return service


@pytest.fixture
def name(keys: KeyProvider) -> str:
    """A freshly created customer key."""
    created = f"customer-{uuid.uuid4()}"
    keys.create_key(created)
    return created


def test_a_wrapped_key_unwraps_to_the_same_key(keys: KeyProvider, name: str) -> None:
    data_key = new_data_key()
    wrapped = keys.wrap(name, data_key, b"doc/1")
    assert data_key.hex() not in wrapped
    assert keys.unwrap(name, wrapped, b"doc/1") == data_key
    assert keys.key_version(wrapped) == 1


def test_creating_a_key_twice_keeps_the_first(keys: KeyProvider, name: str) -> None:
    data_key = new_data_key()
    wrapped = keys.wrap(name, data_key, b"doc/1")
    keys.create_key(name)
    assert keys.unwrap(name, wrapped, b"doc/1") == data_key


def test_a_wrapped_key_is_bound_to_its_context(keys: KeyProvider, name: str) -> None:
    wrapped = keys.wrap(name, new_data_key(), b"doc/1")
    with pytest.raises(IntegrityError):
        keys.unwrap(name, wrapped, b"doc/2")


def test_a_wrapped_key_is_bound_to_its_customer(keys: KeyProvider, name: str) -> None:
    other = f"customer-{uuid.uuid4()}"
    keys.create_key(other)
    wrapped = keys.wrap(name, new_data_key(), b"doc/1")
    with pytest.raises(IntegrityError):
        keys.unwrap(other, wrapped, b"doc/1")


def test_a_tampered_wrapped_key_is_refused(keys: KeyProvider, name: str) -> None:
    wrapped = keys.wrap(name, new_data_key(), b"doc/1")
    scheme, version, body = wrapped.split(":", 2)
    flipped = body[:10] + ("A" if body[10] != "A" else "B") + body[11:]
    with pytest.raises(IntegrityError):
        keys.unwrap(name, f"{scheme}:{version}:{flipped}", b"doc/1")
    with pytest.raises(IntegrityError):
        keys.unwrap(name, "not a wrapped key", b"doc/1")


def test_rotation_rewraps_without_losing_old_keys(keys: KeyProvider, name: str) -> None:
    data_key = new_data_key()
    old = keys.wrap(name, data_key, b"doc/1")
    assert keys.rotate(name) == 2
    assert keys.key_version(keys.wrap(name, new_data_key(), b"doc/2")) == 2
    assert keys.unwrap(name, old, b"doc/1") == data_key
    new = keys.rewrap(name, old, b"doc/1")
    assert keys.key_version(new) == 2
    assert new != old
    assert keys.unwrap(name, new, b"doc/1") == data_key


def test_an_unknown_key_is_not_found(keys: KeyProvider, name: str) -> None:
    wrapped = keys.wrap(name, new_data_key(), b"doc/1")
    with pytest.raises(NotFound):
        keys.unwrap(f"customer-{uuid.uuid4()}", wrapped, b"doc/1")


def test_an_unreachable_key_service_is_unavailable() -> None:
    keys = TransitKeyProvider(url=f"http://127.0.0.1:{free_port()}", token="root")
    with pytest.raises(BackendUnavailable):
        keys.create_key("customer-x")


def test_a_wrong_token_is_unavailable_not_a_crash(kms_server: KmsServer) -> None:
    keys = TransitKeyProvider(url=kms_server.url, token="not-the-token")
    with pytest.raises(BackendUnavailable):
        keys.create_key("customer-x")


def test_the_deployment_policy_lets_no_key_appear_by_use(kms_server: KmsServer) -> None:
    keys = TransitKeyProvider(url=kms_server.url, token=kms_server.token)
    with pytest.raises(BackendUnavailable):
        keys.wrap(f"customer-{uuid.uuid4()}", new_data_key(), b"doc/1")


def test_the_keyring_file_is_private(tmp_path: Path) -> None:
    LocalKeyring(tmp_path / "keyring.json").create_key("customer-x")
    assert (tmp_path / "keyring.json").stat().st_mode & 0o077 == 0
