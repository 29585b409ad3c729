"""Who may search and whose saved searches they see.

Search is for employers: ``require_employer`` turns the signed-in user into the
viewer every search runs as (UNAUTHENTICATED without one, FORBIDDEN for a candidate).
A saved search belongs to one company: its members see it, nobody else learns it
exists (``company_saved_search`` answers None, exactly as for a missing one).
"""

from __future__ import annotations

from models.accounts import User
from models.search import SavedSearch
from resolvers.accounts.confirmation import require_confirmed_employer
from resolvers.errors import Forbidden, Unauthenticated
from resolvers.profiles.access import ViewerInfo, viewer_info


async def require_employer(user: User | None) -> ViewerInfo:
    """The viewer as an employer with a company and a confirmed email; UNAUTHENTICATED /
    FORBIDDEN otherwise (``extensions.reason = EMAIL_NOT_CONFIRMED`` for the email)."""
    if user is None:
        raise Unauthenticated()
    viewer = await viewer_info(user)
    if not viewer.is_employer:
        raise Forbidden("Only employers can search candidates and save searches.")
    require_confirmed_employer(user)
    return viewer


async def company_saved_search(viewer: ViewerInfo, saved_search_id: int) -> SavedSearch | None:
    """The saved search if it belongs to the viewer's company; None otherwise (no leak)."""
    if viewer.company is None:
        return None
    return await SavedSearch.get_or_none(id=saved_search_id, company_id=viewer.company.pk)


def sees_saved_search(user: User | None, saved: SavedSearch | None) -> bool:
    """The same rule for a row already loaded (``node(id:)``): members of its company."""
    return user is not None and user.company_id is not None and saved is not None and saved.company_id == user.company_id
