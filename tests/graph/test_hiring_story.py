"""The whole hiring story through the API, as one test: sign up → profile → search →
contact with salary → accepted → chat → offer → counter → revised offer → accept →
the candidate is HIRED and gone from search."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from models.chat import Message, MessageKind
from models.offers import Offer, OfferStatus
from models.profiles import OpenToWork, Profile
from resolvers.ids import parse_global_id
from tests.factories.accounts import PASSWORD, SIGN_UP, confirm_email
from tests.factories.offers import (
    ACCEPT_OFFER,
    COUNTER_OFFER,
    EXTEND_OFFER,
    REVISE_OFFER,
    pk,
)
from tests.graphql import GraphQLClient

START_CONVERSATION = """
mutation Start($input: StartConversationInput!) {
  startConversation(input: $input) { conversation { id status } userErrors { code field message } }
}
"""
RESPOND_TO_CONTACT = """
mutation Respond($input: RespondToContactInput!) {
  respondToContact(input: $input) { conversation { id status } userErrors { code field message } }
}
"""
SEND_MESSAGE = """
mutation Send($input: SendMessageInput!) {
  sendMessage(input: $input) { message { id seq body } userErrors { code field message } }
}
"""
CONVERSATION = """
query Conversation($id: ID!) {
  conversation(id: $id) {
    status
    messages(first: 100) { edges { node { seq kind body } } }
  }
}
"""
UPDATE_PROFILE = """
mutation Update($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { profile { id } userErrors { code field message } } }
"""
ADD_SKILL = """
mutation AddSkill($input: AddSkillInput!) { addSkill(input: $input) { skill { id } userErrors { code field message } } }
"""
CONFIRM_AVAILABILITY = "mutation { confirmAvailability { userErrors { code } } }"
SEARCH = """
query Search($query: String, $filter: SearchFilterInput) {
  searchCandidates(query: $query, filter: $filter) {
    totalCount
    edges { node { __typename id profileId headline profile { __typename id } } }
  }
}
"""
MY_OFFERS = """
query { offers { totalCount edges { node { id status versionNumber versions { number authorSide changedFields } } } } }
"""


async def test_hiring_story_end_to_end(gql: GraphQLClient) -> None:
    # 1. Sign up a candidate and an employer.
    candidate = (await gql.mutate(SIGN_UP, {
        "email": "ada@mail.test", "password": PASSWORD, "displayName": "Ada Lovelace", "role": "CANDIDATE",
    }))
    employer = (await gql.mutate(SIGN_UP, {
        "email": "grace@acme.test", "password": PASSWORD, "displayName": "Grace Hopper", "role": "EMPLOYER",
        "companyName": "Acme",
    }))
    ada, grace = candidate["token"], employer["token"]
    ada_id = candidate["viewer"]["id"]
    # and the employer confirms her work email with the code from the mail (this verifies Acme)
    confirmed = await confirm_email(gql, grace, "grace@acme.test")
    assert confirmed["emailConfirmed"] is True and confirmed["company"]["verified"] is True

    # 2. The candidate edits her profile: visible to employers, looking, pay from 85,000 EUR.
    profile_id = (await gql.mutate(UPDATE_PROFILE, {
        "visibility": "EMPLOYERS", "openToWork": "ACTIVELY_LOOKING", "headline": "Backend engineer",
        "city": "Berlin", "countryCode": "DE", "desiredSalaryMin": 85_000, "desiredSalaryMax": 110_000,
        "desiredSalaryCurrency": "EUR", "desiredSalaryPeriod": "YEAR",
    }, token=ada))["profile"]["id"]
    await gql.mutate(ADD_SKILL, {"name": "Python", "level": 5, "years": 8}, token=ada)
    await gql.mutate(ADD_SKILL, {"name": "PostgreSQL", "level": 4}, token=ada)
    await gql.execute(CONFIRM_AVAILABILITY, token=ada)

    # 3. The employer searches and finds her, with the skill match explained.
    found = (await gql.execute(SEARCH, {"query": "backend python", "filter": {"allSkills": ["python"], "countries": ["DE"]}}, token=grace))["searchCandidates"]
    assert found["totalCount"] == 1
    hit = found["edges"][0]["node"]
    assert hit["profileId"] == hit["profile"]["id"] == profile_id
    # and: the result has an id of its own type, so a normalising cache keeps two objects
    assert hit["id"] != profile_id and parse_global_id(hit["id"])[0] == hit["__typename"] == "SearchCandidate"

    # 4. The employer contacts her, naming role and pay.
    started = await gql.mutate(START_CONVERSATION, {
        "candidateId": ada_id, "roleTitle": "Senior Backend Engineer",
        "salaryRange": {"min": 90_000, "max": 105_000, "currency": "EUR", "period": "YEAR"},
        "message": "Hi Ada, we would love to talk about our backend role.",
    }, token=grace)
    conversation_id = started["conversation"]["id"]
    assert started["conversation"]["status"] == "REQUESTED"

    # 5. She accepts the contact request.
    responded = await gql.mutate(RESPOND_TO_CONTACT, {"conversationId": conversation_id, "accept": True}, token=ada)
    assert responded["conversation"]["status"] == "ACCEPTED"

    # 6. They talk, both ways.
    await gql.mutate(SEND_MESSAGE, {"conversationId": conversation_id, "body": "Happy to talk! Remote possible?"}, token=ada)
    await gql.mutate(SEND_MESSAGE, {"conversationId": conversation_id, "body": "Hybrid, two days in Berlin."}, token=grace)

    # 7. The employer extends an offer.
    expires = (datetime.now(timezone.utc) + timedelta(days=7)).isoformat()
    extended = await gql.mutate(EXTEND_OFFER, {"conversationId": conversation_id, "terms": {
        "title": "Senior Backend Engineer", "salary": {"amount": 95_000, "currency": "EUR", "period": "YEAR"},
        "remotePreference": "HYBRID", "location": "Berlin", "expiresAt": expires,
    }}, token=grace)
    offer_id = extended["offer"]["id"]
    assert (extended["offer"]["status"], extended["offer"]["versionNumber"]) == ("SENT", 1)

    # 8. She counters: more pay, fully remote.
    countered = await gql.mutate(COUNTER_OFFER, {"offerId": offer_id, "versionNumber": 1, "terms": {
        "salary": {"amount": 105_000, "currency": "EUR", "period": "YEAR"}, "remotePreference": "REMOTE",
    }}, token=ada)
    assert (countered["offer"]["status"], countered["offer"]["versionNumber"]) == ("COUNTERED", 2)

    # 9. The company revises: meets her on pay, keeps hybrid.
    revised = await gql.mutate(REVISE_OFFER, {"offerId": offer_id, "versionNumber": 2, "terms": {
        "salary": {"amount": 102_000, "currency": "EUR", "period": "YEAR"}, "remotePreference": "HYBRID",
    }}, token=grace)
    assert (revised["offer"]["status"], revised["offer"]["versionNumber"]) == ("SENT", 3)

    # 10. She accepts version 3.
    accepted = await gql.mutate(ACCEPT_OFFER, {"offerId": offer_id, "versionNumber": 3}, token=ada)
    assert accepted["offer"]["status"] == "ACCEPTED"

    # then: the candidate is HIRED and gone from default search
    assert (await Profile.get(user_id=pk(ada_id))).open_to_work == OpenToWork.HIRED
    after = (await gql.execute(SEARCH, {"query": "backend python", "filter": {"allSkills": ["python"]}}, token=grace))["searchCandidates"]
    assert after["totalCount"] == 0
    # both sides see the story
    assert (await Offer.get(id=pk(offer_id))).status == OfferStatus.ACCEPTED
    for token in (ada, grace):
        offers = (await gql.execute(MY_OFFERS, token=token))["offers"]
        assert offers["totalCount"] == 1
        node = offers["edges"][0]["node"]
        assert (node["status"], node["versionNumber"]) == ("ACCEPTED", 3)
        assert [(v["number"], v["authorSide"], v["changedFields"]) for v in node["versions"]] == [
            (1, "COMPANY", []),
            (2, "CANDIDATE", ["SALARY_AMOUNT", "REMOTE_PREFERENCE"]),
            (3, "COMPANY", ["SALARY_AMOUNT", "REMOTE_PREFERENCE"]),
        ]
        conversation = (await gql.execute(CONVERSATION, {"id": conversation_id}, token=token))["conversation"]
        story = [(e["node"]["kind"], e["node"]["body"]) for e in conversation["messages"]["edges"]]
        assert story == [
            ("USER", "Hi Ada, we would love to talk about our backend role."),
            ("SYSTEM", "The candidate accepted the contact request."),
            ("USER", "Happy to talk! Remote possible?"),
            ("USER", "Hybrid, two days in Berlin."),
            ("SYSTEM", "Offer extended: Senior Backend Engineer"),
            ("SYSTEM", "Offer countered by the candidate: Senior Backend Engineer (version 2)"),
            ("SYSTEM", "Offer revised: Senior Backend Engineer (version 3)"),
            ("SYSTEM", "Offer accepted: Senior Backend Engineer"),
        ]
    assert await Message.filter(kind=MessageKind.SYSTEM).count() == 5
