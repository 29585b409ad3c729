"""Sign-up, sign-in, tokens and the viewer, over HTTP and WebSocket."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from models.accounts import AuthToken, Company, LoginAttempt, User
from models.profiles import Profile
from tests.factories.accounts import PASSWORD, SIGN_UP, make_candidate, make_employer
from tests.graphql import LEGACY_WS, TRANSPORT_WS, GraphQLClient

LOG_IN = """
mutation LogIn($input: LogInInput!) {
  logIn(input: $input) { token viewer { id email } userErrors { code field message } }
}
"""
LOG_OUT = "mutation LogOut($input: LogOutInput) { logOut(input: $input) { revokedTokens userErrors { code } } }"
VIEWER = "{ viewer { id displayName email role company { name verified domain invitationCode } } }"


async def test_candidate_sign_up_creates_user_profile_and_token(gql: GraphQLClient) -> None:
    # given / when
    payload = await gql.mutate(
        SIGN_UP,
        {"email": "  Ada.Lovelace@Example.COM ", "password": PASSWORD, "displayName": "Ada Lovelace", "role": "CANDIDATE"},
    )
    # then
    assert payload["token"].startswith("ofw_")
    user = await User.get(email="ada.lovelace@example.com")
    profile = await Profile.get(user=user)
    assert profile.handle.startswith("ada-lovelace-")
    assert profile.visibility.value == "HIDDEN"
    token_row = await AuthToken.get(user=user)
    assert payload["token"] not in token_row.token_hash  # only a digest is stored
    data = await gql.execute(VIEWER, token=payload["token"])
    assert data["viewer"]["email"] == "ada.lovelace@example.com"
    assert data["viewer"]["role"] == "CANDIDATE"
    assert data["viewer"]["company"] is None


async def test_employer_creates_company_and_colleague_joins_by_invitation(gql: GraphQLClient) -> None:
    # given
    boss = await make_employer(gql, email="boss@acme.io", company_name="Acme")
    # when
    colleague = await make_employer(gql, email="dev@acme.io", invitation_code=boss.invitation_code)
    # then
    assert colleague.company_id == boss.company_id
    data = await gql.execute(VIEWER, token=colleague.token)
    # (the invitation code is shown to the company's admins only: the boss, not the colleague)
    assert data["viewer"]["company"] == {
        "name": "Acme", "verified": True, "domain": "acme.io", "invitationCode": None,
    }
    boss_view = await gql.execute(VIEWER, token=boss.token)
    assert boss_view["viewer"]["company"]["invitationCode"] == boss.invitation_code
    assert await Company.all().count() == 1


async def test_free_mail_employer_company_is_not_verified(gql: GraphQLClient) -> None:
    employer = await make_employer(gql, email="someone@gmail.com", company_name="Garage Inc")
    data = await gql.execute(VIEWER, token=employer.token)
    assert data["viewer"]["company"]["verified"] is False
    assert data["viewer"]["company"]["domain"] is None


@pytest.mark.parametrize(
    ("input_", "code", "field"),
    [
        ({"email": "not-an-email"}, "INVALID_EMAIL", ["input", "email"]),
        ({"email": "a@" + "x" * 300 + ".com"}, "TOO_LONG", ["input", "email"]),
        ({"email": ""}, "INVALID_EMAIL", ["input", "email"]),
        ({"password": "short"}, "WEAK_PASSWORD", ["input", "password"]),
        ({"password": "p" * 1_048_576}, "TOO_LONG", ["input", "password"]),
        ({"displayName": ""}, "REQUIRED", ["input", "displayName"]),
        ({"displayName": "n" * 101}, "TOO_LONG", ["input", "displayName"]),
        ({"role": "EMPLOYER", "companyName": ""}, "REQUIRED", ["input", "companyName"]),
        ({"role": "EMPLOYER", "invitationCode": "nope"}, "INVALID_INVITATION", ["input", "invitationCode"]),
        ({"role": "EMPLOYER", "companyName": "X", "companyWebsite": "javascript:alert(1)"}, "INVALID_URL", ["input", "companyWebsite"]),
        ({"companyName": "Acme"}, "INVALID", ["input", "role"]),
    ],
)
async def test_sign_up_rejects_bad_input_and_changes_nothing(
    gql: GraphQLClient, input_: dict[str, object], code: str, field: list[str]
) -> None:
    # given
    base = {"email": "new@example.org", "password": PASSWORD, "displayName": "New", "role": "CANDIDATE"}
    # when
    payload = await gql.mutate(SIGN_UP, {**base, **input_}, ok=False)
    # then
    assert payload["token"] is None and payload["viewer"] is None
    assert {"code": code, "field": field} in [{"code": e["code"], "field": e["field"]} for e in payload["userErrors"]]
    assert await User.all().count() == 0
    assert await Company.all().count() == 0


async def test_sign_up_with_wrong_types_is_a_validation_error(gql: GraphQLClient) -> None:
    result = await gql.post(SIGN_UP, {"input": {"email": 42, "password": None, "displayName": "x", "role": "KING"}})
    assert result.data is None
    assert result.codes and set(result.codes) == {"GRAPHQL_VALIDATION_FAILED"}
    assert await User.all().count() == 0


async def test_email_is_unique_case_insensitively(gql: GraphQLClient) -> None:
    await make_candidate(gql, email="taken@example.org")
    payload = await gql.mutate(
        SIGN_UP,
        {"email": "TAKEN@example.org", "password": PASSWORD, "displayName": "Two", "role": "CANDIDATE"},
        ok=False,
    )
    assert [e["code"] for e in payload["userErrors"]] == ["EMAIL_TAKEN"]
    assert await User.all().count() == 1


async def test_log_in_and_failures_do_not_reveal_the_email(gql: GraphQLClient) -> None:
    # given
    candidate = await make_candidate(gql, email="known@example.org")
    # when
    good = await gql.mutate(LOG_IN, {"email": "KNOWN@example.org", "password": PASSWORD})
    wrong_password = await gql.mutate(LOG_IN, {"email": "known@example.org", "password": "wrong password"}, ok=False)
    unknown_email = await gql.mutate(LOG_IN, {"email": "nobody@example.org", "password": PASSWORD}, ok=False)
    # then
    assert good["viewer"]["id"] == candidate.id and good["token"] != candidate.token
    assert wrong_password["userErrors"] == unknown_email["userErrors"]
    assert wrong_password["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    assert wrong_password["token"] is None


async def test_failed_log_ins_are_rate_limited_per_email(gql: GraphQLClient, settings) -> None:
    await make_candidate(gql, email="victim@example.org")
    for _ in range(settings.login_attempts_per_window):
        await gql.mutate(LOG_IN, {"email": "victim@example.org", "password": "guess guess"}, ok=False)
    # even the right password is refused while the limit holds
    result = await gql.post(LOG_IN, {"input": {"email": "victim@example.org", "password": PASSWORD}})
    assert result.codes == ["RATE_LIMITED"]
    assert await LoginAttempt.filter(email="victim@example.org").count() == settings.login_attempts_per_window


async def test_failed_log_ins_are_rate_limited_per_client_address(gql: GraphQLClient, settings) -> None:
    for i in range(settings.login_attempts_per_window):
        await gql.mutate(LOG_IN, {"email": f"guess{i}@example.org", "password": "guess guess"}, ok=False)
    result = await gql.post(LOG_IN, {"input": {"email": "fresh@example.org", "password": "whatever1234"}})
    assert result.codes == ["RATE_LIMITED"]


async def test_log_out_revokes_the_token(gql: GraphQLClient) -> None:
    candidate = await make_candidate(gql)
    other_session = (await gql.mutate(LOG_IN, {"email": candidate.email, "password": PASSWORD}))["token"]
    payload = await gql.mutate(LOG_OUT, None, token=candidate.token)  # type: ignore[arg-type]
    assert payload["revokedTokens"] == 1
    result = await gql.post(VIEWER, token=candidate.token)
    assert result.codes == ["UNAUTHENTICATED"]
    # the other session still works
    assert (await gql.execute(VIEWER, token=other_session))["viewer"]["id"] == candidate.id


async def test_log_out_everywhere_revokes_all_tokens(gql: GraphQLClient) -> None:
    candidate = await make_candidate(gql)
    second = (await gql.mutate(LOG_IN, {"email": candidate.email, "password": PASSWORD}))["token"]
    payload = await gql.mutate(LOG_OUT, {"everywhere": True}, token=candidate.token)
    assert payload["revokedTokens"] == 2
    assert (await gql.post(VIEWER, token=second)).codes == ["UNAUTHENTICATED"]


async def test_log_out_without_token_is_unauthenticated(gql: GraphQLClient) -> None:
    result = await gql.post(LOG_OUT)
    assert result.codes == ["UNAUTHENTICATED"]


async def test_expired_token_is_unauthenticated(gql: GraphQLClient) -> None:
    candidate = await make_candidate(gql)
    await AuthToken.all().update(expires_at=datetime.now(timezone.utc) - timedelta(seconds=1))
    result = await gql.post(VIEWER, token=candidate.token)
    assert result.codes == ["UNAUTHENTICATED"]
    assert result.data == {"viewer": None}


async def test_viewer_is_null_without_a_token(gql: GraphQLClient) -> None:
    assert await gql.execute(VIEWER) == {"viewer": None}


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Bearer ofw_not-a-real-token", "Bearer " + "x" * 5000])
async def test_malformed_authorization_headers_are_unauthenticated(gql: GraphQLClient, header: str) -> None:
    result = await gql.post(VIEWER, headers={"Authorization": header})
    assert result.status_code == 200
    assert result.codes == ["UNAUTHENTICATED"]


@pytest.mark.parametrize("protocol", [TRANSPORT_WS, LEGACY_WS])
async def test_websocket_connection_init_authenticates(gql: GraphQLClient, protocol: str) -> None:
    candidate = await make_candidate(gql)
    async with gql.websocket(token=candidate.token, protocol=protocol) as ws:
        if protocol == TRANSPORT_WS:
            op = await ws.subscribe(VIEWER)
            payload = await ws.next(op)
            assert payload["data"]["viewer"]["id"] == candidate.id


async def test_websocket_bad_token_closes_with_4403(gql: GraphQLClient) -> None:
    from httpx_ws import WebSocketDisconnect

    async with gql.websocket(init=False) as ws:
        await ws.send({"type": "connection_init", "payload": {"authorization": "Bearer ofw_bogus"}})
        with pytest.raises(WebSocketDisconnect) as closed:
            await ws.receive()
        assert closed.value.code == 4403


async def test_websocket_upgrade_header_token_works(gql: GraphQLClient) -> None:
    candidate = await make_candidate(gql)
    async with gql.websocket(init=False, headers={"Authorization": f"Bearer {candidate.token}"}) as ws:
        await ws.init({})
        op = await ws.subscribe(VIEWER)
        assert (await ws.next(op))["data"]["viewer"]["id"] == candidate.id
