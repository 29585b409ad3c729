"""Chat: contact requests, conversations, messages, read positions, responsiveness.

The append primitive for every feature that writes into a conversation (offers post
system messages with it)::

    from resolvers.chat import append_message, post_system_message, publish_message

    async with in_transaction():
        message = await post_system_message(conversation, "Offer accepted.")
    await publish_message(broker, message, conversation)  # after commit

See ``resolvers/chat/messages.py`` for the guarantees (atomic per-conversation ``seq``).
"""

from resolvers.chat.access import (
    Side,
    announce_block,
    conversation_for,
    side_of,
    unread_count,
    visible_conversations,
    without_blocked,
)
from resolvers.chat.contact import SalaryRange, respond_to_contact, start_conversation
from resolvers.chat.messages import (
    append_message,
    mark_read,
    post_system_message,
    publish_events,
    publish_message,
    send_message,
    send_typing,
)
from resolvers.chat.queries import conversations_page, messages_after, messages_page
from resolvers.chat.responsiveness import Responsiveness, responsiveness_of

__all__ = [
    "Responsiveness",
    "SalaryRange",
    "Side",
    "announce_block",
    "append_message",
    "conversation_for",
    "conversations_page",
    "mark_read",
    "messages_after",
    "messages_page",
    "post_system_message",
    "publish_events",
    "publish_message",
    "respond_to_contact",
    "responsiveness_of",
    "send_message",
    "send_typing",
    "side_of",
    "start_conversation",
    "unread_count",
    "visible_conversations",
    "without_blocked",
]
