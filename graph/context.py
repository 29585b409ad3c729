"""The typed request context every resolver receives as ``info.context``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from graph.settings import Settings
from models.accounts import User
from resolvers.accounts import Session
from resolvers.errors import Unauthenticated
from resolvers.loading import Loaders
from subscriptions.broker import Broker


@dataclass
class Context:
    """Lives for one HTTP request, or for one WebSocket connection.

    ``loaders`` is per HTTP request; subscriptions make a fresh ``Loaders()`` per event
    (``fresh_loaders``) so a long-lived socket never serves stale rows.
    """

    request: Request | WebSocket
    response: Response | WebSocket | None
    settings: Settings
    broker: Broker
    request_id: str
    session: Session | None = None
    # Set when a token was sent but is unknown, expired or revoked.
    token_problem: str | None = None
    loaders: Loaders = field(default_factory=Loaders)
    connection_params: dict[str, Any] | None = None

    @property
    def viewer(self) -> User | None:
        return self.session.user if self.session else None

    def require_viewer(self) -> User:
        if self.session is None:
            raise Unauthenticated(self.token_problem) if self.token_problem else Unauthenticated()
        return self.session.user

    @property
    def client_address(self) -> str:
        client = self.request.client
        return client.host if client else "unknown"

    def fresh_loaders(self) -> Loaders:
        return Loaders()


Info = strawberry.Info[Context, None]
