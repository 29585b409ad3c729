"""Offers: a company's versioned terms to a candidate, inside an accepted conversation.

Lifecycle (DESIGN §5)::

    SENT ──accept──▶ ACCEPTED        (candidate, naming the current version)
      │ ──decline──▶ DECLINED        (candidate, optional reason)
      │ ──counter──▶ COUNTERED       (candidate, new version with changed terms)
      │ ──withdraw─▶ WITHDRAWN       (company)
      │ ──(expiresAt passes)──▶ EXPIRED
    COUNTERED ──revise──▶ SENT       (company, new version)
              ──withdraw─▶ WITHDRAWN
    SENT ──revise──▶ SENT            (company changes terms: new version)

Only a ``SENT`` offer expires: ``expiresAt`` is the candidate's deadline to answer; while
the candidate's counter is pending the company holds the ball. Expiry is checked at
every read (a due offer is persisted as ``EXPIRED`` then) and at every transition (the
conditional update itself refuses a due offer).

**Each transition happens once.** It is one conditional update inside a transaction::

    UPDATE offer SET status = …, current_version = … WHERE id = ? AND status = ? AND current_version = ?

and only the request whose update touched the row goes on (new version, system message,
hire side effects, all in the same transaction); a concurrent loser gets a ``userError``
(INVALID_TRANSITION, STALE_VERSION or OFFER_EXPIRED) and changes nothing.

Every transition posts a system message in the conversation through chat's
``append_message`` primitive, and an ``offer`` event (ids only) on the candidate's and the
company's offer channels — both published after commit.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta, timezone
from enum import Enum
from typing import TYPE_CHECKING, Any

from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.accounts import Company, User
from models.chat import Conversation, ConversationStatus, Message
from models.offers import Offer, OfferSide, OfferStatus, OfferVersion
from models.profiles import OpenToWork, Profile, RemotePreference, SalaryPeriod
from resolvers.chat import Side, conversation_for, post_system_message, publish_message, side_of
from resolvers.errors import Forbidden, Problems, RateLimited, UserErrorCode, UserErrors
from resolvers.pagination import Page, SortKey, keyset_page
from resolvers.privacy import company_can_reach

if TYPE_CHECKING:
    from graph.settings import Settings
    from subscriptions.broker import Broker

logger = logging.getLogger("openforwork.offers")

TITLE_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 10_000
EQUITY_MAX_LENGTH = 200
LOCATION_MAX_LENGTH = 200
REASON_MAX_LENGTH = 1_000
AMOUNT_MAX = 1_000_000_000
OPEN_STATUSES = (OfferStatus.SENT, OfferStatus.COUNTERED)
OFFER_ORDER = (SortKey("id", descending=True),)
HIRED_ELSEWHERE_NOTICE = "The candidate accepted another offer and is no longer looking."
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class OfferTerm(str, Enum):
    """One term of an offer; ``OfferVersion.changed_fields`` lists these names."""

    TITLE = "TITLE"
    DESCRIPTION = "DESCRIPTION"
    SALARY_AMOUNT = "SALARY_AMOUNT"
    SALARY_CURRENCY = "SALARY_CURRENCY"
    SALARY_PERIOD = "SALARY_PERIOD"
    EQUITY = "EQUITY"
    LOCATION = "LOCATION"
    REMOTE_PREFERENCE = "REMOTE_PREFERENCE"
    START_DATE = "START_DATE"
    EXPIRES_AT = "EXPIRES_AT"

    @property
    def attribute(self) -> str:
        return self.name.lower()


class OfferChange(str, Enum):
    """What an ``offer`` event announces."""

    EXTENDED = "EXTENDED"
    COUNTERED = "COUNTERED"
    REVISED = "REVISED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    WITHDRAWN = "WITHDRAWN"
    EXPIRED = "EXPIRED"
    CANDIDATE_HIRED_ELSEWHERE = "CANDIDATE_HIRED_ELSEWHERE"


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


# --- Terms ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Terms:
    """The terms of one version. Field names match ``OfferVersion`` columns."""

    title: str
    salary_amount: int
    salary_currency: str
    salary_period: SalaryPeriod
    description: str = ""
    equity: str | None = None
    location: str | None = None
    remote_preference: RemotePreference | None = None
    start_date: date | None = None
    expires_at: datetime | None = None

    @classmethod
    def of(cls, version: OfferVersion) -> Terms:
        return cls(**{f.name: getattr(version, f.name) for f in fields(cls)})

    def changed_from(self, before: Terms) -> list[OfferTerm]:
        return [term for term in OfferTerm if getattr(self, term.attribute) != getattr(before, term.attribute)]

    def columns(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _text(problems: Problems, value: str | None, label: str, maximum: int, *path: str, required: bool = False) -> str | None:
    if value is None:
        if required:
            problems.add(UserErrorCode.REQUIRED, f"{label} is required.", *path)
        return None
    value = value.strip()
    if required and not value:
        problems.add(UserErrorCode.REQUIRED, f"{label} is required.", *path)
    elif len(value) > maximum:
        problems.add(UserErrorCode.TOO_LONG, f"{label} has at most {maximum} characters.", *path)
    return value


def check_terms(problems: Problems, terms: Terms, given: Iterable[str], now: datetime, *path: str) -> Terms:
    """Validate ``terms``; date rules apply to the terms in ``given`` (the ones this request sets)."""
    given = set(given)
    title = _text(problems, terms.title, "Title", TITLE_MAX_LENGTH, *path, "title", required=True) or ""
    description = _text(problems, terms.description, "Description", DESCRIPTION_MAX_LENGTH, *path, "description") or ""
    equity = _text(problems, terms.equity, "Equity", EQUITY_MAX_LENGTH, *path, "equity") or None
    location = _text(problems, terms.location, "Location", LOCATION_MAX_LENGTH, *path, "location") or None
    if not 0 < terms.salary_amount <= AMOUNT_MAX:
        problems.add(
            UserErrorCode.OUT_OF_RANGE, f"Salary amount must be between 1 and {AMOUNT_MAX:,}.", *path, "salary", "amount"
        )
    currency = (terms.salary_currency or "").strip().upper()
    if not _CURRENCY.match(currency):
        problems.add(UserErrorCode.INVALID_CURRENCY, "Currency must be an ISO 4217 code such as EUR.", *path, "salary", "currency")
    if "start_date" in given and terms.start_date is not None and terms.start_date < now.date():
        problems.add(UserErrorCode.INVALID, "The start date must be today or later.", *path, "startDate")
    if "expires_at" in given and terms.expires_at is not None:
        if terms.expires_at.tzinfo is None:
            problems.add(UserErrorCode.INVALID, "expiresAt needs a time zone (such as 2030-01-31T18:00:00Z).", *path, "expiresAt")
        elif terms.expires_at <= now:
            problems.add(UserErrorCode.INVALID, "The offer must expire in the future.", *path, "expiresAt")
    return replace(
        terms, title=title, description=description, equity=equity, location=location, salary_currency=currency
    )


# --- Who may do what -----------------------------------------------------------------

def side_of_offer(viewer: User | None, offer: Offer) -> OfferSide | None:
    """The viewer's side of an offer, or ``None`` when they are not party to it."""
    if viewer is None or viewer.deleted_at is not None:
        return None
    if viewer.is_candidate and viewer.pk == offer.candidate_id:
        return OfferSide.CANDIDATE
    if viewer.is_employer and viewer.company_id is not None and viewer.company_id == offer.company_id:
        return OfferSide.COMPANY
    return None


def visible_offers(viewer: User) -> QuerySet[Offer]:
    """Offers to a candidate, or of an employer's company."""
    if viewer.is_candidate:
        return Offer.filter(candidate_id=viewer.pk)
    if viewer.is_employer and viewer.company_id is not None:
        return Offer.filter(company_id=viewer.company_id)
    raise Forbidden("Only candidates and employers have offers.")


def _not_found() -> UserErrors:
    return UserErrors.single(UserErrorCode.NOT_FOUND, "No such offer.", ["offerId"])


# --- Events --------------------------------------------------------------------------

def candidate_offers_channel(user_id: int) -> str:
    return f"offers:user:{user_id}"


def company_offers_channel(company_id: int) -> str:
    return f"offers:company:{company_id}"


def offer_event(offer: Offer, change: OfferChange) -> dict[str, Any]:
    return {"type": "offer", "offerId": offer.pk, "change": change.value}


async def publish_offer_events(
    broker: Broker, changes: Iterable[tuple[Offer, OfferChange]], messages: Iterable[Message] = ()
) -> None:
    """After commit: the system messages into chat, then the offer events. A broker
    failure is logged, never raised (the rows are committed; clients re-read)."""
    for message in messages:
        await publish_message(broker, message)
    for offer, change in changes:
        try:
            await broker.publish_many(
                (candidate_offers_channel(offer.candidate_id), company_offers_channel(offer.company_id)),
                offer_event(offer, change),
            )
        except Exception:
            logger.exception("could not publish %s for offer %s", change.value, offer.pk)


# --- Expiry --------------------------------------------------------------------------

def _is_due(offer: Offer, now: datetime) -> bool:
    return offer.status == OfferStatus.SENT and offer.expires_at is not None and offer.expires_at <= now


async def expire_due(broker: Broker, offers: Iterable[Offer | None], now: datetime | None = None) -> None:
    """Persist ``EXPIRED`` for every ``SENT`` offer past its ``expiresAt`` (updating the
    instances too) and announce the ones this call expired."""
    now = now or utcnow()
    expired: list[tuple[Offer, OfferChange]] = []
    for offer in offers:
        if offer is None or not _is_due(offer, now):
            continue
        changed = await Offer.filter(
            id=offer.pk, status=OfferStatus.SENT, current_version=offer.current_version, expires_at__lte=now
        ).update(status=OfferStatus.EXPIRED, updated_at=now)
        offer.status = OfferStatus.EXPIRED
        if changed:
            offer.updated_at = now
            expired.append((offer, OfferChange.EXPIRED))
    await publish_offer_events(broker, expired)


async def expire_due_in(broker: Broker, queryset: QuerySet[Offer]) -> None:
    """``expire_due`` for every due offer of ``queryset`` (before listing it by status)."""
    now = utcnow()
    due = await queryset.filter(status=OfferStatus.SENT, expires_at__lte=now)
    if due:
        await expire_due(broker, due, now)


# --- Reading -------------------------------------------------------------------------

async def offer_for(broker: Broker, viewer: User | None, offer_id: int) -> Offer | None:
    """The offer if the viewer is party to it (expiry applied), else ``None``."""
    offer = await Offer.get_or_none(id=offer_id)
    if offer is None or side_of_offer(viewer, offer) is None:
        return None
    await expire_due(broker, [offer])
    return offer


async def offers_page(
    broker: Broker,
    viewer: User,
    *,
    status: OfferStatus | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Page[Offer]:
    """The viewer's offers, newest first (keyset by id)."""
    queryset = visible_offers(viewer)
    await expire_due_in(broker, queryset)
    if status is not None:
        queryset = queryset.filter(status=status)
    return await keyset_page(queryset, OFFER_ORDER, first=first, after=after)


# --- Extending -----------------------------------------------------------------------

async def extend_offer(
    settings: Settings, broker: Broker, employer: User, conversation_id: int | None, terms: Terms
) -> Offer:
    """A member of the company offers ``terms`` in an accepted conversation: version 1, SENT."""
    if not employer.is_employer or employer.company_id is None:
        raise Forbidden("Only employers extend offers.")
    now = utcnow()
    problems = Problems()
    terms = check_terms(problems, terms, {f.name for f in fields(Terms)}, now, "terms")
    problems.raise_if_any()
    conversation = await conversation_for(employer, conversation_id) if conversation_id is not None else None
    if conversation is None or side_of(employer, conversation) != Side.COMPANY:
        raise UserErrors.single(UserErrorCode.NOT_FOUND, "No such conversation.", ["conversationId"])
    if conversation.status != ConversationStatus.ACCEPTED:
        raise UserErrors.single(
            UserErrorCode.CONVERSATION_NOT_ACCEPTED,
            "Offers are made in conversations the candidate accepted.",
            ["conversationId"],
        )
    candidate = await User.get(id=conversation.candidate_id)
    company = await Company.get(id=employer.company_id)
    if not await company_can_reach(company, candidate):
        raise UserErrors.single(UserErrorCode.NOT_FOUND, "No such conversation.", ["conversationId"])
    since = now - timedelta(hours=1)
    if await Offer.filter(company_id=company.pk, created_at__gte=since).count() >= settings.offers_per_hour:
        raise RateLimited(
            f"Your company extended {settings.offers_per_hour} offers in the last hour; try again later.",
            retryAfterSeconds=3600,
        )
    async with in_transaction():
        offer = await Offer.create(
            conversation_id=conversation.pk,
            company_id=company.pk,
            candidate_id=candidate.pk,
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
    await publish_offer_events(broker, [(offer, OfferChange.EXTENDED)], [message])
    return offer


# --- Transitions ---------------------------------------------------------------------

async def transition(
    broker: Broker,
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
    rule = RULES[action]
    now = utcnow()
    offer = await Offer.get_or_none(id=offer_id) if offer_id is not None else None
    side = side_of_offer(viewer, offer) if offer is not None else None
    if offer is None or side is None:
        raise _not_found()
    if side != rule.side:
        who = "candidate" if rule.side == OfferSide.CANDIDATE else "company"
        raise Forbidden(f"Only the {who} can {action.value} this offer.")
    await expire_due(broker, [offer], now)
    _check_state(offer, action, version_number)

    problems = Problems()
    current = await OfferVersion.get(offer_id=offer.pk, number=offer.current_version)
    terms = Terms.of(current)
    if reason is not None:
        reason = _text(problems, reason, "Reason", REASON_MAX_LENGTH, "reason") or None
    new_terms: Terms | None = None
    if action in (Action.COUNTER, Action.REVISE):
        new_terms = _apply_changes(problems, action, terms, dict(changes or {}), now)
    problems.raise_if_any()

    version = offer.current_version + (1 if new_terms is not None else 0)
    title = (new_terms or terms).title
    updates: dict[str, Any] = {"status": rule.to_status, "current_version": version, "updated_at": now}
    if new_terms is not None:
        updates["expires_at"] = new_terms.expires_at
    if action == Action.DECLINE:
        updates["decline_reason"] = reason
    notice = rule.notice.format(title=title, version=version)
    if action == Action.DECLINE and reason:
        notice += f". Reason: {reason}"

    changed: list[tuple[Offer, OfferChange]] = []
    messages: list[Message] = []
    async with in_transaction():
        if action == Action.ACCEPT:
            # First write: locks the candidate's profile row, so accepts of one candidate's
            # offers serialise (PostgreSQL) and lock offers in one order (no deadlock).
            await Profile.filter(user_id=offer.candidate_id).update(open_to_work=OpenToWork.HIRED, updated_at=now)
        won = await Offer.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now) | Q(status=OfferStatus.COUNTERED),
            id=offer.pk,
            status=offer.status,
            current_version=offer.current_version,
        ).update(**updates)
        if won != 1:
            raise await _lost_race(offer.pk, action, version_number, now)
        if new_terms is not None:
            await OfferVersion.create(
                offer_id=offer.pk, number=version, author_side=side, author_id=viewer.pk,
                changed_fields=[term.value for term in new_terms.changed_from(terms)], created_at=now,
                **new_terms.columns(),
            )
        conversation = await Conversation.get(id=offer.conversation_id)
        messages.append(await post_system_message(conversation, notice))
        if action == Action.ACCEPT:
            changed.extend(await _flag_hired_elsewhere(offer, now, messages))
    for key, value in updates.items():
        setattr(offer, key, value)
    changed.insert(0, (offer, rule.change))
    await publish_offer_events(broker, changed, messages)
    return offer


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
    if _is_due(latest, now):
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
