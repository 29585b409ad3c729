"""The per-process session cache (``resolvers/accounts/sessions.py``) through the real app
on the memory broker: a repeated token costs no session query, and whatever revokes a
token or changes a viewer's rights is seen by the very next request."""

from __future__ import annotations

from typing import Any

from tests.factories.accounts import PASSWORD, make_candidate, make_employer
from tests.graph.profiles.test_profiles_page import count_statements
from tests.graphql import GraphQLClient

VIEWER_ID = "{ viewer { id } }"
ROLE = "{ viewer { companyRole } }"
LOG_IN = "mutation($input: LogInInput!) { logIn(input: $input) { token userErrors { code } } }"
LOG_OUT = "mutation($input: LogOutInput) { logOut(input: $input) { revokedTokens userErrors { code } } }"
SET_ROLE = "mutation($input: SetMemberRoleInput!) { setMemberRole(input: $input) { member { companyRole } userErrors { code } } }"
ROTATE = "mutation { rotateInvitationCode { company { invitationCode } userErrors { code } } }"


def session_reads(statements: list[str]) -> list[str]:
    return [sql for sql in statements if "auth_token" in sql]


async def test_a_cached_token_is_answered_without_a_session_query(gql: GraphQLClient, app: Any) -> None:
    # given: a candidate who signed up through the API
    candidate = await make_candidate(gql)
    # when: she asks for her id twice
    with count_statements() as first:
        await gql.execute(VIEWER_ID, token=candidate.token)
    with count_statements() as second:
        again = await gql.execute(VIEWER_ID, token=candidate.token)
    # then: the first request read her token; the second did not (the background jobs'
    # own statements may run meanwhile: only the token's table is counted)
    assert len(session_reads(first)) == 1
    assert session_reads(second) == [] and again == {"viewer": {"id": candidate.id}}
    assert len(app.state.graphql_app.sessions) == 1


async def test_no_cache_when_it_is_switched_off(gql: GraphQLClient, app: Any) -> None:
    # given: SESSION_CACHE_SECONDS=0
    app.state.graphql_app.sessions.seconds = 0
    candidate = await make_candidate(gql)
    # then: every request reads the token
    for _ in range(2):
        with count_statements() as seen:
            await gql.execute(VIEWER_ID, token=candidate.token)
        assert len(session_reads(seen)) == 1
    assert len(app.state.graphql_app.sessions) == 0


async def test_a_token_signed_out_elsewhere_is_refused_on_the_next_request(gql: GraphQLClient) -> None:
    # given: a candidate signed in twice, the first token answered from the cache
    candidate = await make_candidate(gql)
    login = await gql.mutate(LOG_IN, {"email": candidate.email, "password": PASSWORD})
    for _ in range(2):
        await gql.execute(VIEWER_ID, token=candidate.token)
    # when: she signs out everywhere with the second token
    await gql.execute(LOG_OUT, {"input": {"everywhere": True}}, token=login["token"])
    # then: the first token is refused at once, then the second
    assert (await gql.post(VIEWER_ID, token=candidate.token)).codes == ["UNAUTHENTICATED"]
    assert (await gql.post(VIEWER_ID, token=login["token"])).codes == ["UNAUTHENTICATED"]


async def test_a_signed_out_token_is_refused_on_the_next_request(gql: GraphQLClient) -> None:
    candidate = await make_candidate(gql)
    await gql.execute(VIEWER_ID, token=candidate.token)
    await gql.execute(LOG_OUT, token=candidate.token)
    assert (await gql.post(VIEWER_ID, token=candidate.token)).codes == ["UNAUTHENTICATED"]


async def test_a_role_change_reaches_a_cached_member_at_once(gql: GraphQLClient) -> None:
    # given: an admin and a member whose session is cached
    admin = await make_employer(gql, email="boss@cache.test", company_name="Cache")
    member = await make_employer(gql, email="dev@cache.test", invitation_code=admin.invitation_code)
    for _ in range(2):
        assert (await gql.execute(ROLE, token=member.token))["viewer"]["companyRole"] == "MEMBER"
    # when: the admin promotes her
    await gql.mutate(SET_ROLE, {"userId": member.id, "role": "ADMIN"}, token=admin.token)
    # then: her very next request is an admin's
    assert (await gql.execute(ROLE, token=member.token))["viewer"]["companyRole"] == "ADMIN"
    await gql.mutate(ROTATE, {}, token=member.token)
    # when: she is demoted again
    await gql.mutate(SET_ROLE, {"userId": member.id, "role": "MEMBER"}, token=admin.token)
    # then: at once she may no longer act as an admin
    assert (await gql.post(ROTATE, token=member.token)).codes == ["FORBIDDEN"]
