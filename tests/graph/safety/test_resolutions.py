"""The moderation actions issue 14 lists that the story tests do not take — WARN and
REMOVE_MESSAGE — and reports on a conversation and an offer; also the queue's order
(most-reported first, then the oldest), and a suspended candidate's open request and offer
closed with an event to each company. Everything from bare sign-ups, through the API."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from graph.settings import Settings
from models.mail import OutboxMail
from resolvers.notifications import send_due_mail
from resolvers.safety.commands import REMOVED_BODY
from tests.factories.accounts import make_candidate, make_employer
from tests.factories.chat import make_reachable_candidate, send, start_chat
from tests.factories.safety import AUDIT, MY_REPORTS, make_moderator, queue, report, resolve
from tests.graphql import GraphQLClient, subscribed
from tests.scaleout.story import EXTEND

MESSAGE = "query($id: ID!) { node(id: $id) { ... on Message { body } } }"
RESOLVE_CODES = "mutation($input: ResolveReportInput!) { resolveReport(input: $input) { userErrors { code } } }"
PUSHY = "Answer today or I will call your current employer. Write to me on Telegram."


async def test_warn_and_remove_message_and_reports_on_a_conversation_and_an_offer(
    gql: GraphQLClient, settings: Settings
) -> None:
    # given: an accepted conversation where the company writes a pushy message and makes an offer
    chat = await start_chat(gql, accept=True)
    candidate, employer = chat.candidate, chat.employer
    message = await send(gql, employer, chat.conversation_id, PUSHY)
    offer = (await gql.mutate(EXTEND, {"conversationId": chat.conversation_id, "terms": {
        "title": "Platform engineer", "salary": {"amount": 90000, "currency": "EUR", "period": "YEAR"},
    }}, token=employer.token))["offer"]
    # when: the candidate reports the message, the conversation and the offer, in that order;
    # then two other candidates report the company
    filed = {}
    for kind, target, reason in (
        ("MESSAGE", message["id"], "HARASSMENT"), ("CONVERSATION", chat.conversation_id, "HARASSMENT"),
        ("OFFER", offer["id"], "OTHER"),
    ):
        filed[kind] = (await report(gql, candidate, target, reason, comment=f"About the {kind.lower()}"))["report"]
    for _ in range(2):
        await report(gql, await make_candidate(gql), employer.company_id or "", "SPAM")
    moderator = await make_moderator(settings, gql)
    cases = await queue(gql, moderator)
    # then: the most-reported case first, then the oldest
    assert [(c["targetKind"], c["filingCount"]) for c in cases] == [
        ("COMPANY", 2), ("MESSAGE", 1), ("CONVERSATION", 1), ("OFFER", 1),
    ]
    by_kind = {c["targetKind"]: c for c in cases}
    # and: each case names the company behind it and keeps what was reported
    assert {c["subjectCompanyId"] for c in cases} == {employer.company_id}
    assert PUSHY in [m["body"] for m in by_kind["CONVERSATION"]["snapshot"]["messages"]]
    assert by_kind["OFFER"]["snapshot"]["title"] == "Platform engineer"
    # when: a message removal is asked for a report that is not about a message
    refused = await gql.mutate(RESOLVE_CODES, {"reportId": by_kind["OFFER"]["id"], "action": "REMOVE_MESSAGE"},
                               token=moderator.token, ok=False)
    # then: refused, and the report stays open
    assert refused["userErrors"] == [{"code": "ACTION_NOT_APPLICABLE"}]
    # when: the moderator removes the message
    await resolve(gql, moderator, by_kind["MESSAGE"]["id"], "REMOVE_MESSAGE", note="Threatening")
    # then: both sides read the removal notice instead of the text
    for actor in (candidate, employer):
        assert (await gql.execute(MESSAGE, {"id": message["id"]}, token=actor.token))["node"] == {"body": REMOVED_BODY}
    # when: the moderator warns the company about the conversation
    await resolve(gql, moderator, by_kind["CONVERSATION"]["id"], "WARN", note="Keep it civil")
    # then: its member is told (a MODERATION_ACTION notification, mailed at once by the mail
    # job) with the note, and nothing names the reporter
    await send_due_mail(datetime.now(timezone.utc) + timedelta(seconds=1), settings=settings)
    mails = await OutboxMail.filter(to_address=employer.email, kind="notification_instant")
    [warning] = [m for m in mails if "Keep it civil" in m.body_text]
    assert candidate.display_name not in warning.body_text and candidate.display_name not in (warning.body_html or "")
    # and: the reporter follows what happened to each of her reports
    mine = {e["node"]["targetKind"]: e["node"] for e in (await gql.execute(MY_REPORTS, token=candidate.token))["myReports"]["edges"]}
    assert (mine["MESSAGE"]["status"], mine["MESSAGE"]["action"]) == ("ACTION_TAKEN", "REMOVE_MESSAGE")
    assert (mine["CONVERSATION"]["status"], mine["CONVERSATION"]["action"]) == ("ACTION_TAKEN", "WARN")
    assert (mine["OFFER"]["status"], mine["OFFER"]["action"]) == ("OPEN", None)
    assert mine["OFFER"]["id"] == filed["OFFER"]["id"]
    # and: the audit log has both decisions and the removal
    log = (await gql.execute(AUDIT, {"action": None, "target": None}, token=moderator.token))["auditLog"]["edges"]
    actions = [e["node"]["action"] for e in log]
    assert actions.count("report.resolved") == 2 and "message.removed" in actions
    # and: the queue holds what is still open
    assert [c["targetKind"] for c in await queue(gql, moderator)] == ["COMPANY", "OFFER"]


CONVERSATION_UPDATED = "subscription { conversationUpdated { change conversation { id status } } }"
OFFER_UPDATED = "subscription { offerUpdated { change offer { id status } } }"


async def test_suspending_a_candidate_closes_her_open_request_and_offer_and_tells_each_company(
    app: Any, gql: GraphQLClient, settings: Settings
) -> None:
    # given: a candidate with an unanswered contact request from one company and an open offer from another
    candidate = await make_reachable_candidate(gql)
    asking, offering = await make_employer(gql), await make_employer(gql)
    request = await start_chat(gql, asking, candidate)
    accepted = await start_chat(gql, offering, candidate, accept=True)
    offer = (await gql.mutate(EXTEND, {"conversationId": accepted.conversation_id, "terms": {
        "title": "Data engineer", "salary": {"amount": 70000, "currency": "EUR", "period": "YEAR"},
    }}, token=offering.token))["offer"]
    profile_id = (await gql.execute("{ myProfile { id } }", token=candidate.token))["myProfile"]["id"]
    await report(gql, asking, profile_id, "FAKE_IDENTITY")
    moderator = await make_moderator(settings, gql)
    [case] = await queue(gql, moderator)
    async with gql.websocket(token=asking.token) as asking_ws, gql.websocket(token=offering.token) as offering_ws:
        asking_op = await subscribed(app, asking_ws, CONVERSATION_UPDATED)
        offering_op = await subscribed(app, offering_ws, OFFER_UPDATED)
        # when: the moderator suspends her
        await resolve(gql, moderator, case["id"], "SUSPEND_USER")
        # then: the company that asked hears its request was closed
        update = (await asking_ws.next(asking_op))["data"]["conversationUpdated"]
        assert update["conversation"] == {"id": request.conversation_id, "status": "DECLINED"}
        # and: the company with the offer hears it was closed
        closed = (await offering_ws.next(offering_op))["data"]["offerUpdated"]
        assert closed == {"change": "CLOSED", "offer": {"id": offer["id"], "status": "CLOSED"}}
