"""Companies: who a company is (verification by work email), one company per verified
domain, and join requests.

**Verification.** A company is verified only when one of its admins confirmed an email at
a domain that can stand for an employer (``domains.can_verify_company``: not free mail,
not disposable) and no other company claims that domain. The company then claims it
(``Company.claimed_domain``, unique: two companies racing for one domain cannot both win),
and records ``verification_method`` and ``verified_at``. Asserting a name proves nothing:
``talent@google.com`` signing up as "Google" is verified only once that mailbox confirms.

**One company per verified domain.** A domain is claimed by the company that verified it,
and its subdomains too unless the company turned ``includes_subdomains`` off. A sign-up
that names a new company at a claimed domain creates none: once its email is confirmed it
becomes a join request to the claiming company, which its admins accept or refuse, or it
joins at once when the company set ``auto_accept_domain_members``. Someone who signed up
(and so made a company) before a colleague's confirmation claimed the domain asks to join
too when she confirms, as long as she is alone in her unverified company; accepted, she
moves to the verified company and the one she made is left without members.

Every verification and membership change is written to the audit log in its transaction.
"""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.accounts import (
    Company,
    CompanyRole,
    JoinRequest,
    JoinRequestStatus,
    Role,
    User,
    VerificationMethod,
)
from models.notifications import Notification
from resolvers import audit
from resolvers.accounts.access import require_admin, utcnow
from resolvers.accounts.domains import can_verify_company, domain_of, parent_domains
from resolvers.accounts.events import announce_viewers_changed
from resolvers.errors import UserErrorCode, UserErrors
from resolvers.events import Publisher
from resolvers.notifications.events import publish_notifications
from resolvers.notifications.governance_triggers import join_decided, join_requested


async def claiming_company(domain: str) -> Company | None:
    """The verified company that owns ``domain``: the one that claimed it, or the one
    that claimed a parent of it and includes subdomains."""
    parents = parent_domains(domain)
    if not parents:
        return None
    for company in await Company.filter(claimed_domain__in=parents):
        if company.claimed_domain == domain.lower() or company.includes_subdomains:
            return company
    return None


async def after_email_confirmed(user: User) -> list[Notification]:
    """What a confirmed email means for an employer, inside the confirming transaction:
    an admin's company domain verifies the company; an employer without a company whose
    domain a company claims asks to join it (or joins, if the company lets them). Returns
    the notifications written (to publish after commit)."""
    if user.role != Role.EMPLOYER:
        return []
    domain = domain_of(user.email)
    if user.company_id is None:
        owner = await claiming_company(domain)
        return await _ask_to_join(user, owner) if owner is not None else []
    if user.company_role != CompanyRole.ADMIN or not can_verify_company(domain):
        return []
    company = await Company.select_for_update().get(id=user.company_id)
    if company.verified:
        return []
    owner = await claiming_company(domain)
    if owner is not None:
        # Signed up before a colleague's confirmation claimed the domain: ask to join it.
        return await _ask_to_join(user, owner) if await _sole_member(user) else []
    now = utcnow()
    company.verified = True
    company.domain = domain
    company.claimed_domain = domain
    company.verification_method = VerificationMethod.WORK_EMAIL
    company.verified_at = now
    await company.save(update_fields=["verified", "domain", "claimed_domain", "verification_method", "verified_at"])
    await audit.record(
        "company.verified", actor_id=user.pk, target_type="Company", target_id=company.pk, company_id=company.pk,
        details={"method": VerificationMethod.WORK_EMAIL.value, "domain": domain},
    )
    return []


async def _ask_to_join(user: User, company: Company) -> list[Notification]:
    """A join request, its admins told (``JOIN_REQUEST``, mailed as each chose)."""
    if company.auto_accept_domain_members:
        await join(user, company, CompanyRole.MEMBER, actor_id=user.pk, how="domain")
        return []
    if await JoinRequest.filter(user_id=user.pk, company_id=company.pk, status=JoinRequestStatus.PENDING).exists():
        return []
    request = await JoinRequest.create(user_id=user.pk, company_id=company.pk)
    await audit.record(
        "join_request.created", actor_id=user.pk, target_type="JoinRequest", target_id=request.pk,
        company_id=company.pk, details={"userId": user.pk},
    )
    return await join_requested(request, user, company)


async def _sole_member(user: User) -> bool:
    """Is ``user`` the only member of their (unverified) company? Then a join request
    accepted moves them to the verified company; nobody is left behind."""
    return user.company_id is not None and not await User.filter(company_id=user.company_id).exclude(id=user.pk).exists()


async def join(user: User, company: Company, role: CompanyRole, *, actor_id: int | None, how: str) -> None:
    """Make ``user`` a member of ``company`` with ``role`` (inside a transaction)."""
    user.company_id = company.pk
    user.company_role = role
    await user.save(update_fields=["company_id", "company_role"])
    await audit.record(
        "member.joined", actor_id=actor_id, target_type="User", target_id=user.pk, company_id=company.pk,
        details={"role": role.value, "how": how},
    )


async def create_company(user: User, name: str | None, website: str | None, invitation_code: str) -> Company:
    """A new, unverified company with ``user`` as its first admin (inside the sign-up
    transaction); it is verified when the admin confirms a work email."""
    company = await Company.create(name=name, website=website, invitation_code=invitation_code)
    await join(user, company, CompanyRole.ADMIN, actor_id=user.pk, how="created")
    return company


async def decide_join_request(
    publisher: Publisher, viewer: User | None, request_id: int | None, accept: bool
) -> JoinRequest:
    """An admin accepts (the person becomes a MEMBER) or refuses a pending join request
    of their company; the person is told the decision (``JOIN_REQUEST``, mailed as they
    chose). Another company's request, a decided one or an unknown id is NOT_FOUND."""
    admin = require_admin(viewer)
    decided = await _decide(admin, request_id, accept) if request_id is not None else None
    if decided is None:
        raise UserErrors.single(UserErrorCode.NOT_FOUND, "No pending join request with this ID.", ["joinRequestId"])
    request, notified = decided
    await publish_notifications(publisher, notified)
    if accept:
        # The person's company and role changed: their cached sessions are evicted everywhere.
        await announce_viewers_changed(publisher, [request.user_id])
    return request


async def _decide(admin: User, request_id: int, accept: bool) -> tuple[JoinRequest, list[Notification]] | None:
    async with in_transaction():
        request = await JoinRequest.select_for_update().get_or_none(
            id=request_id, company_id=admin.company_id, status=JoinRequestStatus.PENDING
        )
        if request is None:
            return None
        requester = await User.select_for_update().get(id=request.user_id)
        company = await Company.get(id=request.company_id)
        request.status = JoinRequestStatus.ACCEPTED if accept else JoinRequestStatus.REFUSED
        request.decided_at = utcnow()
        request.decided_by_id = admin.pk
        await request.save(update_fields=["status", "decided_at", "decided_by_id"])
        verb = "accepted" if accept else "refused"
        await audit.record(
            f"join_request.{verb}", actor_id=admin.pk, target_type="JoinRequest", target_id=request.pk,
            company_id=company.pk, details={"userId": requester.pk},
        )
        if accept and requester.deleted_at is None and await _may_move(requester, company):
            await join(requester, company, CompanyRole.MEMBER, actor_id=admin.pk, how="join_request")
        notified = await join_decided(request, company, accepted=accept, admin_id=admin.pk) if requester.deleted_at is None else []
    return request, notified


async def _may_move(requester: User, company: Company) -> bool:
    """An accepted request joins a requester without a company, or one still alone in an
    unverified company of their own (made before the domain was claimed), who leaves it."""
    if requester.company_id is None:
        return True
    if requester.company_id == company.pk or not await _sole_member(requester):
        return False
    left = await Company.get(id=requester.company_id)
    if left.verified:
        return False
    await audit.record(
        "member.left", actor_id=requester.pk, target_type="User", target_id=requester.pk, company_id=left.pk,
        details={"how": "joined_verified_company", "companyId": company.pk},
    )
    return True


async def quota_company_ids(company: Company) -> list[int]:
    """The companies whose contact requests share ``company``'s weekly quota: every
    company claiming its verified domain, a parent of it or a subdomain of it (a new
    company on a subdomain does not get a fresh quota). Just itself when unverified."""
    if not (company.verified and company.claimed_domain):
        return [company.pk]
    family = Company.filter(
        Q(claimed_domain__in=parent_domains(company.claimed_domain))
        | Q(claimed_domain__endswith="." + company.claimed_domain)
    )
    ids: set[int] = {company.pk, *(company_id for (company_id,) in await family.values_list("id"))}
    return sorted(ids)
