"""Who may touch hiring data: members of the company that owns it, nobody else.

Every role, entry, note, tag, rating and custom stage belongs to one company. Any
employer of that company may read and work on it (the team is who the company says it
is; ``Role.team`` lists who is on a role, it does not restrict colleagues). Everyone
else reads nothing: another company's ids answer NOT_FOUND (a mutation) or null (a
query), exactly like ids that do not exist. Candidates never see hiring data about
themselves (the company's working notes; DESIGN §4 "exportMyData" says so).
"""

from __future__ import annotations

from models.accounts import User
from models.hiring import PipelineEntry, Role
from resolvers.errors import Forbidden, UserErrorCode, UserErrors


def company_of_viewer(viewer: User | None) -> int | None:
    """The viewer's company id when the viewer is an active employer, else None."""
    if viewer is None or not viewer.is_employer or viewer.deleted_at is not None:
        return None
    return viewer.company_id


def require_employer(viewer: User) -> int:
    """The employer's company id; FORBIDDEN for candidates (a role check, no lookup)."""
    company_id = company_of_viewer(viewer)
    if company_id is None:
        raise Forbidden("Only employers work with roles and pipelines.")
    return company_id


def not_found(what: str, field: str) -> UserErrors:
    return UserErrors.single(UserErrorCode.NOT_FOUND, f"No such {what}.", [field])


async def role_of_company(company_id: int, role_id: int | None, field: str = "roleId") -> Role:
    """The company's role, or NOT_FOUND (another company's role included)."""
    role = await Role.get_or_none(id=role_id, company_id=company_id) if role_id is not None else None
    if role is None:
        raise not_found("role", field)
    return role


async def entry_of_company(company_id: int, entry_id: int | None, field: str = "entryId") -> PipelineEntry:
    """The company's pipeline entry, or NOT_FOUND."""
    entry = await PipelineEntry.get_or_none(id=entry_id, company_id=company_id) if entry_id is not None else None
    if entry is None:
        raise not_found("pipeline entry", field)
    return entry


async def role_for(viewer: User | None, role_id: int) -> Role | None:
    """The role if the viewer belongs to its company, else None (queries, node)."""
    company_id = company_of_viewer(viewer)
    if company_id is None:
        return None
    return await Role.get_or_none(id=role_id, company_id=company_id)
