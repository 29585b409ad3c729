"""The notification inbox through the API: written with the event that causes it,
grouped while unread, never two for one event, read back, marked read, and covered by
exportMyData and deleteMyAccount."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from tortoise.transactions import in_transaction

from models.notifications import Notification, NotificationEvent, NotificationKind
from resolvers.ids import parse_global_id, to_global_id
from resolvers.notifications import notify
from tests.factories.accounts import Actor, make_candidate, make_employer
from tests.factories.notifications import MARK_READ, UPDATE_PREFERENCES, inbox, nodes, publish_profile
from tests.graph.profiles.test_profiles_page import count_statements
from tests.graphql import GraphQLClient

pytestmark = pytest.mark.usefixtures("backend")

START = "mutation($input: StartConversationInput!) { startConversation(input: $input) { conversation { id } userErrors { code message } } }"
RESPOND = "mutation($input: RespondToContactInput!) { respondToContact(input: $input) { userErrors { code message } } }"
SEND = "mutation($input: SendMessageInput!) { sendMessage(input: $input) { userErrors { code message } } }"
EXTEND = "mutation($input: ExtendOfferInput!) { extendOffer(input: $input) { offer { id currentVersion { number } } userErrors { code message } } }"
DECLINE = "mutation($input: DeclineOfferInput!) { declineOffer(input: $input) { userErrors { code message } } }"


async def contact(gql: GraphQLClient, boss: Actor, cand: Actor) -> str:
    started = await gql.mutate(START, {
        "candidateId": cand.id, "roleTitle": "Data engineer",
        "salaryRange": {"min": 60000, "max": 80000, "currency": "EUR", "period": "YEAR"}, "message": "Hello!",
    }, token=boss.token)
    return str(started["conversation"]["id"])


async def pair(gql: GraphQLClient) -> tuple[Actor, Actor]:
    cand = await make_candidate(gql, name="Nia Newcomer")
    await publish_profile(gql, cand, headline="Data engineer")
    boss = await make_employer(gql, company_name="Streamly")
    return boss, cand


def kinds(page: dict[str, Any]) -> list[tuple[str, int]]:
    return [(n["kind"], n["count"]) for n in nodes(page)]


async def test_a_newcomer_learns_of_a_contact_request_and_its_messages(gql: GraphQLClient) -> None:
    # given: a bare sign-up who published a profile
    boss, cand = await pair(gql)
    assert (await inbox(gql, cand))["unreadNotificationCount"] == 0
    # when: a company asks to talk, she accepts by replying, the company writes twice
    conversation = await contact(gql, boss, cand)
    page = await inbox(gql, cand)
    [request] = nodes(page)
    assert (request["kind"], request["subject"]) == ("CONTACT_REQUEST_RECEIVED", {"__typename": "Conversation", "id": conversation})
    await gql.mutate(SEND, {"conversationId": conversation, "body": "Yes, let's talk"}, token=cand.token)
    for body in ("Great", "When are you free?"):
        await gql.mutate(SEND, {"conversationId": conversation, "body": body}, token=boss.token)
    # then: the candidate has one message notification counting both, newest first
    assert kinds(await inbox(gql, cand)) == [("NEW_MESSAGE", 2), ("CONTACT_REQUEST_RECEIVED", 1)]
    assert kinds(await inbox(gql, boss)) == [("NEW_MESSAGE", 1), ("CONTACT_REQUEST_ACCEPTED", 1)]
    # when: she marks the messages read, the next message starts a new notification
    [messages, _] = nodes(await inbox(gql, cand))
    marked = await gql.mutate(MARK_READ, {"ids": [messages["id"]]}, token=cand.token)
    assert (marked["markedCount"], marked["unreadNotificationCount"]) == (1, 1)
    await gql.mutate(SEND, {"conversationId": conversation, "body": "Tomorrow?"}, token=boss.token)
    assert kinds(await inbox(gql, cand, unreadOnly=True)) == [("NEW_MESSAGE", 1), ("CONTACT_REQUEST_RECEIVED", 1)]
    # and upTo marks everything below it read
    [newest, *_] = nodes(await inbox(gql, cand))
    marked = await gql.mutate(MARK_READ, {"upTo": newest["id"]}, token=cand.token)
    assert (marked["markedCount"], marked["unreadNotificationCount"]) == (2, 0)


async def test_a_candidates_messages_reach_the_employer_who_asked_then_every_employer_once_they_left(gql: GraphQLClient) -> None:
    # given: a company of two; the member (not the admin) asks a bare sign-up to talk
    boss = await make_employer(gql, company_name="Streamly")
    member = await make_employer(gql, invitation_code=boss.invitation_code)
    cand = await make_candidate(gql, name="Nia Newcomer")
    await publish_profile(gql, cand, headline="Data engineer")
    conversation = await contact(gql, member, cand)
    # when: she replies twice
    for body in ("Yes, let's talk", "I am free on Monday"):
        await gql.mutate(SEND, {"conversationId": conversation, "body": body}, token=cand.token)
    # then: the member who asked counts both, in one notification; the admin is not told
    assert kinds(await inbox(gql, member))[0] == ("NEW_MESSAGE", 2)
    assert [kind for kind, _ in kinds(await inbox(gql, boss))] == []
    # when: the member is removed from the company, and she writes again
    removed = await gql.mutate(
        "mutation($input: RemoveMemberInput!) { removeMember(input: $input) { userErrors { code } } }",
        {"userId": member.id}, token=boss.token,
    )
    assert removed["userErrors"] == []
    await gql.mutate(SEND, {"conversationId": conversation, "body": "Anyone there?"}, token=cand.token)
    # then: every employer still of the company is told; the one who left is not
    assert kinds(await inbox(gql, boss)) == [("NEW_MESSAGE", 1)]
    member_pk = parse_global_id(member.id)[1]
    [left_behind] = await Notification.filter(user_id=member_pk, kind=NotificationKind.NEW_MESSAGE)
    assert (left_behind.count, left_behind.data) == (2, {"seq": 4})  # the request, the acceptance notice, her two
    # and each message's event is recorded once per person told
    recorded = sorted(key.rsplit(":", 1)[1] for key in await NotificationEvent.filter(
        dedupe_key__startswith="message:").values_list("dedupe_key", flat=True))
    assert recorded == sorted([str(member_pk)] * 2 + [str(parse_global_id(boss.id)[1])])


async def test_a_message_counted_into_an_unread_notification_costs_two_statements(gql: GraphQLClient) -> None:
    # given: an accepted conversation whose candidate has not read the company's last message
    boss, cand = await pair(gql)
    conversation = await contact(gql, boss, cand)
    await gql.mutate(RESPOND, {"conversationId": conversation, "accept": True}, token=cand.token)
    await gql.mutate(SEND, {"conversationId": conversation, "body": "Hi"}, token=boss.token)
    # when: the company writes again
    with count_statements() as seen:
        await gql.mutate(SEND, {"conversationId": conversation, "body": "Still there?"}, token=boss.token)
    # then: the notification costs one UPDATE (recipients included) and the event's INSERT
    # (sendMessage's most frequent case: no recipients' SELECT, no dedupe check, no merge read)
    touching = [sql for sql in seen if "notification" in sql.lower()]
    assert [sql.split()[0].upper() for sql in touching] == ["UPDATE", "INSERT"], touching
    assert len(seen) <= 5, seen  # with the message's UPDATE and INSERT (and on PostgreSQL the sender's lock)
    assert kinds(await inbox(gql, cand, unreadOnly=True))[0] == ("NEW_MESSAGE", 2)


async def test_reading_the_conversation_reads_its_notification(gql: GraphQLClient) -> None:
    boss, cand = await pair(gql)
    conversation = await contact(gql, boss, cand)
    await gql.mutate(RESPOND, {"conversationId": conversation, "accept": True}, token=cand.token)
    await gql.mutate(SEND, {"conversationId": conversation, "body": "Hi"}, token=boss.token)
    await gql.execute(
        "mutation($input: MarkConversationReadInput!) { markConversationRead(input: $input) { userErrors { code } } }",
        {"input": {"conversationId": conversation}}, token=cand.token,
    )
    assert kinds(await inbox(gql, cand, unreadOnly=True)) == [("CONTACT_REQUEST_RECEIVED", 1)]


async def test_offers_tell_the_other_side(gql: GraphQLClient) -> None:
    boss, cand = await pair(gql)
    conversation = await contact(gql, boss, cand)
    await gql.mutate(RESPOND, {"conversationId": conversation, "accept": True}, token=cand.token)
    offer = (await gql.mutate(EXTEND, {"conversationId": conversation, "terms": {
        "title": "Data engineer", "salary": {"amount": 75000, "currency": "EUR", "period": "YEAR"}}}, token=boss.token))["offer"]
    await gql.mutate(DECLINE, {"offerId": offer["id"]}, token=cand.token)
    assert ("OFFER_EXTENDED", 1) in kinds(await inbox(gql, cand, kinds=["OFFER_EXTENDED", "OFFER_DECLINED"]))
    boss_page = await inbox(gql, boss, kinds=["OFFER_DECLINED"])
    [declined] = nodes(boss_page)
    assert declined["subject"] == {"__typename": "Offer", "id": offer["id"]}


async def test_one_event_never_makes_two_notifications(gql: GraphQLClient, app: object) -> None:
    # given
    boss, cand = await pair(gql)
    conversation = await contact(gql, boss, cand)
    [request] = await Notification.filter(kind=NotificationKind.CONTACT_REQUEST_RECEIVED)
    # when: the same event is notified again (a retried job, a second caller)
    async with in_transaction():
        again = await notify(
            request.user_id, NotificationKind.CONTACT_REQUEST_RECEIVED, subject_type="Conversation",
            subject_id=request.subject_id, dedupe_key=f"contact:{request.subject_id}:received:{request.user_id}",
        )
    # then
    assert again is None
    assert await Notification.filter(user_id=request.user_id).count() == 1
    assert request.subject_id == parse_global_id(conversation)[1]


async def test_messages_racing_into_one_group_make_one_notification(gql: GraphQLClient) -> None:
    # given: an accepted conversation
    boss, cand = await pair(gql)
    conversation = await contact(gql, boss, cand)
    await gql.mutate(RESPOND, {"conversationId": conversation, "accept": True}, token=cand.token)
    # when: the company sends 12 messages at once
    await asyncio.gather(*[
        gql.mutate(SEND, {"conversationId": conversation, "body": f"m{n}"}, token=boss.token) for n in range(12)
    ])
    # then: one unread notification counts all of them, and every event is recorded once
    [grouped] = [n for n in nodes(await inbox(gql, cand)) if n["kind"] == "NEW_MESSAGE"]
    assert grouped["count"] == 12
    assert await NotificationEvent.filter(dedupe_key__startswith="message:").count() == 12


async def test_nobody_reads_another_persons_notifications(gql: GraphQLClient) -> None:
    boss, cand = await pair(gql)
    await contact(gql, boss, cand)
    [note] = nodes(await inbox(gql, cand))
    other = await make_candidate(gql)
    node = await gql.execute("query($id: ID!) { node(id: $id) { id } }", {"id": note["id"]}, token=other.token)
    assert node["node"] is None
    own = await gql.execute("query($id: ID!) { node(id: $id) { ... on Notification { kind } } }", {"id": note["id"]}, token=cand.token)
    assert own["node"] == {"kind": "CONTACT_REQUEST_RECEIVED"}
    marked = await gql.mutate(MARK_READ, {"ids": [note["id"]]}, token=other.token)
    assert marked["markedCount"] == 0
    failed = await gql.mutate(MARK_READ, {"upTo": note["id"]}, token=other.token, ok=False)
    assert [e["code"] for e in failed["userErrors"]] == ["NOT_FOUND"]
    assert (await inbox(gql, cand))["unreadNotificationCount"] == 1


async def test_preferences_are_validated(gql: GraphQLClient) -> None:
    cand = await make_candidate(gql)
    prefs = await gql.execute("{ notificationPreferences { timeZone kinds { kind frequency isDefault } } }", token=cand.token)
    by_kind = {k["kind"]: k for k in prefs["notificationPreferences"]["kinds"]}
    assert len(by_kind) == len(NotificationKind) and all(k["isDefault"] for k in by_kind.values())
    assert by_kind["SAVED_SEARCH_MATCHES"]["frequency"] == "DAILY"
    bad = await gql.mutate(UPDATE_PREFERENCES, {"timeZone": "Mars/Olympus"}, token=cand.token, ok=False)
    assert [(e["code"], e["field"]) for e in bad["userErrors"]] == [("INVALID", ["input", "timeZone"])]
    bad = await gql.mutate(UPDATE_PREFERENCES, {"quietHoursStart": 22}, token=cand.token, ok=False)
    assert [e["code"] for e in bad["userErrors"]] == ["REQUIRED"]
    bad = await gql.mutate(UPDATE_PREFERENCES, {"quietHoursStart": 22, "quietHoursEnd": 24}, token=cand.token, ok=False)
    assert [e["code"] for e in bad["userErrors"]] == ["OUT_OF_RANGE"]
    ok = await gql.mutate(UPDATE_PREFERENCES, {
        "timeZone": "America/New_York", "quietHoursStart": 22, "quietHoursEnd": 7,
        "frequencies": [{"kind": "NEW_MESSAGE", "frequency": "WEEKLY"}],
    }, token=cand.token)
    saved = ok["notificationPreferences"]
    assert (saved["timeZone"], saved["quietHoursStart"], saved["quietHoursEnd"]) == ("America/New_York", 22, 7)
    # fields left out stay; null clears
    ok = await gql.mutate(UPDATE_PREFERENCES, {"timeZone": None}, token=cand.token)
    assert (ok["notificationPreferences"]["timeZone"], ok["notificationPreferences"]["quietHoursStart"]) == (None, 22)
    assert {k["kind"]: k["frequency"] for k in ok["notificationPreferences"]["kinds"] if not k["isDefault"]} == {"NEW_MESSAGE": "WEEKLY"}


async def test_export_includes_and_deletion_removes_notification_data(gql: GraphQLClient) -> None:
    boss, cand = await pair(gql)
    conversation = await contact(gql, boss, cand)
    await gql.mutate(UPDATE_PREFERENCES, {"timeZone": "Europe/Berlin", "frequencies": [{"kind": "NEW_MESSAGE", "frequency": "DAILY"}]}, token=cand.token)
    export = (await gql.execute("{ exportMyData }", token=cand.token))["exportMyData"]
    assert [n["kind"] for n in export["notifications"]] == ["CONTACT_REQUEST_RECEIVED"]
    assert export["notificationPreferences"][0]["kind"] == "NEW_MESSAGE"
    assert export["mailSchedule"]["timeZone"] == "Europe/Berlin"
    user_pk = int((await Notification.get(kind=NotificationKind.CONTACT_REQUEST_RECEIVED)).user_id)
    await gql.execute("mutation { deleteMyAccount(input: {confirm: true}) { userErrors { code } } }", token=cand.token)
    assert await Notification.filter(user_id=user_pk).count() == 0
    assert await Notification.filter(subject_id=int(parse_global_id(conversation)[1])).count() == 0


async def test_invalid_arguments_are_refused(gql: GraphQLClient) -> None:
    cand = await make_candidate(gql)
    result = await gql.post(
        "query { notifications(first: 101) { totalCount } }", token=cand.token,
    )
    assert result.codes == ["BAD_USER_INPUT"]
    result = await gql.post(MARK_READ, {"input": {"ids": ["not-an-id"]}}, token=cand.token)
    assert result.codes == ["BAD_USER_INPUT"]
    result = await gql.post(MARK_READ, {"input": {"ids": [to_global_id("Notification", n) for n in range(1, 102)]}}, token=cand.token)
    assert result.codes == ["BAD_USER_INPUT"]
    result = await gql.post(MARK_READ, {"input": {"upTo": to_global_id("Conversation", 1)}}, token=cand.token)
    assert result.codes == ["BAD_USER_INPUT"]
    failed = await gql.mutate(MARK_READ, {}, token=cand.token, ok=False)
    assert [e["code"] for e in failed["userErrors"]] == ["REQUIRED"]
