"""Done-when story of issue 16: a contact request unanswered for the configured days
expires, returns the company's quota slot and notifies both sides — driven by the
scheduler with a moved clock (no sleeping for days)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from graph.settings import Settings
from models.chat import Conversation, ConversationStatus, Message, MessageKind
from models.mail import OutboxMail
from models.scheduler import ScheduledJob
from resolvers.scheduler import Scheduler, default_jobs, scheduler_lag
from tests.conftest import base_settings
from tests.factories.accounts import make_employer
from tests.factories.chat import START, make_reachable_candidate, pk, start_input
from tests.graphql import GraphQLClient, subscribed
from tests.mailserver import SmtpTestServer, smtp_server

EXPIRY_DAYS = 3
CONVERSATION_UPDATED = """
subscription { conversationUpdated { change actorSide conversation { id status } } }
"""
SEND = """
mutation Send($input: SendMessageInput!) {
  sendMessage(input: $input) { conversation { status } userErrors { code } }
}
"""


@pytest.fixture
def smtp() -> Iterator[SmtpTestServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def settings(database_url: str, smtp: SmtpTestServer) -> Settings:
    # The app's own scheduler stays off: the test drives one with a moved clock. The
    # in-process mail sender delivers to the real SMTP server.
    return base_settings(
        database_url, email_url=smtp.url, scheduler="off",
        contact_requests_per_week=1, contact_request_expiry_days=EXPIRY_DAYS,
    )


async def test_an_unanswered_contact_request_expires_returns_the_slot_and_tells_both_sides(
    app, gql: GraphQLClient, settings: Settings, smtp: SmtpTestServer
) -> None:
    # given: a company used its one weekly slot on a candidate who never answers
    employer = await make_employer(gql)
    silent = await make_reachable_candidate(gql)
    other = await make_reachable_candidate(gql)
    started = await gql.mutate(START, start_input(silent), token=employer.token)
    conversation_id = started["conversation"]["id"]
    refused = await gql.mutate(START, start_input(other), token=employer.token, ok=False)
    assert [e["code"] for e in refused["userErrors"]] == ["CONTACT_QUOTA_EXCEEDED"]
    scheduler = Scheduler(default_jobs(), settings, app.state.broker)
    now = datetime.now(timezone.utc)

    async with gql.websocket(token=employer.token) as company_ws, gql.websocket(token=silent.token) as candidate_ws:
        company_op = await subscribed(app, company_ws, CONVERSATION_UPDATED)
        candidate_op = await subscribed(app, candidate_ws, CONVERSATION_UPDATED)
        # when: the scheduler runs a day before the expiry, then just after it
        assert "expire_contact_requests" in await scheduler.run_due(now)
        assert (await Conversation.get(id=pk(conversation_id))).status == ConversationStatus.REQUESTED
        # hourly: not due again yet (unlike mail_notifications, every 5 minutes)
        assert "expire_contact_requests" not in await scheduler.run_due(now + timedelta(minutes=30))
        assert "expire_contact_requests" in await scheduler.run_due(now + timedelta(days=EXPIRY_DAYS - 1))
        assert (await Conversation.get(id=pk(conversation_id))).status == ConversationStatus.REQUESTED
        ran = await scheduler.run_due(now + timedelta(days=EXPIRY_DAYS, minutes=1))
        # then: both sides hear of it at once
        for ws, op in ((company_ws, company_op), (candidate_ws, candidate_op)):
            update = (await ws.next(op))["data"]["conversationUpdated"]
            assert update == {"change": "EXPIRED", "actorSide": None, "conversation": {"id": conversation_id, "status": "EXPIRED"}}

    assert "expire_contact_requests" in ran
    conversation = await Conversation.get(id=pk(conversation_id))
    assert conversation.status == ConversationStatus.EXPIRED
    notice = await Message.filter(conversation_id=conversation.pk).order_by("-seq").first()
    assert notice is not None and notice.kind == MessageKind.SYSTEM and "expired" in notice.body
    # and: one mail each, through the outbox and a real SMTP server
    await smtp.wait_for(lambda m: m["To"] == silent.email and "expired" in str(m["Subject"]))
    await smtp.wait_for(lambda m: m["To"] == employer.email and "expired" in str(m["Subject"]))
    assert await OutboxMail.filter(kind="contact_request_expired").count() == 2
    # and: the slot is back (the request is still inside the 7-day quota window)
    await gql.mutate(START, start_input(other), token=employer.token)
    # and: the run is recorded; a later run tells nobody twice (it only expires the new
    # request, which by the moved clock is unanswered for days too)
    job = await ScheduledJob.get(name="expire_contact_requests")
    assert (job.runs, job.last_result, job.last_error, job.claimed_until) == (3, 1, None, None)
    await scheduler.run_due(now + timedelta(days=EXPIRY_DAYS + 1, minutes=2))
    assert await OutboxMail.filter(dedupe_key__startswith=f"contact_expired:{conversation.pk}:").count() == 2
    assert (await ScheduledJob.get(name="expire_contact_requests")).last_result == 1
    assert await scheduler_lag(now + timedelta(days=EXPIRY_DAYS + 1, minutes=2)) == 0
    # and: the company cannot write; the candidate's late reply still accepts
    company_try = await gql.mutate(SEND, {"conversationId": conversation_id, "body": "Hello?"}, token=employer.token, ok=False)
    assert [e["code"] for e in company_try["userErrors"]] == ["CONVERSATION_NOT_ACCEPTED"]
    reply = await gql.mutate(SEND, {"conversationId": conversation_id, "body": "Sorry, I was away!"}, token=silent.token)
    assert reply["conversation"]["status"] == "ACCEPTED"


async def test_a_request_answered_before_the_run_is_left_alone(app, gql: GraphQLClient, settings: Settings) -> None:
    employer = await make_employer(gql)
    candidate = await make_reachable_candidate(gql)
    started = await gql.mutate(START, start_input(candidate), token=employer.token)
    await gql.mutate(SEND, {"conversationId": started["conversation"]["id"], "body": "Yes, let's talk"}, token=candidate.token)
    scheduler = Scheduler(default_jobs(), settings, app.state.broker)
    await scheduler.run_due(datetime.now(timezone.utc) + timedelta(days=EXPIRY_DAYS + 1))
    assert (await Conversation.get(id=pk(started["conversation"]["id"]))).status == ConversationStatus.ACCEPTED
    assert await OutboxMail.filter(kind="contact_request_expired").count() == 0
