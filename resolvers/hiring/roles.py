"""Roles: what a company hires for. Validation, and the role writes (create, update,
archive); a role's salary range follows the contact request's rules
(``resolvers.chat.contact``: both ends 1–100,000,000, max at most twice min, an ISO
currency), and is checked against a candidate's floor wherever it is used to contact
her (``contact_terms``).

Status: OPEN and PAUSED are set by the team; FILLED is reached by itself when the hires
reach the headcount (``moves.count_hire``); ARCHIVED by ``archive_role`` (final: the
pipeline stays readable, nothing new is added).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from tortoise.transactions import in_transaction

from models.accounts import User
from models.hiring import Role, RoleMember, RoleStatus
from models.profiles import RemotePreference
from resolvers.errors import Problems, UserErrorCode, UserErrors
from resolvers.hiring.access import require_employer, role_of_company
from resolvers.hiring.moves import utcnow
from resolvers.pay import SalaryRange, check_range
from resolvers.validation import optional_text, text

TITLE_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 10_000
LOCATION_MAX_LENGTH = 200
MAX_HEADCOUNT = 1_000
MAX_TEAM = 50
SETTABLE_STATUSES = (RoleStatus.OPEN, RoleStatus.PAUSED)


@dataclass(frozen=True)
class RoleFields:
    """A role's editable fields; ``None`` in an update means "keep"."""

    title: str | None = None
    description: str | None = None
    location: str | None = None
    remote_preference: RemotePreference | None = None
    salary: SalaryRange | None = None
    headcount: int | None = None
    team_ids: list[int] | None = None
    status: RoleStatus | None = None


def _check(problems: Problems, fields: RoleFields, creating: bool) -> RoleFields:
    checked = fields
    if creating or fields.title is not None:
        checked = replace(checked, title=text(problems, fields.title, "title", "Title", maximum=TITLE_MAX_LENGTH, required=True))
    if fields.description is not None:
        checked = replace(checked, description=text(problems, fields.description, "description", "Description", maximum=DESCRIPTION_MAX_LENGTH))
    if fields.location is not None:
        checked = replace(checked, location=optional_text(problems, fields.location, "location", "Location", maximum=LOCATION_MAX_LENGTH))
    if fields.salary is not None:
        checked = replace(checked, salary=check_range(problems, fields.salary))
    elif creating:
        problems.add(UserErrorCode.REQUIRED, "Name the salary range of the role.", "salaryRange")
    if fields.headcount is not None and not 1 <= fields.headcount <= MAX_HEADCOUNT:
        problems.add(UserErrorCode.OUT_OF_RANGE, f"Headcount is 1–{MAX_HEADCOUNT}.", "headcount")
    if fields.team_ids is not None and len(set(fields.team_ids)) > MAX_TEAM:
        problems.add(UserErrorCode.TOO_MANY, f"A team has at most {MAX_TEAM} members.", "teamIds")
    if fields.status is not None and fields.status not in SETTABLE_STATUSES:
        problems.add(UserErrorCode.INVALID, "Set OPEN or PAUSED; FILLED follows the hires, archiveRole archives.", "status")
    return checked


async def _check_team(company_id: int, team_ids: list[int]) -> list[int]:
    """Every team member is an active employer of the company (NOT_FOUND otherwise)."""
    unique = list(dict.fromkeys(team_ids))
    found = await User.filter(id__in=unique, company_id=company_id, deleted_at=None).count()
    if found != len(unique):
        raise UserErrors.single(UserErrorCode.NOT_FOUND, "Every team member must be a colleague.", ["teamIds"])
    return unique


def _columns(fields: RoleFields) -> dict[str, Any]:
    columns: dict[str, Any] = {
        name: getattr(fields, name)
        for name in ("title", "description", "location", "remote_preference", "headcount", "status")
        if getattr(fields, name) is not None
    }
    if fields.salary is not None:
        columns.update(
            salary_min=fields.salary.minimum, salary_max=fields.salary.maximum,
            salary_currency=fields.salary.currency, salary_period=fields.salary.period,
        )
    return columns


async def create_role(viewer: User, fields: RoleFields) -> Role:
    """A new OPEN role owned by the viewer, with the viewer on its team."""
    company_id = require_employer(viewer)
    problems = Problems()
    fields = _check(problems, fields, creating=True)
    problems.raise_if_any()
    team = await _check_team(company_id, [viewer.pk, *(fields.team_ids or [])])
    async with in_transaction():
        role = await Role.create(company_id=company_id, owner_id=viewer.pk, **_columns(replace(fields, status=RoleStatus.OPEN)))
        await RoleMember.bulk_create([RoleMember(role_id=role.pk, user_id=user_id) for user_id in team])
    return role


async def update_role(viewer: User, role_id: int | None, fields: RoleFields) -> Role:
    """Change the given fields; a new team replaces the old one (the owner stays on it)."""
    company_id = require_employer(viewer)
    role = await role_of_company(company_id, role_id, "id")
    problems = Problems()
    fields = _check(problems, fields, creating=False)
    if role.status == RoleStatus.ARCHIVED:
        problems.add(UserErrorCode.INVALID, "An archived role cannot change.", "id")
    problems.raise_if_any()
    team = None
    if fields.team_ids is not None:
        team = await _check_team(company_id, [*([role.owner_id] if role.owner_id else []), *fields.team_ids])
    async with in_transaction():
        # A FILLED role set OPEN stays FILLED while its hires reach the headcount.
        await Role.filter(id=role.pk).update(**_columns(fields), updated_at=utcnow())
        if team is not None:
            await RoleMember.filter(role_id=role.pk).delete()
            await RoleMember.bulk_create([RoleMember(role_id=role.pk, user_id=user_id) for user_id in team])
        await _refresh_filled(await Role.get(id=role.pk))
    return await Role.get(id=role.pk)


async def _refresh_filled(role: Role) -> None:
    if role.filled_count >= role.headcount and role.status in SETTABLE_STATUSES:
        await Role.filter(id=role.pk).update(status=RoleStatus.FILLED)
    elif role.filled_count < role.headcount and role.status == RoleStatus.FILLED:
        await Role.filter(id=role.pk).update(status=RoleStatus.OPEN)


async def archive_role(viewer: User, role_id: int | None) -> Role:
    """ARCHIVED: final; the pipeline stays readable, nothing is added to it any more."""
    company_id = require_employer(viewer)
    role = await role_of_company(company_id, role_id, "id")
    await Role.filter(id=role.pk).update(status=RoleStatus.ARCHIVED, updated_at=utcnow())
    return await Role.get(id=role.pk)


async def role_title_of(company_id: int, role_id: int | None) -> str | None:
    """The company's role title (``extendOffer(roleId:)`` prefills the offer's title);
    NOT_FOUND for another company's role."""
    if role_id is None:
        return None
    return (await role_of_company(company_id, role_id)).title
