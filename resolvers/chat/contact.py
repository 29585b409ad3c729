"""The rules of a contact request (``startConversation``; the command is in ``commands.py``).

A first contact names the role and a salary range (pay is visible up front) and carries
the first message. The conversation is ``REQUESTED`` until the candidate accepts
(``respond_to_contact`` or any reply) or declines. Each company has a weekly quota of
unanswered requests: its ``REQUESTED`` conversations started in the last 7 days; an
answer (accept, decline or reply) gives the slot back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from models.accounts import Company, User
from models.chat import Conversation, ConversationStatus
from models.profiles import OpenToWork, Profile, SalaryPeriod
from resolvers import money, validation
from resolvers.accounts.companies import quota_company_ids
from resolvers.chat.append import utcnow
from resolvers.errors import Problems, UserErrorCode, UserErrors
from resolvers.profiles.access import accepts_contact_from, company_can_reach

if TYPE_CHECKING:
    from graph.settings import Settings

ROLE_TITLE_MAX_LENGTH = 120
SALARY_MAX = 100_000_000
# The widest range a first contact may name: max at most twice min. Pay-transparency rules
# (the EU Pay Transparency Directive 2023/970, Colorado, New York, California) ask for the
# range the employer in good faith expects to pay; the widest common salary bands (executive
# grades) span about 100% from minimum to maximum. "1 to 10,000,000" informs nobody.
RANGE_MAX_RATIO = 2


@dataclass(frozen=True)
class SalaryRange:
    minimum: int
    maximum: int
    currency: str
    period: SalaryPeriod


def check_role_title(problems: Problems, role_title: str) -> str:
    """1–120 characters once trimmed; returns it trimmed."""
    role_title = role_title.strip()
    if not role_title:
        problems.add(UserErrorCode.REQUIRED, "Name the role you are hiring for.", "roleTitle")
    elif len(role_title) > ROLE_TITLE_MAX_LENGTH:
        problems.add(UserErrorCode.TOO_LONG, f"Role title has at most {ROLE_TITLE_MAX_LENGTH} characters.", "roleTitle")
    return role_title


def check_range(problems: Problems, salary: SalaryRange) -> SalaryRange:
    """Both ends 1–100,000,000, max ≥ min and at most ``RANGE_MAX_RATIO``× min, a known
    currency; returns the range with the currency normalised."""
    path = ("salaryRange",)
    for name, value in (("min", salary.minimum), ("max", salary.maximum)):
        if not 1 <= value <= SALARY_MAX:
            problems.add(UserErrorCode.OUT_OF_RANGE, f"Salary {name} must be between 1 and {SALARY_MAX}.", *path, name)
    if salary.maximum < salary.minimum:
        problems.add(UserErrorCode.OUT_OF_RANGE, "Salary max must not be below min.", *path, "max")
    elif salary.maximum > RANGE_MAX_RATIO * salary.minimum > 0:
        problems.add(
            UserErrorCode.RANGE_TOO_WIDE,
            f"Salary max may be at most {RANGE_MAX_RATIO}× min ({RANGE_MAX_RATIO * salary.minimum:,}): "
            "name the range you expect to pay in good faith.",
            *path,
            "max",
        )
    currency = validation.currency(problems, salary.currency, (*path, "currency"), required=True) or ""
    return SalaryRange(salary.minimum, salary.maximum, currency, salary.period)


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
