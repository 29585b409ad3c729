"""The session cache's own bounds (``resolvers/accounts/sessions.py``): age, size, the
eviction race and copies. Rows are model instances built in memory (the app fixture
only initialises Tortoise's models); a settable clock stands for time."""

from __future__ import annotations

from typing import Any

from models.accounts import AuthToken, User
from resolvers.accounts.access import Session
from resolvers.accounts.sessions import SessionCache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def session_of(user_id: int) -> Session:
    user = User(id=user_id, email=f"u{user_id}@mail.test", display_name=f"U{user_id}", password_hash="")
    user._saved_in_db = True  # stands for a row read from the database
    return Session(user=user, token=AuthToken(id=user_id * 10, user=user, token_hash=f"h{user_id}"))


async def test_an_entry_lives_for_the_configured_seconds(app: Any) -> None:
    clock = Clock()
    cache = SessionCache(30, clock=clock)
    cache.put("a", session_of(1), cache.generation)
    clock.now += 29.9
    hit = cache.get("a")
    assert hit is not None and hit.user.pk == 1
    clock.now += 0.1
    assert cache.get("a") is None and len(cache) == 0


async def test_expired_entries_are_dropped_without_being_looked_up(app: Any) -> None:
    # given: N tokens read once (subscribers that connected and left), then 3 fresh ones
    clock = Clock()
    cache = SessionCache(30, clock=clock)
    for n in range(50):
        cache.put(f"old{n}", session_of(n), cache.generation)
    clock.now += 20
    for n in range(3):
        cache.put(f"new{n}", session_of(100 + n), cache.generation)
    clock.now += 10
    # when: the idle trim asks the cache to forget what expired
    dropped = cache.drop_expired()
    # then: what is left does not depend on N, and the fresh entries still answer
    assert (dropped, len(cache), len(cache._by_user)) == (50, 3, 3)
    assert all(cache.get(f"new{n}") is not None for n in range(3))


async def test_the_least_recently_used_token_goes_first(app: Any) -> None:
    cache = SessionCache(30, size=2)
    cache.put("a", session_of(1), cache.generation)
    cache.put("b", session_of(2), cache.generation)
    assert cache.get("a") is not None
    cache.put("c", session_of(3), cache.generation)
    assert len(cache) == 2 and cache.get("b") is None and cache.get("a") is not None


async def test_a_read_that_started_before_an_eviction_is_not_stored(app: Any) -> None:
    cache = SessionCache(30)
    started = cache.generation
    cache.evict_users([7])  # announced while the request was reading the database
    cache.put("a", session_of(1), started)
    assert cache.get("a") is None
    cache.put("a", session_of(1), cache.generation)
    assert cache.get("a") is not None


async def test_eviction_forgets_every_token_of_the_account(app: Any) -> None:
    cache = SessionCache(30)
    cache.put("a", session_of(1), cache.generation)
    cache.put("a2", session_of(1), cache.generation)
    cache.put("b", session_of(2), cache.generation)
    cache.evict_users([1])
    assert cache.get("a") is None and cache.get("a2") is None and cache.get("b") is not None


async def test_nothing_is_used_while_the_broker_is_not_listening(app: Any) -> None:
    listening = [True]
    cache = SessionCache(30, trusted=lambda: listening[0])
    cache.put("a", session_of(1), cache.generation)
    listening[0] = False
    assert cache.get("a") is None
    cache.put("a", session_of(1), cache.generation)
    assert len(cache) == 0


async def test_each_hit_is_a_copy(app: Any) -> None:
    cache = SessionCache(30)
    cache.put("a", session_of(1), cache.generation)
    first = cache.get("a")
    assert first is not None
    first.user.display_name = "changed by one request"
    second = cache.get("a")
    assert second is not None and second.user.display_name == "U1"
    assert second.token.user is second.user and second.user is not first.user


def test_the_token_digest_is_hmac_sha256_by_the_secret_key() -> None:
    # token_digest keeps HMAC's padded-key hashes per secret key; stored digests must not change
    import hashlib
    import hmac
    from types import SimpleNamespace

    from resolvers.accounts.access import token_digest

    for key in ("", "short", "k" * 64, "long-" * 20, "clé-é"):
        for raw in ("", "ofw_" + "a" * 43, "é" * 300):
            expected = hmac.new(key.encode(), raw.encode(), hashlib.sha256).hexdigest()
            assert token_digest(SimpleNamespace(secret_key=key), raw) == expected
