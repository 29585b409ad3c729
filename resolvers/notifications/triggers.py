"""Who is told about each event of chat, offers and search, in one call per event.

Each function runs inside the transaction of the event (it calls ``commands.notify``)
and returns the notifications written, to publish after commit
(``events.publish_notifications``). A company is told through one person: whoever
started the conversation or saved the search, while they are still an employer of
the company; when they are not, every employer of it.
"""

from __future__ import annotations

from models.accounts import Role, User
from models.chat import Conversation
from models.notifications import Notification, NotificationKind
from models.offers import Offer
from models.search import SavedSearch
from resolvers.notifications.commands import notify
from resolvers.notifications.message_statement import message_notified

K = NotificationKind

OFFER_KINDS_FOR_CANDIDATE = {"EXTENDED": K.OFFER_EXTENDED, "REVISED": K.OFFER_REVISED, "WITHDRAWN": K.OFFER_WITHDRAWN}
OFFER_KINDS_FOR_COMPANY = {"COUNTERED": K.OFFER_COUNTERED, "ACCEPTED": K.OFFER_ACCEPTED, "DECLINED": K.OFFER_DECLINED}


async def company_recipients(company_id: int, preferred_user_id: int | None) -> list[int]:
    """The employer who acted for the company (if still one of it), else all of them."""
    employees = User.filter(company_id=company_id, role=Role.EMPLOYER, deleted_at__isnull=True)
    if preferred_user_id is not None and await employees.filter(id=preferred_user_id).exists():
        return [preferred_user_id]
    return [user_id for (user_id,) in await employees.order_by("id").values_list("id")]


async def candidate_recipients(candidate_id: int) -> list[int]:
    return [candidate_id] if await User.filter(id=candidate_id, deleted_at__isnull=True).exists() else []


def written(*found: Notification | None) -> list[Notification]:
    return [n for n in found if n is not None]


async def contact_requested(conversation: Conversation, actor_id: int) -> list[Notification]:
    """A company asked a candidate to talk: the candidate is told."""
    return written(*[
        await notify(
            user_id, K.CONTACT_REQUEST_RECEIVED, subject_type="Conversation", subject_id=conversation.pk,
            actor_id=actor_id, dedupe_key=f"contact:{conversation.pk}:received:{user_id}",
        )
        for user_id in await candidate_recipients(conversation.candidate_id)
    ])


async def contact_answered(conversation: Conversation, actor_id: int, *, accepted: bool) -> list[Notification]:
    """The candidate accepted (or declined) a contact request: the company is told."""
    kind = K.CONTACT_REQUEST_ACCEPTED if accepted else K.CONTACT_REQUEST_DECLINED
    return written(*[
        await notify(
            user_id, kind, subject_type="Conversation", subject_id=conversation.pk, actor_id=actor_id,
            dedupe_key=f"contact:{conversation.pk}:answered:{user_id}",
        )
        for user_id in await company_recipients(conversation.company_id, conversation.started_by_id)
    ])


async def message_posted(conversation: Conversation, *, message_id: int, seq: int, sender_id: int) -> list[Notification]:
    """A participant wrote: the other side gets (or adds to) its unread notification of
    the conversation (in one statement when it has one: ``message_statement``)."""
    return await message_notified(conversation, message_id=message_id, seq=seq, sender_id=sender_id)


async def offer_changed(offer: Offer, change: str, *, actor_id: int, version: int) -> list[Notification]:
    """An offer was extended, countered, revised, accepted, declined or withdrawn: the
    other side is told (other changes notify nobody)."""
    if change in OFFER_KINDS_FOR_CANDIDATE:
        kind = OFFER_KINDS_FOR_CANDIDATE[change]
        recipients = await candidate_recipients(offer.candidate_id)
    elif change in OFFER_KINDS_FOR_COMPANY:
        kind = OFFER_KINDS_FOR_COMPANY[change]
        conversation = await Conversation.get_or_none(id=offer.conversation_id)
        recipients = await company_recipients(offer.company_id, conversation.started_by_id if conversation else None)
    else:
        return []
    return written(*[
        await notify(
            user_id, kind, subject_type="Offer", subject_id=offer.pk, actor_id=actor_id,
            data={"version": version}, dedupe_key=f"offer:{offer.pk}:{change}:{version}:{user_id}",
        )
        for user_id in recipients
    ])


async def saved_search_matched(saved: SavedSearch, *, profile_id: int, match_id: int) -> list[Notification]:
    """A profile newly matches a saved search: its company is told, grouped per search
    while unread (the matches themselves are ``SavedSearch.matches``)."""
    return written(*[
        await notify(
            user_id, K.SAVED_SEARCH_MATCHES, subject_type="SavedSearch", subject_id=saved.pk,
            group_key=f"saved_search:{saved.pk}", data={"profileIds": [profile_id]},
            dedupe_key=f"match:{match_id}:{user_id}",
        )
        for user_id in await company_recipients(saved.company_id, saved.created_by_id)
    ])


# Time-based work (the scheduler's jobs): each call inside the job's transaction for the item.


async def profile_stale_soon(profile_id: int, user_id: int, *, stale_on: str, period: str, handle: str) -> list[Notification]:
    """A profile drops out of default search on ``stale_on``: its owner is told, once per
    staleness ``period`` (the freshness stamp, so a confirmation starts a new one)."""
    summary = f"Your profile @{handle} stops appearing in employers' searches on {stale_on} unless you confirm you are available."
    return written(*[
        await notify(
            user, K.PROFILE_STALE_SOON, subject_type="Profile", subject_id=profile_id,
            data={"staleOn": stale_on, "summary": summary}, dedupe_key=f"profile_stale:{profile_id}:{period}:{user}",
        )
        for user in await candidate_recipients(user_id)
    ])


async def offer_expiring(offer: Offer) -> list[Notification]:
    """A SENT offer expires within 48 hours: the candidate is told, once per version."""
    return written(*[
        await notify(
            user_id, K.OFFER_EXPIRING, subject_type="Offer", subject_id=offer.pk, data={"version": offer.current_version},
            dedupe_key=f"offer:{offer.pk}:EXPIRING:{offer.current_version}:{user_id}",
        )
        for user_id in await candidate_recipients(offer.candidate_id)
    ])


async def contact_expired(conversation: Conversation) -> list[Notification]:
    """A contact request went unanswered until it expired: both sides are told (the
    candidate, and the employer who asked or, if gone, every employer of the company)."""
    recipients = await candidate_recipients(conversation.candidate_id)
    recipients += await company_recipients(conversation.company_id, conversation.started_by_id)
    return written(*[
        await notify(
            user_id, K.CONTACT_REQUEST_EXPIRED, subject_type="Conversation", subject_id=conversation.pk,
            dedupe_key=f"contact:{conversation.pk}:expired:{user_id}",
        )
        for user_id in recipients
    ])
