"""Who sees what of a profile, through every path that reaches one: ``profile(handle:)``,
``node(id:)`` and a nested profile (an endorser's ``User.profile``)."""

from __future__ import annotations

from typing import Any

import pytest

from models.profiles import AccessKind, AccessLogEntry, Block
from tests.factories.accounts import make_candidate, make_employer
from tests.factories.profiles import Candidate, accept_contact, make_profile
from tests.graphql import GraphQLClient

FIELDS = """
  id handle displayName photoUrl headline
  skills { name }
  experience { title companyName }
  workSamples { title url }
  references { name contact }
"""
BY_HANDLE = "query($handle: String!) { profile(handle: $handle) { " + FIELDS + " } }"
BY_NODE = "query($id: ID!) { node(id: $id) { ... on Profile { " + FIELDS + " } } }"
NESTED = (
    """
query($handle: String!) {
  profile(handle: $handle) { skills { endorsements(first: 5) { endorser { displayName identityHidden profile { """
    + FIELDS
    + """ } } } } }
}
"""
)
ENDORSE = """
mutation($input: EndorseSkillInput!) { endorseSkill(input: $input) { endorsement { id } userErrors { code field } } }
"""
BLOCK = """
mutation($input: BlockCompanyInput!) { blockCompany(input: $input) { block { id domain company { id } } userErrors { code field } } }
"""

VIEWERS = ["anonymous", "owner", "candidate", "employer", "blocked", "blocked_by_domain", "accepted"]

# What each viewer gets: None (as if missing), "anonymous" (identity null), "identity"
# (everything but reference contacts), "full".
EXPECTED: dict[str, dict[str, str | None]] = {
    "PUBLIC": {
        "anonymous": "identity", "owner": "full", "candidate": "identity", "employer": "identity",
        "blocked": None, "blocked_by_domain": None, "accepted": "full",
    },
    "EMPLOYERS+anonymous": {
        "anonymous": None, "owner": "full", "candidate": None, "employer": "anonymous",
        "blocked": None, "blocked_by_domain": None, "accepted": "full",
    },
    "PUBLIC+anonymous": {
        "anonymous": "anonymous", "owner": "full", "candidate": "anonymous", "employer": "anonymous",
        "blocked": None, "blocked_by_domain": None, "accepted": "full",
    },
    "HIDDEN": {
        "anonymous": None, "owner": "full", "candidate": None, "employer": None,
        "blocked": None, "blocked_by_domain": None, "accepted": None,
    },
}


async def _world(gql: GraphQLClient, case: str) -> tuple[Candidate, Candidate, dict[str, str | None]]:
    visibility, _, anonymous = case.partition("+")
    subject = await make_profile(
        gql, visibility=visibility, anonymous=bool(anonymous), full=True, name="Ada Subject",
        photoUrl="https://example.org/ada.png",
    )
    # A public profile the subject endorsed: the nested path reaches the subject through it.
    other = await make_profile(gql, visibility="PUBLIC", skills=("Go",))
    await gql.mutate(ENDORSE, {"skillId": other.skill_ids[0]}, token=subject.token)
    employer = await make_employer(gql)
    blocked = await make_employer(gql)
    blocked_by_domain = await make_employer(gql, email="hr@formerboss.test", company_name="Former Boss")
    accepted = await make_employer(gql)
    await gql.mutate(BLOCK, {"companyId": blocked.company_id}, token=subject.token)
    await gql.mutate(BLOCK, {"domain": "FormerBoss.test"}, token=subject.token)
    await accept_contact(subject, accepted)
    tokens = {
        "anonymous": None,
        "owner": subject.token,
        "candidate": (await make_candidate(gql)).token,
        "employer": employer.token,
        "blocked": blocked.token,
        "blocked_by_domain": blocked_by_domain.token,
        "accepted": accepted.token,
    }
    return subject, other, tokens


def _expected(subject: Candidate, level: str) -> dict[str, Any]:
    identity = level in {"identity", "full"}
    return {
        "id": subject.profile_id,
        "handle": subject.handle if identity else None,
        "displayName": "Ada Subject" if identity else None,
        "photoUrl": "https://example.org/ada.png" if identity else None,
        "headline": "Engineer",
        "skills": [{"name": "Python"}],
        "experience": [{"title": "Developer", "companyName": "Initech" if identity else None}],
        "workSamples": [{"title": "Parser", "url": "https://example.org/parser" if identity else None}],
        "references": (
            [{"name": "Grace", "contact": "grace@example.org" if level == "full" else None}] if identity else None
        ),
    }


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("case", list(EXPECTED))
async def test_visibility_matrix(gql: GraphQLClient, case: str, viewer: str) -> None:
    # given
    subject, other, tokens = await _world(gql, case)
    token = tokens[viewer]
    level = EXPECTED[case][viewer]
    # when
    by_handle = (await gql.execute(BY_HANDLE, {"handle": subject.handle}, token=token))["profile"]
    by_node = (await gql.execute(BY_NODE, {"id": subject.profile_id}, token=token))["node"]
    nested = (await gql.execute(NESTED, {"handle": other.handle}, token=token))["profile"]
    # then
    expected = _expected(subject, level) if level else None
    assert by_node == expected
    # profile(handle:) answers only viewers who may know who the candidate is
    assert by_handle == (expected if level in {"identity", "full"} else None)
    # the endorsement itself stays visible; the endorser's profile follows the same rules
    endorser = nested["skills"][0]["endorsements"][0]["endorser"]
    assert endorser["profile"] == expected
    # ... and so does her name beside it (it leaked here: issue 12, item 3)
    identified = level in {"identity", "full"}
    assert endorser["displayName"] == ("Ada Subject" if identified else "Anonymous candidate")
    assert endorser["identityHidden"] is not identified


async def test_blocked_company_gets_what_a_missing_profile_gets(gql: GraphQLClient) -> None:
    # given
    subject = await make_profile(gql, visibility="PUBLIC")
    blocked = await make_employer(gql)
    await gql.mutate(BLOCK, {"companyId": blocked.company_id}, token=subject.token)
    # when
    blocked_answer = await gql.post(BY_HANDLE, {"handle": subject.handle}, token=blocked.token)
    missing_answer = await gql.post(BY_HANDLE, {"handle": "no-such-handle"}, token=blocked.token)
    endorse = await gql.mutate(ENDORSE, {"skillId": subject.skill_ids[0]}, token=blocked.token, ok=False)
    # then
    assert blocked_answer.data == missing_answer.data == {"profile": None}
    assert blocked_answer.errors == missing_answer.errors == []
    assert [e["code"] for e in endorse["userErrors"]] == ["NOT_FOUND"]
    assert await AccessLogEntry.all().count() == 0


async def test_domain_block_covers_a_company_that_signs_up_later(gql: GraphQLClient) -> None:
    # given: the candidate blocks the domain before the company exists
    subject = await make_profile(gql, visibility="EMPLOYERS")
    payload = await gql.mutate(BLOCK, {"domain": "@Acme-Corp.test"}, token=subject.token)
    assert payload["block"]["domain"] == "acme-corp.test"
    # when: it signs up under another name, then a colleague with a free-mail address joins
    newcomer = await make_employer(gql, email="boss@acme-corp.test", company_name="Totally New GmbH")
    colleague = await make_employer(gql, email="someone@gmail.com", invitation_code=newcomer.invitation_code)
    # then
    for token in (newcomer.token, colleague.token):
        assert (await gql.execute(BY_NODE, {"id": subject.profile_id}, token=token))["node"] is None
    assert await Block.all().count() == 1


async def test_unverified_company_is_not_matched_by_domain(gql: GraphQLClient) -> None:
    # given: a free-mail company has no verified domain; blocking gmail.com does not hide from it
    # (a PUBLIC profile: EMPLOYERS-only profiles are never shown to unverified companies)
    subject = await make_profile(gql, visibility="PUBLIC")
    await gql.mutate(BLOCK, {"domain": "gmail.com"}, token=subject.token)
    garage = await make_employer(gql, email="founder@gmail.com", company_name="Garage")
    # when
    node = (await gql.execute(BY_NODE, {"id": subject.profile_id}, token=garage.token))["node"]
    # then
    assert node is not None and node["handle"] == subject.handle


async def test_employer_views_are_logged_once_per_hour_and_reveals_separately(gql: GraphQLClient) -> None:
    # given
    subject = await make_profile(gql, visibility="EMPLOYERS", full=True)
    employer = await make_employer(gql)
    accepted = await make_employer(gql)
    await accept_contact(subject, accepted)
    # when
    for _ in range(2):
        await gql.execute(BY_HANDLE, {"handle": subject.handle}, token=employer.token)
        await gql.execute(BY_NODE, {"id": subject.profile_id}, token=employer.token)
    await gql.execute(BY_HANDLE, {"handle": subject.handle}, token=accepted.token)
    await gql.execute(BY_HANDLE, {"handle": subject.handle}, token=subject.token)  # the owner is not logged
    # then
    rows = await AccessLogEntry.all().order_by("id").values_list("company_id", "kind")
    kinds = [(company, AccessKind(kind)) for company, kind in rows]
    from resolvers.ids import parse_global_id

    employer_company = parse_global_id(employer.company_id)[1]  # type: ignore[arg-type]  # an employer always has a company
    accepted_company = parse_global_id(accepted.company_id)[1]  # type: ignore[arg-type]  # an employer always has a company
    assert kinds == [
        (employer_company, AccessKind.VIEW),
        (accepted_company, AccessKind.VIEW),
        (accepted_company, AccessKind.REFERENCES_REVEALED),
    ]


async def test_references_without_contact_are_not_a_reveal(gql: GraphQLClient) -> None:
    subject = await make_profile(gql, visibility="EMPLOYERS", full=True)
    accepted = await make_employer(gql)
    await accept_contact(subject, accepted)
    query = "query($h: String!) { profile(handle: $h) { references { name relationship } } }"
    data = await gql.execute(query, {"h": subject.handle}, token=accepted.token)
    assert data["profile"]["references"] == [{"name": "Grace", "relationship": "manager"}]
    assert await AccessLogEntry.filter(kind=AccessKind.REFERENCES_REVEALED).count() == 0


async def test_requested_conversation_does_not_lift_anonymity(gql: GraphQLClient) -> None:
    from models.chat import ConversationStatus

    subject = await make_profile(gql, visibility="EMPLOYERS", anonymous=True, full=True)
    employer = await make_employer(gql)
    await accept_contact(subject, employer, status=ConversationStatus.REQUESTED)
    node = (await gql.execute(BY_NODE, {"id": subject.profile_id}, token=employer.token))["node"]
    assert node == _expected(subject, "anonymous") | {"displayName": None}
