"""Chat: contact requests, conversations, messages, read positions, responsiveness.

- ``access``: who takes part in a conversation and who may write in it (the one
  definition of the write rule, in Python and as the SQL of the fast path);
- ``queries``: the inbox, a conversation's history, what each field may show;
- ``commands``: start a conversation, answer it, send, mark read, type;
- ``events``: what is announced after commit, on which channels;
- ``loaders``: the per-request batch functions;
- ``contact``: the rules of a first contact (role, pay, quota);
- ``append``: the append primitive (atomic per-conversation ``seq``);
- ``send_statement``: sendMessage's common case in one statement;
- ``responsiveness``: how reliably a company answers candidates.

The append primitive serves every feature that writes into a conversation (offers post
system messages with it)::

    from resolvers.chat import append_message, post_system_message, publish_message

    async with in_transaction():
        message = await post_system_message(conversation, "Offer accepted.")
    await publish_message(broker, message, conversation)  # after commit
"""

from resolvers.chat.access import (
    CandidateStanding,
    Side,
    conversation_for,
    party_side,
    side_of,
    unread_count,
    visible_conversations,
    without_blocked,
    write_access,
    write_refusal,
)
from resolvers.chat.append import append_message, post_system_message
from resolvers.chat.commands import (
    mark_read,
    respond_to_contact,
    send_message,
    send_typing,
    start_conversation,
)
from resolvers.chat.contact import SalaryRange
from resolvers.chat.events import announce_block, publish_events, publish_message
from resolvers.chat.queries import conversations_page, messages_after, messages_page
from resolvers.chat.responsiveness import Responsiveness, responsiveness_of

__all__ = [
    "CandidateStanding",
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
    "party_side",
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
    "write_access",
    "write_refusal",
]
