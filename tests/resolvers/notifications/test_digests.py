"""Mail about notifications: ``send_due_mail(now)`` with a moved ``now`` (no sleeping),
delivered by the app's own mail sender to the real SMTP server of tests/mailserver.py.

The first story of issue 16's "Done when": an employer's saved search matches while he
is offline → a notification, ``SavedSearch.matches`` lists the candidate, and one email
in his chosen digest; a candidate who blocks the company before the digest goes out is
not in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage

import httpx
import pytest

from graph.settings import Settings
from models.mail import OutboxMail
from models.notifications import Notification
from resolvers.notifications import send_due_mail
from tests.conftest import base_settings
from tests.factories.accounts import make_candidate, make_employer
from tests.factories.notifications import UPDATE_PREFERENCES, inbox, nodes, publish_profile, save_search
from tests.graphql import GraphQLClient
from tests.mailserver import SmtpTestServer, smtp_server

MATCHES = """
query($id: ID!) {
  node(id: $id) {
    ... on SavedSearch {
      newMatchCount
      matches { totalCount edges { node { newSinceLastViewed candidate { displayName headline } } } }
    }
  }
}
"""
BLOCK = "mutation($input: BlockCompanyInput!) { blockCompany(input: $input) { userErrors { code message } } }"
SEND = "mutation($input: SendMessageInput!) { sendMessage(input: $input) { userErrors { code message } } }"
START = """
mutation($input: StartConversationInput!) {
  startConversation(input: $input) { conversation { id } userErrors { code message } }
}
"""


@pytest.fixture
def smtp() -> Iterator[SmtpTestServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def settings(database_url: str, smtp: SmtpTestServer) -> Settings:
    return base_settings(database_url, email_url=smtp.url, public_url="https://ofw.example")


def text_of(mail: EmailMessage) -> tuple[str, str]:
    plain = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert plain is not None and html is not None
    return plain.get_content(), html.get_content()


async def test_offline_employer_gets_one_digest_without_the_candidate_who_blocked_him(
    gql: GraphQLClient, app: object, http: httpx.AsyncClient, smtp: SmtpTestServer, settings: Settings
) -> None:
    # given: an employer who wants saved-search matches in a daily digest, in his time zone
    boss = await make_employer(gql, name="Bo Boss", email="bo@kafkaco.example", company_name="KafkaCo")
    await gql.mutate(
        UPDATE_PREFERENCES,
        {"frequencies": [{"kind": "SAVED_SEARCH_MATCHES", "frequency": "DAILY"}], "timeZone": "Europe/Berlin"},
        token=boss.token,
    )
    saved_id = await save_search(gql, boss, "Streaming people", "kafka")
    # when: two newcomers publish matching profiles while he is offline (no socket open)
    ada = await make_candidate(gql, name="Ada Stream")
    eve = await make_candidate(gql, name="Eve Hidden")
    await publish_profile(gql, ada, headline="Kafka engineer")
    await publish_profile(gql, eve, headline="Kafka platform lead")
    # then: one notification counts both, and the search keeps them
    page = await inbox(gql, boss)
    [note] = nodes(page)
    assert page["unreadNotificationCount"] == 1
    assert (note["kind"], note["count"], note["subject"]) == ("SAVED_SEARCH_MATCHES", 2, {"__typename": "SavedSearch", "id": saved_id})
    found = (await gql.execute(MATCHES, {"id": saved_id}, token=boss.token))["node"]
    assert found["newMatchCount"] == 2
    assert {e["node"]["candidate"]["displayName"] for e in found["matches"]["edges"]} == {"Ada Stream", "Eve Hidden"}
    # when: Eve blocks the company before the digest goes out, and the digest moment comes
    await gql.mutate(BLOCK, {"companyId": boss.company_id}, token=eve.token)
    tomorrow = datetime.now(timezone.utc) + timedelta(days=1)
    assert await send_due_mail(datetime.now(timezone.utc), settings=settings) == 0  # 08:00 Berlin not reached yet
    assert await send_due_mail(tomorrow, settings=settings) == 1
    assert await send_due_mail(tomorrow + timedelta(minutes=5), settings=settings) == 0  # never twice
    # then: one mail, in the daily digest, naming Ada and not Eve
    mail = await smtp.wait_for(lambda m: m["To"] == "bo@kafkaco.example" and "digest" in m["Subject"])
    plain, html = text_of(mail)
    assert mail["Subject"].startswith("Your daily OpenForWork digest")
    for body in (plain, html):
        assert "Ada Stream" in body and "Streaming people" in body
        assert "Eve" not in body
        assert "https://ofw.example/unsubscribe?token=" in body
    # (besides the sign-ups' confirmation codes) the digest is the only mail
    assert [m["To"] for m in smtp.messages if "confirmation code" not in m["Subject"]] == ["bo@kafkaco.example"]
    # and the kept matches no longer list Eve either (privacy at read time)
    found = (await gql.execute(MATCHES, {"id": saved_id}, token=boss.token))["node"]
    assert [e["node"]["candidate"]["displayName"] for e in found["matches"]["edges"]] == ["Ada Stream"]
    # and the unsubscribe link turns exactly that kind OFF, twice without harm
    link = next(line for line in plain.splitlines() if "/unsubscribe?token=" in line).split(": ", 1)[1]
    for _ in range(2):
        answer = await http.get(link.replace("https://ofw.example", ""))
        assert answer.status_code == 200 and "no more mail" in answer.text
    prefs = await gql.execute("{ notificationPreferences { kinds { kind frequency isDefault } } }", token=boss.token)
    chosen = {k["kind"]: k["frequency"] for k in prefs["notificationPreferences"]["kinds"] if not k["isDefault"]}
    assert chosen == {"SAVED_SEARCH_MATCHES": "OFF"}
    assert (await http.get("/unsubscribe?token=forged.token")).status_code == 400


async def test_anonymous_candidate_is_never_named_in_an_employers_mail(
    gql: GraphQLClient, app: object, smtp: SmtpTestServer, settings: Settings
) -> None:
    # given: an employer mailed about matches at once
    boss = await make_employer(gql, email="hr@anon.example")
    await gql.mutate(UPDATE_PREFERENCES, {"frequencies": [{"kind": "SAVED_SEARCH_MATCHES", "frequency": "INSTANT"}]}, token=boss.token)
    await save_search(gql, boss, "Rust", "rust")
    shy = await make_candidate(gql, name="Shy Person")
    # when: an anonymous candidate matches
    await publish_profile(gql, shy, headline="Rust <b>developer</b>", anonymous=True)
    assert await send_due_mail(datetime.now(timezone.utc), settings=settings) == 1
    # then
    mail = await smtp.wait_for(lambda m: m["To"] == "hr@anon.example" and "confirmation code" not in m["Subject"])
    plain, html = text_of(mail)
    assert "Shy" not in plain and "Shy" not in html
    assert "Anonymous candidate" in plain
    assert "&lt;b&gt;developer&lt;/b&gt;" in html and "<b>developer</b>" not in html  # autoescaped


async def test_messages_are_mailed_only_when_still_unread_after_the_delay(
    gql: GraphQLClient, app: object, smtp: SmtpTestServer, settings: Settings
) -> None:
    # given: an accepted conversation
    boss = await make_employer(gql, email="boss@chat.example")
    cand = await make_candidate(gql, name="Cara", email="cara@mail.example")
    await publish_profile(gql, cand, headline="Engineer")
    conversation = (await gql.mutate(START, {
        "candidateId": cand.id, "roleTitle": "Engineer",
        "salaryRange": {"min": 60000, "max": 80000, "currency": "EUR", "period": "YEAR"}, "message": "Hello!",
    }, token=boss.token))["conversation"]["id"]
    await gql.mutate(SEND, {"conversationId": conversation, "body": "Hi, happy to talk"}, token=cand.token)
    # when: the company writes three times while the candidate is away
    for n in range(3):
        await gql.mutate(SEND, {"conversationId": conversation, "body": f"Message {n}"}, token=boss.token)
    now = datetime.now(timezone.utc)
    [grouped] = [n for n in nodes(await inbox(gql, cand)) if n["kind"] == "NEW_MESSAGE"]
    assert grouped["count"] == 3
    # then: not mailed while maybe online; one mail once the delay passed
    assert await send_due_mail(now, settings=settings) == 2  # the contact request and its answer, at once
    assert await send_due_mail(now + timedelta(minutes=1), settings=settings) == 0
    later = now + timedelta(minutes=settings.message_mail_delay_minutes + 1)
    # the company read its side by writing: only the candidate's messages are mailed
    assert await send_due_mail(later, settings=settings) == 1
    mail = await smtp.wait_for(lambda m: m["To"] == "cara@mail.example" and "message" in m["Subject"])
    assert mail["Subject"].startswith("3 new messages from")
    # and a message the recipient read in the chat is not mailed
    await gql.mutate(SEND, {"conversationId": conversation, "body": "One more"}, token=boss.token)
    await gql.execute(
        "mutation($input: MarkConversationReadInput!) { markConversationRead(input: $input) { userErrors { code } } }",
        {"input": {"conversationId": conversation}}, token=cand.token,
    )
    assert await send_due_mail(later + timedelta(hours=1), settings=settings) == 0
    assert await Notification.filter(mail_due=True, read_at__isnull=True).count() == 0


async def test_quiet_hours_hold_instant_mail_until_they_end(gql: GraphQLClient, app: object, settings: Settings) -> None:
    # given: a candidate with quiet hours 22–7 in Berlin, and a contact request at night
    cand = await make_candidate(gql, email="night@mail.example")
    await gql.mutate(UPDATE_PREFERENCES, {"timeZone": "Europe/Berlin", "quietHoursStart": 22, "quietHoursEnd": 7}, token=cand.token)
    await publish_profile(gql, cand, headline="Engineer")
    boss = await make_employer(gql)
    await gql.mutate(START, {
        "candidateId": cand.id, "roleTitle": "Engineer",
        "salaryRange": {"min": 60000, "max": 80000, "currency": "EUR", "period": "YEAR"}, "message": "Hello!",
    }, token=boss.token)
    today = datetime.now(timezone.utc).date()
    night = datetime(today.year, today.month, today.day, 23, 30, tzinfo=timezone.utc) + timedelta(days=1)  # 00:30/01:30 Berlin
    morning = night + timedelta(hours=7)  # 07:30/08:30 Berlin
    # then
    assert await send_due_mail(night, settings=settings) == 0
    assert await send_due_mail(morning, settings=settings) == 1
    [mail] = await OutboxMail.filter(to_address="night@mail.example").exclude(subject__contains="confirmation code")
    assert "would like to talk to you" in mail.subject
