"""Sign up, log in, viewer over HTTP and WebSocket, log out (../operations/accounts.graphql)."""

from __future__ import annotations

import asyncio
import os
import re
import time
from email import message_from_bytes, policy
from pathlib import Path

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    OperationDefinitionNode,
    parse,
    print_ast,
    visit,
)
from graphql.language import Node, Visitor

from openforwork_client import (
    ConfirmEmailInput,
    GraphQLClientGraphQLMultiError,
    LogInInput,
    Role,
    SignUpInput,
    UserErrorCode,
    Viewer,
)
from world import PASSWORD, Account, Steps, World, check, need, no_user_errors

OPERATIONS = Path(__file__).resolve().parent.parent.parent / "operations"
steps = Steps()


class FragmentSpreads(Visitor):
    """Collects the names of the fragments one definition spreads."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> None:
        self.names.append(node.name.value)


def operation_document(name: str) -> str:
    """One operation from ../operations with the fragments it spreads, as text
    (ariadne-codegen sends queries over HTTP; this sends one over the WebSocket)."""
    definitions = [d for path in sorted(OPERATIONS.glob("*.graphql")) for d in parse(path.read_text()).definitions]
    fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
    operation = next(d for d in definitions if isinstance(d, OperationDefinitionNode) and d.name and d.name.value == name)
    needed: dict[str, FragmentDefinitionNode] = {}
    pending: list[Node] = [operation]
    while pending:
        spreads = FragmentSpreads()
        visit(pending.pop(), spreads)
        for spread in spreads.names:
            if spread not in needed:
                needed[spread] = fragments[spread]
                pending.append(fragments[spread])
    return print_ast(DocumentNode(definitions=(operation, *needed.values())))


def code_in_folder(folder: Path, email: str) -> str | None:
    """The newest confirmation code mailed to ``email`` among the ``.eml`` files in ``folder``."""
    for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True):
        mail = message_from_bytes(path.read_bytes(), policy=policy.default)
        body = mail.get_body(("plain",))
        found = re.search(r"confirmation code is (\d{6})", body.get_content() if body is not None else "")
        if str(mail["To"]).lower() == email.lower() and found:
            return found.group(1)
    return None


async def mailed_code(email: str, wait_seconds: float = 20.0) -> str:
    """The confirmation code mailed to ``email``, read as a newcomer reads it: from the mail.
    The test server writes its mail as ``.eml`` files into ``$MAIL_DIR``."""
    folder = Path(os.environ["MAIL_DIR"])
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        code = code_in_folder(folder, email)
        if code is not None:
            return code
        await asyncio.sleep(0.1)
    raise AssertionError(f"no confirmation code mailed to {email} in {folder}")


async def sign_up(world: World, role: Role, company_name: str | None = None, label: str | None = None) -> Account:
    """Signs up ``py-<label>-<run id>@example.com`` (label: the role in lower case by default);
    an employer at ``acme-<run id>.test``, the company's own domain, which confirming verifies."""
    domain = f"acme-{world.run_id}.test" if role == Role.EMPLOYER else "example.com"
    email = f"py-{label or role.value.lower()}-{world.run_id}@{domain}"
    async with world.client() as client:
        result = (
            await client.sign_up(
                SignUpInput(email=email, password=PASSWORD, displayName=f"Py {role.value.lower()}", role=role, companyName=company_name)
            )
        ).sign_up
    no_user_errors(result.user_errors)
    check(result.viewer and result.viewer.role == role and result.token, f"signUp: {result}")
    assert result.viewer and result.token
    account = Account(id=result.viewer.id, email=email, token=result.token)
    # An employer searches and contacts only once the email is confirmed: read the code.
    async with world.client(account.token) as client:
        confirmed = (await client.confirm_email(ConfirmEmailInput(code=await mailed_code(email)))).confirm_email
    no_user_errors(confirmed.user_errors)
    return account


@steps("signUp candidate")
async def sign_up_candidate(world: World) -> str:
    world.candidate = await sign_up(world, Role.CANDIDATE)
    return world.candidate.email


@steps("signUp employer")
async def sign_up_employer(world: World) -> str:
    world.employer = await sign_up(world, Role.EMPLOYER, company_name=f"Acme {world.run_id}")
    async with world.client(world.employer.token) as client:
        viewer = (await client.viewer()).viewer
    check(viewer and viewer.company, f"employer without company: {viewer}")
    assert viewer and viewer.company
    return f"company {viewer.company.name}"


async def log_in(world: World, account: Account) -> None:
    """Signs in again (the email is case-insensitive) and keeps the new token on the account."""
    async with world.client() as client:
        result = (await client.log_in(LogInInput(email=account.email.upper(), password=PASSWORD))).log_in
    no_user_errors(result.user_errors)
    check(result.viewer and result.viewer.id == account.id, f"logIn: {result}")
    account.token = need(result.token, "logIn.token")


@steps("logIn")
async def log_in_candidate(world: World) -> str:
    await log_in(world, need(world.candidate, "candidate"))
    return "new token"


@steps("logIn with a wrong password")
async def log_in_wrong_password(world: World) -> str:
    assert world.candidate
    async with world.client() as client:
        result = (await client.log_in(LogInInput(email=world.candidate.email, password="not the password"))).log_in
    codes = [error.code for error in result.user_errors]
    check(result.token is None and UserErrorCode.INVALID_CREDENTIALS in codes, f"logIn: {result}")
    return ",".join(code.value for code in codes)


@steps("viewer over HTTP")
async def viewer_over_http(world: World) -> str:
    assert world.candidate
    async with world.client(world.candidate.token) as client:
        viewer = (await client.viewer()).viewer
    check(viewer and viewer.id == world.candidate.id and viewer.email == world.candidate.email, f"viewer: {viewer}")
    async with world.client() as anonymous:
        check((await anonymous.viewer()).viewer is None, "viewer without a token is not null")
    return world.candidate.id


@steps("viewer over WebSocket (graphql-transport-ws)")
async def viewer_over_websocket(world: World) -> str:
    assert world.candidate
    async with world.client(world.candidate.token) as client:
        results = [Viewer.model_validate(data) async for data in client.execute_ws(operation_document("Viewer"), "Viewer")]
    check(len(results) == 1 and results[0].viewer and results[0].viewer.id == world.candidate.id, f"ws: {results}")
    return world.candidate.id


@steps("logOut revokes the token")
async def log_out(world: World) -> str:
    assert world.candidate
    async with world.client(world.candidate.token) as client:
        result = (await client.log_out()).log_out
        check(not result.user_errors and result.revoked_tokens == 1, f"logOut: {result}")
        try:
            await client.viewer()
        except GraphQLClientGraphQLMultiError as exc:
            codes = [(error.extensions or {}).get("code") for error in exc.errors]
            check(codes == ["UNAUTHENTICATED"], f"codes {codes}")
            return "UNAUTHENTICATED afterwards"
    raise AssertionError("a revoked token still works")
