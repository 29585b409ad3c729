"""Search's reads besides the text search itself (``engine.search_candidates``, re-exported
by the package): saved searches (a company's page of them, one by ``node(id:)``, the
filter of one, what matched since it was saved) and search candidates fetched again by
``node(id:)``.

The ``node(id:)`` reads take the request's ``Loaders`` so that a page of ids costs one
batch per kind of row, and answer None for whatever the viewer may not see, exactly
like a missing row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from models.accounts import User
from models.profiles import Profile, Skill
from models.search import SavedSearch, SavedSearchMatch
from resolvers.accounts.loaders import users_by_id
from resolvers.loading import Loaders
from resolvers.pagination import Page, SortKey, keyset_page
from resolvers.profiles.access import ProfileAccess, ViewerInfo, browsable_profiles
from resolvers.profiles.loaders import profile_access, profiles_by_id, skills_by_profile_id, viewer_infos
from resolvers.search.access import sees_saved_search
from resolvers.search.filters import SearchFilter
from resolvers.search.loaders import saved_searches_by_id


def saved_filter(saved: SavedSearch) -> SearchFilter:
    """The filter a saved search stores (normalised when it was saved)."""
    return SearchFilter.from_json(saved.filters)


async def company_saved_searches(
    viewer: ViewerInfo, *, first: int | None = None, after: str | None = None
) -> Page[SavedSearch]:
    """The viewer's company's saved searches, newest first (an employer:
    ``access.require_employer``)."""
    assert viewer.company is not None
    return await keyset_page(
        SavedSearch.filter(company_id=viewer.company.pk),
        [SortKey("id", descending=True)],
        first=first,
        after=after,
    )


async def saved_searches_for(loaders: Loaders, user: User | None, ids: list[int]) -> list[SavedSearch | None]:
    """Saved searches by id, None for those of another company (``node(id:)``)."""
    if user is None or user.company_id is None:
        return [None] * len(ids)
    rows = await loaders(saved_searches_by_id).load_many(ids)
    return [row if sees_saved_search(user, row) else None for row in rows]


@dataclass(frozen=True)
class CandidateCard:
    """A candidate as search shows one: the profile, its skills, what the viewer may see
    of it, and the display name when the viewer may know who it is."""

    profile: Profile
    skills: list[Skill]
    access: ProfileAccess
    display_name: str | None


async def candidates_by_profile_id(
    loaders: Loaders, user: User | None, profile_ids: list[int]
) -> list[CandidateCard | None]:
    """``node(id:)`` of search candidates: employers only (search is theirs), under the
    same visibility as the Profile; like search, not logged as a profile view."""
    nothing: list[CandidateCard | None] = [None] * len(profile_ids)
    if user is None:
        return nothing
    viewer = await loaders(viewer_infos).load(user)
    if not viewer.is_employer:
        return nothing
    present = [p for p in await loaders(profiles_by_id).load_many(profile_ids) if p is not None]
    accesses = await loaders(profile_access).load_many([(viewer, p) for p in present])
    visible = [(p, access) for p, access in zip(present, accesses, strict=True) if access.visible]
    skills = await loaders(skills_by_profile_id).load_many([p.pk for p, _ in visible])
    users = await loaders(users_by_id).load_many([p.user_id for p, _ in visible])
    by_pk = {
        p.pk: CandidateCard(p, s, access, u.display_name if u is not None and access.identity else None)
        for (p, access), s, u in zip(visible, skills, users, strict=True)
    }
    return [by_pk.get(pk) for pk in profile_ids]


@dataclass(frozen=True)
class MatchCard:
    """A candidate who matched a saved search after it was saved, as the company may see
    them now, and whether it matched since the company last viewed the matches."""

    candidate: CandidateCard
    matched_at: datetime
    new_since_last_viewed: bool


def _visible_matches(viewer: ViewerInfo, saved: SavedSearch) -> QuerySet[SavedSearchMatch]:
    """Matches recorded after saving, of profiles the company may still see: privacy is
    checked now, so a profile hidden since, or blocking the company since, is left out."""
    visible = Subquery(browsable_profiles(viewer).values("id"))
    return SavedSearchMatch.filter(saved_search_id=saved.pk, at_save=False, profile_id__in=visible)


async def saved_search_matches(
    loaders: Loaders, viewer: ViewerInfo, saved: SavedSearch, *, first: int | None = None, after: str | None = None
) -> Page[MatchCard]:
    """What matched ``saved`` since it was saved, newest first (the viewer is of its company)."""
    page = await keyset_page(_visible_matches(viewer, saved), [SortKey("id", descending=True)], first=first, after=after)
    cards = await candidates_by_profile_id(loaders, viewer.user, [m.profile_id for m in page.items])
    seen = saved.matches_viewed_at
    kept = [
        (MatchCard(card, match.created_at, seen is None or match.created_at > seen), cursor)
        for match, card, cursor in zip(page.items, cards, page.cursors, strict=True)
        if card is not None
    ]
    return Page(
        items=[card for card, _ in kept],
        cursors=[cursor for _, cursor in kept],
        has_next_page=page.has_next_page,
        has_previous_page=page.has_previous_page,
        count=page.count,
    )


async def new_match_count(viewer: ViewerInfo, saved: SavedSearch) -> int:
    """Matches listed by ``saved_search_matches`` since the company last viewed them."""
    rows = _visible_matches(viewer, saved)
    if saved.matches_viewed_at is not None:
        rows = rows.filter(created_at__gt=saved.matches_viewed_at)
    return await rows.count()
