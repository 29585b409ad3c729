"""Answering a contact request after it expired: the candidate is told it expired (not
that she already answered it), and the way the message points to, a reply, still
accepts it. The scheduler's expiry job runs with a moved clock (no sleeping for days)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from graph.settings import Settings
from models.chat import Conversation, ConversationStatus
from resolvers.scheduler import Scheduler, default_jobs
from tests.conftest import base_settings
from tests.factories.chat import RESPOND, codes, pk, send, start_chat
from tests.graphql import GraphQLClient

EXPIRY_DAYS = 3


@pytest.fixture
def settings(database_url: str) -> Settings:
    # The app's own scheduler stays off: the test drives one with a moved clock.
    return base_settings(database_url, scheduler="off", contact_request_expiry_days=EXPIRY_DAYS)


async def test_answering_an_expired_request_says_it_expired_and_a_reply_still_accepts(
    app: Any, gql: GraphQLClient, settings: Settings
) -> None:
    # given: a contact request the candidate left unanswered until the scheduler expired it
    chat = await start_chat(gql)
    later = datetime.now(timezone.utc) + timedelta(days=EXPIRY_DAYS, minutes=1)
    assert "expire_contact_requests" in await Scheduler(default_jobs(), settings, app.state.broker).run_due(later)
    assert (await Conversation.get(id=pk(chat.conversation_id))).status == ConversationStatus.EXPIRED
    for accept in (True, False):
        # when: she accepts or declines it now
        late = await gql.mutate(
            RESPOND, {"conversationId": chat.conversation_id, "accept": accept}, token=chat.candidate.token, ok=False
        )
        # then: she is told it expired and how to still answer, and nothing changed
        assert codes(late) == [("CONTACT_REQUEST_EXPIRED", ["input", "conversationId"])]
        message = late["userErrors"][0]["message"]
        assert "expired" in message and "reply" in message
        assert (await Conversation.get(id=pk(chat.conversation_id))).status == ConversationStatus.EXPIRED
    # and: a reply accepts the expired request, as the message says
    await send(gql, chat.candidate, chat.conversation_id, "Sorry, I was away. Still interested!")
    assert (await Conversation.get(id=pk(chat.conversation_id))).status == ConversationStatus.ACCEPTED
    # and: an answered request still says so
    again = await gql.mutate(RESPOND, {"conversationId": chat.conversation_id, "accept": False}, token=chat.candidate.token, ok=False)
    assert codes(again) == [("ALREADY_RESPONDED", ["input", "conversationId"])]
