"""A company's own pipeline stages: created, used, and deleted — refused with STAGE_IN_USE
while entries are at the stage, unless they are moved to a stage the deleter names (each
a move in the entry's history, announced on ``pipelineUpdated``)."""

from __future__ import annotations

from typing import Any

from models.hiring import CustomStage
from tests.factories.accounts import make_employer
from tests.factories.chat import make_reachable_candidate
from tests.factories.hiring import MOVE, PIPELINE_UPDATED, add_to_pipeline, create_role, pipeline
from tests.factories.offers import pk
from tests.graphql import GraphQLClient, subscribed

CREATE_STAGE = """
mutation($input: CreatePipelineStageInput!) { createPipelineStage(input: $input) { stage { id name position } userErrors { code field } } }
"""
DELETE_STAGE = """
mutation($input: DeletePipelineStageInput!) {
  deletePipelineStage(input: $input) {
    deletedStageId
    movedEntries { id stage version customStage { name } history { toStage toCustomStage { name } reason actor { id } } }
    userErrors { code field message }
  }
}
"""
STAGES = "{ pipelineStages { id name } }"


async def _stage(gql: GraphQLClient, token: str, name: str) -> dict[str, Any]:
    return (await gql.mutate(CREATE_STAGE, {"name": name}, token=token))["stage"]


async def test_a_stage_with_entries_is_deleted_only_by_moving_them(gql: GraphQLClient, app: Any) -> None:
    # given: from bare sign-ups, two candidates on a role at the company's "Take-home" stage
    employer = await make_employer(gql)
    role = await create_role(gql, employer)
    take_home, panel = [await _stage(gql, employer.token, name) for name in ("Take-home", "Panel")]
    entries = []
    for _ in range(2):
        candidate = await make_reachable_candidate(gql)
        entry = await add_to_pipeline(gql, employer, role["id"], candidate.id)
        moved = await gql.mutate(
            MOVE, {"entryId": entry["id"], "version": entry["version"], "stage": "CUSTOM", "customStageId": take_home["id"]},
            token=employer.token,
        )
        entries.append(moved["entry"])
    # when: deleted without saying where the entries go
    refused = await gql.mutate(DELETE_STAGE, {"stageId": take_home["id"]}, token=employer.token, ok=False)
    # then: refused, nothing changed
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("STAGE_IN_USE", ["input", "moveEntriesTo"])]
    assert refused["deletedStageId"] is None and refused["movedEntries"] is None
    assert {s["name"] for s in (await gql.execute(STAGES, token=employer.token))["pipelineStages"]} == {"Take-home", "Panel"}
    # when: deleted, moving the entries to the company's other stage, while a colleague watches
    async with gql.websocket(token=employer.token) as ws:
        op = await subscribed(app, ws, PIPELINE_UPDATED, {"roleId": role["id"]})
        deleted = await gql.mutate(
            DELETE_STAGE, {"stageId": take_home["id"], "moveEntriesTo": "CUSTOM", "moveEntriesToCustomStageId": panel["id"]},
            token=employer.token,
        )
        seen = [(await ws.next(op))["data"]["pipelineUpdated"] for _ in entries]
    # then: both entries moved by the deleter, with the reason, and the stage is gone
    assert deleted["deletedStageId"] == take_home["id"]
    moved_entries = sorted(deleted["movedEntries"], key=lambda e: e["id"])
    assert [e["id"] for e in moved_entries] == sorted(e["id"] for e in entries)
    for before, after in zip(sorted(entries, key=lambda e: e["id"]), moved_entries, strict=True):
        assert (after["stage"], after["customStage"], after["version"]) == ("CUSTOM", {"name": "Panel"}, before["version"] + 1)
        last, earlier = after["history"][-1], after["history"][-2]
        assert last == {"toStage": "CUSTOM", "toCustomStage": {"name": "Panel"}, "reason": "The stage “Take-home” was deleted.",
                        "actor": {"id": employer.id}}
        assert earlier["toStage"] == "CUSTOM" and earlier["toCustomStage"] is None  # the deleted stage reads as null
    assert sorted((u["change"], u["entry"]["id"]) for u in seen) == sorted(("MOVED", e["id"]) for e in entries)
    assert [s["name"] for s in (await gql.execute(STAGES, token=employer.token))["pipelineStages"]] == ["Panel"]
    assert not await CustomStage.filter(id=pk(take_home["id"])).exists()
    # and: a stage without entries is simply deleted; then everything is at OFFER after a move there
    page = await pipeline(gql, employer, role["id"])
    assert {edge["node"]["stage"] for edge in page["edges"]} == {"CUSTOM"}
    emptied = await gql.mutate(DELETE_STAGE, {"stageId": panel["id"], "moveEntriesTo": "OFFER"}, token=employer.token)
    assert {e["stage"] for e in emptied["movedEntries"]} == {"OFFER"}
    assert (await gql.execute(STAGES, token=employer.token))["pipelineStages"] == []


async def test_where_entries_may_go_and_whose_stages_may_be_deleted(gql: GraphQLClient) -> None:
    # given: two companies with a stage each
    employer, other = await make_employer(gql), await make_employer(gql)
    mine, theirs = await _stage(gql, employer.token, "Reference check"), await _stage(gql, other.token, "Reference check")
    cases = [
        ({"stageId": theirs["id"]}, [("NOT_FOUND", ["input", "stageId"])]),
        ({"stageId": mine["id"], "moveEntriesTo": "HIRED"}, [("INVALID", ["input", "moveEntriesTo"])]),
        ({"stageId": mine["id"], "moveEntriesTo": "REJECTED"}, [("INVALID", ["input", "moveEntriesTo"])]),
        ({"stageId": mine["id"], "moveEntriesTo": "CUSTOM"}, [("INVALID", ["input", "moveEntriesToCustomStageId"])]),
        ({"stageId": mine["id"], "moveEntriesTo": "CUSTOM", "moveEntriesToCustomStageId": mine["id"]},
         [("INVALID", ["input", "moveEntriesToCustomStageId"])]),
        ({"stageId": mine["id"], "moveEntriesTo": "CUSTOM", "moveEntriesToCustomStageId": theirs["id"]},
         [("NOT_FOUND", ["input", "moveEntriesToCustomStageId"])]),
    ]
    for given, expected in cases:
        # when
        refused = await gql.mutate(DELETE_STAGE, given, token=employer.token, ok=False)
        # then
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == expected, given
    assert await CustomStage.filter(id__in=[pk(mine["id"]), pk(theirs["id"])]).count() == 2
    # an empty stage needs no destination
    deleted = await gql.mutate(DELETE_STAGE, {"stageId": mine["id"]}, token=employer.token)
    assert (deleted["deletedStageId"], deleted["movedEntries"]) == (mine["id"], [])
