"""Reports and moderation through the API: a newcomer's report reaches the queue, a
moderator suspends the company behind it, and the company is gone at once; lifting the
suspension restores it. Also: merging, anonymity, the rate limit, and who may moderate."""

from __future__ import annotations

import asyncio

from graph.settings import Settings
from models.safety import Report, ReportFiling
from resolvers.safety.commands import REPORTS_PER_HOUR
from tests.factories.accounts import PASSWORD, SIGN_UP, Actor, confirm_email, make_candidate, make_employer
from tests.factories.chat import START, pk, start_input
from tests.factories.safety import (
    AUDIT,
    LIFT,
    LOG_IN,
    MY_REPORTS,
    REPORT,
    make_moderator,
    queue,
    report,
    resolve,
)
from tests.graphql import GraphQLClient

UPDATE_PROFILE = """
mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { profile { id handle } userErrors { code message } } }
"""
SEARCH = "query($q: String) { searchCandidates(query: $q) { totalCount edges { node { profileId } } } }"
CONVERSATIONS = "{ conversations { totalCount edges { node { id status messages { edges { node { body kind redFlags } } } } } } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"
PROFILE = "query($h: String!) { profile(handle: $h) { id } }"
SCAM = "Hello! We have a remote job for you. Send me your bank details and write to me on WhatsApp: bit.ly/job-offer"


async def sign_up(gql: GraphQLClient, email: str, role: str, **extra: str) -> dict:
    return await gql.mutate(SIGN_UP, {"email": email, "password": PASSWORD, "displayName": email.split("@")[0], "role": role, **extra})


async def test_a_report_reaches_the_queue_and_suspending_the_company_removes_it_at_once(
    gql: GraphQLClient, settings: Settings
) -> None:
    # given: only what newcomers do — a candidate fills her profile, a company contacts her with a scam
    ada = await sign_up(gql, "ada@mail.test", "CANDIDATE")
    profile = (await gql.mutate(UPDATE_PROFILE, {
        "visibility": "EMPLOYERS", "headline": "Data engineer", "openToWork": "ACTIVELY_LOOKING",
    }, token=ada["token"]))["profile"]
    scammer = await sign_up(gql, "hr@scamcorp.test", "EMPLOYER", companyName="Scam Corp")
    company_id = scammer["viewer"]["company"]["id"]
    await confirm_email(gql, scammer["token"], "hr@scamcorp.test")  # a scammer owning his domain
    assert (await gql.execute(SEARCH, {"q": "data"}, token=scammer["token"]))["searchCandidates"]["totalCount"] == 1
    started = await gql.mutate(START, start_input(_actor(ada), message=SCAM), token=scammer["token"])
    message_id = started["message"]["id"]
    # and: Ada sees the warning, the company does not
    [mine] = (await gql.execute(CONVERSATIONS, token=ada["token"]))["conversations"]["edges"]
    assert mine["node"]["messages"]["edges"][0]["node"]["redFlags"] == ["MONEY_REQUEST", "OFF_PLATFORM_CONTACT", "LINK_SHORTENER"]
    [theirs] = (await gql.execute(CONVERSATIONS, token=scammer["token"]))["conversations"]["edges"]
    assert theirs["node"]["messages"]["edges"][0]["node"]["redFlags"] == []
    # when: Ada reports the message, and another candidate reports the company
    filed = (await report(gql, _actor(ada), message_id, "SCAM", comment="Asked for my bank details"))["report"]
    bo = await make_candidate(gql)
    await report(gql, bo, company_id, "FAKE_IDENTITY")
    moderator = await make_moderator(settings, gql)
    cases = await queue(gql, moderator)
    # then: two cases, each with its snapshot and the party behind it
    by_kind = {case["targetKind"]: case for case in cases}
    assert by_kind["MESSAGE"]["snapshot"]["body"] == SCAM and by_kind["MESSAGE"]["subjectCompanyId"] == company_id
    assert by_kind["MESSAGE"]["filings"] == [{"reason": "SCAM", "comment": "Asked for my bank details", "reporter": {"id": ada["viewer"]["id"]}}]
    # when: the moderator suspends the company, with an open subscription of the company live
    async with gql.websocket(token=scammer["token"]) as ws:
        op = await ws.subscribe("subscription { messageAdded { id } }")
        await asyncio.sleep(0.2)
        resolved = await resolve(gql, moderator, by_kind["MESSAGE"]["id"], "SUSPEND_COMPANY", note="Scam")
        # then: the company's subscription ends at once
        ended = await ws.receive()
        assert ended["id"] == op and ended["type"] in {"error", "next"}, ended
        errors = ended["payload"] if ended["type"] == "error" else ended["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED", ended
    assert resolved["report"]["status"] == "ACTION_TAKEN"
    # and: the company reads, searches and chats nothing any more, and cannot sign in
    for document, variables in ((SEARCH, {"q": "data"}), (CONVERSATIONS, None)):
        assert (await gql.post(document, variables, token=scammer["token"])).codes == ["UNAUTHENTICATED"]
    assert (await gql.post(PROFILE, {"h": profile["handle"]}, token=scammer["token"])).data == {"profile": None}
    refused = await gql.mutate(LOG_IN, {"email": "hr@scamcorp.test", "password": PASSWORD}, ok=False)
    assert [e["code"] for e in refused["userErrors"]] == ["ACCOUNT_SUSPENDED"]
    # and: for Ada the company is gone, her contact request closed with a notice
    assert (await gql.execute(NODE, {"id": company_id}, token=ada["token"]))["node"] is None
    [closed] = (await gql.execute(CONVERSATIONS, token=ada["token"]))["conversations"]["edges"]
    assert closed["node"]["status"] == "DECLINED"
    assert "suspended" in closed["node"]["messages"]["edges"][-1]["node"]["body"]
    # and: Ada follows her report; the audit log has the decision
    [mine_now] = (await gql.execute(MY_REPORTS, token=ada["token"]))["myReports"]["edges"]
    assert mine_now["node"]["id"] == filed["id"] and mine_now["node"]["status"] == "ACTION_TAKEN"
    assert mine_now["node"]["action"] == "SUSPEND_COMPANY"
    log = (await gql.execute(AUDIT, {"target": company_id}, token=moderator.token))["auditLog"]["edges"]
    assert [entry["node"]["action"] for entry in log] == ["company.suspended", "company.verified"]  # newest first
    # when: the moderator lifts the suspension
    assert (await gql.mutate(LIFT, {"target": company_id, "note": "Appeal granted"}, token=moderator.token))["lifted"]
    # then: the company is back and its member signs in again
    assert (await gql.execute(NODE, {"id": company_id}, token=ada["token"]))["node"] == {"id": company_id}
    back = await gql.mutate(LOG_IN, {"email": "hr@scamcorp.test", "password": PASSWORD})
    assert (await gql.execute(SEARCH, {"q": "data"}, token=back["token"]))["searchCandidates"]["totalCount"] == 1


def _actor(payload: dict) -> Actor:
    """The signed-up user of a signUp payload."""
    return Actor(token=payload["token"], id=payload["viewer"]["id"], email="", display_name="")


async def test_suspending_a_candidate_hides_her_profile_and_lifting_restores_it(gql: GraphQLClient, settings: Settings) -> None:
    # given: a candidate employers can find, reported by an employer
    eve = await sign_up(gql, "eve@mail.test", "CANDIDATE")
    profile = (await gql.mutate(UPDATE_PROFILE, {"visibility": "PUBLIC", "headline": "Fake engineer"}, token=eve["token"]))["profile"]
    employer = await make_employer(gql)
    filed = await report(gql, employer, profile["id"], "FAKE_IDENTITY")
    moderator = await make_moderator(settings, gql)
    [case] = await queue(gql, moderator, reason="FAKE_IDENTITY")
    assert await queue(gql, moderator, reason="SPAM") == []
    # when
    await resolve(gql, moderator, case["id"], "SUSPEND_USER")
    # then: gone from search, profile and node, for everyone
    assert (await gql.execute(SEARCH, {"q": "fake"}, token=employer.token))["searchCandidates"]["totalCount"] == 0
    assert (await gql.execute(PROFILE, {"h": profile["handle"]}))["profile"] is None
    assert (await gql.execute(NODE, {"id": profile["id"]}, token=employer.token))["node"] is None
    assert (await gql.post(CONVERSATIONS, token=eve["token"])).codes == ["UNAUTHENTICATED"]
    # and: a second resolution of the same report is refused
    again = await gql.mutate(
        "mutation($input: ResolveReportInput!) { resolveReport(input: $input) { userErrors { code } } }",
        {"reportId": case["id"], "action": "DISMISS"}, token=moderator.token, ok=False,
    )
    assert again["userErrors"] == [{"code": "ALREADY_RESOLVED"}]
    # when: lifted
    await gql.mutate(LIFT, {"target": eve["viewer"]["id"]}, token=moderator.token)
    # then: back as PUBLIC as she was
    assert (await gql.execute(PROFILE, {"h": profile["handle"]}))["profile"] == {"id": profile["id"]}
    assert filed["report"]["status"] == "OPEN"


async def test_reports_merge_and_the_reported_party_never_sees_them(gql: GraphQLClient, settings: Settings) -> None:
    # given
    company = await make_employer(gql)
    ada, bo = await make_candidate(gql), await make_candidate(gql)
    # when: Ada reports twice (the second updates her report), Bo once
    first = (await report(gql, ada, company.company_id or "", "SPAM"))["report"]
    second = (await report(gql, ada, company.company_id or "", "SCAM", comment="Wants money"))["report"]
    await report(gql, bo, company.company_id or "", "SCAM")
    # then: one case, two filings; Ada's report updated in place
    moderator = await make_moderator(settings, gql)
    [case] = await queue(gql, moderator)
    assert case["filingCount"] == 2 and second["id"] == first["id"] and second["reason"] == "SCAM"
    assert await Report.all().count() == 1 and await ReportFiling.all().count() == 2
    # and: reporters do not see who else reported; the company cannot reach either filing
    assert first["reporter"] is None
    assert (await gql.execute(NODE, {"id": first["id"]}, token=company.token))["node"] is None
    assert (await gql.execute(NODE, {"id": case["id"]}, token=ada.token))["node"] is None
    assert (await gql.execute(NODE, {"id": first["id"]}, token=ada.token))["node"] == {"id": first["id"]}
    assert (await gql.execute(MY_REPORTS, token=company.token))["myReports"]["totalCount"] == 0


async def test_also_block_blocks_the_company_behind_a_message(gql: GraphQLClient) -> None:
    # given
    employer, candidate = await make_employer(gql), await make_candidate(gql)
    await gql.mutate(UPDATE_PROFILE, {"visibility": "EMPLOYERS"}, token=candidate.token)
    started = await gql.mutate(START, start_input(candidate), token=employer.token)
    # when
    await report(gql, candidate, started["message"]["id"], "HARASSMENT", alsoBlock=True)
    # then: the company no longer sees the conversation
    assert (await gql.execute(CONVERSATIONS, token=employer.token))["conversations"]["totalCount"] == 0
    # and: employers cannot block, and nobody reports what they cannot see
    refused = await report(gql, employer, started["message"]["id"], "SPAM", ok=False, alsoBlock=True)
    assert [e["code"] for e in refused["userErrors"]] == ["INVALID"]
    stranger = await make_candidate(gql)
    unseen = await report(gql, stranger, started["conversation"]["id"], "SPAM", ok=False)
    assert [e["code"] for e in unseen["userErrors"]] == ["NOT_FOUND"]


async def test_reporting_is_limited_per_hour_even_in_parallel(gql: GraphQLClient) -> None:
    # given: more companies than the hourly quota
    reporter = await make_candidate(gql)
    companies = [await make_employer(gql) for _ in range(REPORTS_PER_HOUR + 5)]
    # when: all reported at once
    results = await asyncio.gather(*(
        gql.execute(REPORT, {"input": {"target": c.company_id, "reason": "SPAM"}}, token=reporter.token, expect_errors=True)
        for c in companies
    ))
    # then: exactly the quota got through (the rest: RATE_LIMITED as a userError, or the request brake)
    filed = [r for r in results if r.get("reportContent") and not r["reportContent"]["userErrors"]]
    assert len(filed) == REPORTS_PER_HOUR
    assert await ReportFiling.filter(reporter_id=pk(reporter.id)).count() == REPORTS_PER_HOUR


async def test_only_moderators_moderate_and_nobody_signs_up_as_one(gql: GraphQLClient, settings: Settings) -> None:
    # given
    candidate, employer = await make_candidate(gql), await make_employer(gql)
    filed = (await report(gql, candidate, employer.company_id or "", "SPAM"))["report"]
    moderator = await make_moderator(settings, gql)
    [case] = await queue(gql, moderator)
    # then
    for token in (candidate.token, employer.token):
        assert (await gql.post("{ moderationQueue { totalCount } }", token=token)).codes == ["FORBIDDEN"]
        assert (await gql.post("{ auditLog { totalCount } }", token=token)).codes == ["FORBIDDEN"]
        result = await gql.post(
            "mutation($input: ResolveReportInput!) { resolveReport(input: $input) { userErrors { code } } }",
            {"input": {"reportId": case["id"], "action": "DISMISS"}}, token=token,
        )
        assert result.codes == ["FORBIDDEN"]
    assert (await gql.post("{ moderationQueue { totalCount } }")).codes == ["UNAUTHENTICATED"]
    refused = await gql.mutate(SIGN_UP, {
        "email": "mod@mail.test", "password": PASSWORD, "displayName": "Mod", "role": "MODERATOR",
    }, ok=False)
    assert [e["code"] for e in refused["userErrors"]] == ["INVALID"]
    # and: a dismissal is recorded and the reporter sees it
    await resolve(gql, moderator, case["id"], "DISMISS")
    assert (await gql.execute(MY_REPORTS, token=candidate.token))["myReports"]["edges"][0]["node"]["status"] == "DISMISSED"
    assert filed["status"] == "OPEN"
    log = (await gql.execute(AUDIT, {"action": "report.resolved"}, token=moderator.token))["auditLog"]["edges"]
    assert log[0]["node"]["details"]["action"] == "DISMISS" and log[0]["node"]["actorId"] == moderator.id
