"""The per-process session cache: bearer token digest → the ``Session`` it proved.

Reading the token row (and its user) is the one database round trip every signed-in
request pays before any work: on SQLite it is also a hop to aiosqlite's thread. The cache
answers a repeated token from memory instead, under these bounds:

- **Size**: at most ``SESSION_CACHE_SIZE`` (10,000) tokens, least recently used first out.
- **Age**: an entry is trusted for ``SESSION_CACHE_SECONDS`` (a setting, 30 s by default;
  0 turns the cache off) after it was read from the database — a backstop only. An
  expired entry is dropped when it is next looked up, and every expired entry when the
  worker's last WebSocket has closed (``drop_expired``, from ``graph.memory.IdleTrim``):
  the sessions of 200 subscribers who left stayed otherwise until 10,000 newer tokens
  pushed them out, their rows scattered over the heap (issue 21).
- **Eviction**: every change that revokes a token or changes what a signed-in viewer may
  do (``logOut``, removal from or leaving a company, account deletion, suspension, a role
  change, email confirmation, an accepted join request) is announced on the ``sessions``
  channel (``resolvers.accounts.events.announce_viewers_changed``); every process evicts
  that account's entries when it hears it (``subscriptions.accounts.session_evictions``),
  the announcing process before its own request answers. A broker reconnection may
  have lost announcements: it clears the cache. While the broker is not listening, the
  cache is not used at all (``trusted``).
- **Outages**: a worker that finds its database unreachable (``/readyz``, or a request
  failing outside GraphQL) clears the cache, so signed-in requests answer
  SERVICE_UNAVAILABLE as they would without it; it refills only from successful reads.
- **Races**: a request that missed, read the database and only then saw an eviction for
  any account does not store what it read (``generation``): a read that started before a
  revocation never outlives it in the cache.

Entries hold model instances; each hit gets shallow copies, so a request that sets an
attribute on its viewer never changes another request's.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from models.accounts import AuthToken, User

SESSION_CACHE_SIZE = 10_000
T = TypeVar("T", User, AuthToken)


@dataclass(frozen=True)
class Session:
    """A signed-in viewer and the token that proved it (``resolvers.accounts.access``)."""

    user: User
    token: AuthToken


def shallow_copy(row: T) -> T:
    """What ``copy.copy`` makes of a model instance (Tortoise models keep their state in
    ``__dict__`` and define no copy hooks), in a third of its time: this runs twice per
    cached request."""
    clone: T = object.__new__(type(row))
    clone.__dict__.update(row.__dict__)
    return clone


def _always() -> bool:
    return True


class SessionCache:
    """Token digest → (session, read at, the token's attributes holding its user); see
    the module docstring for the bounds."""

    def __init__(
        self,
        seconds: float,
        *,
        size: int = SESSION_CACHE_SIZE,
        clock: Callable[[], float] = time.monotonic,
        trusted: Callable[[], bool] = _always,
    ) -> None:
        self.seconds = seconds
        self.size = size
        self._clock = clock
        self._trusted = trusted
        self._entries: OrderedDict[str, tuple[Session, float, tuple[str, ...]]] = OrderedDict()
        self._by_user: dict[int, set[str]] = {}
        # Counts evictions and clears: a read that started before one is not stored.
        self.generation = 0

    @property
    def enabled(self) -> bool:
        return self.seconds > 0 and self._trusted()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, digest: str) -> Session | None:
        """The cached session of ``digest`` (copies of its rows), or ``None``."""
        entry = self._entries.get(digest)
        if entry is None:
            return None
        session, read_at, user_slots = entry
        if self._clock() - read_at >= self.seconds or not self._trusted():
            self._drop(digest)
            return None
        self._entries.move_to_end(digest)
        user, token = shallow_copy(session.user), shallow_copy(session.token)
        attributes = token.__dict__
        for name in user_slots:  # the token's fetched ``user`` is this copy too
            attributes[name] = user
        return Session(user=user, token=token)

    def put(self, digest: str, session: Session, generation: int) -> None:
        """Store ``session``, read from the database after ``generation`` was current;
        nothing is stored if an eviction happened meanwhile or the cache is off."""
        if generation != self.generation or not self.enabled:
            return
        self._drop(digest)
        # The token's attributes holding the user (its fetched relation), found once here
        # rather than by scanning the token's attributes on every hit.
        user_slots = tuple(name for name, value in session.token.__dict__.items() if value is session.user)
        self._entries[digest] = (session, self._clock(), user_slots)
        self._by_user.setdefault(session.user.pk, set()).add(digest)
        while len(self._entries) > self.size:
            self._drop(next(iter(self._entries)))

    def drop_expired(self) -> int:
        """Forget every entry older than ``seconds`` (one pass over the entries); returns
        how many were dropped."""
        now = self._clock()
        expired = [digest for digest, (_, read_at, _) in self._entries.items() if now - read_at >= self.seconds]
        for digest in expired:
            self._drop(digest)
        return len(expired)

    def evict_users(self, user_ids: Iterable[int]) -> None:
        """Forget every token of these accounts."""
        self.generation += 1
        for user_id in user_ids:
            for digest in self._by_user.pop(user_id, ()):
                self._entries.pop(digest, None)

    def clear(self) -> None:
        self.generation += 1
        self._entries.clear()
        self._by_user.clear()

    def _drop(self, digest: str) -> None:
        entry = self._entries.pop(digest, None)
        if entry is None:
            return
        user_id = entry[0].user.pk
        digests = self._by_user.get(user_id)
        if digests is not None:
            digests.discard(digest)
            if not digests:
                del self._by_user[user_id]
