"""Typed async factories that create users through the real API (no shared rows)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from tests.graphql import GraphQLClient
from tests.mailbox import folder_code, outbox_code

_counter = itertools.count(1)

SIGN_UP = """
mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    token
    viewer { id displayName role company { id name invitationCode } }
    userErrors { code field message }
  }
}
"""

CONFIRM_EMAIL = """
mutation ConfirmEmail($input: ConfirmEmailInput!) {
  confirmEmail(input: $input) {
    viewer { id emailConfirmed company { id invitationCode verified } }
    userErrors { code field message }
  }
}
"""

PASSWORD = "correct horse battery"


async def confirmation_code(gql: GraphQLClient, email: str) -> str:
    """The code mailed to ``email``: from the outbox of an in-process app, else from the
    mail folder of the server processes (``tests/mailbox.py``)."""
    if gql.http.base_url.host == "testserver":
        return await outbox_code(email)
    return await folder_code(email)


async def confirm_email(gql: GraphQLClient, token: str, email: str) -> dict[str, object]:
    """Confirm ``email`` as a newcomer does: read the code from the mail, send it back."""
    code = await confirmation_code(gql, email)
    payload = await gql.mutate(CONFIRM_EMAIL, {"code": code}, token=token)
    return payload["viewer"]  # type: ignore[no-any-return]


@dataclass
class Actor:
    token: str
    id: str
    email: str
    display_name: str
    company_id: str | None = None
    invitation_code: str | None = None


async def make_user(
    gql: GraphQLClient,
    *,
    role: str,
    name: str | None = None,
    email: str | None = None,
    company_name: str | None = None,
    invitation_code: str | None = None,
    confirm: bool | None = None,
) -> Actor:
    """Sign up through the API. Employers also confirm their email (read from the mail,
    as a newcomer does) unless ``confirm=False``: unconfirmed employers cannot search or
    contact. Candidates confirm only with ``confirm=True``."""
    n = next(_counter)
    name = name or f"{role.title()} {n}"
    email = email or f"{role.lower()}{n}@{f'acme{n}.test' if role == 'EMPLOYER' else 'mail.test'}"
    input_: dict[str, object] = {"email": email, "password": PASSWORD, "displayName": name, "role": role}
    if role == "EMPLOYER":
        if invitation_code:
            input_["invitationCode"] = invitation_code
        else:
            input_["companyName"] = company_name or f"Company {n}"
    payload = await gql.mutate(SIGN_UP, input_)
    viewer = payload["viewer"]
    if confirm if confirm is not None else role == "EMPLOYER":
        viewer = {**viewer, **await confirm_email(gql, payload["token"], email)}
    company = viewer["company"] or {}
    return Actor(
        token=payload["token"],
        id=viewer["id"],
        email=email.lower(),
        display_name=name,
        company_id=company.get("id"),
        invitation_code=company.get("invitationCode"),
    )


async def make_candidate(gql: GraphQLClient, **kwargs: object) -> Actor:
    return await make_user(gql, role="CANDIDATE", **kwargs)  # type: ignore[arg-type]


async def make_employer(gql: GraphQLClient, **kwargs: object) -> Actor:
    return await make_user(gql, role="EMPLOYER", **kwargs)  # type: ignore[arg-type]
