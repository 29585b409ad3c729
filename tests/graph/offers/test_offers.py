"""Offers through the API: extending, each transition, versions, expiry, reads, privacy."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from models.chat import Conversation, ConversationStatus, Message, MessageKind
from models.offers import Offer, OfferSide, OfferStatus, OfferVersion
from models.profiles import Block, OpenToWork, Profile, Visibility
from resolvers.ids import to_global_id
from tests.factories.accounts import make_candidate, make_employer
from tests.factories.offers import (
    ACCEPT_OFFER,
    COUNTER_OFFER,
    DECLINE_OFFER,
    EXTEND_OFFER,
    NODE,
    OFFER,
    OFFERS,
    REVISE_OFFER,
    WITHDRAW_OFFER,
    extend,
    in_days,
    make_accepted_conversation,
    make_offer_scene,
    pk,
    terms,
)
from tests.graphql import GraphQLClient


async def system_messages(conversation_id: str) -> list[str]:
    rows = await Message.filter(conversation_id=pk(conversation_id), kind=MessageKind.SYSTEM).order_by("seq")
    return [row.body for row in rows]


def codes(payload: dict[str, Any]) -> list[tuple[str, list[str] | None]]:
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


# --- extendOffer ---------------------------------------------------------------------

async def test_employer_extends_an_offer_in_an_accepted_conversation(gql: GraphQLClient) -> None:
    # given
    candidate = await make_candidate(gql, name="Grace Hopper")
    employer = await make_employer(gql, company_name="Acme")
    conversation_id = await make_accepted_conversation(candidate, employer)
    # when
    offer = await extend(gql, employer, conversation_id, salary={"amount": 95_000, "currency": "eur", "period": "YEAR"})
    # then
    assert offer["status"] == "SENT" and offer["versionNumber"] == 1
    assert offer["viewerSide"] == "COMPANY"
    assert offer["company"]["name"] == "Acme"
    assert offer["candidate"] == {"id": candidate.id, "displayName": "Grace Hopper"}
    assert offer["conversation"] == {"id": conversation_id}
    version = offer["currentVersion"]
    assert version["title"] == "Senior Backend Engineer"
    assert version["salary"] == {"amount": 95_000, "currency": "EUR", "period": "YEAR"}
    assert version["authorSide"] == "COMPANY" and version["changedFields"] == []
    row = await Offer.get(id=pk(offer["id"]))
    assert row.status == OfferStatus.SENT and row.current_version == 1 and row.expires_at is not None
    assert row.candidate_id == pk(candidate.id) and row.company_id == pk(employer.company_id or "")
    stored = await OfferVersion.get(offer_id=row.pk)
    assert (stored.number, stored.author_side, stored.salary_currency) == (1, OfferSide.COMPANY, "EUR")
    assert await system_messages(conversation_id) == ["Offer extended: Senior Backend Engineer"]
    conversation = await Conversation.get(id=pk(conversation_id))
    assert conversation.last_seq == 1


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"title": "  "}, "REQUIRED", ["input", "terms", "title"]),
        ({"title": "t" * 121}, "TOO_LONG", ["input", "terms", "title"]),
        ({"description": "d" * 10_001}, "TOO_LONG", ["input", "terms", "description"]),
        ({"equity": "e" * 201}, "TOO_LONG", ["input", "terms", "equity"]),
        ({"location": "l" * 201}, "TOO_LONG", ["input", "terms", "location"]),
        ({"salary": {"amount": 0, "currency": "EUR", "period": "YEAR"}}, "OUT_OF_RANGE", ["input", "terms", "salary", "amount"]),
        ({"salary": {"amount": -5, "currency": "EUR", "period": "YEAR"}}, "OUT_OF_RANGE", ["input", "terms", "salary", "amount"]),
        ({"salary": {"amount": 5, "currency": "EURO", "period": "YEAR"}}, "INVALID_CURRENCY", ["input", "terms", "salary", "currency"]),
        ({"salary": {"amount": 5, "currency": "ZZZ", "period": "YEAR"}}, "INVALID_CURRENCY", ["input", "terms", "salary", "currency"]),
        ({"salary": {"amount": 5, "currency": "€€€", "period": "YEAR"}}, "INVALID_CURRENCY", ["input", "terms", "salary", "currency"]),
        ({"expiresAt": in_days(-1)}, "INVALID", ["input", "terms", "expiresAt"]),
        ({"expiresAt": "2030-01-01T10:00:00"}, "INVALID", ["input", "terms", "expiresAt"]),
        ({"startDate": "2001-01-01"}, "INVALID", ["input", "terms", "startDate"]),
    ],
)
async def test_extend_offer_validates_terms_and_changes_nothing(
    gql: GraphQLClient, overrides: dict[str, Any], code: str, field: list[str]
) -> None:
    # given
    candidate, employer = await make_candidate(gql), await make_employer(gql)
    conversation_id = await make_accepted_conversation(candidate, employer)
    # when
    payload = await gql.mutate(
        EXTEND_OFFER, {"conversationId": conversation_id, "terms": terms(**overrides)}, token=employer.token, ok=False
    )
    # then
    assert payload["offer"] is None
    assert (code, field) in codes(payload)
    assert await Offer.all().count() == 0
    assert await Message.all().count() == 0


async def test_extend_offer_needs_an_accepted_conversation_of_the_own_company(gql: GraphQLClient) -> None:
    # given
    candidate, employer, other = await make_candidate(gql), await make_employer(gql), await make_employer(gql)
    conversation_id = await make_accepted_conversation(candidate, employer)
    # when: another company names the conversation
    foreign = await gql.mutate(
        EXTEND_OFFER, {"conversationId": conversation_id, "terms": terms()}, token=other.token, ok=False
    )
    # and: the contact request is still open
    await Conversation.filter(id=pk(conversation_id)).update(status=ConversationStatus.REQUESTED)
    requested = await gql.mutate(
        EXTEND_OFFER, {"conversationId": conversation_id, "terms": terms()}, token=employer.token, ok=False
    )
    # and: a malformed-for-purpose id (a User id)
    wrong_type = await gql.mutate(
        EXTEND_OFFER, {"conversationId": candidate.id, "terms": terms()}, token=employer.token, ok=False
    )
    # then
    assert codes(foreign) == [("NOT_FOUND", ["input", "conversationId"])]
    assert codes(requested) == [("CONVERSATION_NOT_ACCEPTED", ["input", "conversationId"])]
    assert codes(wrong_type) == [("NOT_FOUND", ["input", "conversationId"])]
    assert await Offer.all().count() == 0


async def test_extend_offer_refuses_candidates_and_anonymous_visitors(gql: GraphQLClient) -> None:
    # given
    candidate, employer = await make_candidate(gql), await make_employer(gql)
    conversation_id = await make_accepted_conversation(candidate, employer)
    variables = {"input": {"conversationId": conversation_id, "terms": terms()}}
    # when
    as_candidate = await gql.post(EXTEND_OFFER, variables, token=candidate.token)
    anonymous = await gql.post(EXTEND_OFFER, variables)
    # then
    assert as_candidate.codes == ["FORBIDDEN"]
    assert anonymous.codes == ["UNAUTHENTICATED"]
    assert await Offer.all().count() == 0


async def test_a_candidate_who_blocked_the_company_gets_no_offer(gql: GraphQLClient) -> None:
    # given
    candidate, employer = await make_candidate(gql), await make_employer(gql)
    conversation_id = await make_accepted_conversation(candidate, employer)
    profile = await Profile.get(user_id=pk(candidate.id))
    await Block.create(profile=profile, company_id=pk(employer.company_id or ""))
    # when
    payload = await gql.mutate(
        EXTEND_OFFER, {"conversationId": conversation_id, "terms": terms()}, token=employer.token, ok=False
    )
    # then
    assert codes(payload) == [("NOT_FOUND", ["input", "conversationId"])]
    assert await Offer.all().count() == 0


# --- transitions ---------------------------------------------------------------------

async def test_candidate_accepts_the_current_version_and_is_hired(gql: GraphQLClient) -> None:
    # given
    scene = await make_offer_scene(gql)
    # when
    payload = await gql.mutate(
        ACCEPT_OFFER, {"offerId": scene.offer_id, "versionNumber": 1}, token=scene.candidate.token
    )
    # then
    assert payload["offer"]["status"] == "ACCEPTED"
    assert payload["offer"]["viewerSide"] == "CANDIDATE"
    assert (await Offer.get(id=pk(scene.offer_id))).status == OfferStatus.ACCEPTED
    profile = await Profile.get(user_id=pk(scene.candidate.id))
    assert profile.open_to_work == OpenToWork.HIRED
    assert await system_messages(scene.conversation_id) == [
        "Offer extended: Senior Backend Engineer",
        "Offer accepted: Senior Backend Engineer",
    ]


async def test_accepting_flags_every_other_open_offer_of_the_candidate(gql: GraphQLClient) -> None:
    # given: offers from three companies; one of them already declined
    scene = await make_offer_scene(gql)
    rival, closed = await make_employer(gql), await make_employer(gql)
    rival_conversation = await make_accepted_conversation(scene.candidate, rival)
    closed_conversation = await make_accepted_conversation(scene.candidate, closed)
    rival_offer = await extend(gql, rival, rival_conversation, title="Staff Engineer")
    countered = await extend(gql, rival, rival_conversation, title="Platform Engineer")
    await gql.mutate(
        COUNTER_OFFER, {"offerId": countered["id"], "terms": {"equity": "1%"}}, token=scene.candidate.token
    )
    closed_offer = await extend(gql, closed, closed_conversation)
    await gql.mutate(DECLINE_OFFER, {"offerId": closed_offer["id"]}, token=scene.candidate.token)
    # when
    await gql.mutate(ACCEPT_OFFER, {"offerId": scene.offer_id, "versionNumber": 1}, token=scene.candidate.token)
    # then: the rival sees its offers flagged, status kept
    seen = await gql.execute(OFFER, {"id": rival_offer["id"]}, token=rival.token)
    assert seen["offer"]["status"] == "SENT" and seen["offer"]["candidateHiredElsewhere"] is True
    seen = await gql.execute(OFFER, {"id": countered["id"]}, token=rival.token)
    assert seen["offer"]["status"] == "COUNTERED" and seen["offer"]["candidateHiredElsewhere"] is True
    rows = {row.pk: row for row in await Offer.all()}
    assert rows[pk(rival_offer["id"])].candidate_hired_elsewhere_at is not None
    assert rows[pk(closed_offer["id"])].candidate_hired_elsewhere_at is None
    assert rows[pk(closed_offer["id"])].status == OfferStatus.DECLINED
    assert rows[pk(scene.offer_id)].candidate_hired_elsewhere_at is None
    notices = await system_messages(rival_conversation)
    assert notices.count("The candidate accepted another offer and is no longer looking.") == 2
    assert "The candidate accepted another offer and is no longer looking." not in await system_messages(closed_conversation)


async def test_accepting_a_stale_version_is_refused(gql: GraphQLClient) -> None:
    # given: the company revised to version 2
    scene = await make_offer_scene(gql)
    await gql.mutate(
        REVISE_OFFER, {"offerId": scene.offer_id, "terms": {"salary": {"amount": 99_000, "currency": "EUR", "period": "YEAR"}}},
        token=scene.employer.token,
    )
    # when
    payload = await gql.mutate(
        ACCEPT_OFFER, {"offerId": scene.offer_id, "versionNumber": 1}, token=scene.candidate.token, ok=False
    )
    # then
    assert codes(payload) == [("STALE_VERSION", ["input", "versionNumber"])]
    row = await Offer.get(id=pk(scene.offer_id))
    assert (row.status, row.current_version) == (OfferStatus.SENT, 2)
    assert (await Profile.get(user_id=pk(scene.candidate.id))).open_to_work == OpenToWork.ACTIVELY_LOOKING


async def test_candidate_declines_with_a_reason(gql: GraphQLClient) -> None:
    # given
    scene = await make_offer_scene(gql)
    # when
    payload = await gql.mutate(
        DECLINE_OFFER, {"offerId": scene.offer_id, "reason": "Too far from home."}, token=scene.candidate.token
    )
    # then
    assert payload["offer"]["status"] == "DECLINED"
    assert payload["offer"]["declineReason"] == "Too far from home."
    row = await Offer.get(id=pk(scene.offer_id))
    assert (row.status, row.decline_reason) == (OfferStatus.DECLINED, "Too far from home.")
    assert (await system_messages(scene.conversation_id))[-1] == (
        "Offer declined: Senior Backend Engineer. Reason: Too far from home."
    )


async def test_decline_reason_is_limited(gql: GraphQLClient) -> None:
    scene = await make_offer_scene(gql)
    payload = await gql.mutate(
        DECLINE_OFFER, {"offerId": scene.offer_id, "reason": "r" * 1_001}, token=scene.candidate.token, ok=False
    )
    assert codes(payload) == [("TOO_LONG", ["input", "reason"])]
    assert (await Offer.get(id=pk(scene.offer_id))).status == OfferStatus.SENT


async def test_counter_revise_accept_makes_versions_with_changed_fields(gql: GraphQLClient) -> None:
    # given
    scene = await make_offer_scene(gql)
    # when: the candidate counters
    countered = await gql.mutate(
        COUNTER_OFFER,
        {
            "offerId": scene.offer_id,
            "versionNumber": 1,
            "terms": {"salary": {"amount": 110_000, "currency": "EUR", "period": "YEAR"}, "remotePreference": "REMOTE"},
        },
        token=scene.candidate.token,
    )
    # then
    offer = countered["offer"]
    assert (offer["status"], offer["versionNumber"]) == ("COUNTERED", 2)
    assert offer["currentVersion"]["authorSide"] == "CANDIDATE"
    assert offer["currentVersion"]["changedFields"] == ["SALARY_AMOUNT", "REMOTE_PREFERENCE"]
    assert offer["currentVersion"]["title"] == "Senior Backend Engineer"  # kept
    # when: the company revises (meets halfway, new deadline)
    revised = await gql.mutate(
        REVISE_OFFER,
        {
            "offerId": scene.offer_id,
            "versionNumber": 2,
            "terms": {"salary": {"amount": 100_000, "currency": "EUR", "period": "YEAR"}, "expiresAt": in_days(3), "equity": None},
        },
        token=scene.employer.token,
    )
    # then
    offer = revised["offer"]
    assert (offer["status"], offer["versionNumber"]) == ("SENT", 3)
    assert offer["currentVersion"]["authorSide"] == "COMPANY"
    assert offer["currentVersion"]["changedFields"] == ["SALARY_AMOUNT", "EQUITY", "EXPIRES_AT"]
    assert offer["currentVersion"]["equity"] is None
    assert offer["currentVersion"]["remotePreference"] == "REMOTE"
    assert [(v["number"], v["authorSide"], v["salary"]["amount"]) for v in offer["versions"]] == [
        (1, "COMPANY", 90_000), (2, "CANDIDATE", 110_000), (3, "COMPANY", 100_000),
    ]
    # when: the candidate accepts version 3
    accepted = await gql.mutate(
        ACCEPT_OFFER, {"offerId": scene.offer_id, "versionNumber": 3}, token=scene.candidate.token
    )
    # then
    assert accepted["offer"]["status"] == "ACCEPTED"
    assert await OfferVersion.filter(offer_id=pk(scene.offer_id)).count() == 3
    assert await system_messages(scene.conversation_id) == [
        "Offer extended: Senior Backend Engineer",
        "Offer countered by the candidate: Senior Backend Engineer (version 2)",
        "Offer revised: Senior Backend Engineer (version 3)",
        "Offer accepted: Senior Backend Engineer",
    ]


async def test_counter_and_revise_need_a_real_change_and_counter_cannot_set_expiry(gql: GraphQLClient) -> None:
    # given
    scene = await make_offer_scene(gql)
    # when
    same = await gql.mutate(
        COUNTER_OFFER, {"offerId": scene.offer_id, "terms": {"location": "Berlin"}}, token=scene.candidate.token, ok=False
    )
    expiry = await gql.mutate(
        COUNTER_OFFER, {"offerId": scene.offer_id, "terms": {"expiresAt": in_days(30)}}, token=scene.candidate.token, ok=False
    )
    bad = await gql.mutate(
        REVISE_OFFER, {"offerId": scene.offer_id, "terms": {"title": None}}, token=scene.employer.token, ok=False
    )
    # then
    assert codes(same) == [("INVALID", ["input", "terms"])]
    assert ("INVALID", ["input", "terms", "expiresAt"]) in codes(expiry)
    assert codes(bad) == [("REQUIRED", ["input", "terms", "title"])]
    row = await Offer.get(id=pk(scene.offer_id))
    assert (row.status, row.current_version) == (OfferStatus.SENT, 1)
    assert await OfferVersion.filter(offer_id=row.pk).count() == 1


async def test_company_withdraws_a_countered_offer(gql: GraphQLClient) -> None:
    # given
    scene = await make_offer_scene(gql)
    await gql.mutate(COUNTER_OFFER, {"offerId": scene.offer_id, "terms": {"equity": "2%"}}, token=scene.candidate.token)
    # when
    payload = await gql.mutate(WITHDRAW_OFFER, {"offerId": scene.offer_id}, token=scene.employer.token)
    # then
    assert payload["offer"]["status"] == "WITHDRAWN"
    assert (await Offer.get(id=pk(scene.offer_id))).status == OfferStatus.WITHDRAWN
    assert (await system_messages(scene.conversation_id))[-1] == "Offer withdrawn: Senior Backend Engineer"


@pytest.mark.parametrize(
    ("setup", "operation", "actor", "input_"),
    [
        ("countered", ACCEPT_OFFER, "candidate", {"versionNumber": 2}),
        ("countered", DECLINE_OFFER, "candidate", {}),
        ("countered", COUNTER_OFFER, "candidate", {"terms": {"equity": "3%"}}),
        ("withdrawn", ACCEPT_OFFER, "candidate", {"versionNumber": 1}),
        ("withdrawn", REVISE_OFFER, "employer", {"terms": {"equity": "3%"}}),
        ("declined", WITHDRAW_OFFER, "employer", {}),
        ("declined", COUNTER_OFFER, "candidate", {"terms": {"equity": "3%"}}),
        ("accepted", WITHDRAW_OFFER, "employer", {}),
        ("accepted", DECLINE_OFFER, "candidate", {}),
        ("accepted", ACCEPT_OFFER, "candidate", {"versionNumber": 1}),
    ],
)
async def test_invalid_transitions_are_user_errors(
    gql: GraphQLClient, setup: str, operation: str, actor: str, input_: dict[str, Any]
) -> None:
    # given
    scene = await make_offer_scene(gql)
    candidate_token, employer_token = scene.candidate.token, scene.employer.token
    if setup == "countered":
        await gql.mutate(COUNTER_OFFER, {"offerId": scene.offer_id, "terms": {"equity": "2%"}}, token=candidate_token)
    elif setup == "withdrawn":
        await gql.mutate(WITHDRAW_OFFER, {"offerId": scene.offer_id}, token=employer_token)
    elif setup == "declined":
        await gql.mutate(DECLINE_OFFER, {"offerId": scene.offer_id}, token=candidate_token)
    else:
        await gql.mutate(ACCEPT_OFFER, {"offerId": scene.offer_id, "versionNumber": 1}, token=candidate_token)
    before = await Offer.get(id=pk(scene.offer_id))
    messages_before = await Message.all().count()
    # when
    payload = await gql.mutate(
        operation, {"offerId": scene.offer_id, **input_},
        token=candidate_token if actor == "candidate" else employer_token, ok=False,
    )
    # then
    assert codes(payload) == [("INVALID_TRANSITION", ["input", "offerId"])]
    after = await Offer.get(id=pk(scene.offer_id))
    assert (after.status, after.current_version) == (before.status, before.current_version)
    assert await Message.all().count() == messages_before


# --- who may act ---------------------------------------------------------------------

CANDIDATE_ACTIONS = [
    (ACCEPT_OFFER, {"versionNumber": 1}),
    (DECLINE_OFFER, {}),
    (COUNTER_OFFER, {"terms": {"equity": "5%"}}),
]
COMPANY_ACTIONS = [
    (REVISE_OFFER, {"terms": {"equity": "5%"}}),
    (WITHDRAW_OFFER, {}),
]


@pytest.mark.parametrize(("operation", "input_"), CANDIDATE_ACTIONS + COMPANY_ACTIONS)
@pytest.mark.parametrize("intruder", ["other company", "colleague of other company", "other candidate", "anonymous", "wrong side"])
async def test_only_the_right_party_acts_on_an_offer(
    gql: GraphQLClient, operation: str, input_: dict[str, Any], intruder: str
) -> None:
    # given
    scene = await make_offer_scene(gql)
    is_candidate_action = (operation, input_) in CANDIDATE_ACTIONS
    token: str | None
    if intruder == "other company":
        token = (await make_employer(gql)).token
    elif intruder == "colleague of other company":
        other = await make_employer(gql)
        token = (await make_employer(gql, invitation_code=other.invitation_code)).token
    elif intruder == "other candidate":
        token = (await make_candidate(gql)).token
    elif intruder == "anonymous":
        token = None
    else:  # the company doing the candidate's part, or the candidate the company's
        token = scene.employer.token if is_candidate_action else scene.candidate.token
    # when
    result = await gql.post(operation, {"input": {"offerId": scene.offer_id, **input_}}, token=token)
    # then
    if intruder == "anonymous":
        assert result.codes == ["UNAUTHENTICATED"]
    elif intruder == "wrong side":
        assert result.codes == ["FORBIDDEN"]
    else:  # not party: exactly as if the offer did not exist
        assert result.errors == []
        assert result.data is not None
        payload = next(iter(result.data.values()))
        assert codes(payload) == [("NOT_FOUND", ["input", "offerId"])]
    row = await Offer.get(id=pk(scene.offer_id))
    assert (row.status, row.current_version) == (OfferStatus.SENT, 1)
    assert await Message.filter(kind=MessageKind.SYSTEM).count() == 1


async def test_a_colleague_of_the_company_can_revise(gql: GraphQLClient) -> None:
    scene = await make_offer_scene(gql)
    colleague = await make_employer(gql, invitation_code=scene.employer.invitation_code)
    payload = await gql.mutate(
        REVISE_OFFER, {"offerId": scene.offer_id, "terms": {"title": "Lead Engineer"}}, token=colleague.token
    )
    assert payload["offer"]["currentVersion"]["title"] == "Lead Engineer"
    version = await OfferVersion.get(offer_id=pk(scene.offer_id), number=2)
    assert version.author_id == pk(colleague.id)


# --- expiry --------------------------------------------------------------------------

async def test_reading_an_offer_past_its_expiry_persists_expired(gql: GraphQLClient) -> None:
    # given
    scene = await make_offer_scene(gql)
    await Offer.filter(id=pk(scene.offer_id)).update(expires_at=datetime.now(timezone.utc) - timedelta(minutes=1))
    # when
    data = await gql.execute(OFFER, {"id": scene.offer_id}, token=scene.candidate.token)
    # then
    assert data["offer"]["status"] == "EXPIRED"
    assert (await Offer.get(id=pk(scene.offer_id))).status == OfferStatus.EXPIRED


async def test_listing_applies_expiry_before_filtering_by_status(gql: GraphQLClient) -> None:
    # given
    scene = await make_offer_scene(gql)
    await Offer.filter(id=pk(scene.offer_id)).update(expires_at=datetime.now(timezone.utc) - timedelta(minutes=1))
    # when
    sent = await gql.execute(OFFERS, {"status": "SENT"}, token=scene.employer.token)
    expired = await gql.execute(OFFERS, {"status": "EXPIRED"}, token=scene.employer.token)
    # then
    assert sent["offers"]["totalCount"] == 0
    assert [e["node"]["id"] for e in expired["offers"]["edges"]] == [scene.offer_id]
    assert (await Offer.get(id=pk(scene.offer_id))).status == OfferStatus.EXPIRED


@pytest.mark.parametrize(
    ("operation", "actor", "input_"),
    [
        (ACCEPT_OFFER, "candidate", {"versionNumber": 1}),
        (COUNTER_OFFER, "candidate", {"terms": {"equity": "2%"}}),
        (WITHDRAW_OFFER, "employer", {}),
    ],
)
async def test_a_transition_on_an_expired_offer_is_refused_and_expiry_persisted(
    gql: GraphQLClient, operation: str, actor: str, input_: dict[str, Any]
) -> None:
    # given
    scene = await make_offer_scene(gql)
    await Offer.filter(id=pk(scene.offer_id)).update(expires_at=datetime.now(timezone.utc) - timedelta(seconds=1))
    # when
    payload = await gql.mutate(
        operation, {"offerId": scene.offer_id, **input_},
        token=scene.candidate.token if actor == "candidate" else scene.employer.token, ok=False,
    )
    # then
    assert codes(payload) == [("OFFER_EXPIRED", ["input", "offerId"])]
    assert (await Offer.get(id=pk(scene.offer_id))).status == OfferStatus.EXPIRED
    assert (await Profile.get(user_id=pk(scene.candidate.id))).open_to_work == OpenToWork.ACTIVELY_LOOKING


async def test_revising_after_the_deadline_passed_needs_a_new_expiry(gql: GraphQLClient) -> None:
    # given: countered (no longer expires), and the old deadline passes
    scene = await make_offer_scene(gql)
    await gql.mutate(COUNTER_OFFER, {"offerId": scene.offer_id, "terms": {"equity": "2%"}}, token=scene.candidate.token)
    await Offer.filter(id=pk(scene.offer_id)).update(expires_at=datetime.now(timezone.utc) - timedelta(seconds=1))
    await OfferVersion.filter(offer_id=pk(scene.offer_id)).update(expires_at=datetime.now(timezone.utc) - timedelta(seconds=1))
    # when
    refused = await gql.mutate(
        REVISE_OFFER, {"offerId": scene.offer_id, "terms": {"equity": "1%"}}, token=scene.employer.token, ok=False
    )
    revised = await gql.mutate(
        REVISE_OFFER, {"offerId": scene.offer_id, "terms": {"equity": "1%", "expiresAt": in_days(2)}}, token=scene.employer.token
    )
    # then
    assert codes(refused) == [("INVALID", ["input", "terms", "expiresAt"])]
    assert revised["offer"]["status"] == "SENT" and revised["offer"]["versionNumber"] == 3
    assert (await Offer.get(id=pk(scene.offer_id))).expires_at > datetime.now(timezone.utc)


# --- reading -------------------------------------------------------------------------

async def test_only_parties_read_an_offer(gql: GraphQLClient) -> None:
    # given
    scene = await make_offer_scene(gql)
    other_company, other_candidate = await make_employer(gql), await make_candidate(gql)
    colleague = await make_employer(gql, invitation_code=scene.employer.invitation_code)
    # when / then
    for token in (scene.candidate.token, scene.employer.token, colleague.token):
        assert (await gql.execute(OFFER, {"id": scene.offer_id}, token=token))["offer"]["id"] == scene.offer_id
        assert (await gql.execute(NODE, {"id": scene.offer_id}, token=token))["node"]["status"] == "SENT"
    for token in (other_company.token, other_candidate.token, None):
        assert (await gql.execute(OFFER, {"id": scene.offer_id}, token=token))["offer"] is None
        assert (await gql.execute(NODE, {"id": scene.offer_id}, token=token))["node"] is None
    missing = to_global_id("Offer", 999_999)
    assert (await gql.execute(OFFER, {"id": missing}, token=scene.candidate.token))["offer"] is None


async def test_offers_lists_each_side_newest_first_with_keyset_pages(gql: GraphQLClient) -> None:
    # given: three offers to one candidate from two companies, one more to another candidate
    scene = await make_offer_scene(gql, title="First")
    second = await extend(gql, scene.employer, scene.conversation_id, title="Second")
    rival = await make_employer(gql)
    third = await extend(gql, rival, await make_accepted_conversation(scene.candidate, rival), title="Third")
    stranger = await make_candidate(gql)
    await extend(gql, scene.employer, await make_accepted_conversation(stranger, scene.employer), title="Elsewhere")
    await gql.mutate(DECLINE_OFFER, {"offerId": second["id"]}, token=scene.candidate.token)
    # when
    page1 = await gql.execute(OFFERS, {"first": 2}, token=scene.candidate.token)
    page2 = await gql.execute(OFFERS, {"first": 2, "after": page1["offers"]["pageInfo"]["endCursor"]}, token=scene.candidate.token)
    company = await gql.execute(OFFERS, {}, token=scene.employer.token)
    declined = await gql.execute(OFFERS, {"status": "DECLINED"}, token=scene.candidate.token)
    # then
    titles = [e["node"]["currentVersion"]["title"] for e in page1["offers"]["edges"] + page2["offers"]["edges"]]
    assert titles == ["Third", "Second", "First"]
    assert page1["offers"]["totalCount"] == 3 and page1["offers"]["pageInfo"]["hasNextPage"] is True
    assert page2["offers"]["pageInfo"]["hasNextPage"] is False
    assert [e["node"]["currentVersion"]["title"] for e in company["offers"]["edges"]] == ["Elsewhere", "Second", "First"]
    assert [e["node"]["id"] for e in declined["offers"]["edges"]] == [second["id"]]
    assert third["id"] not in [e["node"]["id"] for e in company["offers"]["edges"]]


async def test_offers_needs_a_signed_in_viewer(gql: GraphQLClient) -> None:
    result = await gql.post(OFFERS)
    assert result.codes == ["UNAUTHENTICATED"]


@pytest.mark.parametrize(
    ("visibility", "anonymous", "blocked", "visible"),
    [
        (Visibility.EMPLOYERS, False, False, True),
        (Visibility.PUBLIC, True, False, True),  # anonymity lifts for a company whose contact was accepted
        (Visibility.HIDDEN, False, False, False),
        (Visibility.EMPLOYERS, False, True, False),
    ],
)
async def test_offer_candidate_passes_the_profile_privacy_rules(
    gql: GraphQLClient, visibility: Visibility, anonymous: bool, blocked: bool, visible: bool
) -> None:
    # given
    scene = await make_offer_scene(gql)
    profile = await Profile.get(user_id=pk(scene.candidate.id))
    profile.visibility, profile.anonymous = visibility, anonymous
    await profile.save()
    if blocked:
        await Block.create(profile=profile, company_id=pk(scene.employer.company_id or ""))
    # when
    as_company = await gql.execute(OFFER, {"id": scene.offer_id}, token=scene.employer.token)
    as_candidate = await gql.execute(OFFER, {"id": scene.offer_id}, token=scene.candidate.token)
    # then
    if blocked:  # a block closes the company's side: the whole offer is gone for it (issue 12, item 8)
        assert as_company["offer"] is None
    else:
        assert (as_company["offer"]["candidate"] is not None) is visible
    assert as_candidate["offer"]["candidate"]["id"] == scene.candidate.id
