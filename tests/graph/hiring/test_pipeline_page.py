"""A pipeline page costs the same number of SQL statements whatever its size: candidate,
profile, stage, last note and tags all go through DataLoaders (counted on the real
connection, like tests/graph/profiles/test_profiles_page.py)."""

from __future__ import annotations

from models.hiring import PipelineEntry, PipelineEntryTag, PipelineNote, PipelineStage, PipelineTag
from models.profiles import Profile
from resolvers.ids import parse_global_id
from tests.factories.accounts import make_candidate, make_employer
from tests.factories.hiring import create_role
from tests.factories.profiles import seed_full_profiles
from tests.graph.profiles.test_profiles_page import count_statements
from tests.graphql import GraphQLClient

ENTRY = """
fragment Entry on PipelineEntry {
  id stage version
  candidate { id displayName identityHidden }
  profile { id handle displayName headline }
  lastNote { body author { displayName } }
  tags { name }
}
"""
PAGE = ENTRY + """
query($roleId: ID!, $first: Int!) {
  pipeline(roleId: $roleId, first: $first) {
    totalCount
    edges { cursor node { ...Entry } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
# The same entries one by one: loaded field by field, not by the page's prefetch.
NODES = ENTRY + """
query($ids: [ID!]!) { nodes(ids: $ids) { ...Entry } }
"""


async def seed_pipeline(role_pk: int, company_pk: int, author_pk: int, user_ids: list[int]) -> None:
    """Given: every candidate on the role, each with two notes and two tags (ORM, in bulk)."""
    tags = [await PipelineTag.create(company_id=company_pk, name=name) for name in ("python", "senior", "remote")]
    stages = list(PipelineStage)
    await PipelineEntry.bulk_create([
        PipelineEntry(role_id=role_pk, company_id=company_pk, candidate_id=user_id, stage=stages[i % 6])
        for i, user_id in enumerate(user_ids)
    ])
    entries = await PipelineEntry.filter(role_id=role_pk).order_by("id")
    await PipelineNote.bulk_create([
        PipelineNote(entry_id=e.pk, author_id=author_pk, body=f"note {n} on {e.pk}") for e in entries for n in (1, 2)
    ])
    await PipelineEntryTag.bulk_create([
        PipelineEntryTag(entry_id=e.pk, tag_id=tags[(i + k) % 3].pk) for i, e in enumerate(entries) for k in (0, 1)
    ])


async def test_pipeline_pages_of_5_and_50_cost_the_same_statements(gql: GraphQLClient) -> None:
    # given: 60 full profiles (some anonymous) on a role, noted and tagged
    employer = await make_employer(gql)
    fan = await make_candidate(gql)
    profile_ids = await seed_full_profiles(60, endorsers=[parse_global_id(fan.id)[1]])
    user_ids = [p.user_id for p in await Profile.filter(id__in=profile_ids).order_by("id")]
    await Profile.filter(id__in=profile_ids[::3]).update(anonymous=True)
    role = await create_role(gql, employer)
    assert employer.company_id is not None
    await seed_pipeline(parse_global_id(role["id"])[1], parse_global_id(employer.company_id)[1], parse_global_id(employer.id)[1], user_ids)
    # when
    with count_statements() as small:
        page5 = (await gql.execute(PAGE, {"roleId": role["id"], "first": 5}, token=employer.token))["pipeline"]
    with count_statements() as large:
        page50 = (await gql.execute(PAGE, {"roleId": role["id"], "first": 50}, token=employer.token))["pipeline"]
    # then
    assert len(page5["edges"]) == 5 and len(page50["edges"]) == 50
    assert len(small) == len(large), (small, large)
    assert len(large) <= 16, large
    nodes = [edge["node"] for edge in page50["edges"]]
    assert all(n["lastNote"]["body"].startswith("note 2") and len(n["tags"]) == 2 for n in nodes)
    anonymous = [n for n in nodes if n["profile"]["handle"] is None]
    named = [n for n in nodes if n["profile"]["handle"] is not None]
    assert anonymous and named
    # an anonymous candidate stays anonymous in the pipeline: no person, no name
    assert all(n["candidate"] is None and n["profile"]["displayName"] is None for n in anonymous)
    assert all(n["candidate"] is not None for n in named)
    # the page (prefetched for all entries at once) answers exactly as each entry alone
    for chunk in (nodes[:25], nodes[25:]):
        alone = await gql.execute(NODES, {"ids": [n["id"] for n in chunk]}, token=employer.token)
        assert alone["nodes"] == chunk
