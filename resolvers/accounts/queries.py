"""Reads of accounts, batched through the request's loaders and filtered by
``resolvers.accounts.access``."""

from __future__ import annotations

from models.accounts import Company, JoinRequest, Role, User
from models.profiles import Profile
from resolvers.accounts.access import can_see_companies, can_see_join_request, can_see_user
from resolvers.accounts.loaders import companies_by_id, users_by_id
from resolvers.accounts.members import members_of, pending_join_requests
from resolvers.loading import Loaders
from resolvers.pagination import Page, SortKey, keyset_page
from resolvers.profiles.loaders import profiles_by_user_id


async def visible_users(loaders: Loaders, viewer: User | None, ids: list[int]) -> list[User | None]:
    """Users by id, in order; ``None`` for those that do not exist or the viewer may not see."""
    users = await loaders(users_by_id).load_many(ids)
    return [user if user is not None and can_see_user(viewer, user) else None for user in users]


async def visible_companies(loaders: Loaders, viewer: User | None, ids: list[int]) -> list[Company | None]:
    """Companies by id, in order; all ``None`` for a viewer who is not signed in, and
    ``None`` for a suspended company unless the viewer is a moderator."""
    if not can_see_companies(viewer):
        return [None] * len(ids)
    companies = await loaders(companies_by_id).load_many(ids)
    if viewer is not None and viewer.is_moderator:
        return companies
    return [c if c is not None and c.suspended_at is None else None for c in companies]


async def company_of(loaders: Loaders, user: User) -> Company | None:
    """The company an employer belongs to; ``None`` for candidates."""
    if user.company_id is None:
        return None
    return await loaders(companies_by_id).load(user.company_id)


async def profile_of(loaders: Loaders, user: User) -> Profile | None:
    """A candidate's profile row, not yet checked against the viewer (whoever hands it
    out applies the profile's privacy rule); ``None`` for employers."""
    if user.role != Role.CANDIDATE:
        return None
    return await loaders(profiles_by_user_id).load(user.pk)


OLDEST_FIRST = (SortKey("created_at", kind="datetime"), SortKey("id"))


async def company_members_page(viewer: User | None, *, first: int | None, after: str | None) -> Page[User]:
    """The viewer's company's members, longest-standing account first."""
    return await keyset_page(members_of(viewer), OLDEST_FIRST, first=first, after=after)


async def join_requests_page(viewer: User | None, *, first: int | None, after: str | None) -> Page[JoinRequest]:
    """Pending join requests to the admin's company, oldest first."""
    return await keyset_page(pending_join_requests(viewer), OLDEST_FIRST, first=first, after=after)


async def own_join_request(viewer: User | None, user: User) -> JoinRequest | None:
    """The user's latest join request, shown to the user themself only."""
    if viewer is None or viewer.pk != user.pk:
        return None
    return await JoinRequest.filter(user_id=user.pk).order_by("-id").first()


async def visible_join_requests(viewer: User | None, ids: list[int]) -> list[JoinRequest | None]:
    """Join requests by id, in order; ``None`` for those the viewer may not see."""
    rows = {r.pk: r for r in await JoinRequest.filter(id__in=set(ids))}
    return [r if (r := rows.get(i)) is not None and can_see_join_request(viewer, r) else None for i in ids]



async def join_request_user(loaders: Loaders, request: JoinRequest) -> User:
    """Who asks to join (the row exists while the request does)."""
    user = await loaders(users_by_id).load(request.user_id)
    assert user is not None
    return user


async def join_request_company(loaders: Loaders, request: JoinRequest) -> Company:
    """The company asked (the row exists while the request does)."""
    company = await loaders(companies_by_id).load(request.company_id)
    assert company is not None
    return company
