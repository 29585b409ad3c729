"""The candidate makes her profile findable (../operations/profiles.graphql), and a second
candidate does the same so that search has two results to page through."""

from __future__ import annotations

from openforwork_client import AddSkillInput, OpenToWork, Role, SalaryPeriod, UpdateMyProfileInput, Visibility
from steps.accounts import log_in, sign_up
from world import Account, Steps, World, check, need, no_user_errors

steps = Steps()


async def update_profile(world: World, account: Account, profile_input: UpdateMyProfileInput) -> str:
    async with world.client(account.token) as client:
        result = (await client.update_my_profile(profile_input)).update_my_profile
    no_user_errors(result.user_errors)
    profile = need(result.profile, "updateMyProfile.profile")
    check(
        profile.visibility == profile_input.visibility and profile.open_to_work == profile_input.open_to_work,
        f"profile {profile}",
    )
    return profile.id


async def add_skill(world: World, account: Account, name: str, level: int, years: int | None = None) -> str:
    async with world.client(account.token) as client:
        result = (await client.add_skill(AddSkillInput(name=name, level=level, years=years))).add_skill
    no_user_errors(result.user_errors)
    skill = need(result.skill, "addSkill.skill")
    check(skill.name == name and skill.level == level, f"skill {skill}")
    return f"{skill.name} {skill.level}"


async def confirm_availability(world: World, account: Account) -> str:
    async with world.client(account.token) as client:
        result = (await client.confirm_availability()).confirm_availability
    no_user_errors(result.user_errors)
    profile = need(result.profile, "confirmAvailability.profile")
    check(profile.availability_confirmed_at is not None and not profile.stale, f"profile {profile}")
    return need(profile.availability_confirmed_at, "availabilityConfirmedAt").isoformat()


@steps("candidate logs in again")
async def candidate_logs_in_again(world: World) -> str:
    await log_in(world, need(world.candidate, "candidate"))
    return "new token"


@steps("updateMyProfile")
async def update_my_profile(world: World) -> str:
    world.profile_id = await update_profile(
        world,
        need(world.candidate, "candidate"),
        UpdateMyProfileInput(
            headline=f"Backend engineer {world.run_word}",
            summary="Eight years of Python services and PostgreSQL.",
            visibility=Visibility.EMPLOYERS,
            open_to_work=OpenToWork.ACTIVELY_LOOKING,
            city="Berlin",
            country_code="DE",
            desired_salary_min=85000,
            desired_salary_max=110000,
            desired_salary_currency="EUR",
            desired_salary_period=SalaryPeriod.YEAR,
        ),
    )
    return "EMPLOYERS, ACTIVELY_LOOKING, 85000-110000 EUR a year"


@steps("addSkill x2")
async def add_two_skills(world: World) -> str:
    candidate = need(world.candidate, "candidate")
    return ", ".join([await add_skill(world, candidate, "Python", 5, 8), await add_skill(world, candidate, "PostgreSQL", 4)])


@steps("confirmAvailability")
async def confirm_candidate_availability(world: World) -> str:
    return await confirm_availability(world, need(world.candidate, "candidate"))


@steps("second candidate (anonymous, OPEN) for paging")
async def second_candidate(world: World) -> str:
    other = world.other_candidate = await sign_up(world, Role.CANDIDATE, label="candidate2")
    world.other_profile_id = await update_profile(
        world,
        other,
        UpdateMyProfileInput(
            headline=f"Data engineer {world.run_word}",
            visibility=Visibility.EMPLOYERS,
            open_to_work=OpenToWork.OPEN,
            anonymous=True,
            country_code="DE",
        ),
    )
    await add_skill(world, other, "Python", 3)
    await confirm_availability(world, other)
    return other.email
