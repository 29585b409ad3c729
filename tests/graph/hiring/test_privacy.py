"""Privacy inside the team (issue 15, item 5): an anonymous candidate stays anonymous in
the pipeline and in the team's notes until she accepts contact; a block, a hire elsewhere
and a deletion withdraw her without her person; deletion erases what teams wrote about
her. And manual moves name the version they saw."""

from __future__ import annotations

from models.hiring import PipelineEntry, PipelineMove, PipelineNote
from models.profiles import Profile
from tests.factories.accounts import Actor, make_candidate, make_employer
from tests.factories.chat import RESPOND, START, make_reachable_candidate, start_input
from tests.factories.hiring import ADD_NOTE, MOVE, add_to_pipeline, create_role, pipeline
from tests.factories.offers import ACCEPT_OFFER, EXTEND_OFFER, pk, terms
from tests.graphql import GraphQLClient

DELETE_ACCOUNT = "mutation($input: DeleteMyAccountInput!) { deleteMyAccount(input: $input) { userErrors { code } } }"
BLOCK = "mutation($input: BlockCompanyInput!) { blockCompany(input: $input) { userErrors { code } } }"


async def entry_of(gql: GraphQLClient, employer: Actor, role_id: str, entry_id: str) -> dict:
    return next(e["node"] for e in (await pipeline(gql, employer, role_id))["edges"] if e["node"]["id"] == entry_id)


async def test_an_anonymous_candidate_stays_anonymous_in_the_pipeline_and_its_notes(gql: GraphQLClient) -> None:
    # given: an anonymous candidate on a role
    employer = await make_employer(gql)
    ada = await make_reachable_candidate(gql, anonymous=True)
    role = await create_role(gql, employer)
    entry = await add_to_pipeline(gql, employer, role["id"], ada.id)
    # then: the pipeline shows her profile without identity, and no person
    assert entry["candidate"] is None and entry["profile"]["displayName"] is None and entry["profile"]["handle"] is None
    # when: a colleague tries to write her name or email into a note
    for body in (f"Met {ada.display_name} at the meetup", f"mail: {ada.email}", f"{ada.email.split('@')[0]} is great"):
        refused = await gql.mutate(ADD_NOTE, {"entryId": entry["id"], "body": body}, token=employer.token, ok=False)
        assert [e["code"] for e in refused["userErrors"]] == ["INVALID"]
    await gql.mutate(ADD_NOTE, {"entryId": entry["id"], "body": "Strong SQL, **great** portfolio."}, token=employer.token)
    assert await PipelineNote.filter(entry_id=pk(entry["id"])).count() == 1
    # when: she accepts the company's contact request
    started = await gql.mutate(START, start_input(ada, roleId=role["id"]), token=employer.token)
    await gql.mutate(RESPOND, {"conversationId": started["conversation"]["id"], "accept": True}, token=ada.token)
    # then: the team sees who she is, and may name her
    seen = await entry_of(gql, employer, role["id"], entry["id"])
    assert seen["stage"] == "REPLIED" and seen["candidate"]["displayName"] == ada.display_name
    await gql.mutate(ADD_NOTE, {"entryId": entry["id"], "body": f"{ada.display_name} replied quickly."}, token=employer.token)


async def test_a_block_withdraws_her_without_her_person_and_keeps_the_notes(gql: GraphQLClient) -> None:
    # given
    employer = await make_employer(gql)
    ada = await make_reachable_candidate(gql)
    role = await create_role(gql, employer)
    entry = await add_to_pipeline(gql, employer, role["id"], ada.id)
    await gql.mutate(ADD_NOTE, {"entryId": entry["id"], "body": "Keep in touch."}, token=employer.token)
    # when
    await gql.mutate(BLOCK, {"companyId": employer.company_id}, token=ada.token)
    # then
    seen = await entry_of(gql, employer, role["id"], entry["id"])
    assert (seen["stage"], seen["candidateLeft"], seen["candidate"], seen["profile"]) == ("WITHDRAWN", True, None, None)
    assert seen["lastNote"]["body"] == "Keep in touch."
    assert (await PipelineEntry.get(id=pk(entry["id"]))).candidate_id is None


async def test_deletion_withdraws_her_everywhere_and_erases_what_teams_wrote(gql: GraphQLClient) -> None:
    # given: two companies have her in their pipelines, with notes and a manual move reason
    first, second = await make_employer(gql), await make_employer(gql)
    ada = await make_reachable_candidate(gql)
    entries = []
    for employer in (first, second):
        role = await create_role(gql, employer)
        entry = await add_to_pipeline(gql, employer, role["id"], ada.id)
        await gql.mutate(ADD_NOTE, {"entryId": entry["id"], "body": "Notes about her."}, token=employer.token)
        await gql.mutate(MOVE, {"entryId": entry["id"], "version": entry["version"], "stage": "REJECTED",
                                "reason": "Not senior enough."}, token=employer.token)
        entries.append(pk(entry["id"]))
    # when
    await gql.mutate(DELETE_ACCOUNT, {"confirm": True}, token=ada.token)
    # then: no note, no reason, no link to her remains
    assert await PipelineNote.filter(entry_id__in=entries).count() == 0
    assert await PipelineMove.filter(entry_id__in=entries, reason__not_isnull=True).count() == 0
    assert await PipelineEntry.filter(id__in=entries, candidate_id__not_isnull=True).count() == 0


async def test_a_hire_elsewhere_withdraws_her_from_other_companies(gql: GraphQLClient) -> None:
    # given: company B has her at CONTACTED; company A makes her an offer
    hirer, other = await make_employer(gql), await make_employer(gql)
    ada = await make_reachable_candidate(gql)
    role = await create_role(gql, other)
    await add_to_pipeline(gql, other, role["id"], ada.id)
    await gql.mutate(START, start_input(ada, roleId=role["id"]), token=other.token)
    started = await gql.mutate(START, start_input(ada), token=hirer.token)
    await gql.mutate(RESPOND, {"conversationId": started["conversation"]["id"], "accept": True}, token=ada.token)
    offer = (await gql.mutate(EXTEND_OFFER, {"conversationId": started["conversation"]["id"], "terms": terms()}, token=hirer.token))["offer"]
    # when
    await gql.mutate(ACCEPT_OFFER, {"offerId": offer["id"], "versionNumber": 1}, token=ada.token)
    # then
    [edge] = (await pipeline(gql, other, role["id"]))["edges"]
    assert (edge["node"]["stage"], edge["node"]["candidateLeft"]) == ("WITHDRAWN", True)
    assert edge["node"]["stageReason"] == "The candidate was hired elsewhere."


async def test_a_manual_move_on_a_stale_version_changes_nothing(gql: GraphQLClient) -> None:
    # given: two colleagues read the same entry
    lead = await make_employer(gql)
    colleague = await make_employer(gql, invitation_code=lead.invitation_code)
    candidate = await make_candidate(gql)
    await Profile.filter(user_id=pk(candidate.id)).update(visibility="EMPLOYERS")
    role = await create_role(gql, lead)
    entry = await add_to_pipeline(gql, lead, role["id"], candidate.id)
    # when: both move it from the version they read
    moved = await gql.mutate(MOVE, {"entryId": entry["id"], "version": entry["version"], "stage": "CONTACTED"}, token=lead.token)
    stale = await gql.mutate(MOVE, {"entryId": entry["id"], "version": entry["version"], "stage": "REJECTED", "reason": "No."},
                             token=colleague.token, ok=False)
    # then
    assert moved["entry"]["stage"] == "CONTACTED"
    assert [e["code"] for e in stale["userErrors"]] == ["STALE_VERSION"]
    assert (await PipelineEntry.get(id=pk(entry["id"]))).stage == "CONTACTED"
