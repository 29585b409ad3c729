"""Company governance: roles, the last admin, the invitation code, settings, and the new
personal data in exportMyData / deleteMyAccount."""

from __future__ import annotations

import asyncio
import json

from models.accounts import CompanyRole, EmailConfirmation, JoinRequest, User
from tests.factories.accounts import PASSWORD, SIGN_UP, confirm_email, make_employer
from tests.factories.chat import pk
from tests.graphql import GraphQLClient

SET_ROLE = "mutation($input: SetMemberRoleInput!) { setMemberRole(input: $input) { member { companyRole } userErrors { code } } }"
LEAVE = "mutation { leaveCompany { left userErrors { code } } }"
ROTATE = "mutation { rotateInvitationCode { company { invitationCode } userErrors { code } } }"
SETTINGS = "mutation($input: UpdateCompanySettingsInput!) { updateCompanySettings(input: $input) { company { autoAcceptDomainMembers } userErrors { code } } }"
CODE = "query { viewer { company { invitationCode } } }"
VIEWER = "query { viewer { companyRole company { name } joinRequest { id } } }"
EXPORT = "query { exportMyData }"
DELETE = "mutation { deleteMyAccount(input: {confirm: true}) { userErrors { code } } }"


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def test_a_company_always_keeps_an_admin(gql: GraphQLClient) -> None:
    # given: an admin and a member
    admin = await make_employer(gql, email="boss@keeps.test", company_name="Keeps")
    member = await make_employer(gql, email="dev@keeps.test", invitation_code=admin.invitation_code)
    # then: the last admin can neither leave nor demote themself; a member cannot change roles
    assert codes(await gql.mutate(LEAVE, {}, token=admin.token, ok=False)) == ["LAST_ADMIN"]
    assert codes(await gql.mutate(SET_ROLE, {"userId": admin.id, "role": "MEMBER"}, token=admin.token, ok=False)) == ["LAST_ADMIN"]
    assert (await gql.post(SET_ROLE, {"input": {"userId": member.id, "role": "ADMIN"}}, token=member.token)).codes == ["FORBIDDEN"]
    # when: two admins demote each other at once
    await gql.mutate(SET_ROLE, {"userId": member.id, "role": "ADMIN"}, token=admin.token)
    async def demote(user_id: str, token: str) -> tuple[str, ...]:
        response = await gql.post(SET_ROLE, {"input": {"userId": user_id, "role": "MEMBER"}}, token=token)
        return tuple(response.codes) if response.errors else tuple(codes(response.data["setMemberRole"]))

    results = await asyncio.gather(demote(member.id, admin.token), demote(admin.id, member.token))
    # then: exactly one wins. The other is refused as the last admin, or, when the winner's
    # demotion committed before the loser's request was authorized, as no longer an admin.
    assert sorted(results) in ([(), ("LAST_ADMIN",)], [(), ("FORBIDDEN",)])
    assert await User.filter(company_id=pk(admin.company_id or ""), company_role=CompanyRole.ADMIN).count() == 1


async def test_only_admins_see_and_rotate_the_invitation_code(gql: GraphQLClient) -> None:
    admin = await make_employer(gql, email="boss@codes.test", company_name="Codes")
    member = await make_employer(gql, email="dev@codes.test", invitation_code=admin.invitation_code)
    assert (await gql.execute(CODE, token=member.token))["viewer"]["company"]["invitationCode"] is None
    assert (await gql.post(ROTATE, token=member.token)).codes == ["FORBIDDEN"]
    # when
    rotated = (await gql.mutate(ROTATE, {}, token=admin.token))["company"]["invitationCode"]
    # then: the old code no longer lets anyone in
    assert rotated != admin.invitation_code
    refused = await gql.mutate(SIGN_UP, {
        "email": "late@codes.test", "password": PASSWORD, "displayName": "Late", "role": "EMPLOYER",
        "invitationCode": admin.invitation_code,
    }, ok=False)
    assert codes(refused) == ["INVALID_INVITATION"]


async def test_a_member_who_leaves_loses_the_company_and_her_tokens(gql: GraphQLClient) -> None:
    admin = await make_employer(gql, email="boss@leave.test", company_name="Leave")
    member = await make_employer(gql, email="dev@leave.test", invitation_code=admin.invitation_code)
    assert (await gql.mutate(LEAVE, {}, token=member.token))["left"] is True
    assert (await gql.post(VIEWER, token=member.token)).codes == ["UNAUTHENTICATED"]
    assert (await User.get(email="dev@leave.test")).company_id is None


async def test_auto_accept_lets_confirmed_colleagues_join_at_once(gql: GraphQLClient) -> None:
    admin = await make_employer(gql, email="boss@open.test", company_name="Open")
    await gql.mutate(SETTINGS, {"autoAcceptDomainMembers": True}, token=admin.token)
    colleague = await make_employer(gql, email="dev@open.test", company_name="Open")
    me = (await gql.execute(VIEWER, token=colleague.token))["viewer"]
    assert me["companyRole"] == "MEMBER" and me["company"]["name"] == "Open" and me["joinRequest"] is None


async def test_export_and_deletion_cover_confirmations_and_join_requests(gql: GraphQLClient) -> None:
    # given: an employer with a pending join request
    await make_employer(gql, email="boss@export.test", company_name="Export")
    signed_up = await gql.mutate(SIGN_UP, {
        "email": "dev@export.test", "password": PASSWORD, "displayName": "Dev", "role": "EMPLOYER", "companyName": "Export",
    })
    token = signed_up["token"]
    await confirm_email(gql, token, "dev@export.test")
    # when
    document = json.loads(json.dumps((await gql.execute(EXPORT, token=token))["exportMyData"]))
    # then: the export has them, without the code digest
    assert document["account"]["email_confirmed_at"]
    assert [r["status"] for r in document["joinRequests"]] == ["PENDING"]
    assert document["emailConfirmations"] and "code_hash" not in document["emailConfirmations"][0]
    # when: the account is deleted, they are gone
    user_id = (await User.get(email="dev@export.test")).pk
    await gql.mutate(DELETE, {}, token=token)
    assert not await JoinRequest.filter(user_id=user_id).exists()
    assert not await EmailConfirmation.filter(user_id=user_id).exists()
