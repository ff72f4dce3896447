"""The data-key cache: every bound holds, rotation empties it, and it never widens access.

Whether a key came from the cache is seen by taking the key service away after filling it: the
local keyring's file is moved aside (the keyring then knows no key), OpenBao is sealed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import hvac
import pytest

from storage.config import StorageSettings
from storage.crypto import new_data_key
from storage.errors import BackendUnavailable, IntegrityError, NotFound
from storage.keycache import CacheBounds, CachingKeyProvider
from storage.keyring import LocalKeyring
from storage.keys import key_provider
from storage.transit import TransitKeyProvider
from tests.servers import KmsServer, restartable_openbao

BOUNDS = CacheBounds(max_age=60, max_uses=100, max_bytes=1 << 20, max_entries=10)


class Clock:
    """A monotonic clock the test moves forward."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def keyring(tmp_path: Path) -> LocalKeyring:
    """The embedded deployment's key provider."""
    return LocalKeyring(tmp_path / "keyring.json")


def _cache(
    keyring: LocalKeyring, clock: Clock | None = None, **bounds: float
) -> CachingKeyProvider:
    chosen = CacheBounds(**{**BOUNDS.__dict__, **bounds})
    return CachingKeyProvider(keyring, chosen, clock or Clock())


def _lose_keyring(tmp_path: Path) -> None:
    """The key service stops knowing any key: only the cache can still answer."""
    (tmp_path / "keyring.json").rename(tmp_path / "keyring.moved")


def _wrapped(cache: CachingKeyProvider, context: bytes = b"doc/1") -> tuple[str, str, bytes]:
    name = f"customer-{uuid.uuid4()}"
    cache.create_key(name)
    data_key = new_data_key()
    return name, cache.wrap(name, data_key, context), data_key


def test_a_cached_key_is_served_while_the_key_service_is_away(
    keyring: LocalKeyring, tmp_path: Path
) -> None:
    cache = _cache(keyring)
    name, wrapped, data_key = _wrapped(cache)
    _lose_keyring(tmp_path)
    assert cache.unwrap_for(name, wrapped, b"doc/1", 1000) == data_key
    with pytest.raises(NotFound):  # a read of unknown length never uses the cache
        cache.unwrap(name, wrapped, b"doc/1")


def test_a_key_is_not_served_after_its_maximum_age(keyring: LocalKeyring, tmp_path: Path) -> None:
    clock = Clock()
    cache = _cache(keyring, clock, max_age=30)
    name, wrapped, data_key = _wrapped(cache)
    clock.now += 29.9
    assert cache.unwrap_for(name, wrapped, b"doc/1", 10) == data_key
    clock.now += 0.1
    _lose_keyring(tmp_path)
    with pytest.raises(NotFound):
        cache.unwrap_for(name, wrapped, b"doc/1", 10)


def test_a_key_serves_at_most_its_maximum_uses(keyring: LocalKeyring, tmp_path: Path) -> None:
    cache = _cache(keyring, max_uses=3)
    name, wrapped, data_key = _wrapped(cache)
    _lose_keyring(tmp_path)
    for _ in range(3):
        assert cache.unwrap_for(name, wrapped, b"doc/1", 10) == data_key
    with pytest.raises(NotFound):
        cache.unwrap_for(name, wrapped, b"doc/1", 10)


def test_an_unwrapped_key_counts_its_own_read(keyring: LocalKeyring, tmp_path: Path) -> None:
    cache = _cache(keyring, max_uses=2)
    name = f"customer-{uuid.uuid4()}"
    keyring.create_key(name)
    data_key = new_data_key()
    wrapped = keyring.wrap(name, data_key, b"doc/1")  # not through the cache
    assert cache.unwrap_for(name, wrapped, b"doc/1", 10) == data_key
    _lose_keyring(tmp_path)
    assert cache.unwrap_for(name, wrapped, b"doc/1", 10) == data_key
    with pytest.raises(NotFound):
        cache.unwrap_for(name, wrapped, b"doc/1", 10)


def test_a_key_decrypts_at_most_its_maximum_bytes(keyring: LocalKeyring, tmp_path: Path) -> None:
    cache = _cache(keyring, max_bytes=100)
    name, wrapped, data_key = _wrapped(cache)
    big_name, big_wrapped, _ = _wrapped(cache)
    assert cache.unwrap_for(big_name, big_wrapped, b"doc/1", 101)  # too big to be remembered
    _lose_keyring(tmp_path)
    assert cache.unwrap_for(name, wrapped, b"doc/1", 60) == data_key
    assert cache.unwrap_for(name, wrapped, b"doc/1", 40) == data_key
    with pytest.raises(NotFound):
        cache.unwrap_for(name, wrapped, b"doc/1", 1)
    with pytest.raises(NotFound):
        cache.unwrap_for(big_name, big_wrapped, b"doc/1", 1)


def test_the_least_recently_used_key_leaves_a_full_cache(
    keyring: LocalKeyring, tmp_path: Path
) -> None:
    cache = _cache(keyring, max_entries=2)
    first, second = _wrapped(cache), _wrapped(cache)
    cache.unwrap_for(first[0], first[1], b"doc/1", 1)  # first is now the more recently used
    third = _wrapped(cache)
    assert len(cache) == 2
    _lose_keyring(tmp_path)
    for name, wrapped, data_key in (first, third):
        assert cache.unwrap_for(name, wrapped, b"doc/1", 1) == data_key
    with pytest.raises(NotFound):
        cache.unwrap_for(second[0], second[1], b"doc/1", 1)


def test_rotation_empties_the_cache(keyring: LocalKeyring, tmp_path: Path) -> None:
    cache = _cache(keyring)
    name, wrapped, _ = _wrapped(cache)
    other = _wrapped(cache)
    assert cache.rotate(name) == 2
    assert len(cache) == 0
    _lose_keyring(tmp_path)
    for key_name, key in ((name, wrapped), other[:2]):
        with pytest.raises(NotFound):
            cache.unwrap_for(key_name, key, b"doc/1", 1)


def test_a_wrong_context_never_gets_a_cached_key(kms_server: KmsServer) -> None:
    transit = TransitKeyProvider(url=kms_server.url, token=kms_server.token)
    cache = CachingKeyProvider(transit, BOUNDS)
    name, wrapped, data_key = _wrapped(cache, b"doc/1")
    assert cache.unwrap_for(name, wrapped, b"doc/1", 1) == data_key
    with pytest.raises(IntegrityError):
        cache.unwrap_for(name, wrapped, b"doc/2", 1)
    other = f"customer-{uuid.uuid4()}"
    cache.create_key(other)
    with pytest.raises(IntegrityError):
        cache.unwrap_for(other, wrapped, b"doc/1", 1)


@pytest.fixture
def sealable_openbao(tmp_path: Path) -> Iterator[tuple[TransitKeyProvider, hvac.Client]]:
    """A Transit provider on an OpenBao of its own, and the root client that can seal it."""
    with restartable_openbao(tmp_path / "bao") as (server, _, root):
        yield TransitKeyProvider(url=server.url, token=server.token), root


def test_an_outage_fails_closed_for_keys_not_cached(
    sealable_openbao: tuple[TransitKeyProvider, hvac.Client],
) -> None:
    transit, root = sealable_openbao
    cache = CachingKeyProvider(transit, BOUNDS)
    name, cached, data_key = _wrapped(cache)
    not_cached = transit.wrap(name, new_data_key(), b"doc/2")
    root.sys.seal()  # type: ignore[no-untyped-call]
    assert cache.unwrap_for(name, cached, b"doc/1", 1) == data_key
    with pytest.raises(BackendUnavailable):
        cache.unwrap_for(name, not_cached, b"doc/2", 1)
    with pytest.raises(BackendUnavailable):
        cache.wrap(name, new_data_key(), b"doc/3")


def test_the_cache_is_on_by_default_and_can_be_turned_off(tmp_path: Path) -> None:
    assert isinstance(key_provider(StorageSettings(data_dir=tmp_path)), CachingKeyProvider)
    off = StorageSettings(data_dir=tmp_path, key_cache_max_age=0)
    assert not isinstance(key_provider(off), CachingKeyProvider)
