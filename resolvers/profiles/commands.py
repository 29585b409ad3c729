"""The writes of the profiles feature: the candidate edits her profile and its lists,
confirms availability, hides endorsements and blocks companies; anyone who may see a
profile endorses its skills. (Erasing an account is in ``data_rights``.)

Each write checks who may (``access``), runs in one transaction and, once that has
committed, announces what changed (``events``; the caller hands in the ``Publisher``
and the configured ``ttl_days``). Objects handed back are stamped (``visibility``) with
what the writer may see of them: the candidate her own profile in full, an endorser her
endorsement. Profile writes bump ``Profile.updated_at`` and store the years of
experience (``years``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

import resolvers.profiles.validation as v
from models.accounts import Company, User
from models.profiles import Block, Endorsement, Profile, Skill
from resolvers.chat import announce_block
from resolvers.errors import Problems, Unauthenticated, UserErrorCode, UserErrors
from resolvers.events import Publisher
from resolvers.hiring.automation import candidate_blocked
from resolvers.hiring.events import publish_pipeline_changes
from resolvers.profiles.access import ENDORSER_ACCESS, profile_access, require_candidate, viewer_info
from resolvers.profiles.events import profile_changed
from resolvers.profiles.parts import EXPERIENCE, SKILLS, PartKind, Values
from resolvers.profiles.visibility import own, stamp
from resolvers.profiles.years import store_years


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


# --- the profile itself -----------------------------------------------------------


async def update_my_profile(user: User | None, values: Values, *, publisher: Publisher, ttl_days: int) -> Profile:
    """``values`` holds only the fields the client sent; ``None`` clears a field."""
    user = require_candidate(user)
    problems = Problems()
    clean = v.profile_values(problems, values)
    problems.raise_if_any()
    async with in_transaction():
        profile = await Profile.select_for_update().get(user_id=user.pk)
        for key, value in clean.items():
            setattr(profile, key, value)
        _check_salary(profile)
        await store_years(profile)
        try:
            await profile.save()
        except IntegrityError:  # the unique handle
            raise UserErrors.single(
                UserErrorCode.HANDLE_TAKEN, "Another profile already uses this handle.", ["handle"]
            ) from None
    await profile_changed(publisher, profile.pk, ttl_days=ttl_days)
    return own(profile)


def _check_salary(profile: Profile) -> None:
    problems = Problems()
    low, high = profile.salary_min, profile.salary_max
    if low is not None and high is not None and high < low:
        problems.add(UserErrorCode.OUT_OF_RANGE, "The maximum salary is below the minimum.", "desiredSalaryMax")
    if (low is not None or high is not None) and not (profile.salary_currency and profile.salary_period):
        problems.add(
            UserErrorCode.REQUIRED,
            "A desired salary needs a currency and a period.",
            "desiredSalaryCurrency" if not profile.salary_currency else "desiredSalaryPeriod",
        )
    problems.raise_if_any()


async def confirm_availability(user: User | None, *, publisher: Publisher, ttl_days: int) -> Profile:
    """Stamp ``availability_confirmed_at``: the profile is fresh again (``freshness``)."""
    user = require_candidate(user)
    profile = await Profile.get(user_id=user.pk)
    profile.availability_confirmed_at = _utcnow()
    await profile.save(update_fields=["availability_confirmed_at", "updated_at"])
    await profile_changed(publisher, profile.pk, ttl_days=ttl_days)
    return own(profile)


# --- the lists: skills, experience, education, work samples, references ----------


async def _locked_profile(user: User | None) -> Profile:
    user = require_candidate(user)
    return await Profile.select_for_update().get(user_id=user.pk)


async def _own_part(kind: PartKind, profile: Profile, part_id: int) -> Any:
    part = await kind.model.get_or_none(id=part_id, profile_id=profile.pk)
    if part is None:
        raise UserErrors.single(UserErrorCode.NOT_FOUND, f"No such item in your {kind.name}.", ["id"])
    return part


async def _touch(kind: PartKind, profile: Profile) -> None:
    if kind is EXPERIENCE:
        await store_years(profile)
    await profile.save()


def _duplicate_skill() -> UserErrors:
    return UserErrors.single(UserErrorCode.DUPLICATE, "You already list this skill.", ["name"])


async def _check_duplicate_skill(profile: Profile, clean: Values, exclude_id: int | None = None) -> None:
    if "normalized_name" not in clean:
        return
    query = Skill.filter(profile_id=profile.pk, normalized_name=clean["normalized_name"])
    if exclude_id is not None:
        query = query.exclude(id=exclude_id)
    if await query.exists():
        raise _duplicate_skill()


async def add_part(
    user: User | None, kind: PartKind, values: Values, *, publisher: Publisher, ttl_days: int
) -> tuple[Any, Profile]:
    """Append an item to one of the candidate's lists; returns it and the profile."""
    require_candidate(user)
    problems = Problems()
    clean = kind.clean(problems, values, None)
    problems.raise_if_any()
    try:
        async with in_transaction():
            profile = await _locked_profile(user)
            count = await kind.model.filter(profile_id=profile.pk).count()
            if count >= kind.maximum:
                raise UserErrors.single(UserErrorCode.TOO_MANY, f"At most {kind.maximum} {kind.name}.")
            if kind is SKILLS:
                await _check_duplicate_skill(profile, clean)
            positions = await kind.model.filter(profile_id=profile.pk).order_by("-position").limit(1).values_list("position")
            position = positions[0][0] + 1 if positions else 0
            part = await kind.model.create(profile_id=profile.pk, position=position, **clean)
            await _touch(kind, profile)
    except IntegrityError:  # a concurrent twin skill won
        raise _duplicate_skill() from None
    await profile_changed(publisher, profile.pk, ttl_days=ttl_days)
    return own(part), own(profile)


async def update_part(
    user: User | None, kind: PartKind, part_id: int, values: Values, *, publisher: Publisher, ttl_days: int
) -> tuple[Any, Profile]:
    """Change one item of the candidate's lists; returns it and the profile."""
    require_candidate(user)
    try:
        async with in_transaction():
            profile = await _locked_profile(user)
            part = await _own_part(kind, profile, part_id)
            problems = Problems()
            clean = kind.clean(problems, values, part)
            problems.raise_if_any()
            if kind is SKILLS:
                await _check_duplicate_skill(profile, clean, exclude_id=part.pk)
            for key, value in clean.items():
                setattr(part, key, value)
            await part.save()
            await _touch(kind, profile)
    except IntegrityError:
        raise _duplicate_skill() from None
    await profile_changed(publisher, profile.pk, ttl_days=ttl_days)
    return own(part), own(profile)


async def remove_part(user: User | None, kind: PartKind, part_id: int, *, publisher: Publisher, ttl_days: int) -> Profile:
    require_candidate(user)
    async with in_transaction():
        profile = await _locked_profile(user)
        part = await _own_part(kind, profile, part_id)
        await part.delete()
        await _touch(kind, profile)
    await profile_changed(publisher, profile.pk, ttl_days=ttl_days)
    return own(profile)


async def reorder_parts(user: User | None, kind: PartKind, part_ids: Sequence[int]) -> Profile:
    """``part_ids`` must name every item of the list exactly once, in the new order.
    (Order is not searched, so nothing is announced.)"""
    require_candidate(user)
    async with in_transaction():
        profile = await _locked_profile(user)
        current = {part_id for (part_id,) in await kind.model.filter(profile_id=profile.pk).values_list("id")}
        if len(part_ids) != len(set(part_ids)) or set(part_ids) != current:
            raise UserErrors.single(
                UserErrorCode.INVALID, f"Give the IDs of all your {kind.name}, each once, in the new order.", ["ids"]
            )
        for position, part_id in enumerate(part_ids):
            await kind.model.filter(id=part_id).update(position=position)
        await _touch(kind, profile)
    return own(profile)


# --- endorsements -------------------------------------------------------------------


def _skill_not_found() -> UserErrors:
    return UserErrors.single(UserErrorCode.NOT_FOUND, "This skill does not exist or you may not see it.", ["skillId"])


def _already_endorsed() -> UserErrors:
    return UserErrors.single(UserErrorCode.ALREADY_ENDORSED, "You already endorsed this skill.", ["skillId"])


async def endorse_skill(user: User | None, skill_id: int, comment: str | None) -> Endorsement:
    """Any signed-in user who may see the profile endorses one of its skills, once."""
    if user is None:
        raise Unauthenticated()
    problems = Problems()
    comment = v.text(problems, comment, "comment", "Comment", maximum=v.COMMENT_MAX)
    problems.raise_if_any()
    skill = await Skill.get_or_none(id=skill_id)
    if skill is None:
        raise _skill_not_found()
    profile = await Profile.get(id=skill.profile_id)
    access = await profile_access(await viewer_info(user), profile)
    if not access.visible:
        raise _skill_not_found()
    if access.owner:
        raise UserErrors.single(UserErrorCode.SELF_ENDORSEMENT, "You cannot endorse your own skills.", ["skillId"])
    if await Endorsement.filter(skill_id=skill.pk, endorser_id=user.pk).exists():
        raise _already_endorsed()
    try:
        endorsement = await Endorsement.create(skill_id=skill.pk, endorser_id=user.pk, comment=comment)
    except IntegrityError:  # a concurrent twin won
        raise _already_endorsed() from None
    return stamp(endorsement, ENDORSER_ACCESS)


async def set_endorsement_hidden(user: User | None, endorsement_id: int, hidden: bool) -> Endorsement:
    """The candidate hides (or shows again) an endorsement of one of their skills."""
    user = require_candidate(user)
    endorsement = await Endorsement.filter(id=endorsement_id, skill__profile__user_id=user.pk).first()
    if endorsement is None:
        raise UserErrors.single(UserErrorCode.NOT_FOUND, "No such endorsement of your skills.", ["endorsementId"])
    endorsement.hidden = hidden
    await endorsement.save(update_fields=["hidden"])
    return own(endorsement)


# --- blocks -------------------------------------------------------------------------


async def block(user: User | None, *, company_id: int | None, domain: str | None, publisher: Publisher) -> Block:
    """Block one company, or every company whose verified domain is ``domain`` or a
    subdomain of it. The block closes those companies' side of every conversation and
    offer with the candidate at once; after commit, their open subscriptions are told
    (``resolvers.chat.access.announce_block``)."""
    user = require_candidate(user)
    problems = Problems()
    if (company_id is None) == (domain is None):
        problems.add(UserErrorCode.INVALID, "Give either companyId or domain.", "companyId")
    if domain is not None:
        domain = v.domain(problems, domain)
    problems.raise_if_any()
    async with in_transaction():
        profile = await Profile.select_for_update().get(user_id=user.pk)
        if company_id is not None and not await Company.filter(id=company_id).exists():
            raise UserErrors.single(UserErrorCode.NOT_FOUND, "No such company.", ["companyId"])
        existing = Block.filter(profile_id=profile.pk)
        existing = existing.filter(company_id=company_id) if company_id is not None else existing.filter(domain=domain)
        if await existing.exists():
            raise UserErrors.single(
                UserErrorCode.ALREADY_BLOCKED,
                "This company or domain is already blocked.",
                ["companyId" if company_id is not None else "domain"],
            )
        if await Block.filter(profile_id=profile.pk).count() >= v.MAX_BLOCKS:
            raise UserErrors.single(UserErrorCode.TOO_MANY, f"At most {v.MAX_BLOCKS} blocks.")
        created = await Block.create(profile_id=profile.pk, company_id=company_id, domain=domain)
        withdrawn = await candidate_blocked(user.pk, company_id=company_id, domain=domain)
    await announce_block(publisher, user.pk, [company_id] if company_id is not None else None, domain)
    await publish_pipeline_changes(publisher, withdrawn)
    return created


async def unblock(
    user: User | None, *, block_id: int | None = None, company_id: int | None = None, domain: str | None = None
) -> list[int]:
    """Remove a block named by its ID, its company or its domain; returns the removed IDs."""
    user = require_candidate(user)
    if [block_id, company_id, domain].count(None) != 2:
        raise UserErrors.single(UserErrorCode.INVALID, "Give exactly one of blockId, companyId or domain.", ["blockId"])
    query = Block.filter(profile__user_id=user.pk)
    if block_id is not None:
        query, field = query.filter(id=block_id), "blockId"
    elif company_id is not None:
        query, field = query.filter(company_id=company_id), "companyId"
    else:
        query, field = query.filter(domain=(domain or "").strip().lower().removeprefix("@")), "domain"
    ids = [block_id for (block_id,) in await query.values_list("id")]
    if not ids:
        raise UserErrors.single(UserErrorCode.NOT_FOUND, "No such block.", [field])
    await Block.filter(id__in=ids).delete()
    return ids
