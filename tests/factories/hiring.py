"""Factories and operations for hiring tests: roles and pipelines built through the API."""

from __future__ import annotations

from typing import Any

from tests.factories.accounts import Actor
from tests.graphql import GraphQLClient

ERRORS = "userErrors { code field message }"
ENTRY_FIELDS = """
fragment EntryFields on PipelineEntry {
  id stage stageReason version candidateLeft
  candidate { id displayName }
  profile { id handle displayName }
  lastNote { id body }
  tags { id name }
  history { fromStage toStage trigger reason actor { id } }
}
"""
CREATE_ROLE = f"""
mutation($input: CreateRoleInput!) {{
  createRole(input: $input) {{ role {{ id title status headcount filledCount salaryRange {{ min max currency period }} team {{ id }} }} {ERRORS} }}
}}
"""
ROLE = """
query($id: ID!) {
  role(id: $id) {
    id status filledCount headcount
    stageCounts { stage count customStage { id name } }
    numbers {
      conversions { fromStage toStage reachedFrom reachedTo rate }
      daysInStage { stage medianDays stays }
      medianHoursToFirstReply replies
    }
  }
}
"""
ADD_TO_PIPELINE = ENTRY_FIELDS + f"""
mutation($input: AddToPipelineInput!) {{ addToPipeline(input: $input) {{ entry {{ ...EntryFields }} {ERRORS} }} }}
"""
MOVE = ENTRY_FIELDS + f"""
mutation($input: MovePipelineEntryInput!) {{ movePipelineEntry(input: $input) {{ entry {{ ...EntryFields }} {ERRORS} }} }}
"""
ADD_NOTE = f"""
mutation($input: AddPipelineNoteInput!) {{ addPipelineNote(input: $input) {{ note {{ id body author {{ id }} }} {ERRORS} }} }}
"""
CREATE_TAG = f"""
mutation($input: CreatePipelineTagInput!) {{ createPipelineTag(input: $input) {{ tag {{ id name }} {ERRORS} }} }}
"""
SET_TAGS = ENTRY_FIELDS + f"""
mutation($input: SetPipelineEntryTagsInput!) {{ setPipelineEntryTags(input: $input) {{ entry {{ ...EntryFields }} {ERRORS} }} }}
"""
PIPELINE = ENTRY_FIELDS + """
query($roleId: ID!, $stage: PipelineStage, $tag: ID, $first: Int, $after: String) {
  pipeline(roleId: $roleId, stage: $stage, tag: $tag, first: $first, after: $after) {
    totalCount
    edges { cursor node { ...EntryFields } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
PIPELINE_UPDATED = """
subscription($roleId: ID!) { pipelineUpdated(roleId: $roleId) { change entry { id stage candidateLeft } } }
"""


def role_input(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "Data engineer",
        "description": "Pipelines and **warehouses**.",
        "salaryRange": {"min": 60000, "max": 80000, "currency": "EUR", "period": "YEAR"},
        "headcount": 1,
        **overrides,
    }


async def create_role(gql: GraphQLClient, employer: Actor, **overrides: Any) -> dict[str, Any]:
    payload = await gql.mutate(CREATE_ROLE, role_input(**overrides), token=employer.token)
    return payload["role"]


async def add_to_pipeline(gql: GraphQLClient, employer: Actor, role_id: str, candidate_id: str) -> dict[str, Any]:
    payload = await gql.mutate(ADD_TO_PIPELINE, {"roleId": role_id, "candidateId": candidate_id}, token=employer.token)
    return payload["entry"]


async def pipeline(gql: GraphQLClient, employer: Actor, role_id: str, **arguments: Any) -> dict[str, Any]:
    data = await gql.execute(PIPELINE, {"roleId": role_id, **arguments}, token=employer.token)
    return data["pipeline"]
