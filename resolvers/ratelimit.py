"""A brake on floods of the mutations that cost (sign-up, sign-in, contact requests,
messages, offers), on top of each feature's exact quotas (failed sign-ins per email and
address, messages per user per minute, contact requests per company per week, offers per
company per hour), which live in the database and hold across workers.

Who is counted:

- **Anonymous work** (``signUp``, ``logIn``) per client address: there is nobody else to
  count, and these are what a flood from one address sends.
- **Signed-in work** (``startConversation``, ``sendMessage``, ``extendOffer``, ``reportContent``) per user:
  everyone behind one office NAT shares an address, and keying their work by address made
  colleagues use up each other's allowance. Without a valid session these count per
  address (they are refused as UNAUTHENTICATED anyway).

Where the counts live: ``memory://`` brokers keep them in the process (an address or user
gets the limit per worker); with ``BROADCAST_URL=redis://…`` every worker shares one fixed
window per key in Redis (``INCRBY`` + ``EXPIRE`` in one script). If Redis does not answer,
the call is allowed and a warning logged: this is a brake, the exact quotas are in the
database.

Bounds: fixed windows of ``window`` seconds; the in-memory counter keeps at most
``MAX_KEYS`` keys (the least recently used are dropped first); Redis keys expire with
their window.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    parse,
)

logger = logging.getLogger("openforwork.ratelimit")

ANONYMOUS_MUTATIONS = frozenset({"signUp", "logIn"})
SIGNED_IN_MUTATIONS = frozenset({"startConversation", "sendMessage", "extendOffer", "reportContent"})
COSTLY_MUTATIONS = ANONYMOUS_MUTATIONS | SIGNED_IN_MUTATIONS
MAX_KEYS = 50_000


class WindowCounter(Protocol):
    async def take(self, key: str, cost: int = 1) -> float | None:
        """Count ``cost`` calls for ``key``; None when allowed, else seconds until the window resets."""

    async def aclose(self) -> None: ...


@dataclass
class MemoryWindowCounter:
    """``limit`` calls per key per ``window`` seconds, in this process."""

    limit: int
    window: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _counts: OrderedDict[str, tuple[float, int]] = field(default_factory=OrderedDict)

    def take_now(self, key: str, cost: int = 1) -> float | None:
        now = self.clock()
        start, count = self._counts.get(key, (now, 0))
        if now - start >= self.window:
            start, count = now, 0
        if count + cost > self.limit:
            return max(0.0, self.window - (now - start))
        self._counts[key] = (start, count + cost)
        self._counts.move_to_end(key)
        while len(self._counts) > MAX_KEYS:
            self._counts.popitem(last=False)
        return None

    async def take(self, key: str, cost: int = 1) -> float | None:
        return self.take_now(key, cost)

    async def aclose(self) -> None:
        return None


# KEYS[1] the window's key; ARGV[1] cost, ARGV[2] limit, ARGV[3] window in ms.
# Refused calls are not counted (DECRBY), so a flood does not push its own window out.
_TAKE_SCRIPT = """
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
if count == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
if count > tonumber(ARGV[2]) then
  redis.call('DECRBY', KEYS[1], ARGV[1])
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) ttl = tonumber(ARGV[3]) end
  return ttl
end
return -1
"""


class RedisWindowCounter:
    """``limit`` calls per key per ``window`` seconds, shared by every worker using ``url``."""

    def __init__(self, url: str, limit: int, window: float = 60.0, prefix: str = "ofw:") -> None:
        import redis.asyncio as redis

        self.limit = limit
        self.window = window
        self.prefix = f"{prefix}ratelimit:"
        self._client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        self._script = self._client.register_script(_TAKE_SCRIPT)

    async def take(self, key: str, cost: int = 1) -> float | None:
        if cost > self.limit:
            return self.window
        try:
            ttl_ms = int(await self._script(keys=[self.prefix + key], args=[cost, self.limit, int(self.window * 1000)]))
        except Exception as exc:  # Redis down: allow (the database quotas still hold)
            logger.warning("rate limit counter unavailable, allowing: %r", exc)
            return None
        return None if ttl_ms < 0 else ttl_ms / 1000

    async def aclose(self) -> None:
        await self._client.aclose()


def window_counter(url: str, limit: int, window: float = 60.0, prefix: str = "ofw:") -> WindowCounter:
    """A Redis-shared counter for ``redis://`` URLs, else an in-process one."""
    if url.startswith(("redis://", "rediss://")):
        return RedisWindowCounter(url, limit, window, prefix)
    return MemoryWindowCounter(limit, window)


@lru_cache(maxsize=1_000)
def costly_mutations(query: str) -> tuple[tuple[str, int], ...]:
    """How many calls of each costly root mutation field a document makes: aliases count
    each, and fields reached through fragment spreads and inline fragments count too (a
    field selected twice under one response name runs once, so it counts once).

    Runs before validation, so it stays cheap on any text: a document naming none of the
    costly mutations is not parsed; parsing stops at 20,000 tokens (beyond, the token
    limit refuses the document anyway); each fragment is read once. Cached for the last
    1,000 documents."""
    if not any(name in query for name in COSTLY_MUTATIONS):
        return ()
    try:
        document = parse(query, max_tokens=20_000)
    except GraphQLError:
        return ()  # the real execution answers with the syntax error
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    counts: dict[str, int] = {}
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode) or definition.operation != OperationType.MUTATION:
            continue
        costly: dict[str, str] = {}  # response name -> field name
        seen: set[str] = set()
        pending: list[SelectionSetNode] = [definition.selection_set]
        while pending:
            for selection in pending.pop().selections:
                if isinstance(selection, FieldNode):
                    if selection.name.value in COSTLY_MUTATIONS:
                        costly[(selection.alias or selection.name).value] = selection.name.value
                elif isinstance(selection, InlineFragmentNode):
                    pending.append(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    if name in fragments and name not in seen:
                        seen.add(name)
                        pending.append(fragments[name].selection_set)
        for field_name in costly.values():
            counts[field_name] = counts.get(field_name, 0) + 1
    return tuple(counts.items())


def charges(counts: Iterable[tuple[str, int]], user_id: int | None, address: str) -> dict[str, int]:
    """The counter keys to charge for ``counts`` (see the module docstring), with their cost."""
    keys: dict[str, int] = {}
    for name, cost in counts:
        key = f"user:{user_id}" if name in SIGNED_IN_MUTATIONS and user_id is not None else f"address:{address}"
        keys[key] = keys.get(key, 0) + cost
    return keys
