"""The rules of a contact request (``startConversation``; the command is in ``commands.py``).

A first contact names the role and a salary range (pay is visible up front) and carries
the first message. The conversation is ``REQUESTED`` until the candidate accepts
(``respond_to_contact`` or any reply) or declines. Each company has a weekly quota of
unanswered requests: its ``REQUESTED`` conversations started in the last 7 days; an
answer (accept, decline or reply) gives the slot back.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from models.accounts import Company, User
from models.chat import Conversation, ConversationStatus
from models.profiles import OpenToWork, Profile
from resolvers import money
from resolvers.accounts.companies import quota_company_ids
from resolvers.chat.append import utcnow
from resolvers.errors import Problems, UserErrorCode, UserErrors
from resolvers.hiring.access import role_of_company
from resolvers.pay import RANGE_MAX_RATIO, SALARY_MAX, SalaryRange, check_range
from resolvers.profiles.access import accepts_contact_from, company_can_reach

if TYPE_CHECKING:
    from graph.settings import Settings

# The salary range rules moved to resolvers.pay (hiring's roles share them); still importable here.
__all__ = [
    "RANGE_MAX_RATIO",
    "SALARY_MAX",
    "SalaryRange",
    "already_in_conversation",
    "check_floor",
    "check_quota",
    "check_range",
    "check_role_title",
    "contactable_candidate",
    "terms_of_contact",
]

ROLE_TITLE_MAX_LENGTH = 120


def check_role_title(problems: Problems, role_title: str) -> str:
    """1–120 characters once trimmed; returns it trimmed."""
    role_title = role_title.strip()
    if not role_title:
        problems.add(UserErrorCode.REQUIRED, "Name the role you are hiring for.", "roleTitle")
    elif len(role_title) > ROLE_TITLE_MAX_LENGTH:
        problems.add(UserErrorCode.TOO_LONG, f"Role title has at most {ROLE_TITLE_MAX_LENGTH} characters.", "roleTitle")
    return role_title


def check_floor(salary: SalaryRange, profile: Profile) -> None:
    """Refuse a range whose top is below the candidate's desired minimum, compared per
    year and across currencies (``resolvers/money.py``)."""
    problems = Problems()
    money.check_floor(
        problems,
        salary.maximum,
        salary.currency,
        money.period_name(salary.period),
        money.profile_floor(profile),
        "salaryRange",
        "max",
    )
    problems.raise_if_any()


async def terms_of_contact(
    company_id: int, role_id: int | None, role_title: str | None, salary: SalaryRange | None
) -> tuple[str, SalaryRange]:
    """The role title and salary range of a contact request: those given, else those of
    the company's role ``role_id`` (``resolvers.hiring``; NOT_FOUND for another
    company's role). REQUIRED when neither names them."""
    if role_id is not None:
        role = await role_of_company(company_id, role_id)
        role_title = role.title if role_title is None else role_title
        if salary is None:
            salary = SalaryRange(role.salary_min, role.salary_max, role.salary_currency, role.salary_period)
    problems = Problems()
    if role_title is None:
        problems.add(UserErrorCode.REQUIRED, "Name the role you are hiring for (roleTitle or roleId).", "roleTitle")
    if salary is None:
        problems.add(UserErrorCode.REQUIRED, "Name the salary range (salaryRange or roleId).", "salaryRange")
    problems.raise_if_any()
    assert role_title is not None and salary is not None
    return role_title, salary


def already_in_conversation() -> UserErrors:
    return UserErrors.single(
        UserErrorCode.ALREADY_IN_CONVERSATION,
        "Your company already has a conversation with this candidate; write there.",
        ["candidateId"],
    )


async def contactable_candidate(
    company: Company, candidate_id: int | None, candidate_profile_id: int | None, salary: SalaryRange
) -> User:
    """The candidate ``company`` may contact with ``salary``, named by User id or by
    Profile id (what a search result carries; both ``None`` when the given id was
    neither). Refused, in this order: not found (unknown, hidden, blocking, not a
    candidate), already in a conversation with the company, hired, pay below the floor."""
    if candidate_profile_id is not None:
        profile_row = await Profile.filter(id=candidate_profile_id).first().values("user_id")
        candidate_id = profile_row["user_id"] if profile_row else None
    candidate = await User.get_or_none(id=candidate_id) if candidate_id is not None else None
    if candidate is None or not await company_can_reach(company, candidate):
        raise UserErrors.single(UserErrorCode.NOT_FOUND, "No such candidate.", ["candidateId"])
    if await Conversation.filter(company_id=company.pk, candidate_id=candidate.pk).exists():
        raise already_in_conversation()
    profile = await Profile.get(user_id=candidate.pk)
    if profile.open_to_work == OpenToWork.HIRED:
        # Asked after the reach check, so a hidden or blocking candidate still looks not found.
        raise UserErrors.single(
            UserErrorCode.CANDIDATE_HIRED,
            "This candidate was hired and takes no new contact requests.",
            ["candidateId"],
        )
    if not accepts_contact_from(company, profile):
        raise UserErrors.single(
            UserErrorCode.VERIFIED_COMPANIES_ONLY,
            "This candidate takes contact requests from verified companies only; verify your company first.",
            ["candidateId"],
        )
    check_floor(salary, profile)
    return candidate


async def check_quota(settings: Settings, company: Company) -> None:
    """The REQUESTED conversations started in the last 7 days stay under the weekly
    quota: ``settings.contact_requests_per_week`` counted over every company of the
    verified domain (``quota_company_ids``), ``settings.unverified_contact_requests_per_week``
    for an unverified company."""
    limit = settings.contact_requests_per_week if company.verified else settings.unverified_contact_requests_per_week
    unanswered = await Conversation.filter(
        company_id__in=await quota_company_ids(company),
        status=ConversationStatus.REQUESTED,
        created_at__gte=utcnow() - timedelta(days=7),
    ).count()
    if unanswered >= limit:
        raise UserErrors.single(
            UserErrorCode.CONTACT_QUOTA_EXCEEDED,
            f"Your company has {limit} unanswered contact requests from the "
            "last 7 days; a slot frees up when a candidate answers or a request turns 7 days old.",
        )


def check_contact_allowed(employer: User) -> None:
    """An employer contacts candidates only once their email is confirmed
    (EMAIL_NOT_CONFIRMED)."""
    if employer.email_confirmed_at is None:
        raise UserErrors.single(
            UserErrorCode.EMAIL_NOT_CONFIRMED,
            "Confirm your email first (confirmEmail with the code we mailed you): until then you cannot contact candidates.",
        )
