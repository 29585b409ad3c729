"""A note's whole life through the API: written, changed, deleted (its global ID in the
payload); deleting it again, or naming another type's ID, is a NOT_FOUND userError."""

from __future__ import annotations

from models.hiring import PipelineNote
from tests.factories.accounts import make_employer
from tests.factories.chat import make_reachable_candidate
from tests.factories.hiring import ADD_NOTE, ERRORS, add_to_pipeline, create_role
from tests.factories.offers import pk
from tests.graphql import GraphQLClient

EDIT_NOTE = f"""
mutation($input: EditPipelineNoteInput!) {{ editPipelineNote(input: $input) {{ note {{ id body }} {ERRORS} }} }}
"""
DELETE_NOTE = f"""
mutation($input: DeletePipelineNoteInput!) {{ deletePipelineNote(input: $input) {{ deletedNoteId {ERRORS} }} }}
"""


async def test_a_note_is_written_changed_and_deleted_once(gql: GraphQLClient) -> None:
    # given: an employer (signed up, email confirmed) with a candidate on a role
    employer = await make_employer(gql)
    ada = await make_reachable_candidate(gql)
    role = await create_role(gql, employer)
    entry = await add_to_pipeline(gql, employer, role["id"], ada.id)
    note = (await gql.mutate(ADD_NOTE, {"entryId": entry["id"], "body": "First call went well."}, token=employer.token))["note"]
    # when: she changes it, then deletes it
    edited = await gql.mutate(EDIT_NOTE, {"noteId": note["id"], "body": "Second call too."}, token=employer.token)
    deleted = await gql.mutate(DELETE_NOTE, {"noteId": note["id"]}, token=employer.token)
    # then
    assert edited["note"] == {"id": note["id"], "body": "Second call too."}
    assert deleted["deletedNoteId"] == note["id"]
    assert await PipelineNote.filter(id=pk(note["id"])).count() == 0
    # when: the note is deleted again, or another type's ID is named
    for note_id in (note["id"], entry["id"]):
        refused = await gql.mutate(DELETE_NOTE, {"noteId": note_id}, token=employer.token, ok=False)
        # then: nothing is deleted, the payload says why
        assert refused["deletedNoteId"] is None
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("NOT_FOUND", ["input", "noteId"])]
