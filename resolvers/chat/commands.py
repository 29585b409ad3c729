"""Chat's writes: start a conversation, answer it, send a message, read, type.

Each command checks its rules (``access.py`` for who may read and write, ``contact.py``
for a first contact), writes in one transaction through the append primitive
(``append.py``), and after commit publishes ids through ``events.py``. Expected refusals
are ``UserErrors``; not signed in or the wrong role is an ``ApiError``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.accounts import Company, User
from models.chat import Conversation, ConversationStatus, Message
from models.notifications import Notification
from resolvers.chat.access import (
    READ_SEQ_COLUMN,
    Side,
    conversation_for,
    refused,
    side_of,
    write_access,
)
from resolvers.chat.append import append_message, post_system_message, utcnow
from resolvers.chat.contact import (
    SalaryRange,
    already_in_conversation,
    check_contact_allowed,
    check_quota,
    check_range,
    check_role_title,
    contactable_candidate,
    terms_of_contact,
)
from resolvers.chat.events import Change, conversation_event, message_event, publish_events
from resolvers.chat.send_statement import try_send
from resolvers.errors import Forbidden, Problems, RateLimited, UserErrorCode, UserErrors
from resolvers.hiring.automation import PipelineChange, PipelineTrigger, advance_pipeline
from resolvers.hiring.events import publish_pipeline_changes
from resolvers.notifications import publish_notifications
from resolvers.notifications.commands import mark_group_read
from resolvers.notifications.triggers import contact_answered, contact_requested, message_posted
from resolvers.safety.red_flags import flag_first_contact

if TYPE_CHECKING:
    from graph.settings import Settings
    from resolvers.events import Publisher

BODY_MAX_LENGTH = 4_000
CLIENT_MESSAGE_ID_MAX_LENGTH = 64
ACCEPTED_NOTICE = "The candidate accepted the contact request."


def check_body(problems: Problems, body: str, *path: str) -> str:
    """1–4,000 characters, not only whitespace. Stored as sent."""
    if not body or not body.strip():
        problems.add(UserErrorCode.REQUIRED, "The message must not be empty.", *path)
    elif len(body) > BODY_MAX_LENGTH:
        problems.add(
            UserErrorCode.TOO_LONG,
            f"A message has at most {BODY_MAX_LENGTH} characters; this one has {len(body)}.",
            *path,
        )
    return body


def not_found() -> UserErrors:
    return refused(UserErrorCode.NOT_FOUND)


# --- The contact request -----------------------------------------------------------------

async def start_conversation(
    settings: Settings,
    broker: Publisher,
    employer: User,
    *,
    candidate_id: int | None,
    candidate_profile_id: int | None = None,
    role_title: str | None,
    salary: SalaryRange | None,
    body: str,
    role_id: int | None = None,
) -> tuple[Conversation, Message]:
    """Open a conversation with a candidate and send the first message.
    The candidate is named by User id or by Profile id (what a search result carries);
    both are ``None`` when the given id was neither. With ``role_id`` (one of the
    company's roles) the role's title and range fill what is not given, and the candidate
    lands on that role's pipeline as CONTACTED (``resolvers.hiring``)."""
    if not employer.is_employer or employer.company_id is None:
        raise Forbidden("Only employers contact candidates.")
    check_contact_allowed(employer)
    role_title, salary = await terms_of_contact(employer.company_id, role_id, role_title, salary)
    problems = Problems()
    role_title = check_role_title(problems, role_title)
    salary = check_range(problems, salary)
    check_body(problems, body, "message")
    problems.raise_if_any()
    company = await Company.get(id=employer.company_id)
    candidate = await contactable_candidate(company, candidate_id, candidate_profile_id, salary)
    await check_quota(settings, company)  # cheap early refusal
    try:
        async with in_transaction():
            # Serialise one company's contact requests so the quota holds under concurrency
            # (a row lock on PostgreSQL; SQLite has one writer anyway).
            await Company.select_for_update().get(id=company.pk)
            await check_quota(settings, company)
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
            moved = await advance_pipeline(
                PipelineTrigger.CONTACT_SENT, company_id=company.pk, candidate_id=candidate.pk, role_id=role_id, actor_id=employer.pk
            )
            notified = await contact_requested(conversation, employer.pk)
    except IntegrityError:
        raise already_in_conversation() from None
    started = conversation_event(conversation.pk, Change.STARTED.value, user_id=employer.pk)
    await publish_events(broker, conversation, [started, message_event(conversation.pk, message.pk, message.seq)])
    await publish_pipeline_changes(broker, moved)
    await publish_notifications(broker, notified)
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
            raise await _not_answerable(conversation.pk)
        conversation.status = status
        if accept:
            notice = await post_system_message(conversation, ACCEPTED_NOTICE)
        moved = await advance_pipeline(
            PipelineTrigger.CONTACT_ACCEPTED if accept else PipelineTrigger.CANDIDATE_DECLINED,
            company_id=conversation.company_id, candidate_id=conversation.candidate_id, actor_id=viewer.pk,
        )
        notified = await contact_answered(conversation, viewer.pk, accepted=accept)
    conversation = await Conversation.get(id=conversation.pk)
    events = [conversation_event(conversation.pk, status.value, user_id=viewer.pk)]
    if notice is not None:
        events.append(message_event(conversation.pk, notice.pk, notice.seq))
    await publish_events(broker, conversation, events)
    await publish_pipeline_changes(broker, moved)
    await publish_notifications(broker, notified)
    return conversation


async def _not_answerable(conversation_id: int) -> UserErrors:
    """Why a contact request cannot be answered any more: it expired unanswered, or it was
    answered already."""
    current = await Conversation.get(id=conversation_id)
    if current.status == ConversationStatus.EXPIRED:
        return UserErrors.single(
            UserErrorCode.CONTACT_REQUEST_EXPIRED,
            "This contact request expired before you answered it, so there is nothing to accept or decline. "
            "If you are still interested, reply to the conversation: a reply accepts it.",
            ["conversationId"],
        )
    return UserErrors.single(
        UserErrorCode.ALREADY_RESPONDED, "You already answered this contact request.", ["conversationId"]
    )


# --- Sending -----------------------------------------------------------------------------

async def send_message(
    settings: Settings,
    broker: Publisher,
    sender: User,
    conversation_id: int,
    body: str,
    client_message_id: str | None = None,
) -> tuple[Message, Conversation]:
    """Post ``body`` as ``sender``. Resending the same ``client_message_id`` returns the
    original message and creates nothing, also when the duplicates race.

    The common case (a participant in an accepted conversation, under the rate limit, a
    new key) is one conditional UPDATE and one INSERT (``resolvers/chat/send_statement``);
    anything else falls back to reading each rule on its own."""
    problems = Problems()
    check_body(problems, body, "body")
    if client_message_id is not None and not client_message_id.strip():
        client_message_id = None
    if client_message_id is not None and len(client_message_id) > CLIENT_MESSAGE_ID_MAX_LENGTH:
        problems.add(
            UserErrorCode.TOO_LONG,
            f"clientMessageId has at most {CLIENT_MESSAGE_ID_MAX_LENGTH} characters.",
            "clientMessageId",
        )
    problems.raise_if_any()
    try:
        sent = await try_send(
            sender, conversation_id, body, client_message_id, now=utcnow(), per_minute=settings.messages_per_minute
        )
    except IntegrityError:
        if client_message_id is None:
            raise
        sent = None  # a racing duplicate of this key committed first: the checked path finds it
    if sent is not None:
        message, conversation, notified = sent
        await flag_first_contact(message, conversation)  # red flags of a first contact (safety)
        await publish_events(broker, conversation, [message_event(conversation.pk, message.pk, message.seq)])
        await publish_notifications(broker, notified)
        return message, conversation
    return await _send_checked(settings, broker, sender, conversation_id, body, client_message_id)


async def _original(sender: User, client_message_id: str, conversation_id: int) -> Message | None:
    original = await Message.get_or_none(sender_id=sender.pk, client_message_id=client_message_id)
    if original is not None and original.conversation_id != conversation_id:
        raise UserErrors.single(
            UserErrorCode.DUPLICATE,
            "This clientMessageId was already used for a message in another conversation.",
            ["clientMessageId"],
        )
    return original


async def check_rate(settings: Settings, sender: User) -> None:
    """At most ``settings.messages_per_minute`` messages per user per minute."""
    since = utcnow() - timedelta(seconds=60)
    sent = await Message.filter(sender_id=sender.pk, created_at__gte=since).count()
    if sent >= settings.messages_per_minute:
        raise RateLimited(
            f"You sent {settings.messages_per_minute} messages in the last minute; wait a moment and send again.",
            retryAfterSeconds=60,
        )


async def _send_checked(
    settings: Settings,
    broker: Publisher,
    sender: User,
    conversation_id: int,
    body: str,
    client_message_id: str | None,
) -> tuple[Message, Conversation]:
    """Every rule read on its own: the precise refusal, the original of a repeated key,
    or a candidate's reply that accepts the contact request."""
    access = await write_access(sender, conversation_id)
    if access is None:
        raise not_found()
    conversation = access.conversation
    if client_message_id is not None:
        original = await _original(sender, client_message_id, conversation.pk)
        if original is not None:
            return original, conversation
    if access.refusal is not None:
        raise refused(access.refusal)
    await check_rate(settings, sender)
    try:
        message, notice, moved, notified = await _append_checked(
            settings, sender, access.side, conversation, body, client_message_id
        )
    except IntegrityError:
        if client_message_id is None:
            raise
        original = await _original(sender, client_message_id, conversation.pk)
        if original is None:
            raise
        return original, await Conversation.get(id=conversation.pk)
    events = [message_event(conversation.pk, message.pk, message.seq)]
    if notice is not None:
        events[:0] = [
            conversation_event(conversation.pk, Change.ACCEPTED.value, user_id=sender.pk),
            message_event(conversation.pk, notice.pk, notice.seq),
        ]
    await publish_events(broker, conversation, events)
    await publish_pipeline_changes(broker, moved)
    await publish_notifications(broker, notified)
    return message, conversation


async def _append_checked(
    settings: Settings, sender: User, side: Side, conversation: Conversation, body: str, client_message_id: str | None
) -> tuple[Message, Message | None, list[PipelineChange], list[Notification]]:
    """The message, the "accepted" notice when this reply accepted the request, the
    pipeline moves that acceptance made, and the notifications written."""
    notice: Message | None = None
    moved: list[PipelineChange] = []
    notified: list[Notification] = []
    async with in_transaction():
        # Counted again under the sender's row lock (see send_statement): exact under
        # parallel sends, across workers too.
        await User.select_for_update(no_key=True).get(id=sender.pk)
        await check_rate(settings, sender)
        if side == Side.CANDIDATE and conversation.status != ConversationStatus.ACCEPTED:
            # Replying accepts the contact request.
            accepted = await Conversation.filter(
                id=conversation.pk,
                status__in=[ConversationStatus.REQUESTED, ConversationStatus.DECLINED, ConversationStatus.EXPIRED],
            ).update(status=ConversationStatus.ACCEPTED, responded_at=utcnow())
            if accepted:
                conversation.status = ConversationStatus.ACCEPTED
                notice = await post_system_message(conversation, ACCEPTED_NOTICE)
                moved = await advance_pipeline(
                    PipelineTrigger.CONTACT_ACCEPTED, company_id=conversation.company_id,
                    candidate_id=conversation.candidate_id, actor_id=sender.pk,
                )
                notified += await contact_answered(conversation, sender.pk, accepted=True)
        message = await append_message(conversation, sender=sender, body=body, client_message_id=client_message_id)
        notified += await message_posted(conversation, message_id=message.pk, seq=message.seq, sender_id=sender.pk)
    return message, notice, moved, notified


# --- Reading and typing ------------------------------------------------------------------

async def mark_read(broker: Publisher, viewer: User, conversation_id: int, seq: int | None = None) -> Conversation:
    """Move the viewer's side read position to ``seq`` (default: the last message).
    It only moves forward; a ``seq`` beyond the last message counts as the last."""
    conversation = await conversation_for(viewer, conversation_id)
    side = side_of(viewer, conversation) if conversation is not None else None
    if conversation is None or side is None:
        raise not_found()
    if seq is not None and seq < 0:
        raise UserErrors.single(UserErrorCode.OUT_OF_RANGE, "seq must be 0 or more.", ["seq"])
    column = READ_SEQ_COLUMN[side]
    target = conversation.last_seq if seq is None else min(seq, conversation.last_seq)
    changed = await Conversation.filter(id=conversation.pk, **{f"{column}__lt": target}).update(**{column: target})
    if target >= conversation.last_seq:
        await mark_group_read(viewer.pk, f"conversation:{conversation.pk}")  # the inbox follows the chat
    conversation = await Conversation.get(id=conversation.pk)
    if changed:
        event = conversation_event(conversation.pk, Change.READ.value, user_id=viewer.pk, seq=target)
        await publish_events(broker, conversation, [event])
    return conversation


async def send_typing(broker: Publisher, viewer: User, conversation_id: int) -> Conversation:
    """Tell the other side the viewer is typing: only where they may write. Published, never stored."""
    access = await write_access(viewer, conversation_id)
    if access is None:
        raise not_found()
    if access.refusal is not None:
        raise refused(access.refusal)
    conversation = access.conversation
    await publish_events(broker, conversation, [conversation_event(conversation.pk, Change.TYPING.value, user_id=viewer.pk)])
    return conversation
