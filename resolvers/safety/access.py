"""Who may do what in trust and safety.

- Anyone signed in (candidate, employer or moderator) reports what they can see, and
  lists their own reports (``require_signed_in``). A reporter is never shown to the
  reported party: no path from the reported account or company reaches a report.
- Only moderators read the queue, resolve reports, lift suspensions and read the audit
  log (``require_moderator``). Moderators are made only from the command line.
- A suspended account cannot sign in (``resolvers.accounts.access.authenticate`` and
  ``log_in`` refuse it); a suspended company's members are suspended with it.
"""

from __future__ import annotations

from models.accounts import User
from resolvers.errors import Forbidden, Unauthenticated


def require_signed_in(viewer: User | None) -> User:
    if viewer is None:
        raise Unauthenticated()
    return viewer


def require_moderator(viewer: User | None) -> User:
    """The signed-in moderator; FORBIDDEN for everyone else signed in."""
    viewer = require_signed_in(viewer)
    if not viewer.is_moderator:
        raise Forbidden("Only moderators may do this.")
    return viewer
