"""Factories for profiles: candidates with filled profiles made through the real API,
and an accepted conversation given directly in the database (the chat API is built
elsewhere; a row with status ACCEPTED is what privacy reads)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models.chat import Conversation, ConversationStatus
from models.profiles import SalaryPeriod
from resolvers.ids import parse_global_id
from tests.factories.accounts import Actor, make_candidate
from tests.graphql import GraphQLClient

UPDATE_MY_PROFILE = """
mutation Update($input: UpdateMyProfileInput!) {
  updateMyProfile(input: $input) {
    profile { id handle headline visibility anonymous yearsOfExperience countryCode workAuthorization
              desiredSalary { min max currency period } desiredRoles updatedAt }
    userErrors { code field message }
  }
}
"""
ADD_SKILL = """
mutation AddSkill($input: AddSkillInput!) {
  addSkill(input: $input) { skill { id name level years endorsementCount } profile { id } userErrors { code field message } }
}
"""
ADD_EXPERIENCE = """
mutation AddExperience($input: AddExperienceInput!) {
  addExperience(input: $input) {
    experience { id title companyName startDate endDate current }
    profile { yearsOfExperience }
    userErrors { code field message }
  }
}
"""
ADD_EDUCATION = """
mutation AddEducation($input: AddEducationInput!) {
  addEducation(input: $input) { education { id school } userErrors { code field message } }
}
"""
ADD_WORK_SAMPLE = """
mutation AddWorkSample($input: AddWorkSampleInput!) {
  addWorkSample(input: $input) { workSample { id url } userErrors { code field message } }
}
"""
ADD_REFERENCE = """
mutation AddReference($input: AddReferenceInput!) {
  addReference(input: $input) { reference { id contact } userErrors { code field message } }
}
"""


@dataclass
class Candidate:
    actor: Actor
    handle: str
    profile_id: str
    skill_ids: list[str] = field(default_factory=list)
    parts: dict[str, list[str]] = field(default_factory=dict)

    @property
    def token(self) -> str:
        return self.actor.token

    @property
    def user_pk(self) -> int:
        return parse_global_id(self.actor.id)[1]

    @property
    def profile_pk(self) -> int:
        return parse_global_id(self.profile_id)[1]


async def make_profile(
    gql: GraphQLClient,
    *,
    visibility: str = "PUBLIC",
    anonymous: bool = False,
    skills: tuple[str, ...] = ("Python",),
    full: bool = False,
    name: str | None = None,
    **profile: Any,
) -> Candidate:
    """A candidate whose profile has the given visibility and skills; ``full`` adds
    one experience, education, work sample and reference."""
    actor = await make_candidate(gql, name=name) if name else await make_candidate(gql)
    payload = await gql.mutate(
        UPDATE_MY_PROFILE,
        {"visibility": visibility, "anonymous": anonymous, "headline": "Engineer", **profile},
        token=actor.token,
    )
    candidate = Candidate(actor=actor, handle=payload["profile"]["handle"], profile_id=payload["profile"]["id"])
    for i, skill in enumerate(skills):
        added = await gql.mutate(ADD_SKILL, {"name": skill, "level": 1 + i % 5, "years": i}, token=actor.token)
        candidate.skill_ids.append(added["skill"]["id"])
    if full:
        steps = (
            ("experience", ADD_EXPERIENCE, {"title": "Developer", "companyName": "Initech", "startDate": "2015-01-01", "endDate": "2019-01-01"}),
            ("education", ADD_EDUCATION, {"school": "TU Berlin", "degree": "MSc"}),
            ("workSample", ADD_WORK_SAMPLE, {"title": "Parser", "url": "https://example.org/parser", "kind": "CODE"}),
            ("reference", ADD_REFERENCE, {"name": "Grace", "relationship": "manager", "contact": "grace@example.org"}),
        )
        for key, document, input_ in steps:
            added = await gql.mutate(document, input_, token=actor.token)
            candidate.parts.setdefault(key, []).append(added[key]["id"])
    return candidate


async def accept_contact(candidate: Candidate, employer: Actor, status: ConversationStatus = ConversationStatus.ACCEPTED) -> Conversation:
    """Given: the candidate accepted the employer's company's contact request."""
    assert employer.company_id is not None
    return await Conversation.create(
        company_id=parse_global_id(employer.company_id)[1],
        candidate_id=candidate.user_pk,
        started_by_id=parse_global_id(employer.id)[1],
        status=status,
        role_title="Engineer",
        salary_min=50_000,
        salary_max=70_000,
        salary_currency="EUR",
        salary_period=SalaryPeriod.YEAR,
    )


async def seed_full_profiles(count: int, *, endorsers: list[int], prefix: str = "seed") -> list[int]:
    """Given: ``count`` PUBLIC candidates with every part and endorsements, written with
    the ORM in bulk (a page test needs many; the API path is covered elsewhere).
    Returns the profile ids."""
    from datetime import date

    from models.accounts import Role, User
    from models.profiles import (
        Education,
        Endorsement,
        Experience,
        Profile,
        Reference,
        Skill,
        Visibility,
        WorkSample,
    )

    users = [
        User(email=f"{prefix}{n}@mail.test", password_hash="x", role=Role.CANDIDATE, display_name=f"Seed {n}")
        for n in range(count)
    ]
    await User.bulk_create(users)
    users = await User.filter(email__startswith=prefix).order_by("id")
    await Profile.bulk_create(
        [
            Profile(user_id=u.pk, handle=f"{prefix}-{n}", headline=f"Engineer {n}", visibility=Visibility.PUBLIC,
                    anonymous=n % 3 == 0, years_of_experience=n % 20)
            for n, u in enumerate(users)
        ]
    )
    profiles = await Profile.filter(handle__startswith=f"{prefix}-").order_by("id")
    parts: list[Any] = []
    for p in profiles:
        parts += [Experience(profile_id=p.pk, title="Dev", company_name="Initech", start_date=date(2015, 1, 1), current=True, position=0)]
        parts += [Education(profile_id=p.pk, school="TU", position=0)]
        parts += [WorkSample(profile_id=p.pk, title="Lib", url="https://example.org", position=0)]
        parts += [Reference(profile_id=p.pk, name="Ref", relationship="peer", contact="ref@example.org", position=0)]
    for model in (Experience, Education, WorkSample, Reference):
        await model.bulk_create([row for row in parts if isinstance(row, model)])
    await Skill.bulk_create(
        [Skill(profile_id=p.pk, name=f"S{k}", normalized_name=f"s{k}", level=3, position=k) for p in profiles for k in range(4)]
    )
    skills = await Skill.filter(profile_id__in=[p.pk for p in profiles])
    await Endorsement.bulk_create(
        [Endorsement(skill_id=s.pk, endorser_id=e, comment="solid") for s in skills for e in endorsers]
    )
    return [p.pk for p in profiles]
