"""The contact flow: an employer's first contact, and the candidate's answer.

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

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.accounts import Company, User
from models.chat import Conversation, ConversationStatus, Message
from models.profiles import OpenToWork, Profile, SalaryPeriod
from resolvers import money, validation
from resolvers.chat.access import Side, conversation_for, side_of
from resolvers.chat.events import conversation_event, message_event
from resolvers.chat.messages import (
    ACCEPTED_NOTICE,
    append_message,
    check_body,
    not_found,
    post_system_message,
    publish_events,
    utcnow,
)
from resolvers.errors import Forbidden, Problems, UserErrorCode, UserErrors
from resolvers.profiles.access import company_can_reach

if TYPE_CHECKING:
    from graph.settings import Settings
    from resolvers.events import Publisher

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


def _check_range(problems: Problems, salary: SalaryRange) -> SalaryRange:
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


def _refuse_if_hired(profile: Profile) -> None:
    """A HIRED candidate takes no new contact (asked after the reach check, so a hidden
    or blocking candidate still looks not found)."""
    if profile.open_to_work == OpenToWork.HIRED:
        raise UserErrors.single(
            UserErrorCode.CANDIDATE_HIRED,
            "This candidate was hired and takes no new contact requests.",
            ["candidateId"],
        )


async def unanswered_requests(company_id: int) -> int:
    """The company's REQUESTED conversations started in the last 7 days (the quota)."""
    return await Conversation.filter(
        company_id=company_id,
        status=ConversationStatus.REQUESTED,
        created_at__gte=utcnow() - timedelta(days=7),
    ).count()


def _quota_error(settings: Settings) -> UserErrors:
    return UserErrors.single(
        UserErrorCode.CONTACT_QUOTA_EXCEEDED,
        f"Your company has {settings.contact_requests_per_week} unanswered contact requests from the "
        "last 7 days; a slot frees up when a candidate answers or a request turns 7 days old.",
    )


async def start_conversation(
    settings: Settings,
    broker: Publisher,
    employer: User,
    *,
    candidate_id: int | None,
    candidate_profile_id: int | None = None,
    role_title: str,
    salary: SalaryRange,
    body: str,
) -> tuple[Conversation, Message]:
    """Open a conversation with a candidate and send the first message.
    The candidate is named by User id or by Profile id (what a search result carries);
    both are ``None`` when the given id was neither."""
    if not employer.is_employer or employer.company_id is None:
        raise Forbidden("Only employers contact candidates.")
    problems = Problems()
    role_title = role_title.strip()
    if not role_title:
        problems.add(UserErrorCode.REQUIRED, "Name the role you are hiring for.", "roleTitle")
    elif len(role_title) > ROLE_TITLE_MAX_LENGTH:
        problems.add(UserErrorCode.TOO_LONG, f"Role title has at most {ROLE_TITLE_MAX_LENGTH} characters.", "roleTitle")
    salary = _check_range(problems, salary)
    check_body(problems, body, "message")
    problems.raise_if_any()
    company = await Company.get(id=employer.company_id)
    if candidate_profile_id is not None:
        profile_row = await Profile.filter(id=candidate_profile_id).first().values("user_id")
        candidate_id = profile_row["user_id"] if profile_row else None
    candidate = await User.get_or_none(id=candidate_id) if candidate_id is not None else None
    if candidate is None or not await company_can_reach(company, candidate):
        raise UserErrors.single(UserErrorCode.NOT_FOUND, "No such candidate.", ["candidateId"])
    if await Conversation.filter(company_id=company.pk, candidate_id=candidate.pk).exists():
        raise UserErrors.single(
            UserErrorCode.ALREADY_IN_CONVERSATION,
            "Your company already has a conversation with this candidate; write there.",
            ["candidateId"],
        )
    profile = await Profile.get(user_id=candidate.pk)
    _refuse_if_hired(profile)
    check_floor(salary, profile)
    if await unanswered_requests(company.pk) >= settings.contact_requests_per_week:
        raise _quota_error(settings)
    try:
        async with in_transaction():
            # Serialise one company's contact requests so the quota holds under concurrency
            # (a row lock on PostgreSQL; SQLite has one writer anyway).
            await Company.select_for_update().get(id=company.pk)
            if await unanswered_requests(company.pk) >= settings.contact_requests_per_week:
                raise _quota_error(settings)
            conversation = await Conversation.create(
                company_id=company.pk,
                candidate_id=candidate.pk,
                started_by_id=employer.pk,
                status=ConversationStatus.REQUESTED,
                role_title=role_title,
                salary_min=salary.minimum,
                salary_max=salary.maximum,
                salary_currency=salary.currency,
                salary_period=salary.period,
            )
            message = await append_message(conversation, sender=employer, body=body)
    except IntegrityError:
        raise UserErrors.single(
            UserErrorCode.ALREADY_IN_CONVERSATION,
            "Your company already has a conversation with this candidate; write there.",
            ["candidateId"],
        ) from None
    await publish_events(
        broker,
        conversation,
        [
            conversation_event(conversation.pk, "STARTED", user_id=employer.pk),
            message_event(conversation.pk, message.pk, message.seq),
        ],
    )
    return conversation, message


async def respond_to_contact(broker: Publisher, viewer: User, conversation_id: int, accept: bool) -> Conversation:
    """The candidate accepts (a system message says so) or declines a contact request."""
    conversation = await conversation_for(viewer, conversation_id)
    if conversation is None:
        raise not_found()
    if side_of(viewer, conversation) != Side.CANDIDATE:
        raise Forbidden("Only the candidate answers a contact request.")
    status = ConversationStatus.ACCEPTED if accept else ConversationStatus.DECLINED
    notice: Message | None = None
    async with in_transaction():
        changed = await Conversation.filter(id=conversation.pk, status=ConversationStatus.REQUESTED).update(
            status=status, responded_at=utcnow()
        )
        if not changed:
            raise UserErrors.single(
                UserErrorCode.ALREADY_RESPONDED, "You already answered this contact request.", ["conversationId"]
            )
        conversation.status = status
        if accept:
            notice = await post_system_message(conversation, ACCEPTED_NOTICE)
    conversation = await Conversation.get(id=conversation.pk)
    events = [conversation_event(conversation.pk, status.value, user_id=viewer.pk)]
    if notice is not None:
        events.append(message_event(conversation.pk, notice.pk, notice.seq))
    await publish_events(broker, conversation, events)
    return conversation
