"""Company governance: members and their roles, leaving, removal, the invitation code and
the company's settings.

Roles are ADMIN and MEMBER; the creator of a company is its first admin. Admins list join
requests and decide them, change roles, remove members, rotate the invitation code (only
admins see it) and change the company's settings. A company always keeps an admin: the
last one can neither leave, be demoted nor be removed. Every change locks the company row
first, so two admins demoting each other at once cannot leave it without one.

Leaving or being removed takes effect at once: the account's company and role are
cleared and every token of the account is revoked (the tokens were issued for the
company's scope), which ends its open subscriptions and sockets
(``resolvers.accounts.events``). The person signs in again as an employer without a
company: conversations, searches, saved searches, pipelines and offers of the company
are out of reach from then on.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.accounts import Company, CompanyRole, JoinRequest, JoinRequestStatus, User
from resolvers import audit
from resolvers.accounts.access import require_admin, require_member
from resolvers.accounts.commands import revoke_all_tokens
from resolvers.accounts.events import announce_revoked_tokens, announce_viewers_changed
from resolvers.errors import UserErrorCode, UserErrors

if TYPE_CHECKING:
    from resolvers.events import Publisher


def members_of(user: User | None) -> QuerySet[User]:
    """The viewer's colleagues (the viewer included), for ``companyMembers``."""
    member = require_member(user)
    return User.filter(company_id=member.company_id, deleted_at=None)


def pending_join_requests(user: User | None) -> QuerySet[JoinRequest]:
    """Pending join requests to the admin's company, for ``joinRequests``."""
    admin = require_admin(user)
    return JoinRequest.filter(company_id=admin.company_id, status=JoinRequestStatus.PENDING)


def _not_a_member() -> UserErrors:
    return UserErrors.single(UserErrorCode.NOT_FOUND, "No such member of your company.", ["userId"])


def _last_admin(message: str) -> UserErrors:
    return UserErrors.single(UserErrorCode.LAST_ADMIN, message)


async def _locked_member(company_id: int, user_id: int) -> User:
    await Company.select_for_update().get(id=company_id)
    member = await User.select_for_update().get_or_none(id=user_id, company_id=company_id, deleted_at=None)
    if member is None:
        raise _not_a_member()
    return member


async def _other_admins(company_id: int, user_id: int) -> int:
    return await User.filter(company_id=company_id, company_role=CompanyRole.ADMIN, deleted_at=None).exclude(
        id=user_id
    ).count()


async def set_member_role(publisher: Publisher, viewer: User | None, user_id: int, role: CompanyRole) -> User:
    """An admin gives a member of the company ``role``; the last admin stays one. The
    member's cached sessions are evicted on every worker (their rights changed)."""
    admin = require_admin(viewer)
    assert admin.company_id is not None
    async with in_transaction():
        member = await _locked_member(admin.company_id, user_id)
        if member.company_role == role:
            return member
        if role == CompanyRole.MEMBER and not await _other_admins(admin.company_id, member.pk):
            raise _last_admin("The company needs an admin: make someone else admin first.")
        old = member.company_role
        member.company_role = role
        await member.save(update_fields=["company_role"])
        await audit.record(
            "member.role_changed", actor_id=admin.pk, target_type="User", target_id=member.pk,
            company_id=admin.company_id, details={"from": old.value if old else None, "to": role.value},
        )
    await announce_viewers_changed(publisher, [member.pk])
    return member


async def _detach(member: User, action: str, actor_id: int, company_id: int) -> list[int]:
    """Clear the member's company and role and revoke every token (inside the transaction)."""
    role = member.company_role
    member.company_id = None
    member.company_role = None
    await member.save(update_fields=["company_id", "company_role"])
    await audit.record(
        action, actor_id=actor_id, target_type="User", target_id=member.pk, company_id=company_id,
        details={"role": role.value if role else None},
    )
    return await revoke_all_tokens(member.pk)


async def remove_member(publisher: Publisher, viewer: User | None, user_id: int) -> int:
    """An admin removes a member (not themself: that is ``leave_company``). The member
    loses access at once (see the module docstring). Returns the removed user's id."""
    admin = require_admin(viewer)
    assert admin.company_id is not None
    company_id = admin.company_id
    if user_id == admin.pk:
        raise UserErrors.single(UserErrorCode.INVALID, "To leave the company yourself, use leaveCompany.", ["userId"])
    async with in_transaction():
        member = await _locked_member(company_id, user_id)
        revoked = await _detach(member, "member.removed", admin.pk, company_id)
    await announce_revoked_tokens(publisher, member.pk, revoked)
    removed: int = member.pk
    return removed


async def leave_company(publisher: Publisher, viewer: User | None) -> None:
    """The viewer leaves their company; the last admin cannot. Every token of the
    account is revoked (signing in again gives an account without a company)."""
    member = require_member(viewer)
    assert member.company_id is not None
    company_id = member.company_id
    async with in_transaction():
        locked = await _locked_member(company_id, member.pk)
        if locked.company_role == CompanyRole.ADMIN and not await _other_admins(company_id, locked.pk):
            raise _last_admin("You are the company's last admin: make someone else admin before you leave.")
        revoked = await _detach(locked, "member.left", member.pk, company_id)
    await announce_revoked_tokens(publisher, member.pk, revoked)


async def rotate_invitation_code(viewer: User | None) -> Company:
    """An admin replaces the invitation code; the old one stops working at once."""
    admin = require_admin(viewer)
    async with in_transaction():
        company = await Company.select_for_update().get(id=admin.company_id)
        company.invitation_code = secrets.token_urlsafe(18)
        await company.save(update_fields=["invitation_code"])
        await audit.record(
            "invitation_code.rotated", actor_id=admin.pk, target_type="Company", target_id=company.pk,
            company_id=company.pk,
        )
    return company


async def update_company_settings(
    viewer: User | None, *, auto_accept_domain_members: bool | None, includes_subdomains: bool | None
) -> Company:
    """An admin changes how the company's domain admits people; unset values stay."""
    admin = require_admin(viewer)
    async with in_transaction():
        company = await Company.select_for_update().get(id=admin.company_id)
        changes: dict[str, bool] = {}
        if auto_accept_domain_members is not None:
            changes["auto_accept_domain_members"] = auto_accept_domain_members
        if includes_subdomains is not None:
            changes["includes_subdomains"] = includes_subdomains
        if changes:
            for name, value in changes.items():
                setattr(company, name, value)
            await company.save(update_fields=list(changes))
            await audit.record(
                "company.settings_changed", actor_id=admin.pk, target_type="Company", target_id=company.pk,
                company_id=company.pk, details={"autoAcceptDomainMembers" if k.startswith("auto") else "includesSubdomains": v for k, v in changes.items()},
            )
    return company
