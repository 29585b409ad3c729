"""The accounts roots: ``viewer``; ``signUp``, ``logIn``, ``logOut``."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from graph.context import Info
from graph.types.accounts.inputs import AuthPayload, LogInInput, LogOutInput, LogOutPayload, SignUpInput
from graph.types.accounts.types import User
from graph.types.common import mutation_payload
from resolvers import accounts as accounts_rules
from resolvers.accounts.access import Session


@strawberry.type
class AccountsQuery:
    @strawberry.field(
        description="The signed-in user, or null when no token is sent. An expired or revoked token is an UNAUTHENTICATED error."
    )
    def viewer(self, info: Info) -> User | None:
        if info.context.session is None and info.context.token_problem:
            info.context.require_viewer()
        return info.context.viewer  # type: ignore[return-value]  # a models.accounts.User row; the User type resolves from it


def _signed_in(info: Info, token: str, session: Session) -> dict[str, Any]:
    """The rest of this request runs as the new session (``viewer`` in the payload)."""
    info.context.session = session
    return {"token": token, "viewer": session.user}


@strawberry.type
class AccountsMutation:
    @strawberry.mutation(
        description="Create an account and sign in. Candidates get an empty, hidden profile with a unique handle; employers create a company (`companyName`) or join one (`invitationCode`)."
    )
    async def sign_up(
        self, info: Info, input: Annotated[SignUpInput, strawberry.argument(description="The new account.")]
    ) -> AuthPayload:
        async def run() -> dict[str, Any]:
            token, session = await accounts_rules.sign_up(
                info.context.settings,
                email=input.email,
                password=input.password,
                display_name=input.display_name,
                role=input.role,
                company_name=input.company_name,
                company_website=input.company_website,
                invitation_code=input.invitation_code,
            )
            return _signed_in(info, token, session)

        return await mutation_payload(AuthPayload, run, field=None)

    @strawberry.mutation(
        description="Sign in with email and password. A failure never says whether the email exists; repeated failures are rate limited per email and per client address (RATE_LIMITED error)."
    )
    async def log_in(
        self, info: Info, input: Annotated[LogInInput, strawberry.argument(description="Email and password.")]
    ) -> AuthPayload:
        async def run() -> dict[str, Any]:
            token, session = await accounts_rules.log_in(
                info.context.settings,
                email=input.email,
                password=input.password,
                client_address=info.context.client_address,
            )
            return _signed_in(info, token, session)

        return await mutation_payload(AuthPayload, run, field=None)

    @strawberry.mutation(
        description="Revoke the token this request was made with (and, with `everywhere`, all others). Subscriptions opened with a revoked token end."
    )
    async def log_out(
        self,
        info: Info,
        input: Annotated[
            LogOutInput | None, strawberry.argument(description="Options; omit to revoke only this token.")
        ] = None,
    ) -> LogOutPayload:
        info.context.require_viewer()
        revoked = await accounts_rules.log_out(
            info.context.broker, info.context.session, everywhere=input is not None and input.everywhere
        )
        return LogOutPayload(revoked_tokens=len(revoked), user_errors=[])
