"""The authorization matrix: every root field of the schema × six viewers.

For each query, mutation and subscription field, ``MATRIX`` states what each viewer gets
when acting on the candidate owner's data:

- ``anonymous``: no token
- ``owner``: the candidate who owns the profile (and is party to the conversation)
- ``other_candidate``: another candidate
- ``owner_company``: an employer of the company in an accepted conversation with the owner
- ``other_company``: an employer of an unrelated company
- ``blocked_company``: an employer of a company the owner blocked
- ``moderator``: a moderator (made from the command line; no company, no profile)

Outcomes: ``data`` (no error, non-null field), ``null`` (no error, null: "does not exist
or you may not see it"), ``ok`` (mutation without userErrors), ``userError:CODE``,
or a GraphQL error code (``UNAUTHENTICATED``, ``FORBIDDEN``, ``BAD_USER_INPUT``).
A root field without an entry fails ``test_every_root_field_has_an_entry``.

The world also holds one open report (``other_company`` reported the owner's profile).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from graphql import build_schema

from graph.schema import export_schema
from graph.settings import Settings
from resolvers.ids import to_global_id
from tests.factories.accounts import Actor, make_candidate, make_employer
from tests.factories.safety import make_moderator
from tests.graphql import GraphQLClient

ROLES = ("anonymous", "other_candidate", "other_company", "blocked_company", "owner_company", "moderator", "owner")
SCHEMA = build_schema(export_schema())


@pytest.fixture
def backend() -> str:
    """The matrix runs on SQLite; every rule it checks is also covered per feature on
    PostgreSQL. Overrides the parametrized fixture, so nothing is skipped."""
    return "sqlite"


@dataclass
class World:
    actors: dict[str, Actor | None]
    ids: dict[str, str] = field(default_factory=dict)
    handle: str = ""

    def token(self, role: str) -> str | None:
        actor = self.actors[role]
        return actor.token if actor else None


async def build_world(gql: GraphQLClient, settings: Settings) -> World:
    owner = await make_candidate(gql, name="Owner Candidate")
    other = await make_candidate(gql, name="Other Candidate")
    company_a = await make_employer(gql, company_name="Owner Co")
    company_b = await make_employer(gql, company_name="Other Co")
    company_c = await make_employer(gql, company_name="Blocked Co")
    moderator = await make_moderator(settings, gql)
    world = World(
        actors={
            "anonymous": None, "owner": owner, "other_candidate": other,
            "owner_company": company_a, "other_company": company_b, "blocked_company": company_c,
            "moderator": moderator,
        }
    )
    t = owner.token
    profile = await gql.mutate(
        "mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { profile { id handle } userErrors { code message } } }",
        {"visibility": "PUBLIC", "headline": "Data engineer", "openToWork": "ACTIVELY_LOOKING",
         "desiredSalaryMin": 50000, "desiredSalaryMax": 90000, "desiredSalaryCurrency": "EUR",
         "desiredSalaryPeriod": "YEAR"},
        token=t,
    )
    world.handle = profile["profile"]["handle"]
    world.ids["profile"] = profile["profile"]["id"]
    world.ids["owner_user"] = owner.id
    world.ids["company_a"] = company_a.company_id or ""
    world.ids["company_c"] = company_c.company_id or ""
    world.ids["skill"] = (await gql.mutate(
        "mutation($input: AddSkillInput!) { addSkill(input: $input) { skill { id } userErrors { code message } } }",
        {"name": "Python", "level": 4, "years": 5}, token=t))["skill"]["id"]
    world.ids["experience"] = (await gql.mutate(
        "mutation($input: AddExperienceInput!) { addExperience(input: $input) { experience { id } userErrors { code message } } }",
        {"title": "Engineer", "companyName": "Initech", "startDate": "2019-01-01", "current": True}, token=t))["experience"]["id"]
    world.ids["education"] = (await gql.mutate(
        "mutation($input: AddEducationInput!) { addEducation(input: $input) { education { id } userErrors { code message } } }",
        {"school": "TU Berlin"}, token=t))["education"]["id"]
    world.ids["work_sample"] = (await gql.mutate(
        "mutation($input: AddWorkSampleInput!) { addWorkSample(input: $input) { workSample { id } userErrors { code message } } }",
        {"title": "Pipeline", "url": "https://example.org/p"}, token=t))["workSample"]["id"]
    world.ids["reference"] = (await gql.mutate(
        "mutation($input: AddReferenceInput!) { addReference(input: $input) { reference { id } userErrors { code message } } }",
        {"name": "Ref", "relationship": "Manager", "contact": "ref@example.org"}, token=t))["reference"]["id"]
    world.ids["endorsement"] = (await gql.mutate(
        "mutation($input: EndorseSkillInput!) { endorseSkill(input: $input) { endorsement { id } userErrors { code message } } }",
        {"skillId": world.ids["skill"], "comment": "Great"}, token=other.token))["endorsement"]["id"]
    block = await gql.mutate(
        "mutation($input: BlockCompanyInput!) { blockCompany(input: $input) { block { id } userErrors { code message } } }",
        {"companyId": company_c.company_id}, token=t)
    world.ids["block"] = block["block"]["id"]
    started = await gql.mutate(
        "mutation($input: StartConversationInput!) { startConversation(input: $input) { conversation { id } userErrors { code message } } }",
        {"candidateId": owner.id, "roleTitle": "Data engineer",
         "salaryRange": {"min": 70000, "max": 95000, "currency": "EUR", "period": "YEAR"}, "message": "Hello!"},
        token=company_a.token)
    world.ids["conversation"] = started["conversation"]["id"]
    await gql.mutate(
        "mutation($input: RespondToContactInput!) { respondToContact(input: $input) { userErrors { code message } } }",
        {"conversationId": world.ids["conversation"], "accept": True}, token=t)
    sent = await gql.mutate(
        "mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } userErrors { code message } } }",
        {"conversationId": world.ids["conversation"], "body": "Hi there"}, token=t)
    world.ids["message"] = sent["message"]["id"]
    saved = await gql.mutate(
        "mutation($input: SaveSearchInput!) { saveSearch(input: $input) { savedSearch { id } userErrors { code message } } }",
        {"name": "Data people", "query": "data"}, token=company_a.token)
    world.ids["saved_search"] = saved["savedSearch"]["id"]
    offer = await gql.mutate(
        "mutation($input: ExtendOfferInput!) { extendOffer(input: $input) { offer { id } userErrors { code message } } }",
        {"conversationId": world.ids["conversation"], "terms": {
            "title": "Data engineer", "description": "Join us",
            "salary": {"amount": 90000, "currency": "EUR", "period": "YEAR"}}},
        token=company_a.token)
    world.ids["offer"] = offer["offer"]["id"]
    slot = (datetime.now(timezone.utc) + timedelta(days=3)).replace(microsecond=0).isoformat()
    interview = await gql.mutate(
        "mutation($input: ProposeInterviewInput!) { proposeInterview(input: $input) { interview { id } userErrors { code message } } }",
        {"conversationId": world.ids["conversation"], "slots": [slot], "durationMinutes": 45, "kind": "PHONE",
         "interviewerIds": [company_a.id]},
        token=company_a.token)
    world.ids["interview"] = interview["interview"]["id"]
    world.ids["interview_slot"] = slot
    world.ids["company_a_member"] = company_a.id
    reported = await gql.mutate(
        "mutation($input: ReportContentInput!) { reportContent(input: $input) { report { id } userErrors { code message } } }",
        {"target": world.ids["profile"], "reason": "SPAM"}, token=company_b.token)
    world.ids["report_filing"] = reported["report"]["id"]
    queue = await gql.execute("{ moderationQueue { edges { node { id } } } }", token=moderator.token)
    world.ids["report"] = queue["moderationQueue"]["edges"][0]["node"]["id"]
    await build_hiring(gql, world)
    inbox = await gql.execute("{ notifications(first: 1) { edges { node { id } } } }", token=t)
    world.ids["notification"] = inbox["notifications"]["edges"][0]["node"]["id"]
    return world


async def build_hiring(gql: GraphQLClient, world: World) -> None:
    """The owner company's role, with the owner on its pipeline, a note, a tag and a stage
    of its own (no entry at it: deleting it needs no destination)."""
    t = world.token("owner_company")
    role = await gql.mutate(
        "mutation($input: CreateRoleInput!) { createRole(input: $input) { role { id } userErrors { code message } } }",
        {"title": "Data engineer", "salaryRange": {"min": 70000, "max": 95000, "currency": "EUR", "period": "YEAR"}},
        token=t)
    world.ids["role"] = role["role"]["id"]
    entry = await gql.mutate(
        "mutation($input: AddToPipelineInput!) { addToPipeline(input: $input) { entry { id } userErrors { code message } } }",
        {"roleId": world.ids["role"], "candidateId": world.ids["owner_user"]}, token=t)
    world.ids["entry"] = entry["entry"]["id"]
    note = await gql.mutate(
        "mutation($input: AddPipelineNoteInput!) { addPipelineNote(input: $input) { note { id } userErrors { code message } } }",
        {"entryId": world.ids["entry"], "body": "Strong on pipelines."}, token=t)
    world.ids["note"] = note["note"]["id"]
    tag = await gql.mutate(
        "mutation($input: CreatePipelineTagInput!) { createPipelineTag(input: $input) { tag { id } userErrors { code message } } }",
        {"name": "python"}, token=t)
    world.ids["tag"] = tag["tag"]["id"]
    stage = await gql.mutate(
        "mutation($input: CreatePipelineStageInput!) { createPipelineStage(input: $input) { stage { id } userErrors { code message } } }",
        {"name": "Reference check"}, token=t)
    world.ids["custom_stage"] = stage["stage"]["id"]


Vars = Callable[[World, str], dict[str, Any]]


@dataclass(frozen=True)
class Case:
    document: str
    expect: dict[str, str]
    variables: Vars = lambda world, role: {}  # noqa: E731
    kind: str = "query"  # query | mutation | subscription


def same(outcome: str, **overrides: str) -> dict[str, str]:
    return {role: overrides.get(role, outcome) for role in ROLES}


def inp(**values: Callable[[World], Any] | Any) -> Vars:
    """Variables ``{"input": {...}}``; callables receive the world."""
    return lambda world, role: {"input": {k: (v(world) if callable(v) else v) for k, v in values.items()}}


def ident(name: str) -> Callable[[World], str]:
    return lambda world: world.ids[name]


CANDIDATE_ONLY = same("FORBIDDEN", anonymous="UNAUTHENTICATED", owner="ok", other_candidate="ok")
OWNER_ITEM = same("FORBIDDEN", anonymous="UNAUTHENTICATED", owner="ok", other_candidate="userError:NOT_FOUND")
SIGNED_IN = same("data", anonymous="UNAUTHENTICATED")
PARTIES = same("null", owner="data", owner_company="data")
NON_PARTY_NOT_FOUND = same("userError:NOT_FOUND", anonymous="UNAUTHENTICATED")
# An admin acting on someone who is not in their company (or a request that is not theirs).
COMPANY_ADMINS_NOT_FOUND = same("userError:NOT_FOUND", anonymous="UNAUTHENTICATED", owner="FORBIDDEN", other_candidate="FORBIDDEN")
EMPLOYERS_ONLY = same("data", anonymous="UNAUTHENTICATED", owner="FORBIDDEN", other_candidate="FORBIDDEN", moderator="FORBIDDEN")
MODERATORS_ONLY = same("FORBIDDEN", anonymous="UNAUTHENTICATED", moderator="data")
# hiring data of the owner company: its employers act, other companies' ids read as not found
HIRING_ITEM = EMPLOYERS_ONLY | {"owner_company": "ok", "other_company": "userError:NOT_FOUND", "blocked_company": "userError:NOT_FOUND"}

MATRIX: dict[str, Case] = {
    # --- queries ----------------------------------------------------------------------
    "node": Case(
        "query($id: ID!) { node(id: $id) { id } }",
        same("data", blocked_company="null"),
        lambda w, r: {"id": w.ids["profile"]},
    ),
    "nodes": Case(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        same("data"),  # the list itself; each entry follows `node`
        lambda w, r: {"ids": [w.ids["profile"], w.ids["conversation"]]},
    ),
    "viewer": Case("{ viewer { id } }", same("data", anonymous="null")),
    "profile": Case(
        "query($h: String!) { profile(handle: $h) { id } }",
        same("data", blocked_company="null"),
        lambda w, r: {"h": w.handle},
    ),
    "profiles": Case("{ profiles { totalCount } }", same("FORBIDDEN", anonymous="UNAUTHENTICATED",
                                                         owner_company="data", other_company="data", blocked_company="data")),
    # employers have no profile: asking for one is FORBIDDEN, not an empty answer
    "myProfile": Case("{ myProfile { id } }", same("FORBIDDEN", anonymous="UNAUTHENTICATED", owner="data", other_candidate="data")),
    "myAccessLog": Case("{ myAccessLog { totalCount } }", CANDIDATE_ONLY | {"owner": "data", "other_candidate": "data"}),
    "myBlocks": Case("{ myBlocks { totalCount } }", CANDIDATE_ONLY | {"owner": "data", "other_candidate": "data"}),
    "exportMyData": Case("{ exportMyData }", SIGNED_IN),
    # moderators take part in no conversation and no offer: they have no inbox
    "conversations": Case("{ conversations { totalCount } }", SIGNED_IN | {"moderator": "FORBIDDEN"}),
    "conversation": Case(
        "query($id: ID!) { conversation(id: $id) { id } }",
        PARTIES | {"anonymous": "UNAUTHENTICATED"},
        lambda w, r: {"id": w.ids["conversation"]},
    ),
    # --- accounts ---------------------------------------------------------------------
    "signUp": Case(
        "mutation($input: SignUpInput!) { signUp(input: $input) { userErrors { code } } }",
        same("ok"),
        lambda w, r: {"input": {"email": f"new-{r}@example.org", "password": "long enough password",
                                "displayName": "New", "role": "CANDIDATE"}},
        kind="mutation",
    ),
    "logIn": Case(
        "mutation($input: LogInInput!) { logIn(input: $input) { userErrors { code } } }",
        same("userError:INVALID_CREDENTIALS"),
        inp(email=lambda w: w.actors["owner"].email, password="not the password"),
        kind="mutation",
    ),
    "logOut": Case("mutation { logOut { userErrors { code } } }", same("ok", anonymous="UNAUTHENTICATED"), kind="mutation"),
    # --- email confirmation and company governance (every company here is its creator, an
    # ADMIN with a confirmed email; candidates are left unconfirmed, as they may be; member
    # and unconfirmed employers: tests/graph/accounts/test_governance_matrix.py)
    "confirmEmail": Case(
        "mutation($input: ConfirmEmailInput!) { confirmEmail(input: $input) { userErrors { code } } }",
        same("ok", anonymous="UNAUTHENTICATED", owner="userError:WRONG_CONFIRMATION_CODE",
             other_candidate="userError:WRONG_CONFIRMATION_CODE"),
        inp(code="000000"),
        kind="mutation",
    ),
    "resendConfirmation": Case(
        "mutation { resendConfirmation { userErrors { code } } }",
        # candidates signed up seconds ago: the sign-up code was just mailed
        same("userError:ALREADY_CONFIRMED", anonymous="UNAUTHENTICATED", owner="userError:RATE_LIMITED",
             other_candidate="userError:RATE_LIMITED"),
        kind="mutation",
    ),
    "companyMembers": Case("{ companyMembers { totalCount } }", EMPLOYERS_ONLY),
    "joinRequests": Case("{ joinRequests { totalCount } }", EMPLOYERS_ONLY),
    "setMemberRole": Case(
        "mutation($input: SetMemberRoleInput!) { setMemberRole(input: $input) { userErrors { code } } }",
        COMPANY_ADMINS_NOT_FOUND,
        inp(userId=ident("owner_user"), role="ADMIN"),
        kind="mutation",
    ),
    "removeMember": Case(
        "mutation($input: RemoveMemberInput!) { removeMember(input: $input) { userErrors { code } } }",
        COMPANY_ADMINS_NOT_FOUND,
        inp(userId=ident("owner_user")),
        kind="mutation",
    ),
    "leaveCompany": Case(
        "mutation { leaveCompany { userErrors { code } } }",
        same("userError:LAST_ADMIN", anonymous="UNAUTHENTICATED", owner="FORBIDDEN", other_candidate="FORBIDDEN"),
        kind="mutation",
    ),
    "rotateInvitationCode": Case(
        "mutation { rotateInvitationCode { company { id } userErrors { code } } }",
        same("ok", anonymous="UNAUTHENTICATED", owner="FORBIDDEN", other_candidate="FORBIDDEN"),
        kind="mutation",
    ),
    "updateCompanySettings": Case(
        "mutation($input: UpdateCompanySettingsInput!) { updateCompanySettings(input: $input) { userErrors { code } } }",
        same("ok", anonymous="UNAUTHENTICATED", owner="FORBIDDEN", other_candidate="FORBIDDEN"),
        inp(autoAcceptDomainMembers=False),
        kind="mutation",
    ),
    "acceptJoinRequest": Case(
        "mutation($input: JoinRequestInput!) { acceptJoinRequest(input: $input) { userErrors { code } } }",
        COMPANY_ADMINS_NOT_FOUND,
        inp(joinRequestId=to_global_id("JoinRequest", 999_999)),
        kind="mutation",
    ),
    "refuseJoinRequest": Case(
        "mutation($input: JoinRequestInput!) { refuseJoinRequest(input: $input) { userErrors { code } } }",
        COMPANY_ADMINS_NOT_FOUND,
        inp(joinRequestId=to_global_id("JoinRequest", 999_999)),
        kind="mutation",
    ),
}

# --- profile editing: the owner edits; nobody can touch the owner's items ------------
for _field, _input, _vars in [
    ("updateMyProfile", "UpdateMyProfileInput", inp(headline="Edited")),
    ("addSkill", "AddSkillInput", inp(name="Rust", level=2)),
    ("addExperience", "AddExperienceInput", inp(title="Dev", companyName="X", startDate="2018-01-01", endDate="2018-12-31")),
    ("addEducation", "AddEducationInput", inp(school="MIT")),
    ("addWorkSample", "AddWorkSampleInput", inp(title="Demo", url="https://example.org/d")),
    ("addReference", "AddReferenceInput", inp(name="R", relationship="Peer", contact="r@example.org")),
    ("confirmAvailability", None, None),
]:
    document = (
        f"mutation($input: {_input}!) {{ {_field}(input: $input) {{ userErrors {{ code }} }} }}"
        if _input else f"mutation {{ {_field} {{ userErrors {{ code }} }} }}"
    )
    MATRIX[_field] = Case(document, CANDIDATE_ONLY, _vars or (lambda w, r: {}), kind="mutation")

for _part, _key in [("Skill", "skill"), ("Experience", "experience"), ("Education", "education"),
                    ("WorkSample", "work_sample"), ("Reference", "reference")]:
    _update_fields = {"skill": {"level": 5}, "experience": {"title": "Lead"}, "education": {"school": "ETH"},
                      "work_sample": {"title": "New"}, "reference": {"name": "New"}}[_key]
    MATRIX[f"update{_part}"] = Case(
        f"mutation($input: Update{_part}Input!) {{ update{_part}(input: $input) {{ userErrors {{ code }} }} }}",
        OWNER_ITEM,
        (lambda key, extra: lambda w, r: {"input": {"id": w.ids[key], **extra}})(_key, _update_fields),
        kind="mutation",
    )
    MATRIX[f"remove{_part}"] = Case(
        f"mutation($input: RemoveProfileItemInput!) {{ remove{_part}(input: $input) {{ userErrors {{ code }} }} }}",
        OWNER_ITEM,
        (lambda key: lambda w, r: {"input": {"id": w.ids[key]}})(_key),
        kind="mutation",
    )
    _plural = {"Skill": "Skills", "Experience": "Experience", "Education": "Education",
               "WorkSample": "WorkSamples", "Reference": "References"}[_part]
    # a reorder must list exactly the viewer's own items: anyone else's ids are INVALID
    MATRIX[f"reorder{_plural}"] = Case(
        f"mutation($input: ReorderProfileItemsInput!) {{ reorder{_plural}(input: $input) {{ userErrors {{ code }} }} }}",
        OWNER_ITEM | {"other_candidate": "userError:INVALID"},
        (lambda key: lambda w, r: {"input": {"ids": [w.ids[key]]}})(_key),
        kind="mutation",
    )

MATRIX.update(
    {
        "endorseSkill": Case(
            "mutation($input: EndorseSkillInput!) { endorseSkill(input: $input) { userErrors { code } } }",
            same("ok", anonymous="UNAUTHENTICATED", owner="userError:SELF_ENDORSEMENT",
                 other_candidate="userError:ALREADY_ENDORSED", blocked_company="userError:NOT_FOUND"),
            inp(skillId=ident("skill")),
            kind="mutation",
        ),
        "hideEndorsement": Case(
            "mutation($input: HideEndorsementInput!) { hideEndorsement(input: $input) { userErrors { code } } }",
            OWNER_ITEM,
            inp(endorsementId=ident("endorsement")),
            kind="mutation",
        ),
        "blockCompany": Case(
            "mutation($input: BlockCompanyInput!) { blockCompany(input: $input) { userErrors { code } } }",
            CANDIDATE_ONLY,
            inp(domain="spam-recruiters.example"),
            kind="mutation",
        ),
        "unblockCompany": Case(
            "mutation($input: UnblockCompanyInput!) { unblockCompany(input: $input) { userErrors { code } } }",
            OWNER_ITEM,
            inp(blockId=ident("block")),
            kind="mutation",
        ),
        "deleteMyAccount": Case(
            "mutation($input: DeleteMyAccountInput!) { deleteMyAccount(input: $input) { userErrors { code } } }",
            same("ok", anonymous="UNAUTHENTICATED"),
            inp(confirm=True),
            kind="mutation",
        ),
        # --- chat ---------------------------------------------------------------------
        "startConversation": Case(
            "mutation($input: StartConversationInput!) { startConversation(input: $input) { userErrors { code } } }",
            same("FORBIDDEN", anonymous="UNAUTHENTICATED", other_company="ok",
                 blocked_company="userError:NOT_FOUND", owner_company="userError:ALREADY_IN_CONVERSATION"),
            inp(candidateId=ident("owner_user"), roleTitle="Engineer", message="Hi",
                salaryRange={"min": 80000, "max": 100000, "currency": "EUR", "period": "YEAR"}),
            kind="mutation",
        ),
        "respondToContact": Case(
            "mutation($input: RespondToContactInput!) { respondToContact(input: $input) { userErrors { code } } }",
            # only the candidate answers; companies outside the conversation do not learn it exists
            same("userError:NOT_FOUND", anonymous="UNAUTHENTICATED", owner="userError:ALREADY_RESPONDED",
                 owner_company="FORBIDDEN"),
            inp(conversationId=ident("conversation"), accept=True),
            kind="mutation",
        ),
        "sendMessage": Case(
            "mutation($input: SendMessageInput!) { sendMessage(input: $input) { userErrors { code } } }",
            same("userError:NOT_FOUND", anonymous="UNAUTHENTICATED", owner="ok", owner_company="ok"),
            inp(conversationId=ident("conversation"), body="Hello again"),
            kind="mutation",
        ),
        "markConversationRead": Case(
            "mutation($input: MarkConversationReadInput!) { markConversationRead(input: $input) { userErrors { code } } }",
            same("userError:NOT_FOUND", anonymous="UNAUTHENTICATED", owner="ok", owner_company="ok"),
            inp(conversationId=ident("conversation")),
            kind="mutation",
        ),
        "sendTypingIndicator": Case(
            "mutation($input: SendTypingIndicatorInput!) { sendTypingIndicator(input: $input) { userErrors { code } } }",
            same("userError:NOT_FOUND", anonymous="UNAUTHENTICATED", owner="ok", owner_company="ok"),
            inp(conversationId=ident("conversation")),
            kind="mutation",
        ),
        # --- search -------------------------------------------------------------------
        "searchCandidates": Case("{ searchCandidates { totalCount } }", EMPLOYERS_ONLY),
        "savedSearches": Case("{ savedSearches { totalCount } }", EMPLOYERS_ONLY),
        "saveSearch": Case(
            "mutation($input: SaveSearchInput!) { saveSearch(input: $input) { userErrors { code } } }",
            EMPLOYERS_ONLY | {"owner_company": "ok", "other_company": "ok", "blocked_company": "ok"},
            inp(name="Mine", query="python"),
            kind="mutation",
        ),
        "deleteSavedSearch": Case(
            "mutation($input: DeleteSavedSearchInput!) { deleteSavedSearch(input: $input) { userErrors { code } } }",
            EMPLOYERS_ONLY | {"owner_company": "ok", "other_company": "userError:NOT_FOUND",
                              "blocked_company": "userError:NOT_FOUND"},
            inp(id=ident("saved_search")),
            kind="mutation",
        ),
        "markSavedSearchMatchesViewed": Case(
            "mutation($input: MarkSavedSearchMatchesViewedInput!) { markSavedSearchMatchesViewed(input: $input) { userErrors { code } } }",
            EMPLOYERS_ONLY | {"owner_company": "ok", "other_company": "userError:NOT_FOUND",
                              "blocked_company": "userError:NOT_FOUND"},
            inp(savedSearchId=ident("saved_search")),
            kind="mutation",
        ),
        # --- notifications: everyone signed in has an inbox; another's reads as not found --
        "notifications": Case("{ notifications { totalCount } }", SIGNED_IN),
        "unreadNotificationCount": Case("{ unreadNotificationCount }", SIGNED_IN),
        "notificationPreferences": Case("{ notificationPreferences { timeZone } }", SIGNED_IN),
        "markNotificationsRead": Case(
            "mutation($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) { userErrors { code } } }",
            NON_PARTY_NOT_FOUND | {"owner": "ok"},
            inp(upTo=ident("notification")),
            kind="mutation",
        ),
        "updateNotificationPreferences": Case(
            "mutation($input: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { userErrors { code } } }",
            same("ok", anonymous="UNAUTHENTICATED"),
            inp(timeZone="Europe/Berlin"),
            kind="mutation",
        ),
        # --- offers -------------------------------------------------------------------
        "offers": Case("{ offers { totalCount } }", SIGNED_IN | {"moderator": "FORBIDDEN"}),
        "offer": Case(
            "query($id: ID!) { offer(id: $id) { id } }",
            PARTIES,  # like node(id:): null for anyone not party, signed in or not
            lambda w, r: {"id": w.ids["offer"]},
        ),
        "extendOffer": Case(
            "mutation($input: ExtendOfferInput!) { extendOffer(input: $input) { userErrors { code } } }",
            # candidates never extend offers (a role check, before any lookup)
            NON_PARTY_NOT_FOUND | {"owner": "FORBIDDEN", "other_candidate": "FORBIDDEN", "owner_company": "ok", "moderator": "FORBIDDEN"},
            inp(conversationId=ident("conversation"), terms={
                "title": "Staff engineer", "description": "More",
                "salary": {"amount": 99000, "currency": "EUR", "period": "YEAR"}}),
            kind="mutation",
        ),
        "acceptOffer": Case(
            "mutation($input: AcceptOfferInput!) { acceptOffer(input: $input) { userErrors { code } } }",
            NON_PARTY_NOT_FOUND | {"owner": "ok", "owner_company": "FORBIDDEN"},
            inp(offerId=ident("offer"), versionNumber=1),
            kind="mutation",
        ),
        "declineOffer": Case(
            "mutation($input: DeclineOfferInput!) { declineOffer(input: $input) { userErrors { code } } }",
            NON_PARTY_NOT_FOUND | {"owner": "ok", "owner_company": "FORBIDDEN"},
            inp(offerId=ident("offer"), reason="No thanks"),
            kind="mutation",
        ),
        "counterOffer": Case(
            "mutation($input: CounterOfferInput!) { counterOffer(input: $input) { userErrors { code } } }",
            NON_PARTY_NOT_FOUND | {"owner": "ok", "owner_company": "FORBIDDEN"},
            inp(offerId=ident("offer"), terms={"salary": {"amount": 99000, "currency": "EUR", "period": "YEAR"}}),
            kind="mutation",
        ),
        "reviseOffer": Case(
            "mutation($input: ReviseOfferInput!) { reviseOffer(input: $input) { userErrors { code } } }",
            NON_PARTY_NOT_FOUND | {"owner": "FORBIDDEN", "owner_company": "ok"},
            inp(offerId=ident("offer"), terms={"salary": {"amount": 95000, "currency": "EUR", "period": "YEAR"}}),
            kind="mutation",
        ),
        "withdrawOffer": Case(
            "mutation($input: WithdrawOfferInput!) { withdrawOffer(input: $input) { userErrors { code } } }",
            NON_PARTY_NOT_FOUND | {"owner": "FORBIDDEN", "owner_company": "ok"},
            inp(offerId=ident("offer")),
            kind="mutation",
        ),
        # --- interviews ---------------------------------------------------------------
        "interviews": Case("{ interviews { totalCount } }", SIGNED_IN),
        "interview": Case(
            "query($id: ID!) { interview(id: $id) { id } }",
            PARTIES,  # like node(id:): null for anyone not party, signed in or not
            lambda w, r: {"id": w.ids["interview"]},
        ),
        "proposeInterview": Case(
            "mutation($input: ProposeInterviewInput!) { proposeInterview(input: $input) { userErrors { code } } }",
            NON_PARTY_NOT_FOUND | {"owner": "FORBIDDEN", "other_candidate": "FORBIDDEN", "owner_company": "ok"},
            inp(conversationId=ident("conversation"), slots=lambda w: [w.ids["interview_slot"]], durationMinutes=30, kind="PHONE",
                interviewerIds=lambda w: [w.ids["company_a_member"]]),
            kind="mutation",
        ),
        "pickInterviewSlot": Case(
            "mutation($input: PickInterviewSlotInput!) { pickInterviewSlot(input: $input) { userErrors { code } } }",
            NON_PARTY_NOT_FOUND | {"owner": "ok", "owner_company": "FORBIDDEN"},
            inp(interviewId=ident("interview"), slot=ident("interview_slot")),
            kind="mutation",
        ),
        "rescheduleInterview": Case(
            "mutation($input: RescheduleInterviewInput!) { rescheduleInterview(input: $input) { userErrors { code } } }",
            NON_PARTY_NOT_FOUND | {"owner": "FORBIDDEN", "owner_company": "ok"},
            inp(interviewId=ident("interview"), slots=lambda w: [w.ids["interview_slot"]]),
            kind="mutation",
        ),
        "cancelInterview": Case(
            "mutation($input: CancelInterviewInput!) { cancelInterview(input: $input) { userErrors { code } } }",
            # either side cancels: the company (first) does; the candidate then finds it cancelled
            NON_PARTY_NOT_FOUND | {"owner_company": "ok", "owner": "userError:INTERVIEW_NOT_OPEN"},
            inp(interviewId=ident("interview"), reason="Changed plans"),
            kind="mutation",
        ),
        "submitInterviewFeedback": Case(
            "mutation($input: SubmitInterviewFeedbackInput!) { submitInterviewFeedback(input: $input) { userErrors { code } } }",
            # the candidate never gives (or reads) feedback; the interviewer may, once it is held
            NON_PARTY_NOT_FOUND | {"owner": "FORBIDDEN", "owner_company": "userError:INTERVIEW_NOT_OPEN"},
            inp(interviewId=ident("interview"), rating=3, recommendation="YES"),
            kind="mutation",
        ),
        # --- subscriptions ------------------------------------------------------------
        "interviewUpdated": Case(
            "subscription { interviewUpdated { change } }",
            same("data", anonymous="UNAUTHENTICATED"),
            kind="subscription",
        ),
        # --- hiring: the owner company's data; other companies read null / NOT_FOUND -----
        "roles": Case("{ roles { totalCount } }", EMPLOYERS_ONLY),
        "role": Case(
            "query($id: ID!) { role(id: $id) { id } }",
            EMPLOYERS_ONLY | {"other_company": "null", "blocked_company": "null"},
            lambda w, r: {"id": w.ids["role"]},
        ),
        "pipeline": Case(
            "query($id: ID!) { pipeline(roleId: $id) { totalCount } }",
            EMPLOYERS_ONLY | {"other_company": "null", "blocked_company": "null"},
            lambda w, r: {"id": w.ids["role"]},
        ),
        "pipelineStages": Case("{ pipelineStages { id } }", EMPLOYERS_ONLY),
        "pipelineTags": Case("{ pipelineTags { id } }", EMPLOYERS_ONLY),
        "createRole": Case(
            "mutation($input: CreateRoleInput!) { createRole(input: $input) { userErrors { code } } }",
            EMPLOYERS_ONLY | {"owner_company": "ok", "other_company": "ok", "blocked_company": "ok"},
            inp(title="Analyst", salaryRange={"min": 50000, "max": 60000, "currency": "EUR", "period": "YEAR"}),
            kind="mutation",
        ),
        "updateRole": Case(
            "mutation($input: UpdateRoleInput!) { updateRole(input: $input) { userErrors { code } } }",
            HIRING_ITEM,
            inp(id=ident("role"), headcount=2),
            kind="mutation",
        ),
        "archiveRole": Case(
            "mutation($input: ArchiveRoleInput!) { archiveRole(input: $input) { userErrors { code } } }",
            HIRING_ITEM,
            inp(id=ident("role")),
            kind="mutation",
        ),
        "addToPipeline": Case(
            "mutation($input: AddToPipelineInput!) { addToPipeline(input: $input) { userErrors { code } } }",
            # the owner company has her on the role already; others do not own the role
            HIRING_ITEM | {"owner_company": "userError:DUPLICATE"},
            inp(roleId=ident("role"), candidateId=ident("owner_user")),
            kind="mutation",
        ),
        "movePipelineEntry": Case(
            "mutation($input: MovePipelineEntryInput!) { movePipelineEntry(input: $input) { userErrors { code } } }",
            HIRING_ITEM,
            inp(entryId=ident("entry"), version=1, stage="CONTACTED"),
            kind="mutation",
        ),
        "createPipelineStage": Case(
            "mutation($input: CreatePipelineStageInput!) { createPipelineStage(input: $input) { userErrors { code } } }",
            EMPLOYERS_ONLY | {"owner_company": "ok", "other_company": "ok", "blocked_company": "ok"},
            inp(name="Take-home task"),
            kind="mutation",
        ),
        "deletePipelineStage": Case(
            "mutation($input: DeletePipelineStageInput!) { deletePipelineStage(input: $input) { userErrors { code } } }",
            HIRING_ITEM,
            inp(stageId=ident("custom_stage")),
            kind="mutation",
        ),
        "addPipelineNote": Case(
            "mutation($input: AddPipelineNoteInput!) { addPipelineNote(input: $input) { userErrors { code } } }",
            HIRING_ITEM,
            inp(entryId=ident("entry"), body="Second opinion."),
            kind="mutation",
        ),
        "editPipelineNote": Case(
            "mutation($input: EditPipelineNoteInput!) { editPipelineNote(input: $input) { userErrors { code } } }",
            HIRING_ITEM,
            inp(noteId=ident("note"), body="Edited."),
            kind="mutation",
        ),
        "deletePipelineNote": Case(
            "mutation($input: DeletePipelineNoteInput!) { deletePipelineNote(input: $input) { userErrors { code } } }",
            HIRING_ITEM,
            inp(noteId=ident("note")),
            kind="mutation",
        ),
        "createPipelineTag": Case(
            "mutation($input: CreatePipelineTagInput!) { createPipelineTag(input: $input) { userErrors { code } } }",
            EMPLOYERS_ONLY | {"owner_company": "ok", "other_company": "ok", "blocked_company": "ok"},
            inp(name="senior"),
            kind="mutation",
        ),
        "setPipelineEntryTags": Case(
            "mutation($input: SetPipelineEntryTagsInput!) { setPipelineEntryTags(input: $input) { userErrors { code } } }",
            HIRING_ITEM,
            inp(entryId=ident("entry"), tagIds=lambda w: [w.ids["tag"]]),
            kind="mutation",
        ),
        "ratePipelineEntry": Case(
            "mutation($input: RatePipelineEntryInput!) { ratePipelineEntry(input: $input) { userErrors { code } } }",
            HIRING_ITEM,
            inp(entryId=ident("entry"), score=3, recommendation="YES"),
            kind="mutation",
        ),
        # --- subscriptions ------------------------------------------------------------
        "pipelineUpdated": Case(
            "subscription($id: ID!) { pipelineUpdated(roleId: $id) { change } }",
            EMPLOYERS_ONLY | {"other_company": "NOT_FOUND", "blocked_company": "NOT_FOUND"},
            lambda w, r: {"id": w.ids["role"]},
            kind="subscription",
        ),
        "notificationAdded": Case(
            "subscription { notificationAdded { id } }",
            same("data", anonymous="UNAUTHENTICATED"),
            kind="subscription",
        ),
        "offerUpdated": Case(
            "subscription { offerUpdated { change } }",
            same("data", anonymous="UNAUTHENTICATED", moderator="FORBIDDEN"),
            kind="subscription",
        ),
        "candidateMatched": Case(
            "subscription($id: ID!) { candidateMatched(savedSearchId: $id) { savedSearchId } }",
            EMPLOYERS_ONLY | {"other_company": "NOT_FOUND", "blocked_company": "NOT_FOUND"},
            lambda w, r: {"id": w.ids["saved_search"]},
            kind="subscription",
        ),
        "messageAdded": Case(
            "subscription($id: ID) { messageAdded(conversationId: $id) { id } }",
            same("FORBIDDEN", anonymous="UNAUTHENTICATED", owner="data", owner_company="data"),
            lambda w, r: {"id": w.ids["conversation"]},
            kind="subscription",
        ),
        # --- trust and safety -------------------------------------------------------------
        "myReports": Case("{ myReports { totalCount } }", SIGNED_IN),
        "moderationQueue": Case("{ moderationQueue { totalCount } }", MODERATORS_ONLY),
        "auditLog": Case("{ auditLog { totalCount } }", MODERATORS_ONLY),
        "reportContent": Case(
            "mutation($input: ReportContentInput!) { reportContent(input: $input) { userErrors { code } } }",
            # one reports what one can see, never oneself
            same("ok", anonymous="UNAUTHENTICATED", owner="userError:NOT_FOUND", blocked_company="userError:NOT_FOUND"),
            inp(target=ident("profile"), reason="SPAM"),
            kind="mutation",
        ),
        "resolveReport": Case(
            "mutation($input: ResolveReportInput!) { resolveReport(input: $input) { userErrors { code } } }",
            MODERATORS_ONLY | {"moderator": "ok"},
            inp(reportId=ident("report"), action="DISMISS"),
            kind="mutation",
        ),
        "liftSuspension": Case(
            "mutation($input: LiftSuspensionInput!) { liftSuspension(input: $input) { userErrors { code } } }",
            MODERATORS_ONLY | {"moderator": "userError:NOT_SUSPENDED"},
            inp(target=ident("owner_user")),
            kind="mutation",
        ),
        "conversationUpdated": Case(
            "subscription($id: ID) { conversationUpdated(conversationId: $id) { conversation { id } } }",
            same("FORBIDDEN", anonymous="UNAUTHENTICATED", owner="data", owner_company="data"),
            lambda w, r: {"id": w.ids["conversation"]},
            kind="subscription",
        ),
    }
)

# The moderator column on rows written before the MODERATOR role existed (identity,
# governance and interviews were built beside it): a moderator acts on reports, not for a
# company or a candidate, so company and candidate operations refuse it; the confirmation
# mutations treat it as any account (it has no pending code).
for _name, _outcome in {
    "acceptJoinRequest": "FORBIDDEN",
    "refuseJoinRequest": "FORBIDDEN",
    "leaveCompany": "FORBIDDEN",
    "removeMember": "FORBIDDEN",
    "rotateInvitationCode": "FORBIDDEN",
    "setMemberRole": "FORBIDDEN",
    "updateCompanySettings": "FORBIDDEN",
    "interviews": "FORBIDDEN",
    "interviewUpdated": "FORBIDDEN",
    "proposeInterview": "FORBIDDEN",
    "confirmEmail": "userError:CONFIRMATION_EXPIRED",
    "resendConfirmation": "ok",
}.items():
    MATRIX[_name] = dataclasses.replace(MATRIX[_name], expect={**MATRIX[_name].expect, "moderator": _outcome})


def root_fields() -> list[str]:
    fields = []
    for root in (SCHEMA.query_type, SCHEMA.mutation_type, SCHEMA.subscription_type):
        if root is not None:
            fields += list(root.fields)
    return fields


def test_every_root_field_has_an_entry() -> None:
    missing = sorted(set(root_fields()) - set(MATRIX))
    assert missing == [], f"add these root fields to the authorization MATRIX: {missing}"
    stale = sorted(set(MATRIX) - set(root_fields()))
    assert stale == [], f"MATRIX names fields the schema no longer has: {stale}"


def outcome_of(body: dict[str, Any], field_name: str, kind: str) -> str:
    errors = body.get("errors") or []
    if errors:
        return (errors[0].get("extensions") or {}).get("code", "ERROR")
    value = (body.get("data") or {}).get(field_name)
    if kind == "mutation":
        if value is None:
            return "null"
        user_errors = value.get("userErrors") or []
        return f"userError:{user_errors[0]['code']}" if user_errors else "ok"
    return "null" if value is None else "data"


async def subscription_outcome(gql: GraphQLClient, token: str | None, case: Case, variables: dict[str, Any], field_name: str) -> str:
    from httpx_ws import WebSocketDisconnect

    async with gql.websocket(token=token) as ws:
        op = await ws.subscribe(case.document, variables)
        try:
            message = await ws.receive(timeout=0.5)
        except (TimeoutError, Exception) as exc:  # silence: subscribed and waiting
            if isinstance(exc, WebSocketDisconnect):
                return f"closed:{exc.code}"
            return "data"
        if message["type"] == "error":
            payload = message["payload"]
            first = payload[0] if isinstance(payload, list) else payload
            return (first.get("extensions") or {}).get("code", "ERROR")
        if message["type"] in {"next", "data"}:
            body = message["payload"]
            if body.get("errors"):
                return (body["errors"][0].get("extensions") or {}).get("code", "ERROR")
            return "data"
        with contextlib.suppress(Exception):
            await ws.stop(op)
        return message["type"]


@pytest.mark.parametrize("field_name", sorted(MATRIX))
async def test_authorization_matrix(gql: GraphQLClient, settings: Settings, field_name: str) -> None:
    # given: the world, built through the API
    case = MATRIX[field_name]
    world = await build_world(gql, settings)
    observed: dict[str, str] = {}
    # when: each viewer runs the operation (the owner last: it may delete things)
    for role in ROLES:
        variables = case.variables(world, role)
        if case.kind == "subscription":
            observed[role] = await subscription_outcome(gql, world.token(role), case, variables, field_name)
        else:
            result = await gql.post(case.document, variables, token=world.token(role))
            assert result.status_code == 200, result
            observed[role] = outcome_of({"data": result.data, "errors": result.errors}, field_name, case.kind)
    # then
    assert observed == case.expect
