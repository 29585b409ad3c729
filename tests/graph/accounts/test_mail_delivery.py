"""Issue 14, Build 1, through the app as a newcomer runs it: with the default
``EMAIL_URL=log://`` the confirmation code is in the log and confirms the email; with an
SMTP server that does not answer, sign-up still answers at once (the mail waits in the
outbox and is retried later, never inside the request)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

import pytest

from graph.settings import Settings
from models.mail import OutboxMail
from tests.conftest import base_settings
from tests.factories.accounts import CONFIRM_EMAIL, PASSWORD, SIGN_UP
from tests.graphql import GraphQLClient
from tests.mailbox import code_in
from tests.scaleout.servers import free_port


async def until(condition: Callable[[], Awaitable[bool]], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not await condition():
        assert time.monotonic() < deadline, "the in-process mail sender did not get to the mail"
        await asyncio.sleep(0.05)


class TestLogTransport:
    @pytest.fixture
    def settings(self, database_url: str) -> Settings:
        return base_settings(database_url, email_url="log://")

    async def test_the_code_is_read_from_the_log_and_confirms(
        self, gql: GraphQLClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.INFO, logger="openforwork.mail")
        # given: a newcomer signs up
        signed_up = await gql.mutate(SIGN_UP, {
            "email": "grace@acme.test", "password": PASSWORD, "displayName": "Grace", "role": "EMPLOYER",
            "companyName": "Acme",
        })

        async def logged() -> bool:
            return any("grace@acme.test" in r.getMessage() and code_in(r.getMessage()) for r in caplog.records)

        # when: the mail leaves (into the log)
        await until(logged)
        code = next(code_in(r.getMessage()) for r in caplog.records if code_in(r.getMessage()))
        # then: the code from the log confirms the email
        confirmed = await gql.mutate(CONFIRM_EMAIL, {"code": code}, token=signed_up["token"])
        assert confirmed["viewer"]["emailConfirmed"] is True
        assert (await OutboxMail.get(kind="confirm_email")).sent_at is not None


class TestUnreachableSmtp:
    @pytest.fixture
    def settings(self, database_url: str) -> Settings:
        # Nothing listens on this port: every send fails with "connection refused".
        return base_settings(database_url, email_url=f"smtp://127.0.0.1:{free_port()}")

    async def test_sign_up_answers_and_the_mail_waits_for_a_retry(self, gql: GraphQLClient) -> None:
        # when: someone signs up while the mail server is down
        signed_up = await gql.mutate(SIGN_UP, {
            "email": "ada@acme.test", "password": PASSWORD, "displayName": "Ada", "role": "CANDIDATE",
        })
        # then: the request answered with a token; the mail is in the outbox
        assert signed_up["token"]
        mail = await OutboxMail.get(kind="confirm_email", to_address="ada@acme.test")

        async def tried() -> bool:
            row = await OutboxMail.get(id=mail.pk)
            return row.last_error is not None and row.claimed_by is None

        # and: the sender tried it, failed, and put it off for a later try (not failed for good)
        await until(tried)
        after = await OutboxMail.get(id=mail.pk)
        assert after.sent_at is None and after.failed_at is None and after.last_error
        assert after.attempts == 1 and after.send_after > mail.send_after
