"""Issue 14's stories about employer identity, through the API from a bare sign-up:

- a scammer signs up with a free-mail address, claims a famous company and messages a
  candidate: refused at every step it should be;
- an employer confirms a work email, joins the existing company through a join request,
  is removed by an admin and loses access at once (an open chat subscription included).
"""

from __future__ import annotations

from typing import Any

from httpx_ws import WebSocketDisconnect

from models.accounts import Company, User
from models.audit import AuditEntry
from tests.factories.accounts import PASSWORD, SIGN_UP, confirm_email, make_candidate, make_employer
from tests.factories.chat import START, make_reachable_candidate, pk, start_input
from tests.factories.hiring import PIPELINE, add_to_pipeline, create_role
from tests.factories.notifications import inbox, nodes
from tests.graphql import GraphQLClient, subscribed

UPDATE_PROFILE = """
mutation($input: UpdateMyProfileInput!) {
  updateMyProfile(input: $input) { profile { id visibility acceptContactFrom } userErrors { code message } }
}
"""
SEARCH = "query { searchCandidates(query: \"zebrafish\") { totalCount } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"
VIEWER = """
query { viewer { id emailConfirmed companyRole company { id name verified domain verificationMethod verifiedAt }
                 joinRequest { id status company { name } } } }
"""
JOIN_REQUESTS = "query { joinRequests { totalCount edges { node { id status user { displayName } } } } }"
ACCEPT = "mutation($input: JoinRequestInput!) { acceptJoinRequest(input: $input) { joinRequest { status } userErrors { code } } }"
REMOVE = "mutation($input: RemoveMemberInput!) { removeMember(input: $input) { removedUserId userErrors { code } } }"
MEMBERS = "query { companyMembers { totalCount edges { node { displayName companyRole } } } }"
CONVERSATIONS = "query { conversations { totalCount } }"
LOG_IN = "mutation($input: LogInInput!) { logIn(input: $input) { token userErrors { code } } }"
MESSAGE_ADDED = "subscription($id: ID) { messageAdded(conversationId: $id) { id body } }"
RESPOND = "mutation($input: RespondToContactInput!) { respondToContact(input: $input) { userErrors { code } } }"
EXTEND = "mutation($input: ExtendOfferInput!) { extendOffer(input: $input) { offer { id } userErrors { code message } } }"
OFFERS = "query { offers { totalCount } }"
FLAGS = "{ conversations { edges { node { messages { edges { node { body redFlags } } } } } } }"
SCAM = "Send me your bank details, then open bit.ly/x"


async def sign_up_employer(gql: GraphQLClient, email: str, company: str) -> dict[str, Any]:
    return await gql.mutate(SIGN_UP, {
        "email": email, "password": PASSWORD, "displayName": email.split("@")[0].title(), "role": "EMPLOYER",
        "companyName": company,
    })


async def searchable_candidate(gql: GraphQLClient) -> tuple[Any, str]:
    candidate = await make_candidate(gql)
    profile = await gql.mutate(UPDATE_PROFILE, {
        "visibility": "EMPLOYERS", "openToWork": "ACTIVELY_LOOKING", "headline": "Zebrafish geneticist",
    }, token=candidate.token)
    await gql.execute("mutation { confirmAvailability { userErrors { code } } }", token=candidate.token)
    assert profile["profile"]["acceptContactFrom"] == "VERIFIED_COMPANIES"  # the default
    return candidate, profile["profile"]["id"]


def start_codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def test_a_free_mail_scammer_claiming_a_famous_company_is_refused_at_every_step(gql: GraphQLClient) -> None:
    # given: a candidate visible to employers, with the default acceptContactFrom
    candidate, profile_id = await searchable_candidate(gql)
    # when: a scammer signs up with free mail, claiming Google
    scammer = await sign_up_employer(gql, "google.recruiting.team@gmail.com", "Google")
    token = scammer["token"]
    # then: unconfirmed, they can neither search nor contact
    refused = await gql.post(SEARCH, token=token)
    assert refused.codes == ["FORBIDDEN"] and refused.errors[0]["extensions"]["reason"] == "EMAIL_NOT_CONFIRMED"
    contact = await gql.mutate(START, start_input(candidate), token=token, ok=False)
    assert start_codes(contact) == ["EMAIL_NOT_CONFIRMED"]
    # when: they confirm the gmail address
    viewer = await confirm_email(gql, token, "google.recruiting.team@gmail.com")
    # then: the company is not verified: a name and a free-mail address prove nothing
    assert viewer["company"]["verified"] is False
    company = await Company.get(id=pk(viewer["company"]["id"]))
    assert (company.verified, company.domain, company.verification_method) == (False, None, None)
    # and the EMPLOYERS-only candidate is invisible and unreachable to them
    assert (await gql.execute(SEARCH, token=token))["searchCandidates"]["totalCount"] == 0
    assert (await gql.execute(NODE, {"id": profile_id}, token=token))["node"] is None
    contact = await gql.mutate(START, start_input(candidate, message="Send me your bank details bit.ly/x"), token=token, ok=False)
    assert start_codes(contact) == ["NOT_FOUND"]
    # and even a PUBLIC profile takes contact from verified companies only, by default
    await gql.mutate(UPDATE_PROFILE, {"visibility": "PUBLIC"}, token=candidate.token)
    contact = await gql.mutate(START, start_input(candidate), token=token, ok=False)
    assert start_codes(contact) == ["VERIFIED_COMPANIES_ONLY"]
    # and candidates who take any company can be reached only a few times a week
    open_candidates = [await make_reachable_candidate(gql, visibility="PUBLIC") for _ in range(4)]
    for other in open_candidates:
        await gql.mutate(UPDATE_PROFILE, {"acceptContactFrom": "ANY_COMPANY"}, token=other.token)
    for other in open_candidates[:3]:
        await gql.mutate(START, start_input(other, message=SCAM), token=token)
    over = await gql.mutate(START, start_input(open_candidates[3]), token=token, ok=False)
    assert start_codes(over) == ["CONTACT_QUOTA_EXCEEDED"]
    # and the scam reaches them with its red flags shown (the scammer does not see them)
    [reached] = (await gql.execute(FLAGS, token=open_candidates[0].token))["conversations"]["edges"]
    assert reached["node"]["messages"]["edges"][0]["node"]["redFlags"] == ["MONEY_REQUEST", "LINK_SHORTENER"]
    sent = (await gql.execute(FLAGS, token=token))["conversations"]["edges"]
    assert len(sent) == 3 and all(e["node"]["messages"]["edges"][0]["node"]["redFlags"] == [] for e in sent)
    # and nothing reached the first candidate
    assert (await gql.execute(CONVERSATIONS, token=candidate.token))["conversations"]["totalCount"] == 0


async def test_talent_at_google_is_verified_by_confirming_and_no_second_company_is_made(gql: GraphQLClient) -> None:
    # given: an address at google.com claiming "Google", not confirmed yet
    first = await sign_up_employer(gql, "talent@google.com", "Google")
    viewer = (await gql.execute(VIEWER, token=first["token"]))["viewer"]
    assert viewer["company"]["verified"] is False and viewer["companyRole"] == "ADMIN"
    # when: the mailbox confirms
    await confirm_email(gql, first["token"], "talent@google.com")
    # then: verified by work email
    company = (await gql.execute(VIEWER, token=first["token"]))["viewer"]["company"]
    assert company["verified"] is True and company["domain"] == "google.com"
    assert company["verificationMethod"] == "WORK_EMAIL" and company["verifiedAt"]
    # when: another sign-up at the domain (and one at a subdomain) names a company of its own
    second = await sign_up_employer(gql, "hr@google.com", "Blue Harbor Technologies")
    third = await sign_up_employer(gql, "jobs@careers.google.com", "Google Careers")
    # then: no company is made for them
    for payload in (second, third):
        assert payload["viewer"]["company"] is None
    assert await Company.all().count() == 1
    assert await AuditEntry.filter(action="company.verified").count() == 1


async def test_a_confirmed_colleague_joins_by_request_and_removal_ends_her_access_at_once(
    app: object, gql: GraphQLClient
) -> None:
    # given: a verified company in an accepted conversation with a candidate
    admin = await make_employer(gql, email="hr@blueharbor.test", company_name="Blue Harbor Technologies")
    candidate, _ = await searchable_candidate(gql)
    started = await gql.mutate(START, start_input(candidate), token=admin.token)
    conversation_id = started["conversation"]["id"]
    await gql.mutate(RESPOND, {"conversationId": conversation_id, "accept": True}, token=candidate.token)
    # and: an open offer to her, and a role whose pipeline she is in
    offer_id = (await gql.mutate(EXTEND, {"conversationId": conversation_id, "terms": {
        "title": "Zebrafish geneticist", "salary": {"amount": 70000, "currency": "EUR", "period": "YEAR"},
    }}, token=admin.token))["offer"]["id"]
    role_id = (await create_role(gql, admin))["id"]
    await add_to_pipeline(gql, admin, role_id, candidate.id)
    # when: a colleague signs up at the domain, naming the company again, and confirms
    signed_up = await sign_up_employer(gql, "dev@blueharbor.test", "Blue Harbor Technologies")
    dev = signed_up["token"]
    assert signed_up["viewer"]["company"] is None
    await confirm_email(gql, dev, "dev@blueharbor.test")
    # then: it is a join request, not a second company; the admin is notified
    me = (await gql.execute(VIEWER, token=dev))["viewer"]
    assert me["company"] is None and me["joinRequest"]["status"] == "PENDING"
    assert me["joinRequest"]["company"]["name"] == "Blue Harbor Technologies"
    assert await Company.all().count() == 1
    [told] = nodes(await inbox(gql, admin, kinds=["JOIN_REQUEST"]))
    assert told["subject"] == {"__typename": "JoinRequest", "id": me["joinRequest"]["id"]}
    # when: the admin accepts it
    requests = (await gql.execute(JOIN_REQUESTS, token=admin.token))["joinRequests"]
    assert requests["totalCount"] == 1
    accepted = await gql.mutate(ACCEPT, {"joinRequestId": requests["edges"][0]["node"]["id"]}, token=admin.token)
    assert accepted["joinRequest"]["status"] == "ACCEPTED"
    # then: she is a member who works in the company's conversations and search
    me = (await gql.execute(VIEWER, token=dev))["viewer"]
    assert me["companyRole"] == "MEMBER" and me["company"]["name"] == "Blue Harbor Technologies"
    assert (await gql.execute(CONVERSATIONS, token=dev))["conversations"]["totalCount"] == 1
    assert (await gql.execute(SEARCH, token=dev))["searchCandidates"]["totalCount"] == 1
    assert (await gql.execute(OFFERS, token=dev))["offers"]["totalCount"] == 1
    assert (await gql.execute(PIPELINE, {"roleId": role_id}, token=dev))["pipeline"]["totalCount"] == 1
    members = (await gql.execute(MEMBERS, token=admin.token))["companyMembers"]
    assert [e["node"]["companyRole"] for e in members["edges"]] == ["ADMIN", "MEMBER"]
    # when: she listens to the conversation and the admin removes her
    async with gql.websocket(token=dev) as ws:
        op = await subscribed(app, ws, MESSAGE_ADDED, {"id": conversation_id})
        removed = await gql.mutate(REMOVE, {"userId": me["id"]}, token=admin.token)
        assert removed["removedUserId"] == me["id"]
        # then: the open subscription ends at once
        message = await ws.receive()
        assert message["id"] == op and message["type"] == "next", message
        assert [e["extensions"]["code"] for e in message["payload"]["errors"]] == ["UNAUTHENTICATED"]
        assert (await ws.receive())["type"] == "complete"
        # and the socket runs nothing more for her
        await ws.subscribe(CONVERSATIONS)
        try:
            refused = await ws.receive()
            assert refused["type"] == "error"
        except WebSocketDisconnect:
            pass
    # and her token is dead over HTTP
    assert (await gql.post(CONVERSATIONS, token=dev)).codes == ["UNAUTHENTICATED"]
    # and signing in again gives an account without the company's data
    again = await gql.mutate(LOG_IN, {"email": "dev@blueharbor.test", "password": PASSWORD})
    # (an employer without a company has no conversations, search, offers or pipelines)
    assert (await gql.post(CONVERSATIONS, token=again["token"])).codes == ["FORBIDDEN"]
    assert (await gql.post(SEARCH, token=again["token"])).codes == ["FORBIDDEN"]
    for document, variables in ((OFFERS, None), (PIPELINE, {"roleId": role_id})):
        assert (await gql.post(document, variables, token=again["token"])).codes == ["FORBIDDEN"]
    for hidden in (conversation_id, offer_id, role_id):
        assert (await gql.execute(NODE, {"id": hidden}, token=again["token"]))["node"] is None
    user = await User.get(email="dev@blueharbor.test")
    assert (user.company_id, user.company_role) == (None, None)
    actions = await AuditEntry.filter(company_id=pk(admin.company_id or "")).order_by("id").values_list("action", flat=True)
    assert list(actions) == [
        "member.joined", "email.confirmed", "company.verified", "join_request.created",
        "join_request.accepted", "member.joined", "member.removed",
    ]
