"""What the steps of one run share (the server, the accounts and ids handed on) and the
small tools every step uses. Mirrors ../typescript/src/world.ts."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from openforwork_client import Client, UserErrorFields

PASSWORD = "correct horse battery staple"
T = TypeVar("T")


@dataclass
class Account:
    id: str
    email: str
    token: str


@dataclass
class World:
    url: str
    # Unique per run, so runs against a long-lived server never collide on emails.
    run_id: str = field(default_factory=lambda: secrets.token_hex(6))
    candidate: Account | None = None
    employer: Account | None = None
    # A second candidate, so that search has two results to page through.
    other_candidate: Account | None = None
    profile_id: str | None = None
    other_profile_id: str | None = None
    # The search that finds both candidates: keyword arguments of client.search_candidates
    # (ariadne-codegen names the `filter` argument `filter_`).
    search: dict[str, Any] = field(default_factory=dict)
    # The Profile ID the employer picked from the search results.
    found_profile_id: str | None = None
    conversation_id: str | None = None
    # The employer's first message (startConversation) and the last one the candidate heard live.
    first_message_id: str | None = None
    last_heard_message_id: str | None = None
    offer_id: str | None = None

    @property
    def ws_url(self) -> str:
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(scheme="wss" if parts.scheme == "https" else "ws"))

    @property
    def run_word(self) -> str:
        """A word only this run's profiles contain, so searches ignore everyone else."""
        return f"run{self.run_id}"

    def client(self, token: str | None = None) -> Client:
        """HTTP with ``Authorization: Bearer``; WebSocket with the connection_init payload."""
        bearer = {"authorization": f"Bearer {token}"} if token else {}
        return Client(url=self.url, headers=bearer, ws_url=self.ws_url, ws_connection_init_payload=bearer)


Step = Callable[[World], Awaitable[str]]


class Steps(list[tuple[str, Step]]):
    """A feature's steps in order; ``@steps("name")`` appends one."""

    def __call__(self, name: str) -> Callable[[Step], Step]:
        def register(fn: Step) -> Step:
            self.append((name, fn))
            return fn

        return register


def check(condition: object, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def need(value: T | None, what: str) -> T:
    if value is None:
        raise AssertionError(f"missing {what}")
    return value


def no_user_errors(errors: Sequence[UserErrorFields]) -> None:
    check(not errors, f"userErrors: {errors}")


async def next_event(events: AsyncIterator[T], what: str, seconds: float = 10) -> T:
    """The next result of a subscription, or an error after ``seconds`` (a step never hangs)."""
    try:
        return await asyncio.wait_for(anext(events), seconds)
    except TimeoutError:
        raise AssertionError(f"no {what} within {seconds:g} s") from None
    except StopAsyncIteration:
        raise AssertionError(f"the subscription ended before {what}") from None
