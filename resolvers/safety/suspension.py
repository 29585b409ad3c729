"""Suspending an account or a company, and lifting it.

Suspending (inside the moderator's transaction; ``Closures`` is published after commit
by ``resolvers.safety.events``):

- the account — or, for a company, every member — gets ``suspended_at`` and loses every
  token; signing in is refused (``ACCOUNT_SUSPENDED``) until the suspension is lifted;
- a suspended candidate's profile is set HIDDEN (the visibility it had is kept on the
  ``Suspension`` row), so it leaves search, ``profile``, ``node`` and every other path
  through the profile rules at once;
- a suspended company reads as ``null`` to everyone but moderators (``node``);
- open contact requests are closed (DECLINED, with a system message) and open offers
  CLOSED (with the offers feature's own close), and the other party is told through
  the chat and offers events. Conversations stay readable to the other party, closed.

Lifting restores what the suspension hid: ``suspended_at`` cleared on the accounts it
suspended (unless another suspension still holds them) and each profile's visibility
back as it was. Closed requests and offers stay closed; tokens are not revived (people
sign in again).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from tortoise.expressions import Q

from models.accounts import Company, User
from models.chat import Conversation, ConversationStatus, Message
from models.offers import Offer
from models.profiles import Profile, Visibility
from models.safety import Suspension
from resolvers.accounts.commands import revoke_all_tokens
from resolvers.chat.append import post_system_message
from resolvers.errors import UserErrorCode, UserErrors
from resolvers.offers.commands import close_open_offers_of
from resolvers.offers.events import OfferChange

OFFER_CLOSED_NOTICE = "Offer closed: {title}. Moderators suspended the other party."
REQUEST_CLOSED_NOTICE = "This contact request was closed: moderators suspended the other party."


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Closures:
    """What a suspension changed that others must hear about, after commit."""

    revoked: dict[int, list[int]] = field(default_factory=dict)  # user id -> token ids
    offer_changes: list[tuple[Offer, OfferChange]] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    declined: list[Conversation] = field(default_factory=list)


async def suspend_user(
    user_id: int, *, moderator_id: int, report_id: int | None, note: str | None, closures: Closures
) -> Suspension:
    """Suspend one account (inside a transaction)."""
    # FOR NO KEY UPDATE: the row is updated, never deleted, so the notifications other
    # transactions insert for this user (a foreign key: FOR KEY SHARE) while holding rows
    # this suspension closes next (offers) do not deadlock with it.
    user = await User.select_for_update(no_key=True).get_or_none(id=user_id)
    if user is None or user.deleted_at is not None or user.is_moderator:
        raise UserErrors.single(UserErrorCode.ACTION_NOT_APPLICABLE, "This account cannot be suspended.", ["action"])
    if user.suspended_at is not None:
        raise UserErrors.single(UserErrorCode.ALREADY_SUSPENDED, "This account is already suspended.", ["action"])
    now = utcnow()
    hidden: dict[str, Any] = {"userIds": [user.pk], "profileVisibility": {}}
    await _suspend_accounts([user.pk], now, closures)
    if user.is_candidate:
        profile = await Profile.select_for_update().get_or_none(user_id=user.pk)
        if profile is not None:
            hidden["profileVisibility"][str(profile.pk)] = profile.visibility.value
            await Profile.filter(id=profile.pk).update(visibility=Visibility.HIDDEN)
        changes, messages = await close_open_offers_of(user.pk, now, notice=OFFER_CLOSED_NOTICE)
        closures.offer_changes += changes
        closures.messages += messages
        await _close_requests(Q(candidate_id=user.pk), now, closures)
    return await Suspension.create(
        user_id=user.pk, report_id=report_id, moderator_id=moderator_id, note=note, hidden=hidden
    )


async def suspend_company(
    company_id: int, *, moderator_id: int, report_id: int | None, note: str | None, closures: Closures
) -> Suspension:
    """Suspend a company and every member (inside a transaction)."""
    company = await Company.select_for_update().get_or_none(id=company_id)
    if company is None:
        raise UserErrors.single(UserErrorCode.ACTION_NOT_APPLICABLE, "No such company.", ["action"])
    if company.suspended_at is not None:
        raise UserErrors.single(UserErrorCode.ALREADY_SUSPENDED, "This company is already suspended.", ["action"])
    now = utcnow()
    await Company.filter(id=company.pk).update(suspended_at=now)
    members = list(
        await User.filter(company_id=company.pk, deleted_at=None, suspended_at=None).values_list("id", flat=True)
    )
    member_ids = [int(pk) for pk in members]  # type: ignore[call-overload]  # flat=True yields the ids themselves
    await _suspend_accounts(member_ids, now, closures)
    changes, messages = await close_open_offers_of(None, now, company_id=company.pk, notice=OFFER_CLOSED_NOTICE)
    closures.offer_changes += changes
    closures.messages += messages
    await _close_requests(Q(company_id=company.pk), now, closures)
    return await Suspension.create(
        company_id=company.pk,
        report_id=report_id,
        moderator_id=moderator_id,
        note=note,
        hidden={"userIds": member_ids, "profileVisibility": {}},
    )


async def _suspend_accounts(user_ids: list[int], now: datetime, closures: Closures) -> None:
    await User.filter(id__in=user_ids).update(suspended_at=now)
    for user_id in user_ids:
        closures.revoked[user_id] = await revoke_all_tokens(user_id)


async def _close_requests(party: Q, now: datetime, closures: Closures) -> None:
    """Unanswered contact requests of the party become DECLINED, each with a notice."""
    for conversation in await Conversation.filter(party, status=ConversationStatus.REQUESTED).order_by("id"):
        if not await Conversation.filter(id=conversation.pk, status=ConversationStatus.REQUESTED).update(
            status=ConversationStatus.DECLINED, responded_at=now
        ):
            continue  # answered meanwhile
        conversation.status = ConversationStatus.DECLINED
        closures.messages.append(await post_system_message(conversation, REQUEST_CLOSED_NOTICE))
        closures.declined.append(conversation)


async def lift(suspension: Suspension, *, moderator_id: int) -> Suspension:
    """Lift ``suspension`` (inside a transaction): restore what it hid."""
    now = utcnow()
    await Suspension.filter(id=suspension.pk).update(lifted_at=now, lifted_by_id=moderator_id)
    suspension.lifted_at, suspension.lifted_by_id = now, moderator_id
    if suspension.company_id is not None:
        await Company.filter(id=suspension.company_id).update(suspended_at=None)
    user_ids = [int(pk) for pk in suspension.hidden.get("userIds", [])]
    still_held = await _still_suspended(user_ids, exclude=suspension.pk)
    await User.filter(id__in=[pk for pk in user_ids if pk not in still_held]).update(suspended_at=None)
    for profile_id, visibility in suspension.hidden.get("profileVisibility", {}).items():
        await Profile.filter(id=int(profile_id)).update(visibility=Visibility(visibility))
    return suspension


async def _still_suspended(user_ids: list[int], *, exclude: int) -> set[int]:
    """Accounts among ``user_ids`` that another live suspension still holds (their own,
    or their company's)."""
    held: set[int] = set()
    for other in await Suspension.filter(lifted_at=None).exclude(id=exclude):
        held.update(int(pk) for pk in other.hidden.get("userIds", []) if int(pk) in user_ids)
    return held


async def live_suspension(*, user_id: int | None = None, company_id: int | None = None) -> Suspension:
    """The live suspension of the account or company (locked), else ``NOT_SUSPENDED``."""
    query = Suspension.filter(lifted_at=None)
    query = query.filter(user_id=user_id) if user_id is not None else query.filter(company_id=company_id)
    suspension = await query.select_for_update().order_by("-id").first()
    if suspension is None:
        raise UserErrors.single(UserErrorCode.NOT_SUSPENDED, "There is no suspension to lift.", ["target"])
    return suspension
