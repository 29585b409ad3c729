"""``GET /unsubscribe?token=…``: the one-click link in every notification mail.

A link that works from a mail client must be a GET: it turns mail about one kind OFF for
the person the signed token names (``resolvers/notifications/unsubscribe.py``) and
changes nothing else; following it again changes nothing more. ``POST`` does the same
(RFC 8058 one-click clients). The answer is a small HTML page.
"""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from graph.settings import Settings
from resolvers.notifications.kinds import LABELS
from resolvers.notifications.unsubscribe import unsubscribe

PAGE = '<!doctype html><html><head><meta charset="utf-8"><title>OpenForWork</title></head><body style="font-family: sans-serif"><p>{}</p></body></html>'


def unsubscribe_route(settings: Settings) -> Route:
    async def endpoint(request: Request) -> Response:
        kind = await unsubscribe(settings.secret_key, request.query_params.get("token", ""))
        if kind is None:
            return HTMLResponse(PAGE.format("This unsubscribe link is not valid."), status_code=400)
        text = f"Done: you will get no more mail about {LABELS[kind]}. Change it any time in your notification settings."
        return HTMLResponse(PAGE.format(escape(text)))

    return Route("/unsubscribe", endpoint, methods=["GET", "POST"])
