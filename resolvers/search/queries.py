"""Search's reads besides the text search itself (``engine.search_candidates``, re-exported
by the package): saved searches (a company's page of them, one by ``node(id:)``, the
filter of one) and search candidates fetched again by ``node(id:)``.

The ``node(id:)`` reads take the request's ``Loaders`` so that a page of ids costs one
batch per kind of row, and answer None for whatever the viewer may not see, exactly
like a missing row.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.accounts import User
from models.profiles import Profile, Skill
from models.search import SavedSearch
from resolvers.accounts.loaders import users_by_id
from resolvers.loading import Loaders
from resolvers.pagination import Page, SortKey, keyset_page
from resolvers.profiles.access import ProfileAccess, ViewerInfo
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
