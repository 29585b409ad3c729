"""Who may write in a conversation is defined once (``resolvers/chat/access.py``) and
stated twice: as Python (``write_access``/``write_refusal``, the checked path and
typing) and as SQL (``writable_condition`` inside sendMessage's one-statement fast
path). Both run here over the same table of cases, on a real database (SQLite, and
PostgreSQL when TEST_POSTGRES_URL is set): the statement writes exactly when the rule
lets the writer post a plain message (allowed, in an ACCEPTED conversation), and the
rule answers what the table says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from models.accounts import User
from models.chat import Conversation, ConversationStatus
from models.profiles import Block, ContactPolicy, OpenToWork, Profile, Visibility
from resolvers.chat import write_access
from resolvers.chat.send_statement import try_send
from resolvers.errors import UserErrorCode
from tests.factories.accounts import Actor, make_employer
from tests.factories.chat import RESPOND, block_company, make_reachable_candidate, pk, start_chat
from tests.graphql import GraphQLClient

DELETE_ACCOUNT = "mutation($input: DeleteMyAccountInput!) { deleteMyAccount(input: $input) { deleted userErrors { code } } }"

OK = None
NOT_FOUND = UserErrorCode.NOT_FOUND
NOT_ACCEPTED = UserErrorCode.CONVERSATION_NOT_ACCEPTED
DECLINED = UserErrorCode.CONVERSATION_DECLINED

# conversation: (how the candidate answered, what happened then, what its candidate
# gets, what a member of its company gets)
TABLE: dict[str, tuple[str, str | None, UserErrorCode | None, UserErrorCode | None]] = {
    "requested": ("nothing", None, OK, NOT_ACCEPTED),
    "accepted": ("accept", None, OK, OK),
    "declined": ("decline", None, OK, DECLINED),
    "accepted, candidate blocks the company": ("accept", "block company", OK, NOT_FOUND),
    "requested, candidate blocks the company": ("nothing", "block company", OK, NOT_FOUND),
    "accepted, candidate blocks the company's domain": ("accept", "block jobs.acme.io", OK, NOT_FOUND),
    "accepted, candidate blocks a parent of its domain": ("accept", "block acme.io", OK, NOT_FOUND),
    "accepted, candidate blocks an unverified company's mail domain": ("accept", "block gmail.com", OK, OK),
    "accepted, candidate hired": ("accept", "hired", OK, OK),
    "accepted, profile hidden": ("accept", "hidden", OK, OK),
    "accepted, candidate deleted her account": ("accept", "delete account", NOT_FOUND, NOT_FOUND),
    "declined, candidate deleted her account": ("decline", "delete account", NOT_FOUND, DECLINED),
}
# Everyone else gets NOT_FOUND in every conversation.
OUTSIDERS = ("former employer", "deleted employer", "employer of another company", "another candidate")


@dataclass
class Case:
    conversation: str
    conversation_id: int
    writer: str
    user_id: int


async def _conversation(gql: GraphQLClient, employer: Actor, answer: str, then: str | None) -> tuple[Actor, int]:
    """A conversation of ``employer``'s company with a new candidate who gave ``answer``,
    after which ``then`` happened."""
    # Every candidate here is PUBLIC and takes contact from any company, so the unverified
    # Garage can find her and start its conversations too (EMPLOYERS-only profiles and the
    # default contact policy are for verified companies only).
    candidate = await make_reachable_candidate(gql, visibility="PUBLIC", accept_contact_from=ContactPolicy.ANY_COMPANY)
    chat = await start_chat(gql, employer, candidate, accept=answer == "accept")
    if answer == "decline":
        await gql.mutate(RESPOND, {"conversationId": chat.conversation_id, "accept": False}, token=candidate.token)
    profile = await Profile.get(user_id=pk(candidate.id))
    if then == "block company":
        await block_company(candidate, str(employer.company_id))
    elif then is not None and then.startswith("block "):
        await Block.create(profile=profile, domain=then.removeprefix("block "))
    elif then == "hired":
        await Profile.filter(id=profile.pk).update(open_to_work=OpenToWork.HIRED)
    elif then == "hidden":
        await Profile.filter(id=profile.pk).update(visibility=Visibility.HIDDEN)
    elif then == "delete account":
        await gql.mutate(DELETE_ACCOUNT, {"confirm": True}, token=candidate.token)
    return candidate, pk(chat.conversation_id)


async def _cases(gql: GraphQLClient) -> list[Case]:
    acme = await make_employer(gql, email="hr@jobs.acme.io", company_name="Acme")  # verified: jobs.acme.io
    colleague = await make_employer(gql, invitation_code=acme.invitation_code)
    leaver = await make_employer(gql, invitation_code=acme.invitation_code)
    gone = await make_employer(gql, invitation_code=acme.invitation_code)
    garage = await make_employer(gql, email="boss@gmail.com", company_name="Garage")  # unverified
    other_company = await make_employer(gql)
    other_candidate = await make_reachable_candidate(gql)
    cases: list[Case] = []
    for name, (answer, then, _, _) in TABLE.items():
        employer = garage if "unverified" in name else acme
        candidate, conversation_id = await _conversation(gql, employer, answer, then)
        members = [("employer", employer)] + ([("colleague", colleague)] if employer is acme else [])
        writers = [("its candidate", candidate), *members]
        writers += zip(OUTSIDERS, (leaver, gone, other_company, other_candidate), strict=True)
        cases += [Case(name, conversation_id, writer, pk(actor.id)) for writer, actor in writers]
    await User.filter(id=pk(leaver.id)).update(company_id=None)
    await User.filter(id=pk(gone.id)).update(deleted_at=datetime.now(timezone.utc))
    return cases


def expected(case: Case) -> UserErrorCode | None:
    _, _, candidate, member = TABLE[case.conversation]
    if case.writer == "its candidate":
        return candidate
    return member if case.writer in ("employer", "colleague") else NOT_FOUND


async def test_the_sql_fast_path_and_the_python_rule_agree_on_every_case(gql: GraphQLClient, app: object) -> None:
    # given
    cases = await _cases(gql)
    assert len(cases) == len(TABLE) * (2 + len(OUTSIDERS)) + (len(TABLE) - 1)  # a colleague in every Acme conversation
    # when: each writer asks the Python rule, then tries the fast path's statement
    answers = []
    for case in cases:
        writer = await User.get(id=case.user_id)
        access = await write_access(writer, case.conversation_id)
        refusal = NOT_FOUND if access is None else access.refusal
        status = (await Conversation.get(id=case.conversation_id)).status
        sent = await try_send(
            writer, case.conversation_id, "probe", None, now=datetime.now(timezone.utc), per_minute=10_000
        )
        answers.append((case, refusal, status, sent is not None))
    # then: the statement writes exactly where the rule allows a plain write
    disagree = [
        (a.conversation, a.writer, refusal, status.value, wrote)
        for a, refusal, status, wrote in answers
        if wrote != (refusal is None and status == ConversationStatus.ACCEPTED)
    ]
    assert disagree == []
    # and: the rule answers what the table says
    wrong = [(a.conversation, a.writer, refusal, expected(a)) for a, refusal, _, _ in answers if refusal != expected(a)]
    assert wrong == []
    # and: the table has cases on both sides of the statement
    assert {wrote for *_, wrote in answers} == {True, False}
