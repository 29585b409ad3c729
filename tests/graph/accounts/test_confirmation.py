"""Email confirmation codes: mailed at sign-up in the same transaction, hashed, expiring,
a fixed number of wrong tries (also under concurrency), rate-limited resends."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta

import pytest

from graph.settings import Settings
from models.accounts import EmailConfirmation, User
from models.mail import OutboxMail
from resolvers.accounts.confirmation import MAX_WRONG_TRIES, RESEND_INTERVAL
from tests.conftest import base_settings
from tests.factories.accounts import CONFIRM_EMAIL, PASSWORD, SIGN_UP, confirmation_code
from tests.graphql import GraphQLClient
from tests.mailbox import code_in
from tests.mailserver import SmtpTestServer, smtp_server

RESEND = "mutation { resendConfirmation { sent userErrors { code message } } }"
VIEWER = "query { viewer { emailConfirmed } }"


@pytest.fixture
def smtp() -> Iterator[SmtpTestServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def settings(database_url: str, smtp: SmtpTestServer) -> Settings:
    return base_settings(database_url, email_url=smtp.url)


async def sign_up(gql: GraphQLClient, email: str, role: str = "EMPLOYER") -> str:
    extra = {"companyName": "Acme"} if role == "EMPLOYER" else {}
    payload = await gql.mutate(SIGN_UP, {"email": email, "password": PASSWORD, "displayName": "Ada", "role": role, **extra})
    return str(payload["token"])


async def confirm(gql: GraphQLClient, token: str, code: str) -> list[str]:
    payload = await gql.mutate(CONFIRM_EMAIL, {"code": code}, token=token, ok=False)
    return [e["code"] for e in payload["userErrors"]]


async def test_the_code_arrives_by_smtp_and_confirms_the_email(gql: GraphQLClient, smtp: SmtpTestServer) -> None:
    # given: a bare sign-up
    token = await sign_up(gql, "ada@acme-mail.test")
    # when: the newcomer reads the mail the SMTP server received
    mail = await smtp.wait_for(lambda m: m["To"] == "ada@acme-mail.test")
    code = code_in(mail.get_body(("plain",)).get_content())
    assert code is not None and code in mail["Subject"]
    # then: the code is stored only as a digest, and confirms once
    stored = await EmailConfirmation.get(user__email="ada@acme-mail.test")
    assert code not in stored.code_hash
    assert await confirm(gql, token, code) == []
    assert (await gql.execute(VIEWER, token=token))["viewer"]["emailConfirmed"] is True
    assert await confirm(gql, token, code) == []  # confirming twice changes nothing


async def test_wrong_codes_are_counted_and_spend_the_code_even_in_parallel(gql: GraphQLClient) -> None:
    # given
    token = await sign_up(gql, "eve@acme-mail.test")
    right = await confirmation_code(gql, "eve@acme-mail.test")
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    # when: twenty wrong guesses at once
    results = await asyncio.gather(*(confirm(gql, token, wrong) for _ in range(20)))
    # then: at most MAX_WRONG_TRIES were compared; the rest were refused as spent
    assert sum(r == ["WRONG_CONFIRMATION_CODE"] for r in results) == MAX_WRONG_TRIES
    assert sum(r == ["CONFIRMATION_EXPIRED"] for r in results) == 20 - MAX_WRONG_TRIES
    # and the right code no longer works
    assert await confirm(gql, token, right) == ["CONFIRMATION_EXPIRED"]
    assert (await User.get(email="eve@acme-mail.test")).email_confirmed_at is None


async def test_an_expired_code_is_refused(gql: GraphQLClient) -> None:
    token = await sign_up(gql, "old@acme-mail.test", role="CANDIDATE")
    code = await confirmation_code(gql, "old@acme-mail.test")
    row = await EmailConfirmation.get(user__email="old@acme-mail.test")
    await EmailConfirmation.filter(id=row.pk).update(expires_at=row.created_at - timedelta(seconds=1))
    assert await confirm(gql, token, code) == ["CONFIRMATION_EXPIRED"]


async def test_resending_is_rate_limited_and_replaces_the_code(gql: GraphQLClient) -> None:
    # given
    token = await sign_up(gql, "bob@acme-mail.test")
    first = await confirmation_code(gql, "bob@acme-mail.test")
    # then: no new code right after the sign-up's
    assert (await gql.mutate(RESEND, {}, token=token, ok=False))["userErrors"][0]["code"] == "RATE_LIMITED"
    # when: the interval has passed
    await EmailConfirmation.filter(user__email="bob@acme-mail.test").update(
        created_at=(await EmailConfirmation.get(user__email="bob@acme-mail.test")).created_at - RESEND_INTERVAL
    )
    # (parallel asks still send exactly one)
    results = await asyncio.gather(*(gql.execute(RESEND, token=token) for _ in range(5)))
    assert sum(r["resendConfirmation"]["sent"] is True for r in results) == 1
    # then: only the newest code works
    newest = await confirmation_code(gql, "bob@acme-mail.test")
    assert await OutboxMail.filter(kind="confirm_email", to_address="bob@acme-mail.test").count() == 2
    if newest != first:
        assert await confirm(gql, token, first) == ["WRONG_CONFIRMATION_CODE"]
    assert await confirm(gql, token, newest) == []
    assert (await gql.mutate(RESEND, {}, token=token, ok=False))["userErrors"][0]["code"] == "ALREADY_CONFIRMED"
