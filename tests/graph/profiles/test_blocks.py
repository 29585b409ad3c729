"""Domain blocks through the real app: a block on a domain covers its subdomains on every
path that reaches a candidate (search, ``profile``, ``node``, ``startConversation``,
chat's one-statement send), in Python and in SQL, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from tests.factories.accounts import Actor, make_candidate, make_employer
from tests.factories.chat import SALARY, START, send, start_chat
from tests.graphql import GraphQLClient

UPDATE_PROFILE = """
mutation($input: UpdateMyProfileInput!) {
  updateMyProfile(input: $input) { profile { id handle } userErrors { code field message } }
}
"""
CONFIRM = "mutation { confirmAvailability { userErrors { code } } }"
BLOCK = """
mutation($input: BlockCompanyInput!) { blockCompany(input: $input) { block { id domain } userErrors { code field } } }
"""
UNBLOCK = """
mutation($input: UnblockCompanyInput!) { unblockCompany(input: $input) { userErrors { code field } } }
"""
SEARCH = """
query($query: String) { searchCandidates(query: $query, first: 50) { totalCount edges { node { profileId } } } }
"""
BY_HANDLE = "query($handle: String!) { profile(handle: $handle) { id } }"
BY_NODE = "query($id: ID!) { node(id: $id) { id } }"
SEND_MESSAGE = """
mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } userErrors { code field } } }
"""


def start_input(candidate: Actor) -> dict[str, Any]:
    return {"candidateId": candidate.id, "roleTitle": "Engineer", "salaryRange": dict(SALARY), "message": "Hi!"}


async def signed_up_candidate(gql: GraphQLClient, headline: str) -> tuple[Actor, dict[str, Any]]:
    """A bare sign-up that shows her profile to employers, as a new user does."""
    candidate = await make_candidate(gql)
    payload = await gql.mutate(
        UPDATE_PROFILE,
        {"visibility": "EMPLOYERS", "openToWork": "ACTIVELY_LOOKING", "headline": headline},
        token=candidate.token,
    )
    await gql.execute(CONFIRM, token=candidate.token)
    return candidate, payload["profile"]


async def found_by(gql: GraphQLClient, employer: Actor, profile: dict[str, Any], query: str) -> dict[str, bool]:
    """Which paths show the profile to the employer."""
    search = await gql.execute(SEARCH, {"query": query}, token=employer.token)
    by_handle = await gql.execute(BY_HANDLE, {"handle": profile["handle"]}, token=employer.token)
    by_node = await gql.execute(BY_NODE, {"id": profile["id"]}, token=employer.token)
    return {
        "search": profile["id"] in {e["node"]["profileId"] for e in search["searchCandidates"]["edges"]},
        "profile": by_handle["profile"] is not None,
        "node": by_node["node"] is not None,
    }


# --- a domain block covers its subdomains --------------------------------------------------


async def test_a_domain_block_covers_a_new_company_on_a_subdomain(gql: GraphQLClient) -> None:
    # given: a new candidate blocks her employer's domain, as a new user does
    candidate, profile = await signed_up_candidate(gql, "Quietly looking zebrafish engineer")
    await gql.mutate(BLOCK, {"domain": "acme.com"}, token=candidate.token)
    # when: the employer signs up again as new, verified companies on subdomains (the
    # deeper one first: a verified jobs.acme.com would own eu.jobs.acme.com, and a later
    # sign-up there would ask to join it instead of making a company)
    deeper = await make_employer(gql, email="hr@eu.jobs.acme.com", company_name="Acme EU")
    subsidiary = await make_employer(gql, email="talent@jobs.acme.com", company_name="Acme Careers")
    lookalike = await make_employer(gql, email="hr@notacme.com", company_name="Not Acme")
    suffixed = await make_employer(gql, email="hr@acme.com.example", company_name="Acme Example")
    # then: the subdomains see nothing and cannot contact her; other domains are unaffected
    nothing = {"search": False, "profile": False, "node": False}
    everything = {"search": True, "profile": True, "node": True}
    assert await found_by(gql, subsidiary, profile, "zebrafish") == nothing
    assert await found_by(gql, deeper, profile, "zebrafish") == nothing
    assert await found_by(gql, lookalike, profile, "zebrafish") == everything
    assert await found_by(gql, suffixed, profile, "zebrafish") == everything
    for employer in (subsidiary, deeper):
        refused = await gql.mutate(START, start_input(candidate), token=employer.token, ok=False)
        assert [e["code"] for e in refused["userErrors"]] == ["NOT_FOUND"]
    await gql.mutate(START, start_input(candidate), token=lookalike.token)


async def test_a_domain_block_covers_subdomains_in_the_one_statement_send(gql: GraphQLClient) -> None:
    # given: a subdomain company in an accepted conversation
    employer = await make_employer(gql, email="hr@berlin.globex.io", company_name="Globex Berlin")
    chat = await start_chat(gql, employer=employer, accept=True)
    await send(gql, chat.employer, chat.conversation_id, "before")
    # when: the candidate blocks the parent domain
    await gql.mutate(BLOCK, {"domain": "globex.io"}, token=chat.candidate.token)
    # then
    refused = await gql.mutate(
        SEND_MESSAGE, {"conversationId": chat.conversation_id, "body": "after"}, token=employer.token, ok=False
    )
    assert [e["code"] for e in refused["userErrors"]] == ["NOT_FOUND"]


async def test_unblocking_the_domain_gives_the_subdomain_access_back(gql: GraphQLClient) -> None:
    # given
    candidate, profile = await signed_up_candidate(gql, "Returning quokka specialist")
    await gql.mutate(BLOCK, {"domain": "initech.dev"}, token=candidate.token)
    employer = await make_employer(gql, email="hr@jobs.initech.dev")
    assert await found_by(gql, employer, profile, "quokka") == {"search": False, "profile": False, "node": False}
    # when
    await gql.mutate(UNBLOCK, {"domain": "initech.dev"}, token=candidate.token)
    # then
    assert await found_by(gql, employer, profile, "quokka") == {"search": True, "profile": True, "node": True}

