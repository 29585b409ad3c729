"""One-click unsubscribe: a token per person and kind, signed with the service's secret,
that turns mail about that kind OFF — and nothing else. Put in every mail as a link to
``GET /unsubscribe?token=…`` (``graph/unsubscribe.py``); following it twice changes
nothing more. The token never expires: an old mail's link must keep working."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from urllib.parse import urlencode

from models.accounts import User
from models.notifications import MailFrequency, NotificationKind
from resolvers.notifications.commands import set_frequency

_CONTEXT = b"openforwork-unsubscribe-v1:"
MAX_TOKEN_LENGTH = 200


def _signature(secret_key: str, payload: bytes) -> str:
    digest = hmac.new(secret_key.encode(), _CONTEXT + payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:20]).decode().rstrip("=")


def unsubscribe_token(secret_key: str, user_id: int, kind: NotificationKind) -> str:
    payload = f"{user_id}:{kind.value}".encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + _signature(secret_key, payload)


def unsubscribe_url(public_url: str, secret_key: str, user_id: int, kind: NotificationKind) -> str:
    return f"{public_url.rstrip('/')}/unsubscribe?{urlencode({'token': unsubscribe_token(secret_key, user_id, kind)})}"


def read_token(secret_key: str, token: str) -> tuple[int, NotificationKind] | None:
    """The person and kind a token names, or None for anything not signed by us."""
    if not token or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 1:
        return None
    encoded, signature = token.split(".")
    try:
        payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        if not hmac.compare_digest(signature, _signature(secret_key, payload)):
            return None
        user_id, kind = payload.decode().split(":")
        return int(user_id), NotificationKind(kind)
    except (ValueError, binascii.Error, UnicodeError):
        return None


async def unsubscribe(secret_key: str, token: str) -> NotificationKind | None:
    """Turn the kind's mail OFF for the person the token names; the kind, or None when
    the token is not valid (or the account is gone)."""
    found = read_token(secret_key, token)
    if found is None:
        return None
    user_id, kind = found
    if not await User.filter(id=user_id, deleted_at__isnull=True).exists():
        return None
    await set_frequency(user_id, kind, MailFrequency.OFF)
    return kind
