"""Saved searches (one company's, never another's) and the alert matcher.

``match_profile(profile_id)`` runs each alerting saved search restricted to that one
profile, with the saving company's eyes (visibility, blocks); a profile that matches
and was never recorded for that search is recorded in ``SavedSearchMatch`` (so it
alerts once) and returned for publishing. A new saved search records the profiles it
already matches, so only *new* matches alert.
"""

from __future__ import annotations

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.accounts import Company, User
from models.profiles import AccessKind, AccessLogEntry
from models.search import SavedSearch, SavedSearchMatch
from resolvers.errors import (
    BadUserInput,
    Forbidden,
    Unauthenticated,
    UserErrorCode,
    UserErrors,
)
from resolvers.events import Publisher, publish_after_commit, saved_search_channel
from resolvers.profiles.access import ViewerInfo, viewer_info
from resolvers.search.engine import SearchSort, matching_ids
from resolvers.search.filters import SearchFilter, validate
from resolvers.search.query import MAX_QUERY_LENGTH

MAX_SAVED_SEARCHES_PER_COMPANY = 100
MAX_NAME = 120
# Known matches recorded when a search is saved; beyond this, older matches may alert.
MAX_INITIAL_MATCHES = 1_000
# Saved searches evaluated per profile change (oldest first).
MAX_ALERTING_SEARCHES = 500


async def require_employer(user: User | None) -> ViewerInfo:
    """The viewer as an employer with a company; UNAUTHENTICATED / FORBIDDEN otherwise."""
    if user is None:
        raise Unauthenticated()
    viewer = await viewer_info(user)
    if not viewer.is_employer:
        raise Forbidden("Only employers can search candidates and save searches.")
    return viewer


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
            [SavedSearchMatch(saved_search_id=saved.pk, profile_id=pid) for pid in known]
        )
    return saved


async def company_saved_search(viewer: ViewerInfo, saved_search_id: int) -> SavedSearch | None:
    """The saved search if it belongs to the viewer's company; None otherwise (no leak)."""
    if viewer.company is None:
        return None
    return await SavedSearch.get_or_none(id=saved_search_id, company_id=viewer.company.pk)


async def delete_saved_search(viewer: ViewerInfo, saved_search_id: int) -> None:
    saved = await company_saved_search(viewer, saved_search_id)
    if saved is None:
        raise UserErrors.single(UserErrorCode.NOT_FOUND, "No such saved search.", ["id"])
    await saved.delete()


def saved_filter(saved: SavedSearch) -> SearchFilter:
    return SearchFilter.from_json(saved.filters)


async def match_profile(profile_id: int, *, ttl_days: int) -> list[int]:
    """Saved-search ids the profile newly matches (recorded now, so each alerts once)."""
    searches = (
        await SavedSearch.filter(alerts_enabled=True).order_by("id").limit(MAX_ALERTING_SEARCHES)
    )
    companies = {c.pk: c for c in await Company.filter(id__in={s.company_id for s in searches})}
    already = set(
        await SavedSearchMatch.filter(
            profile_id=profile_id, saved_search_id__in=[s.pk for s in searches]
        ).values_list("saved_search_id", flat=True)
    )
    fired: list[int] = []
    for saved in searches:
        company = companies.get(saved.company_id)
        if company is None or saved.pk in already:
            continue
        # The company's eyes: an employer of that company (the role is what matters).
        viewer = ViewerInfo(user=_CompanyEmployer(company.pk), company=company)  # type: ignore[arg-type]
        found = await matching_ids(
            viewer, ttl_days=ttl_days, query=saved.query, flt=saved_filter(saved), limit=1,
            profile_ids=[profile_id],
        )
        if not found:
            continue
        try:
            await SavedSearchMatch.create(saved_search_id=saved.pk, profile_id=profile_id)
        except IntegrityError:  # a concurrent matcher recorded it first
            continue
        fired.append(saved.pk)
    return fired


class _CompanyEmployer:
    """Stands for "some employer of this company" where no single user is involved."""

    pk = 0
    is_employer = True
    is_candidate = False

    def __init__(self, company_id: int) -> None:
        self.company_id = company_id


async def record_alert(viewer: ViewerInfo, profile_id: int) -> None:
    assert viewer.company is not None
    await AccessLogEntry.create(
        profile_id=profile_id,
        company_id=viewer.company.pk,
        viewer_id=viewer.user.pk if viewer.user is not None else None,
        kind=AccessKind.SEARCH_ALERT,
    )


async def notify_profile_changed(publisher: Publisher, profile_id: int, *, ttl_days: int) -> list[int]:
    """Call after a transaction that wrote a profile (or its skills or experience) has
    committed: records each saved search the profile newly matches and announces it on
    ``saved_search:<id>`` (ids only). Returns the saved-search ids alerted."""
    fired = await match_profile(profile_id, ttl_days=ttl_days)
    for saved_search_id in fired:
        await publish_after_commit(
            publisher,
            (saved_search_channel(saved_search_id),),
            {"type": "candidate_matched", "savedSearchId": saved_search_id, "profileId": profile_id},
        )
    return fired
