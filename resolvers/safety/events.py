"""What a moderation decision announces after commit, through the features that own
each event (nothing here publishes on a channel of its own):

- revoked tokens on each suspended account's auth channel
  (``resolvers.accounts.events``): their open sockets end at once, on every worker,
  exactly as after ``logOut``;
- closed offers and their system messages (``resolvers.offers.events``): the other
  party's ``offerUpdated`` and ``messageAdded``;
- declined contact requests (``resolvers.chat.events``): the other party's
  ``conversationUpdated`` (change DECLINED, no actor).
"""

from __future__ import annotations

from models.chat import ConversationStatus
from resolvers.accounts.events import announce_revoked_tokens
from resolvers.chat.events import conversation_event, publish_events
from resolvers.events import Publisher
from resolvers.offers.events import publish_offer_events
from resolvers.safety.suspension import Closures


async def announce_closures(publisher: Publisher, closures: Closures) -> None:
    """Publish what a committed suspension changed. Tokens first: the suspended side's
    streams end before the other side hears of the closures."""
    for user_id, token_ids in closures.revoked.items():
        await announce_revoked_tokens(publisher, user_id, token_ids)
    await publish_offer_events(publisher, closures.offer_changes, closures.messages)
    for conversation in closures.declined:
        event = conversation_event(conversation.pk, ConversationStatus.DECLINED.value)
        await publish_events(publisher, conversation, [event])
