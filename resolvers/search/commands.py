"""Saved-search writes: save one (recording the profiles it already matches, so only
new matches alert), delete one, mark its matches viewed. All act for the viewer's
company only."""

from __future__ import annotations

from datetime import datetime, timezone

from tortoise.transactions import in_transaction

from models.search import SavedSearch, SavedSearchMatch
from resolvers.errors import BadUserInput, UserErrorCode, UserErrors
from resolvers.notifications.commands import mark_group_read
from resolvers.profiles.access import ViewerInfo
from resolvers.search.access import company_saved_search
from resolvers.search.engine.run import matching_ids
from resolvers.search.filters import SearchFilter, validate
from resolvers.search.query import MAX_QUERY_LENGTH
from resolvers.search.sort import SearchSort

MAX_SAVED_SEARCHES_PER_COMPANY = 100
MAX_NAME = 120
# Known matches recorded when a search is saved; beyond this, older matches may alert.
MAX_INITIAL_MATCHES = 1_000


async def save_search(
    viewer: ViewerInfo,
    *,
    ttl_days: int,
    name: str,
    query: str | None,
    flt: SearchFilter | None,
    sort: SearchSort | None,
    alerts_enabled: bool,
) -> SavedSearch:
    """Save a search for the viewer's company (an employer: ``access.require_employer``)."""
    assert viewer.company is not None and viewer.user is not None
    name = (name or "").strip()
    if not name:
        raise UserErrors.single(UserErrorCode.REQUIRED, "Give the search a name.", ["name"])
    if len(name) > MAX_NAME:
        raise UserErrors.single(UserErrorCode.TOO_LONG, f"The name is at most {MAX_NAME} characters.", ["name"])
    query = (query or "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise UserErrors.single(
            UserErrorCode.TOO_LONG, f"The query is at most {MAX_QUERY_LENGTH} characters.", ["query"]
        )
    try:
        clean = validate(flt or SearchFilter())
    except BadUserInput as exc:
        field = str(exc.extensions.get("field", "filter"))
        raise UserErrors.single(UserErrorCode.INVALID_QUERY, exc.message, ["filter", field]) from None
    async with in_transaction():
        if await SavedSearch.filter(company_id=viewer.company.pk).count() >= MAX_SAVED_SEARCHES_PER_COMPANY:
            raise UserErrors.single(
                UserErrorCode.TOO_MANY,
                f"A company keeps at most {MAX_SAVED_SEARCHES_PER_COMPANY} saved searches; delete one first.",
            )
        saved = await SavedSearch.create(
            company_id=viewer.company.pk,
            created_by_id=viewer.user.pk,
            name=name,
            query=query,
            filters=clean.to_json(),
            sort=sort.value if sort else None,
            alerts_enabled=alerts_enabled,
        )
        known = await matching_ids(viewer, ttl_days=ttl_days, query=query, flt=clean, limit=MAX_INITIAL_MATCHES)
        await SavedSearchMatch.bulk_create(
            [SavedSearchMatch(saved_search_id=saved.pk, profile_id=pid, at_save=True) for pid in known]
        )
    return saved


async def delete_saved_search(viewer: ViewerInfo, saved_search_id: int) -> None:
    """Delete one of the viewer's company's saved searches; NOT_FOUND for any other."""
    saved = await company_saved_search(viewer, saved_search_id)
    if saved is None:
        raise UserErrors.single(UserErrorCode.NOT_FOUND, "No such saved search.", ["id"])
    await saved.delete()


async def mark_matches_viewed(viewer: ViewerInfo, saved_search_id: int) -> SavedSearch:
    """The company has seen the matches so far (``newSinceLastViewed`` starts again from
    now); the viewer's notification of them is read. NOT_FOUND for another company's."""
    saved = await company_saved_search(viewer, saved_search_id)
    if saved is None or viewer.user is None:
        raise UserErrors.single(UserErrorCode.NOT_FOUND, "No such saved search.", ["savedSearchId"])
    async with in_transaction():
        saved.matches_viewed_at = datetime.now(timezone.utc)
        await saved.save(update_fields=["matches_viewed_at"])
        await mark_group_read(viewer.user.pk, f"saved_search:{saved.pk}")
    return saved
