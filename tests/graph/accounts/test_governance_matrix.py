"""The authorization matrix's rows for the roles inside a company (the main matrix,
tests/graph/test_authorization_matrix.py, has every company as its admin):

- ``unconfirmed``: an employer who created a company and has not confirmed the email
- ``member``: a MEMBER of the company (confirmed)
- ``admin``: its ADMIN (confirmed)

Each acts on the company's member (``target``) or its pending join request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories.accounts import PASSWORD, SIGN_UP, Actor, confirm_email, make_employer
from tests.factories.chat import START, make_reachable_candidate, start_input
from tests.graphql import GraphQLClient

ROLES = ("unconfirmed", "member", "admin")


@pytest.fixture
def backend() -> str:
    return "sqlite"


@dataclass
class World:
    tokens: dict[str, str]
    ids: dict[str, str]


async def build(gql: GraphQLClient) -> World:
    admin = await make_employer(gql, email="boss@matrix.test", company_name="Matrix")
    member = await make_employer(gql, email="dev@matrix.test", invitation_code=admin.invitation_code)
    target = await make_employer(gql, email="ops@matrix.test", invitation_code=admin.invitation_code)
    unconfirmed: Actor = await make_employer(gql, email="new@elsewhere.test", company_name="Elsewhere", confirm=False)
    asking = await gql.mutate(SIGN_UP, {"email": "ask@matrix.test", "password": PASSWORD, "displayName": "Ask",
                                        "role": "EMPLOYER", "companyName": "Matrix"})
    await confirm_email(gql, asking["token"], "ask@matrix.test")
    join = await gql.execute("query { viewer { joinRequest { id } } }", token=asking["token"])
    candidate = await make_reachable_candidate(gql)
    return World(
        tokens={"unconfirmed": unconfirmed.token, "member": member.token, "admin": admin.token},
        ids={"target": target.id, "join": join["viewer"]["joinRequest"]["id"], "candidate": candidate.id},
    )


CASES: dict[str, tuple[str, Any, dict[str, str]]] = {
    "companyMembers": ("{ companyMembers { totalCount } }", None, {"unconfirmed": "data", "member": "data", "admin": "data"}),
    "joinRequests": ("{ joinRequests { totalCount } }", None, {"unconfirmed": "data", "member": "FORBIDDEN", "admin": "data"}),
    "setMemberRole": ("mutation($input: SetMemberRoleInput!) { setMemberRole(input: $input) { userErrors { code } } }",
                      lambda w: {"userId": w.ids["target"], "role": "ADMIN"},
                      {"unconfirmed": "userError:NOT_FOUND", "member": "FORBIDDEN", "admin": "ok"}),
    "removeMember": ("mutation($input: RemoveMemberInput!) { removeMember(input: $input) { userErrors { code } } }",
                     lambda w: {"userId": w.ids["target"]},
                     {"unconfirmed": "userError:NOT_FOUND", "member": "FORBIDDEN", "admin": "ok"}),
    "acceptJoinRequest": ("mutation($input: JoinRequestInput!) { acceptJoinRequest(input: $input) { userErrors { code } } }",
                          lambda w: {"joinRequestId": w.ids["join"]},
                          {"unconfirmed": "userError:NOT_FOUND", "member": "FORBIDDEN", "admin": "ok"}),
    "refuseJoinRequest": ("mutation($input: JoinRequestInput!) { refuseJoinRequest(input: $input) { userErrors { code } } }",
                          lambda w: {"joinRequestId": w.ids["join"]},
                          {"unconfirmed": "userError:NOT_FOUND", "member": "FORBIDDEN", "admin": "ok"}),
    "rotateInvitationCode": ("mutation { rotateInvitationCode { userErrors { code } } }", None,
                             {"unconfirmed": "ok", "member": "FORBIDDEN", "admin": "ok"}),
    "updateCompanySettings": ("mutation($input: UpdateCompanySettingsInput!) { updateCompanySettings(input: $input) { userErrors { code } } }",
                              lambda w: {"includesSubdomains": True},
                              {"unconfirmed": "ok", "member": "FORBIDDEN", "admin": "ok"}),
    "leaveCompany": ("mutation { leaveCompany { userErrors { code } } }", None,
                     {"unconfirmed": "userError:LAST_ADMIN", "member": "ok", "admin": "userError:LAST_ADMIN"}),
    "searchCandidates": ("{ searchCandidates { totalCount } }", None,
                         {"unconfirmed": "FORBIDDEN", "member": "data", "admin": "data"}),
    "startConversation": (START, lambda w: start_input_for(w),
                          {"unconfirmed": "userError:EMAIL_NOT_CONFIRMED", "member": "ok", "admin": "userError:ALREADY_IN_CONVERSATION"}),
}


def start_input_for(world: World) -> dict[str, Any]:
    return start_input(Actor(token="", id=world.ids["candidate"], email="", display_name=""))


def outcome(data: dict[str, Any] | None, errors: list[dict[str, Any]], field: str) -> str:
    if errors:
        return str(errors[0].get("extensions", {}).get("code"))
    value = (data or {}).get(field)
    if isinstance(value, dict) and "userErrors" in value:
        return f"userError:{value['userErrors'][0]['code']}" if value["userErrors"] else "ok"
    return "null" if value is None else "data"


@pytest.mark.parametrize("field", sorted(CASES))
async def test_governance_matrix(gql: GraphQLClient, field: str) -> None:
    document, variables, expected = CASES[field]
    world = await build(gql)
    observed = {}
    for role in ROLES:  # the admin last: it may change what the others saw
        result = await gql.post(document, {"input": variables(world)} if variables else None, token=world.tokens[role])
        observed[role] = outcome(result.data, result.errors, field)
    assert observed == expected
