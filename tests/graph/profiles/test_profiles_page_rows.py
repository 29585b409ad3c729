"""The employers' page of profiles reads its parts and endorsements as rows
(``resolvers/rows.py``), not as the Tortoise models every other path hands out: what it
answers must be what those paths answer, field for field and privacy rule for rule."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from tortoise.models import Model

from tests.factories.accounts import make_candidate, make_employer
from tests.factories.profiles import make_profile
from tests.graphql import GraphQLClient

CARD = """
fragment Card on Profile {
  id handle displayName headline summary city countryCode remotePreference openToWork desiredRoles
  yearsOfExperience updatedAt
  skills { ...SkillFields endorsements(first: 3) { ...EndorsementFields } }
  experience { ...ExperienceFields } education { ...EducationFields } workSamples { ...WorkSampleFields }
  references { ...ReferenceFields }
}
"""
PART_FRAGMENTS = """
fragment SkillFields on Skill { id name level years endorsementCount }
fragment EndorsementFields on Endorsement { id comment hidden createdAt endorser { id displayName } }
fragment ExperienceFields on Experience { id title startDate endDate current description companyName }
fragment EducationFields on Education { id school degree fieldOfStudy began: startDate ended: endDate }
fragment WorkSampleFields on WorkSample { id title kind description url }
fragment ReferenceFields on Reference { id name relationship contact }
"""
PAGE = "query($first: Int!) { profiles(first: $first) { edges { node { ...Card } } } }" + CARD + PART_FRAGMENTS
NODE = "query($id: ID!) { node(id: $id) { ...Card } }" + CARD + PART_FRAGMENTS
PARTS = """
query($ids: [ID!]!) { nodes(ids: $ids) {
  ... on Skill { ...SkillFields } ... on Endorsement { ...EndorsementFields } ... on Experience { ...ExperienceFields }
  ... on Education { ...EducationFields } ... on WorkSample { ...WorkSampleFields } ... on Reference { ...ReferenceFields }
} }
""" + PART_FRAGMENTS
ENDORSE = """
mutation($input: EndorseSkillInput!) { endorseSkill(input: $input) { endorsement { id } userErrors { code } } }
"""
HIDE = "mutation($input: HideEndorsementInput!) { hideEndorsement(input: $input) { endorsement { id } userErrors { code } } }"
PART_MODELS = {"Skill", "Endorsement", "Experience", "Education", "WorkSample", "Reference"}


def models_built(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count the Tortoise instances built from database rows, by model, from now on."""
    built: Counter[str] = Counter()
    original = Model._init_from_db.__func__  # type: ignore[attr-defined]  # the classmethod's function

    def counted(cls: type[Model], **kwargs: Any) -> Model:
        built[cls.__name__] += 1
        return original(cls, **kwargs)  # type: ignore[no-any-return]  # Tortoise's own

    monkeypatch.setattr(Model, "_init_from_db", classmethod(counted))
    return built


async def test_a_newcomers_page_answers_as_the_profile_and_its_parts_do_field_by_field(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: from bare sign-ups through the API, a candidate with a named profile and one
    # anonymous to employers, both full; a peer who just signed up (her own profile still
    # hidden) and a named candidate endorse them; one endorsement is hidden again
    named = await make_profile(gql, visibility="PUBLIC", skills=("Python", "SQL"), full=True, city="Berlin",
                               desiredRoles=["Engineer"])
    anonymous = await make_profile(gql, visibility="PUBLIC", anonymous=True, skills=("Go",), full=True)
    newcomer = await make_candidate(gql)
    for skill_id in named.skill_ids + anonymous.skill_ids:
        await gql.mutate(ENDORSE, {"skillId": skill_id, "comment": "solid"}, token=newcomer.token)
    await gql.mutate(ENDORSE, {"skillId": anonymous.skill_ids[0], "comment": "sharp"}, token=named.token)
    hidden = await gql.mutate(ENDORSE, {"skillId": named.skill_ids[1], "comment": "meh"}, token=anonymous.token)
    await gql.mutate(HIDE, {"endorsementId": hidden["endorsement"]["id"]}, token=named.token)
    employer = await make_employer(gql)  # signs up and confirms the mailed code
    built = models_built(monkeypatch)
    # when: the page (parts read as rows), each profile alone (loaded field by field) and
    # each part by its own ID (Tortoise models)
    page = [edge["node"] for edge in (await gql.execute(PAGE, {"first": 10}, token=employer.token))["profiles"]["edges"]]
    page_built = set(built)
    singles = [(await gql.execute(NODE, {"id": node["id"]}, token=employer.token))["node"] for node in page]
    lists = ("skills", "experience", "education", "workSamples", "references")
    parts = [part for node in page for name in lists for part in node[name] or []]
    endorsements = [e for node in page for skill in node["skills"] for e in skill["endorsements"]]
    by_id = (await gql.execute(PARTS, {"ids": [p["id"] for p in parts + endorsements]}, token=employer.token))["nodes"]
    # then: the same answers
    assert not PART_MODELS & page_built, page_built
    assert sorted(n["id"] for n in page) == sorted([anonymous.profile_id, named.profile_id])
    assert page == singles
    assert [{k: v for k, v in p.items() if k != "endorsements"} for p in parts] + endorsements == by_id
    # and privacy as on every path: no identity of the anonymous candidate, the
    # newcomer's name hidden as her own profile is, the hidden endorsement nowhere
    shown, named_node = sorted(page, key=lambda n: n["id"] != anonymous.profile_id)
    assert shown["handle"] is None and shown["displayName"] is None and shown["references"] is None
    assert shown["experience"][0]["companyName"] is None and shown["workSamples"][0]["url"] is None
    assert named_node["experience"][0]["companyName"] == "Initech" and named_node["references"][0]["contact"] is None
    names = {e["endorser"]["displayName"] for e in endorsements}
    assert names == {"Anonymous candidate", named.actor.display_name}
    assert [s["endorsementCount"] for s in named_node["skills"]] == [1, 1]
    assert "meh" not in {e["comment"] for e in endorsements}
    assert [s["endorsementCount"] for s in shown["skills"]] == [2]
