"""Editing a profile and its parts: validation, limits, ordering, derived years, and
who may call the mutations."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from models.profiles import Education, Experience, Profile, Reference, Skill, WorkSample
from resolvers.profiles.years import derived_years
from tests.factories.accounts import make_candidate, make_employer
from tests.factories.profiles import (
    ADD_EDUCATION,
    ADD_EXPERIENCE,
    ADD_REFERENCE,
    ADD_SKILL,
    ADD_WORK_SAMPLE,
    UPDATE_MY_PROFILE,
    make_profile,
)
from tests.graphql import GraphQLClient

MY_PROFILE = """
{ myProfile { id handle headline skills { id name level years } experience { id title }
  education { id } workSamples { id } references { id contact } yearsOfExperience stale availabilityConfirmedAt } }
"""
VIEWER_PROFILE = "{ viewer { profile { handle } } }"
UPDATE_SKILL = """
mutation($input: UpdateSkillInput!) { updateSkill(input: $input) { skill { id name level years } userErrors { code field } } }
"""
UPDATE_EXPERIENCE = """
mutation($input: UpdateExperienceInput!) {
  updateExperience(input: $input) { experience { id endDate current } profile { yearsOfExperience } userErrors { code field } }
}
"""
REMOVE_SKILL = "mutation($input: RemoveProfileItemInput!) { removeSkill(input: $input) { profile { skills { name } } userErrors { code field } } }"
REORDER_SKILLS = "mutation($input: ReorderProfileItemsInput!) { reorderSkills(input: $input) { profile { skills { name } } userErrors { code field } } }"
REMOVE_EXPERIENCE = "mutation($input: RemoveProfileItemInput!) { removeExperience(input: $input) { profile { yearsOfExperience } userErrors { code } } }"
CONFIRM = "mutation { confirmAvailability { profile { availabilityConfirmedAt stale } userErrors { code } } }"


async def test_update_my_profile_stores_every_field(gql: GraphQLClient) -> None:
    # given
    candidate = await make_candidate(gql)
    # when
    payload = await gql.mutate(
        UPDATE_MY_PROFILE,
        {
            "handle": "Ada-Lovelace", "headline": "Analyst", "summary": "Engines", "city": "London",
            "countryCode": "gb", "remotePreference": "HYBRID", "openToWork": "ACTIVELY_LOOKING",
            "visibility": "EMPLOYERS", "anonymous": True, "desiredRoles": ["Engineer", " Engineer "],
            "desiredSalaryMin": 60000, "desiredSalaryMax": 80000, "desiredSalaryCurrency": "eur",
            "desiredSalaryPeriod": "YEAR", "availableFrom": "2030-01-01", "workAuthorization": ["de", "GB", "de"],
            "careerGoals": "Lead", "photoUrl": "https://example.org/a.png",
        },
        token=candidate.token,
    )
    # then
    profile = payload["profile"]
    assert profile["handle"] == "ada-lovelace"
    assert profile["desiredSalary"] == {"min": 60000, "max": 80000, "currency": "EUR", "period": "YEAR"}
    assert profile["workAuthorization"] == ["DE", "GB"] and profile["countryCode"] == "GB"
    assert profile["desiredRoles"] == ["Engineer"]
    row = await Profile.get(handle="ada-lovelace")
    assert (row.city, row.anonymous, row.available_from) == ("London", True, date(2030, 1, 1))
    assert (await gql.execute(VIEWER_PROFILE, token=candidate.token))["viewer"]["profile"]["handle"] == "ada-lovelace"


async def test_fields_left_out_keep_their_value_and_null_clears(gql: GraphQLClient) -> None:
    candidate = await make_candidate(gql)
    await gql.mutate(UPDATE_MY_PROFILE, {"city": "Paris", "headline": "One"}, token=candidate.token)
    await gql.mutate(UPDATE_MY_PROFILE, {"city": None}, token=candidate.token)
    row = await Profile.get(user__email=candidate.email)
    assert (row.city, row.headline) == (None, "One")


@pytest.mark.parametrize(
    ("input_", "code", "field"),
    [
        ({"handle": "A"}, "INVALID", "handle"),
        ({"handle": "bad_handle!"}, "INVALID", "handle"),
        ({"headline": "h" * 161}, "TOO_LONG", "headline"),
        ({"summary": "s" * 5001}, "TOO_LONG", "summary"),
        ({"photoUrl": "javascript:alert(1)"}, "INVALID_URL", "photoUrl"),
        ({"photoUrl": "ftp://example.org/a"}, "INVALID_URL", "photoUrl"),
        ({"countryCode": "XX"}, "INVALID_COUNTRY", "countryCode"),
        ({"workAuthorization": ["DE", "ZZ"]}, "INVALID_COUNTRY", "workAuthorization"),
        ({"workAuthorization": ["DE"] * 31}, "TOO_MANY", "workAuthorization"),
        ({"desiredSalaryMin": 1, "desiredSalaryCurrency": "EUX", "desiredSalaryPeriod": "YEAR"}, "INVALID_CURRENCY", "desiredSalaryCurrency"),
        ({"desiredSalaryMin": 9, "desiredSalaryMax": 1, "desiredSalaryCurrency": "EUR", "desiredSalaryPeriod": "YEAR"}, "OUT_OF_RANGE", "desiredSalaryMax"),
        ({"desiredSalaryMin": 9}, "REQUIRED", "desiredSalaryCurrency"),
        ({"desiredSalaryMin": -1}, "OUT_OF_RANGE", "desiredSalaryMin"),
        ({"desiredRoles": ["r"] * 11}, "TOO_MANY", "desiredRoles"),
        ({"desiredRoles": ["r" * 81]}, "TOO_LONG", "desiredRoles"),
        ({"yearsOfExperience": 71}, "OUT_OF_RANGE", "yearsOfExperience"),
        ({"careerGoals": "g" * 2001}, "TOO_LONG", "careerGoals"),
        ({"visibility": None}, "REQUIRED", "visibility"),
        ({"handle": None}, "REQUIRED", "handle"),
    ],
)
async def test_update_my_profile_rejects_bad_input_and_changes_nothing(
    gql: GraphQLClient, input_: dict[str, object], code: str, field: str
) -> None:
    # given
    candidate = await make_candidate(gql)
    before = await Profile.get(user__email=candidate.email)
    # when
    payload = await gql.mutate(UPDATE_MY_PROFILE, {"headline": "changed", **input_}, token=candidate.token, ok=False)
    # then
    assert payload["profile"] is None
    assert {"code": code, "field": ["input", field]} in [{"code": e["code"], "field": e["field"]} for e in payload["userErrors"]]
    after = await Profile.get(id=before.pk)
    assert (after.headline, after.handle, after.updated_at) == (before.headline, before.handle, before.updated_at)


async def test_handle_is_unique_even_under_concurrency(gql: GraphQLClient) -> None:
    # given
    first = await make_candidate(gql)
    second = await make_candidate(gql)
    await gql.mutate(UPDATE_MY_PROFILE, {"handle": "taken"}, token=first.token)
    # when
    taken = await gql.mutate(UPDATE_MY_PROFILE, {"handle": "TAKEN"}, token=second.token, ok=False)
    third = await make_candidate(gql)
    racers = await asyncio.gather(
        gql.mutate(UPDATE_MY_PROFILE, {"handle": "contested"}, token=second.token, ok=False),
        gql.mutate(UPDATE_MY_PROFILE, {"handle": "contested"}, token=third.token, ok=False),
    )
    # then
    assert [e["code"] for e in taken["userErrors"]] == ["HANDLE_TAKEN"]
    outcomes = sorted(tuple(e["code"] for e in r["userErrors"]) for r in racers)
    assert outcomes == [(), ("HANDLE_TAKEN",)]
    assert await Profile.filter(handle="contested").count() == 1


@pytest.mark.parametrize(
    "document",
    [MY_PROFILE, CONFIRM, "{ myAccessLog { totalCount } }", "{ myBlocks { totalCount } }"],
)
async def test_profile_operations_need_a_candidate(gql: GraphQLClient, document: str) -> None:
    employer = await make_employer(gql)
    assert (await gql.post(document)).codes == ["UNAUTHENTICATED"]
    assert (await gql.post(document, token=employer.token)).codes == ["FORBIDDEN"]


@pytest.mark.parametrize(
    ("document", "input_"),
    [
        (UPDATE_MY_PROFILE, {"headline": "x"}),
        (ADD_SKILL, {"name": "Go", "level": 3}),
        (ADD_EXPERIENCE, {"title": "t", "companyName": "c", "startDate": "2020-01-01", "current": True}),
        (ADD_EDUCATION, {"school": "s"}),
        (ADD_WORK_SAMPLE, {"title": "t", "url": "https://x.org"}),
        (ADD_REFERENCE, {"name": "n", "relationship": "r", "contact": "c"}),
        (REORDER_SKILLS, {"ids": []}),
    ],
)
async def test_profile_mutations_need_a_candidate(gql: GraphQLClient, document: str, input_: dict[str, object]) -> None:
    employer = await make_employer(gql)
    assert (await gql.post(document, {"input": input_})).codes == ["UNAUTHENTICATED"]
    assert (await gql.post(document, {"input": input_}, token=employer.token)).codes == ["FORBIDDEN"]
    for model in (Skill, Experience, Education, WorkSample, Reference):
        assert await model.all().count() == 0


async def test_skills_are_normalised_ordered_updated_and_removed(gql: GraphQLClient) -> None:
    # given
    candidate = await make_profile(gql, skills=("Machine  Learning", "Go", "Rust"))
    # when: the same name in another case/spacing is a duplicate
    duplicate = await gql.mutate(ADD_SKILL, {"name": " machine learning ", "level": 2}, token=candidate.token, ok=False)
    renamed_onto = await gql.mutate(UPDATE_SKILL, {"id": candidate.skill_ids[1], "name": "MACHINE learning"}, token=candidate.token, ok=False)
    updated = await gql.mutate(UPDATE_SKILL, {"id": candidate.skill_ids[1], "level": 5, "years": None}, token=candidate.token)
    reordered = await gql.mutate(REORDER_SKILLS, {"ids": list(reversed(candidate.skill_ids))}, token=candidate.token)
    removed = await gql.mutate(REMOVE_SKILL, {"id": candidate.skill_ids[2]}, token=candidate.token)
    # then
    assert [e["code"] for e in duplicate["userErrors"]] == ["DUPLICATE"]
    assert duplicate["userErrors"][0]["field"] == ["input", "name"]
    assert [e["code"] for e in renamed_onto["userErrors"]] == ["DUPLICATE"]
    assert updated["skill"] == {"id": candidate.skill_ids[1], "name": "Go", "level": 5, "years": None}
    assert [s["name"] for s in reordered["profile"]["skills"]] == ["Rust", "Go", "Machine Learning"]
    assert [s["name"] for s in removed["profile"]["skills"]] == ["Go", "Machine Learning"]
    assert sorted(await Skill.all().values_list("normalized_name", flat=True)) == ["go", "machine learning"]


@pytest.mark.parametrize(
    ("input_", "code", "field"),
    [
        ({"name": "", "level": 3}, "REQUIRED", "name"),
        ({"name": "x" * 61, "level": 3}, "TOO_LONG", "name"),
        ({"name": "Go", "level": 0}, "OUT_OF_RANGE", "level"),
        ({"name": "Go", "level": 6}, "OUT_OF_RANGE", "level"),
        ({"name": "Go", "level": 3, "years": 71}, "OUT_OF_RANGE", "years"),
    ],
)
async def test_add_skill_validation(gql: GraphQLClient, input_: dict[str, object], code: str, field: str) -> None:
    candidate = await make_candidate(gql)
    payload = await gql.mutate(ADD_SKILL, input_, token=candidate.token, ok=False)
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, ["input", field])]
    assert await Skill.all().count() == 0


async def test_list_sizes_are_limited(gql: GraphQLClient) -> None:
    # given: a candidate at the reference limit (10), and the skill limit (50) via the ORM
    candidate = await make_profile(gql, skills=())
    for n in range(10):
        await gql.mutate(ADD_REFERENCE, {"name": f"R{n}", "relationship": "peer", "contact": "x"}, token=candidate.token)
    await Skill.bulk_create(
        [Skill(profile_id=candidate.profile_pk, name=f"S{n}", normalized_name=f"s{n}", level=1, position=n) for n in range(50)]
    )
    # when
    reference = await gql.mutate(ADD_REFERENCE, {"name": "One more", "relationship": "peer", "contact": "x"}, token=candidate.token, ok=False)
    skill = await gql.mutate(ADD_SKILL, {"name": "One more", "level": 1}, token=candidate.token, ok=False)
    # then
    assert [e["code"] for e in reference["userErrors"]] == ["TOO_MANY"]
    assert [e["code"] for e in skill["userErrors"]] == ["TOO_MANY"]
    assert await Reference.all().count() == 10 and await Skill.all().count() == 50


@pytest.mark.parametrize(
    ("document", "input_", "code", "field"),
    [
        (ADD_EXPERIENCE, {"title": "t", "companyName": "c", "startDate": "2020-01-01", "endDate": "2019-01-01"}, "INVALID_DATE_RANGE", "endDate"),
        (ADD_EXPERIENCE, {"title": "t", "companyName": "c", "startDate": "2020-01-01"}, "REQUIRED", "endDate"),
        (ADD_EXPERIENCE, {"title": "t", "companyName": "c", "startDate": "2020-01-01", "endDate": "2021-01-01", "current": True}, "INVALID", "endDate"),
        (ADD_EXPERIENCE, {"title": "", "companyName": "c", "startDate": "2020-01-01", "current": True}, "REQUIRED", "title"),
        (ADD_EXPERIENCE, {"title": "t", "companyName": "c" * 121, "startDate": "2020-01-01", "current": True}, "TOO_LONG", "companyName"),
        (ADD_EXPERIENCE, {"title": "t", "companyName": "c", "startDate": "2999-01-01", "current": True}, "OUT_OF_RANGE", "startDate"),
        (ADD_EDUCATION, {"school": "s", "startDate": "2020-01-01", "endDate": "2010-01-01"}, "INVALID_DATE_RANGE", "endDate"),
        (ADD_EDUCATION, {"school": "s" * 161}, "TOO_LONG", "school"),
        (ADD_WORK_SAMPLE, {"title": "t", "url": "data:text/html,hi"}, "INVALID_URL", "url"),
        (ADD_WORK_SAMPLE, {"title": "t", "url": ""}, "REQUIRED", "url"),
        (ADD_REFERENCE, {"name": "n", "relationship": "r", "contact": "c" * 255}, "TOO_LONG", "contact"),
    ],
)
async def test_part_validation(gql: GraphQLClient, document: str, input_: dict[str, object], code: str, field: str) -> None:
    candidate = await make_candidate(gql)
    payload = await gql.mutate(document, input_, token=candidate.token, ok=False)
    assert (code, ["input", field]) in [(e["code"], e["field"]) for e in payload["userErrors"]]
    for model in (Experience, Education, WorkSample, Reference):
        assert await model.all().count() == 0


async def test_years_of_experience_merge_overlaps_unless_stated(gql: GraphQLClient) -> None:
    # given: 2010–2014 and 2012–2016 overlap (6 years), 2018–2020 adds 2
    candidate = await make_candidate(gql)
    ids = []
    for start, end in (("2010-01-01", "2014-01-01"), ("2012-01-01", "2016-01-01"), ("2018-01-01", "2020-01-01")):
        payload = await gql.mutate(
            ADD_EXPERIENCE, {"title": "t", "companyName": "c", "startDate": start, "endDate": end}, token=candidate.token
        )
        ids.append(payload["experience"]["id"])
    assert payload["profile"]["yearsOfExperience"] == 8
    # when the candidate states it, the statement wins; null derives again
    stated = await gql.mutate(UPDATE_MY_PROFILE, {"yearsOfExperience": 3}, token=candidate.token)
    assert stated["profile"]["yearsOfExperience"] == 3
    derived = await gql.mutate(UPDATE_MY_PROFILE, {"yearsOfExperience": None}, token=candidate.token)
    assert derived["profile"]["yearsOfExperience"] == 8
    # removing and updating experience re-derive it
    removed = await gql.mutate(REMOVE_EXPERIENCE, {"id": ids[2]}, token=candidate.token)
    assert removed["profile"]["yearsOfExperience"] == 6
    updated = await gql.mutate(UPDATE_EXPERIENCE, {"id": ids[1], "endDate": "2012-06-01"}, token=candidate.token)
    assert updated["profile"]["yearsOfExperience"] == 4
    assert (await Profile.get(user__email=candidate.email)).years_of_experience == 4


def test_derived_years_counts_current_positions_until_today() -> None:
    assert derived_years([(date(2020, 1, 1), None)], today=date(2023, 1, 2)) == 3
    assert derived_years([(date(2020, 1, 1), date(2021, 1, 1)), (date(2020, 6, 1), date(2020, 7, 1))]) == 1
    assert derived_years([]) == 0


async def test_parts_of_another_candidate_are_not_found(gql: GraphQLClient) -> None:
    owner = await make_profile(gql, skills=("Go",))
    intruder = await make_candidate(gql)
    update = await gql.mutate(UPDATE_SKILL, {"id": owner.skill_ids[0], "level": 1}, token=intruder.token, ok=False)
    remove = await gql.mutate(REMOVE_SKILL, {"id": owner.skill_ids[0]}, token=intruder.token, ok=False)
    reorder = await gql.mutate(REORDER_SKILLS, {"ids": owner.skill_ids}, token=intruder.token, ok=False)
    assert [e["code"] for e in update["userErrors"]] == ["NOT_FOUND"]
    assert [e["code"] for e in remove["userErrors"]] == ["NOT_FOUND"]
    assert [e["code"] for e in reorder["userErrors"]] == ["INVALID"]
    assert (await Skill.get(profile_id=owner.profile_pk)).level == 1
    assert await Skill.filter(profile_id=owner.profile_pk).count() == 1


async def test_confirm_availability_makes_a_profile_fresh(gql: GraphQLClient, settings) -> None:
    # given: a profile created long ago and never confirmed
    candidate = await make_candidate(gql)
    from datetime import datetime, timedelta, timezone

    old = datetime.now(timezone.utc) - timedelta(days=settings.availability_ttl_days + 1)
    await Profile.filter(user__email=candidate.email).update(created_at=old)
    assert (await gql.execute(MY_PROFILE, token=candidate.token))["myProfile"]["stale"] is True
    # when
    payload = (await gql.execute(CONFIRM, token=candidate.token))["confirmAvailability"]
    # then
    assert payload["profile"]["stale"] is False and payload["profile"]["availabilityConfirmedAt"]
    assert (await Profile.get(user__email=candidate.email)).availability_confirmed_at is not None
