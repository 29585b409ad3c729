"""The session cache on two servers sharing PostgreSQL and a broker (Redis, then
PostgreSQL LISTEN/NOTIFY): server B answers a token from its cache; whatever server A
revokes or changes is refused or seen on B's very next request."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.factories.accounts import PASSWORD, make_employer
from tests.graphql import GraphQLClient
from tests.scaleout.servers import serve

ROLE = "{ viewer { companyRole } }"
LOG_IN = "mutation($input: LogInInput!) { logIn(input: $input) { token userErrors { code } } }"
LOG_OUT = "mutation($input: LogOutInput) { logOut(input: $input) { revokedTokens userErrors { code } } }"
SET_ROLE = "mutation($input: SetMemberRoleInput!) { setMemberRole(input: $input) { member { companyRole } userErrors { code } } }"
ROTATE = "mutation { rotateInvitationCode { company { invitationCode } userErrors { code } } }"


@pytest.mark.parametrize("broker", ["redis", "postgres"])
async def test_what_server_a_revokes_server_b_refuses_on_the_next_request(
    shared_env: dict[str, str], broker: str
) -> None:
    env = dict(shared_env, BROADCAST_URL=shared_env["DATABASE_URL"]) if broker == "postgres" else shared_env
    async with serve(env) as a, serve(env) as b:
        async with httpx.AsyncClient(base_url=a.url) as client_a, httpx.AsyncClient(base_url=b.url) as client_b:
            on_a, on_b = GraphQLClient(client_a), GraphQLClient(client_b)
            # given: an admin and a member made on A, the member's two tokens cached on B
            domain = f"{uuid.uuid4().hex[:8]}.twice.test"  # the mail folder outlives a run
            admin = await make_employer(on_a, email=f"boss@{domain}", company_name="Twice")
            member = await make_employer(on_a, email=f"dev@{domain}", invitation_code=admin.invitation_code)
            second = (await on_a.mutate(LOG_IN, {"email": member.email, "password": PASSWORD}))["token"]
            for token in (member.token, member.token, second, second):
                assert (await on_b.execute(ROLE, token=token))["viewer"]["companyRole"] == "MEMBER"
            # when: A promotes her; then: B's very next request is an admin's
            await on_a.mutate(SET_ROLE, {"userId": member.id, "role": "ADMIN"}, token=admin.token)
            assert (await on_b.execute(ROLE, token=member.token))["viewer"]["companyRole"] == "ADMIN"
            # when: A demotes her; then: B refuses her an admin's act at once
            await on_b.execute(ROLE, token=member.token)
            await on_a.mutate(SET_ROLE, {"userId": member.id, "role": "MEMBER"}, token=admin.token)
            assert (await on_b.post(ROTATE, token=member.token)).codes == ["FORBIDDEN"]
            # when: she signs out on A with one token; then: B refuses it on the next request
            await on_b.execute(ROLE, token=member.token)
            await on_a.execute(LOG_OUT, token=member.token)
            assert (await on_b.post(ROLE, token=member.token)).codes == ["UNAUTHENTICATED"]
            # and: her other token still works on B, until she signs out everywhere on A
            await on_b.execute(ROLE, token=second)
            await on_a.execute(LOG_OUT, {"input": {"everywhere": True}}, token=second)
            assert (await on_b.post(ROLE, token=second)).codes == ["UNAUTHENTICATED"]
