"""The writes: extending an offer, each transition of its lifecycle (see the package
docstring), and closing a deleted candidate's open offers. Each commits, then announces
through ``resolvers.offers.events``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.accounts import Company, User
from models.chat import Conversation, ConversationStatus, Message
from models.notifications import Notification
from models.offers import Offer, OfferSide, OfferStatus, OfferVersion
from models.profiles import OpenToWork, Profile
from resolvers.chat import Side, conversation_for, post_system_message, side_of
from resolvers.errors import Forbidden, Problems, RateLimited, UserErrorCode, UserErrors
from resolvers.events import Publisher
from resolvers.hiring.access import role_of_company
from resolvers.hiring.automation import PipelineChange, PipelineTrigger, advance_everywhere, advance_pipeline
from resolvers.hiring.events import publish_pipeline_changes
from resolvers.money import check_floor, period_name, profile_floor
from resolvers.notifications import publish_notifications
from resolvers.notifications.triggers import offer_changed
from resolvers.offers.access import not_found, party_to_offer
from resolvers.offers.events import OfferChange, publish_offer_events
from resolvers.offers.expiry import expire_due, is_due, utcnow
from resolvers.offers.terms import Terms, check_terms
from resolvers.profiles.access import company_can_reach
from resolvers.validation import optional_text

if TYPE_CHECKING:
    from graph.settings import Settings

REASON_MAX_LENGTH = 1_000
OPEN_STATUSES = (OfferStatus.SENT, OfferStatus.COUNTERED)
HIRED_ELSEWHERE_NOTICE = "The candidate accepted another offer and is no longer looking."
CANDIDATE_DELETED_NOTICE = "Offer closed: {title}. The candidate deleted their account."


class Action(str, Enum):
    ACCEPT = "accept"
    DECLINE = "decline"
    COUNTER = "counter"
    REVISE = "revise"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class _Rule:
    side: OfferSide
    from_statuses: tuple[OfferStatus, ...]
    to_status: OfferStatus
    change: OfferChange
    notice: str  # system message, formatted with the title


RULES: Mapping[Action, _Rule] = {
    Action.ACCEPT: _Rule(OfferSide.CANDIDATE, (OfferStatus.SENT,), OfferStatus.ACCEPTED, OfferChange.ACCEPTED, "Offer accepted: {title}"),
    Action.DECLINE: _Rule(OfferSide.CANDIDATE, (OfferStatus.SENT,), OfferStatus.DECLINED, OfferChange.DECLINED, "Offer declined: {title}"),
    Action.COUNTER: _Rule(OfferSide.CANDIDATE, (OfferStatus.SENT,), OfferStatus.COUNTERED, OfferChange.COUNTERED, "Offer countered by the candidate: {title} (version {version})"),
    Action.REVISE: _Rule(OfferSide.COMPANY, OPEN_STATUSES, OfferStatus.SENT, OfferChange.REVISED, "Offer revised: {title} (version {version})"),
    Action.WITHDRAW: _Rule(OfferSide.COMPANY, OPEN_STATUSES, OfferStatus.WITHDRAWN, OfferChange.WITHDRAWN, "Offer withdrawn: {title}"),
}


async def extend_offer(
    settings: Settings, broker: Publisher, employer: User, conversation_id: int | None, terms: Terms,
    role_id: int | None = None,
) -> Offer:
    """A member of the company offers ``terms`` in an accepted conversation: version 1,
    SENT. With ``role_id`` (one of the company's roles) an empty title is the role's, and
    the candidate's entry on that role moves to OFFER (``resolvers.hiring``)."""
    if not employer.is_employer or employer.company_id is None:
        raise Forbidden("Only employers extend offers.")
    if role_id is not None:
        role = await role_of_company(employer.company_id, role_id)
        terms = replace(terms, title=terms.title if terms.title.strip() else role.title)
    now = utcnow()
    problems = Problems()
    terms = check_terms(problems, terms, {f.name for f in fields(Terms)}, now, "terms")
    problems.raise_if_any()
    conversation = await conversation_for(employer, conversation_id) if conversation_id is not None else None
    if conversation is None or side_of(employer, conversation) != Side.COMPANY:
        raise UserErrors.single(UserErrorCode.NOT_FOUND, "No such conversation.", ["conversationId"])
    if conversation.status != ConversationStatus.ACCEPTED:
        raise UserErrors.single(
            UserErrorCode.CONVERSATION_NOT_ACCEPTED, "Offers are made in conversations the candidate accepted.", ["conversationId"]
        )
    candidate = await User.get(id=conversation.candidate_id)
    company = await Company.get(id=employer.company_id)
    if not await company_can_reach(company, candidate):
        raise UserErrors.single(UserErrorCode.NOT_FOUND, "No such conversation.", ["conversationId"])
    await _check_floor(candidate.pk, terms)
    await _check_offer_quota(settings, company.pk, now)  # cheap early refusal
    async with in_transaction():
        # The quota is counted again under the company's row lock (PostgreSQL; SQLite runs
        # one write transaction at a time): parallel extendOffer calls, from any worker,
        # queue here and each sees the offers the others committed.
        await Company.select_for_update(no_key=True).get(id=company.pk)
        await _check_offer_quota(settings, company.pk, now)
        offer = await Offer.create(
            conversation_id=conversation.pk,
            company_id=company.pk,
            candidate_id=candidate.pk,
            role_id=role_id,
            status=OfferStatus.SENT,
            current_version=1,
            expires_at=terms.expires_at,
            created_at=now,
            updated_at=now,
        )
        await OfferVersion.create(
            offer_id=offer.pk, number=1, author_side=OfferSide.COMPANY, author_id=employer.pk,
            changed_fields=[], created_at=now, **terms.columns(),
        )
        message = await post_system_message(conversation, f"Offer extended: {terms.title}")
        moved = await advance_pipeline(
            PipelineTrigger.OFFER_EXTENDED, company_id=company.pk, candidate_id=candidate.pk, role_id=role_id, actor_id=employer.pk
        )
        notified = await offer_changed(offer, OfferChange.EXTENDED.value, actor_id=employer.pk, version=1)
    await publish_offer_events(broker, [(offer, OfferChange.EXTENDED)], [message])
    await publish_pipeline_changes(broker, moved)
    await publish_notifications(broker, notified)
    return offer


_SALARY_TERMS = {"salary_amount", "salary_currency", "salary_period"}


async def _check_floor(candidate_id: int, terms: Terms) -> None:
    """The company's pay must reach the candidate's desired minimum (any currency); the
    candidate's own counter-offers are theirs to make."""
    problems = Problems()
    profile = await Profile.get_or_none(user_id=candidate_id)
    check_floor(
        problems,
        terms.salary_amount,
        terms.salary_currency,
        period_name(terms.salary_period),
        profile_floor(profile),
        "terms",
        "salary",
        "amount",
    )
    problems.raise_if_any()


async def _check_offer_quota(settings: Settings, company_id: int, now: datetime) -> None:
    """At most ``settings.offers_per_hour`` offers per company in the last hour."""
    since = now - timedelta(hours=1)
    if await Offer.filter(company_id=company_id, created_at__gte=since).count() >= settings.offers_per_hour:
        raise RateLimited(
            f"Your company extended {settings.offers_per_hour} offers in the last hour; try again later.",
            retryAfterSeconds=3600,
        )


# --- Transitions ---------------------------------------------------------------------

@dataclass(frozen=True)
class _Step:
    """One transition, decided and validated before its transaction."""

    action: Action
    side: OfferSide
    before: Terms  # the current version's terms
    after: Terms | None  # a new version's terms (counter, revise); None keeps the version
    version: int  # the version number after the step
    updates: dict[str, Any]  # the offer's new column values
    notice: str  # the system message


async def transition(
    broker: Publisher,
    viewer: User,
    offer_id: int | None,
    action: Action,
    *,
    version_number: int | None = None,
    changes: Mapping[str, Any] | None = None,
    reason: str | None = None,
) -> Offer:
    """Apply ``action`` to the offer once. ``changes`` (counter, revise) maps ``Terms``
    field names to new values; terms not named keep the current version's values."""
    now = utcnow()
    offer, side = await _offer_to_answer(viewer, offer_id, action)
    await expire_due(broker, [offer], now)
    _check_state(offer, action, version_number)
    step = await _plan(offer, side, action, dict(changes or {}), reason, now)
    changed, messages, moved, notified = await _write(viewer, offer, step, version_number, now)
    for key, value in step.updates.items():
        setattr(offer, key, value)
    await publish_offer_events(broker, [(offer, RULES[action].change), *changed], messages)
    await publish_pipeline_changes(broker, moved)
    await publish_notifications(broker, notified)
    return offer


async def _offer_to_answer(viewer: User, offer_id: int | None, action: Action) -> tuple[Offer, OfferSide]:
    """The offer and the viewer's side, if that side may take ``action``: NOT_FOUND for
    a non-party (as if the offer did not exist), FORBIDDEN for the other side."""
    rule = RULES[action]
    offer = await Offer.get_or_none(id=offer_id) if offer_id is not None else None
    side = await party_to_offer(viewer, offer) if offer is not None else None
    if offer is None or side is None:
        raise not_found()
    if side != rule.side:
        who = "candidate" if rule.side == OfferSide.CANDIDATE else "company"
        raise Forbidden(f"Only the {who} can {action.value} this offer.")
    return offer, side


async def _plan(
    offer: Offer, side: OfferSide, action: Action, changes: dict[str, Any], reason: str | None, now: datetime
) -> _Step:
    """Validate the request against the current version; every problem at once."""
    rule = RULES[action]
    problems = Problems()
    before = Terms.of(await OfferVersion.get(offer_id=offer.pk, number=offer.current_version))
    if reason is not None:
        reason = optional_text(problems, reason, "reason", "Reason", maximum=REASON_MAX_LENGTH)
    after: Terms | None = None
    if action in (Action.COUNTER, Action.REVISE):
        after = _apply_changes(problems, action, before, dict(changes), now)
    problems.raise_if_any()
    if action == Action.REVISE and after is not None and _SALARY_TERMS & set(changes):
        await _check_floor(offer.candidate_id, after)

    version = offer.current_version + (1 if after is not None else 0)
    updates: dict[str, Any] = {"status": rule.to_status, "current_version": version, "updated_at": now}
    if after is not None:
        updates["expires_at"] = after.expires_at
    if action == Action.DECLINE:
        updates["decline_reason"] = reason
    notice = rule.notice.format(title=(after or before).title, version=version)
    if action == Action.DECLINE and reason:
        notice += f". Reason: {reason}"
    return _Step(action, side, before, after, version, updates, notice)


async def _write(
    viewer: User, offer: Offer, step: _Step, version_number: int | None, now: datetime
) -> tuple[list[tuple[Offer, OfferChange]], list[Message], list[PipelineChange], list[Notification]]:
    """One transaction: the conditional update (a race's loser gets a userError), the new
    version, the system message, the hire's side effects, pipeline moves, the other side's
    notification. Returns what to publish after commit."""
    changed: list[tuple[Offer, OfferChange]] = []
    messages: list[Message] = []
    async with in_transaction():
        if step.action == Action.ACCEPT:
            # First write: locks the candidate's profile row, so accepts of one candidate's
            # offers serialise (PostgreSQL) and lock offers in one order (no deadlock).
            await Profile.filter(user_id=offer.candidate_id).update(open_to_work=OpenToWork.HIRED, updated_at=now)
        won = await Offer.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now) | Q(status=OfferStatus.COUNTERED),
            id=offer.pk,
            status=offer.status,
            current_version=offer.current_version,
        ).update(**step.updates)
        if won != 1:
            raise await _lost_race(offer.pk, step.action, version_number, now)
        if step.after is not None:
            await OfferVersion.create(
                offer_id=offer.pk, number=step.version, author_side=step.side, author_id=viewer.pk,
                changed_fields=[term.value for term in step.after.changed_from(step.before)], created_at=now,
                **step.after.columns(),
            )
        conversation = await Conversation.get(id=offer.conversation_id)
        messages.append(await post_system_message(conversation, step.notice))
        if step.action == Action.ACCEPT:
            changed.extend(await _flag_hired_elsewhere(offer, now, messages))
        moved = await _advance_pipelines(viewer, offer, step.action)
        change = RULES[step.action].change.value
        notified = await offer_changed(offer, change, actor_id=viewer.pk, version=step.version)
    return changed, messages, moved, notified


async def _advance_pipelines(viewer: User, offer: Offer, action: Action) -> list[PipelineChange]:
    """Inside the transition's transaction: an accept hires (the offer's role, or the
    company's entries at OFFER) and withdraws the candidate from other companies'
    pipelines; a decline withdraws her from the offer's role (or the company's)."""
    if action == Action.ACCEPT:
        hired = await advance_pipeline(
            PipelineTrigger.OFFER_ACCEPTED, company_id=offer.company_id, candidate_id=offer.candidate_id,
            role_id=offer.role_id, actor_id=viewer.pk,
        )
        return hired + await advance_everywhere(
            PipelineTrigger.HIRED_ELSEWHERE, candidate_id=offer.candidate_id, except_company_id=offer.company_id
        )
    if action == Action.DECLINE:
        return await advance_pipeline(
            PipelineTrigger.CANDIDATE_DECLINED, company_id=offer.company_id, candidate_id=offer.candidate_id,
            role_id=offer.role_id, actor_id=viewer.pk, reason="The candidate declined the offer.",
        )
    return []


def _check_state(offer: Offer, action: Action, version_number: int | None) -> None:
    if offer.status == OfferStatus.EXPIRED:
        raise UserErrors.single(UserErrorCode.OFFER_EXPIRED, "The offer expired.", ["offerId"])
    if offer.status not in RULES[action].from_statuses:
        raise UserErrors.single(
            UserErrorCode.INVALID_TRANSITION,
            f"The offer is {offer.status.value}; it cannot be {_past(action)} now.",
            ["offerId"],
        )
    if version_number is not None and version_number != offer.current_version:
        raise UserErrors.single(
            UserErrorCode.STALE_VERSION,
            f"The offer is at version {offer.current_version}, not {version_number}; read it again.",
            ["versionNumber"],
        )


async def _lost_race(offer_id: int, action: Action, version_number: int | None, now: datetime) -> UserErrors:
    """The conditional update touched no row: say what changed meanwhile."""
    latest = await Offer.get(id=offer_id)
    if is_due(latest, now):
        return UserErrors.single(UserErrorCode.OFFER_EXPIRED, "The offer expired.", ["offerId"])
    try:
        _check_state(latest, action, version_number)
    except UserErrors as exc:
        return exc
    return UserErrors.single(
        UserErrorCode.STALE_VERSION, "The offer changed while you answered; read it again.", ["versionNumber"]
    )


def _past(action: Action) -> str:
    return {"accept": "accepted", "decline": "declined", "counter": "countered", "revise": "revised",
            "withdraw": "withdrawn"}[action.value]


def _apply_changes(problems: Problems, action: Action, before: Terms, changes: dict[str, Any], now: datetime) -> Terms:
    unknown = set(changes) - {f.name for f in fields(Terms)}
    if unknown:  # pragma: no cover - the graph layer only passes Terms fields
        raise ValueError(f"unknown terms {sorted(unknown)}")
    if action == Action.COUNTER and "expires_at" in changes:
        problems.add(UserErrorCode.INVALID, "Only the company sets when an offer expires.", "terms", "expiresAt")
        changes.pop("expires_at")
    after = check_terms(problems, replace(before, **changes), changes, now, "terms")
    if action == Action.REVISE and after.expires_at is not None and after.expires_at <= now and "expires_at" not in changes:
        problems.add(UserErrorCode.INVALID, "The current expiry has passed; set a new expiresAt.", "terms", "expiresAt")
    if not problems and not after.changed_from(before):
        problems.add(UserErrorCode.INVALID, "Change at least one term.", "terms")
    return after


async def _flag_hired_elsewhere(accepted: Offer, now: datetime, messages: list[Message]) -> list[tuple[Offer, OfferChange]]:
    """Inside the accept's transaction: every other open offer to the candidate keeps its
    status, is stamped ``candidate_hired_elsewhere_at`` and gets a system message."""
    others = await Offer.filter(
        candidate_id=accepted.candidate_id, status__in=OPEN_STATUSES, candidate_hired_elsewhere_at__isnull=True
    ).exclude(id=accepted.pk).order_by("id")
    flagged: list[tuple[Offer, OfferChange]] = []
    for other in others:
        if not await Offer.filter(
            id=other.pk, status__in=OPEN_STATUSES, candidate_hired_elsewhere_at__isnull=True
        ).update(candidate_hired_elsewhere_at=now, updated_at=now):
            continue  # closed meanwhile
        other.candidate_hired_elsewhere_at = now
        conversation = await Conversation.get(id=other.conversation_id)
        messages.append(await post_system_message(conversation, HIRED_ELSEWHERE_NOTICE))
        flagged.append((other, OfferChange.CANDIDATE_HIRED_ELSEWHERE))
    return flagged


async def close_open_offers_of(
    candidate_id: int | None,
    now: datetime,
    *,
    company_id: int | None = None,
    notice: str = CANDIDATE_DELETED_NOTICE,
) -> tuple[list[tuple[Offer, OfferChange]], list[Message]]:
    """Inside the account deletion's (or a suspension's) transaction: every SENT or
    COUNTERED offer to the candidate (or, with ``company_id``, of the company) becomes
    CLOSED (a final status) with a system message, ``notice`` formatted with the offer's
    ``title``. Each close is a conditional update, so a concurrent revision either
    commits first (and its SENT offer is closed here) or loses its own conditional
    update. Returns the events and messages to publish after commit."""
    changes: list[tuple[Offer, OfferChange]] = []
    messages: list[Message] = []
    party = {"candidate_id": candidate_id} if company_id is None else {"company_id": company_id}
    for offer in await Offer.filter(**party, status__in=OPEN_STATUSES).order_by("id"):
        if not await Offer.filter(id=offer.pk, status__in=OPEN_STATUSES).update(status=OfferStatus.CLOSED, updated_at=now):
            continue  # answered meanwhile
        offer.status, offer.updated_at = OfferStatus.CLOSED, now
        version = await OfferVersion.get(offer_id=offer.pk, number=offer.current_version)
        conversation = await Conversation.get(id=offer.conversation_id)
        messages.append(await post_system_message(conversation, notice.format(title=version.title)))
        changes.append((offer, OfferChange.CLOSED))
    return changes, messages
