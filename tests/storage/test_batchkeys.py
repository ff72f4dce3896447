"""Batch keys: one key-service wrap serves many uploads, within bounds, and shredding still works.

Whether the key service was asked is seen by taking it away: the local keyring's file is moved
aside (it then knows no key). The contract every provider keeps, batched or not, is in
`test_key_providers.py`.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import hvac
import pytest

from storage.batchkeys import BatchBounds, BatchingKeyProvider
from storage.config import StorageSettings
from storage.crypto import new_data_key
from storage.errors import IntegrityError, NotFound
from storage.keycache import CachingKeyProvider
from storage.keyring import LocalKeyring
from storage.keys import key_provider
from storage.transit import TransitKeyProvider
from tests.servers import KmsServer

BOUNDS = BatchBounds(max_age=60, max_uses=100, max_entries=10)


class Clock:
    """A monotonic clock the test moves forward."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _customer(keys: BatchingKeyProvider | LocalKeyring) -> str:
    name = f"customer-{uuid.uuid4()}"
    keys.create_key(name)
    return name


def _batched(tmp_path: Path, clock: Clock | None = None, **bounds: float) -> BatchingKeyProvider:
    chosen = BatchBounds(**{**BOUNDS.__dict__, **bounds})
    return BatchingKeyProvider(LocalKeyring(tmp_path / "keyring.json"), chosen, clock or Clock())


def _lose_keyring(tmp_path: Path) -> None:
    (tmp_path / "keyring.json").rename(tmp_path / "keyring.moved")


def _regain_keyring(tmp_path: Path) -> None:
    (tmp_path / "keyring.moved").rename(tmp_path / "keyring.json")


def test_uploads_in_a_batch_need_the_key_service_once_and_keep_keys_of_their_own(
    tmp_path: Path,
) -> None:
    keys = _batched(tmp_path)
    name = _customer(keys)
    first_key = new_data_key()
    first = keys.wrap(name, first_key, b"doc/1")
    _lose_keyring(tmp_path)
    data_keys = [new_data_key() for _ in range(5)]
    wrapped = [keys.wrap(name, key, f"doc/{i + 2}".encode()) for i, key in enumerate(data_keys)]
    _regain_keyring(tmp_path)
    for i, (key, form) in enumerate(zip(data_keys, wrapped, strict=True)):
        assert keys.unwrap(name, form, f"doc/{i + 2}".encode()) == key
    assert keys.unwrap(name, first, b"doc/1") == first_key
    assert len(set(wrapped)) == 5
    # Each row's key is its own: one version's wrapped key does not open another's row.
    with pytest.raises(IntegrityError):
        keys.unwrap(name, wrapped[0], b"doc/3")


def test_a_batch_ends_at_its_maximum_age(tmp_path: Path) -> None:
    clock = Clock()
    keys = _batched(tmp_path, clock, max_age=30)
    name = _customer(keys)
    keys.wrap(name, new_data_key(), b"doc/1")
    clock.now += 29.9
    _lose_keyring(tmp_path)
    keys.wrap(name, new_data_key(), b"doc/2")
    clock.now += 0.1
    with pytest.raises(NotFound):
        keys.wrap(name, new_data_key(), b"doc/3")


def test_a_batch_wraps_at_most_its_maximum_uses(tmp_path: Path) -> None:
    keys = _batched(tmp_path, max_uses=3)
    name = _customer(keys)
    keys.wrap(name, new_data_key(), b"doc/1")
    _lose_keyring(tmp_path)
    for version in (2, 3):
        keys.wrap(name, new_data_key(), f"doc/{version}".encode())
    with pytest.raises(NotFound):
        keys.wrap(name, new_data_key(), b"doc/4")


def test_the_oldest_batch_leaves_when_too_many_customers_have_one(tmp_path: Path) -> None:
    keys = _batched(tmp_path, max_entries=2)
    first, second, third = _customer(keys), _customer(keys), _customer(keys)
    for name in (first, second, third):
        keys.wrap(name, new_data_key(), b"doc/1")
    _lose_keyring(tmp_path)
    for name in (second, third):
        keys.wrap(name, new_data_key(), b"doc/2")
    with pytest.raises(NotFound):
        keys.wrap(first, new_data_key(), b"doc/2")


def test_rotation_ends_the_batch(tmp_path: Path) -> None:
    keys = _batched(tmp_path)
    name = _customer(keys)
    old = keys.wrap(name, new_data_key(), b"doc/1")
    assert keys.rotate(name) == 2
    assert keys.key_version(old) == 1
    assert keys.key_version(keys.wrap(name, new_data_key(), b"doc/2")) == 2


def test_keys_wrapped_with_batching_on_or_off_read_either_way(tmp_path: Path) -> None:
    on = _batched(tmp_path)
    off = BatchingKeyProvider(LocalKeyring(tmp_path / "keyring.json"), None)
    name = _customer(on)
    by_on, by_off = new_data_key(), new_data_key()
    batched = on.wrap(name, by_on, b"doc/1")
    single = off.wrap(name, by_off, b"doc/2")
    assert batched.startswith("dgb:")
    assert single.startswith("dgk:")
    assert off.unwrap(name, batched, b"doc/1") == by_on
    assert on.unwrap(name, single, b"doc/2") == by_off


def test_a_malformed_batch_form_is_refused(tmp_path: Path) -> None:
    keys = _batched(tmp_path)
    name = _customer(keys)
    for wrapped in ("dgb:", "dgb:not base64!:dgk:v1:AAAA", "dgb:AAAA:"):
        with pytest.raises(IntegrityError):
            keys.unwrap(name, wrapped, b"doc/1")


def test_destroying_a_customer_key_shreds_every_batch_under_it(kms_server: KmsServer) -> None:
    # A copy of the database taken before disposal holds the batch-wrapped keys: with the
    # customer's key gone from the key service they open nothing, the same as unbatched ones.
    transit = TransitKeyProvider(url=kms_server.url, token=kms_server.token)
    keys = BatchingKeyProvider(transit, BOUNDS)
    name, kept = _customer(keys), _customer(keys)
    doomed = keys.wrap(name, new_data_key(), b"doc/1")
    kept_key = new_data_key()
    survivor = keys.wrap(kept, kept_key, b"doc/1")
    root = hvac.Client(url=kms_server.url, token=kms_server.root_token)
    root.secrets.transit.update_key_configuration(name=name, deletion_allowed=True)  # type: ignore[no-untyped-call]
    root.secrets.transit.delete_key(name=name)  # type: ignore[no-untyped-call]
    service = TransitKeyProvider(url=kms_server.url, token=kms_server.token)
    fresh = BatchingKeyProvider(service, BOUNDS)
    with pytest.raises(NotFound):
        fresh.unwrap(name, doomed, b"doc/1")
    assert fresh.unwrap(kept, survivor, b"doc/1") == kept_key


def test_the_deployment_batches_behind_the_cache_and_either_can_be_turned_off(
    tmp_path: Path,
) -> None:
    default = key_provider(StorageSettings(data_dir=tmp_path))
    assert isinstance(default, CachingKeyProvider)
    name = f"customer-{uuid.uuid4()}"
    default.create_key(name)
    assert default.wrap(name, new_data_key(), b"doc/1").startswith("dgb:")
    unbatched = key_provider(StorageSettings(data_dir=tmp_path, key_batch_max_age=0))
    assert unbatched.wrap(name, new_data_key(), b"doc/2").startswith("dgk:")
    uncached = key_provider(StorageSettings(data_dir=tmp_path, key_cache_max_age=0))
    assert isinstance(uncached, BatchingKeyProvider)
