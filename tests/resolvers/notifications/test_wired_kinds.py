"""The notification kinds written where their event happens, from bare sign-ups through
the API: interviews (the other side of each change), join requests (the admins, then
the person who asked), reports (the reporters) and moderation (the party acted on,
never told who reported). Each is read back in the inbox; mails are written by the
mail job (``send_due_mail``) as each person's defaults say."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from graph.settings import Settings
from models.mail import OutboxMail
from models.notifications import Notification, NotificationKind
from resolvers.ids import parse_global_id
from resolvers.notifications import send_due_mail
from tests.factories.accounts import make_candidate, make_employer, make_user
from tests.factories.interviews import CANCEL, PICK, RESCHEDULE, future_slots, make_interview_scene
from tests.factories.notifications import inbox, nodes, publish_profile
from tests.factories.safety import make_moderator, queue, report, resolve
from tests.graphql import GraphQLClient

JOIN_REQUESTS = "{ joinRequests { edges { node { id } } } }"
REFUSE = "mutation($input: JoinRequestInput!) { refuseJoinRequest(input: $input) { joinRequest { status } userErrors { code } } }"


def kinds(page: dict[str, Any]) -> list[str]:
    return [node["kind"] for node in nodes(page)]


async def mail_now(settings: Settings) -> None:
    """The mail job's turn, a little later than now (instant notifications are due)."""
    await send_due_mail(datetime.now(timezone.utc) + timedelta(seconds=1), settings=settings)


async def test_each_interview_change_tells_the_other_side(gql: GraphQLClient, settings: Settings) -> None:
    # given: a company proposes an interview to a candidate who accepted its request
    scene = await make_interview_scene(gql)
    subject = {"__typename": "Interview", "id": scene.interview_id}
    # then: the candidate is told, the company (who proposed) is not
    [proposed] = nodes(await inbox(gql, scene.candidate, kinds=["INTERVIEW_PROPOSED"]))
    assert proposed["subject"] == subject
    assert kinds(await inbox(gql, scene.employer, kinds=["INTERVIEW_PROPOSED"])) == []
    # when: she picks a slot
    slot = scene.interview["slots"][0]
    await gql.mutate(PICK, {"interviewId": scene.interview_id, "slot": slot}, token=scene.candidate.token)
    # then: the company is told
    [picked] = nodes(await inbox(gql, scene.employer, kinds=["INTERVIEW_PICKED"]))
    assert picked["subject"] == subject
    # when: the company reschedules, then she cancels
    await gql.mutate(
        RESCHEDULE, {"interviewId": scene.interview_id, "slots": future_slots(2, days=5)}, token=scene.employer.token
    )
    await gql.mutate(CANCEL, {"interviewId": scene.interview_id, "reason": "Took another job"}, token=scene.candidate.token)
    # then: each change reached the other side once
    assert kinds(await inbox(gql, scene.candidate)) == ["INTERVIEW_RESCHEDULED", "INTERVIEW_PROPOSED", "CONTACT_REQUEST_RECEIVED"]
    assert kinds(await inbox(gql, scene.employer)) == ["INTERVIEW_CANCELLED", "INTERVIEW_PICKED", "CONTACT_REQUEST_ACCEPTED"]
    # and: the company's mail about the cancellation carries the system message, not her name
    await mail_now(settings)
    [mail] = await OutboxMail.filter(to_address=scene.employer.email, subject="An interview was cancelled")
    assert "Interview cancelled by the candidate. Reason: Took another job" in mail.body_text


async def test_a_join_request_tells_the_admins_and_the_decision_tells_the_person_who_asked(
    gql: GraphQLClient, settings: Settings
) -> None:
    # given: a verified company; a colleague signs up at its domain and confirms her email
    admin = await make_employer(gql, email="hr@kelpworks.test", company_name="Kelpworks")
    dev = await make_user(gql, role="EMPLOYER", name="Dana Dev", email="dana@kelpworks.test", company_name="Kelpworks")
    # then: the admin is told, about the join request
    [request] = [e["node"] for e in (await gql.execute(JOIN_REQUESTS, token=admin.token))["joinRequests"]["edges"]]
    [asked] = nodes(await inbox(gql, admin, kinds=["JOIN_REQUEST"]))
    assert asked["subject"] == {"__typename": "JoinRequest", "id": request["id"]}
    # when: the admin refuses it
    await gql.mutate(REFUSE, {"joinRequestId": request["id"]}, token=admin.token)
    # then: she is told, on the same request (which she may still read)
    [decided] = nodes(await inbox(gql, dev, kinds=["JOIN_REQUEST"]))
    assert decided["subject"] == {"__typename": "JoinRequest", "id": request["id"]}
    assert len(nodes(await inbox(gql, admin, kinds=["JOIN_REQUEST"]))) == 1
    # and: each gets one mail saying so (INSTANT by default), with an unsubscribe link
    await mail_now(settings)
    [to_admin] = await OutboxMail.filter(to_address=admin.email, subject="Someone asked to join your company")
    assert "Dana Dev (dana@kelpworks.test)" in to_admin.body_text and "unsubscribe" in to_admin.body_text.lower()
    assert await OutboxMail.filter(to_address=dev.email, subject="Your request to join Kelpworks was refused").count() == 1


async def test_a_resolved_report_tells_the_reporters_and_the_warned_company_never_learns_who(
    gql: GraphQLClient, settings: Settings
) -> None:
    # given: two candidates report a company; a moderator warns it
    company = await make_employer(gql)
    ada = await make_candidate(gql, name="Ada Reporter")
    bo = await make_candidate(gql, name="Bo Reporter")
    filing = (await report(gql, ada, company.company_id or "", "SCAM", comment="Wants money"))["report"]
    await report(gql, bo, company.company_id or "", "SPAM")
    moderator = await make_moderator(settings, gql)
    [case] = await queue(gql, moderator)
    # when
    await resolve(gql, moderator, case["id"], "WARN", note="Do not ask candidates for fees")
    # then: each reporter is told, on her own filing
    [resolved] = nodes(await inbox(gql, ada, kinds=["REPORT_RESOLVED"]))
    assert resolved["subject"] == {"__typename": "ReportFiling", "id": filing["id"]}
    assert kinds(await inbox(gql, bo)) == ["REPORT_RESOLVED"]
    # and: the company is told of the warning, about itself, and of nothing else
    [warned] = nodes(await inbox(gql, company))
    assert warned["kind"] == "MODERATION_ACTION"
    assert warned["subject"] == {"__typename": "Company", "id": company.company_id}
    row = await Notification.get(id=parse_global_id(warned["id"])[1])
    assert row.actor_id is None and row.subject_type == "Company"
    # and: its mail names neither reporter nor what they wrote
    await mail_now(settings)
    [mail] = await OutboxMail.filter(to_address=company.email, kind="notification_instant")
    assert "Do not ask candidates for fees" in mail.body_text
    for secret in ("Ada", "Bo Reporter", "Wants money", ada.email, bo.email):
        assert secret not in mail.body_text and secret not in mail.body_html


async def test_a_suspended_candidate_is_told_by_mail(gql: GraphQLClient, settings: Settings) -> None:
    # given: a candidate reported by an employer, then suspended
    eve = await make_candidate(gql)
    await publish_profile(gql, eve, headline="Fake engineer")
    profile = (await gql.execute("{ viewer { profile { id } } }", token=eve.token))["viewer"]["profile"]
    employer = await make_employer(gql)
    await report(gql, employer, profile["id"], "FAKE_IDENTITY")
    moderator = await make_moderator(settings, gql)
    [case] = await queue(gql, moderator)
    await resolve(gql, moderator, case["id"], "SUSPEND_USER")
    # then: she cannot sign in to read it, so her notification goes out by mail
    [row] = await Notification.filter(user_id=parse_global_id(eve.id)[1])
    assert row.kind == NotificationKind.MODERATION_ACTION and row.subject_type == "User"
    await mail_now(settings)
    [mail] = await OutboxMail.filter(to_address=eve.email, kind="notification_instant")
    assert "suspended your account" in mail.body_text and employer.display_name not in mail.body_text
    # and: the employer who reported is told it was resolved
    assert kinds(await inbox(gql, employer)) == ["REPORT_RESOLVED"]
