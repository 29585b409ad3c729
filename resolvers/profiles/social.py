"""Endorsements (another user vouches for a skill) and blocks (a candidate hides from a
company or an email domain). Visibility itself is decided in ``resolvers/profiles/access.py``."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.accounts import Company, User
from models.profiles import Block, Endorsement, Profile, Skill
from resolvers.chat import announce_block
from resolvers.errors import Problems, Unauthenticated, UserErrorCode, UserErrors
from resolvers.events import Publisher
from resolvers.profiles import access as privacy
from resolvers.profiles import validation as v
from resolvers.profiles.editing import require_candidate


def _skill_not_found() -> UserErrors:
    return UserErrors.single(UserErrorCode.NOT_FOUND, "This skill does not exist or you may not see it.", ["skillId"])


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
    access = await privacy.profile_access(await privacy.viewer_info(user), profile)
    if not access.visible:
        raise _skill_not_found()
    if access.owner:
        raise UserErrors.single(UserErrorCode.SELF_ENDORSEMENT, "You cannot endorse your own skills.", ["skillId"])
    if await Endorsement.filter(skill_id=skill.pk, endorser_id=user.pk).exists():
        raise _already_endorsed()
    try:
        return await Endorsement.create(skill_id=skill.pk, endorser_id=user.pk, comment=comment)
    except IntegrityError:  # a concurrent twin won
        raise _already_endorsed() from None


def _already_endorsed() -> UserErrors:
    return UserErrors.single(UserErrorCode.ALREADY_ENDORSED, "You already endorsed this skill.", ["skillId"])


async def set_endorsement_hidden(user: User | None, endorsement_id: int, hidden: bool) -> Endorsement:
    """The candidate hides (or shows again) an endorsement of one of their skills."""
    user = require_candidate(user)
    endorsement = await Endorsement.filter(
        id=endorsement_id, skill__profile__user_id=user.pk
    ).first()
    if endorsement is None:
        raise UserErrors.single(UserErrorCode.NOT_FOUND, "No such endorsement of your skills.", ["endorsementId"])
    endorsement.hidden = hidden
    await endorsement.save(update_fields=["hidden"])
    return endorsement


async def block(
    user: User | None, *, company_id: int | None, domain: str | None, broker: Publisher | None = None
) -> Block:
    """Block one company, or every company whose verified domain is ``domain`` or a
    subdomain of it. The block closes those companies' side of every conversation and
    offer with the candidate at once; after commit, ``broker`` tells their open
    subscriptions (``resolvers.chat.access``)."""
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
    if broker is not None:
        await announce_block(broker, user.pk, [company_id] if company_id is not None else None, domain)
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
    ids = list(await query.values_list("id", flat=True))
    if not ids:
        raise UserErrors.single(UserErrorCode.NOT_FOUND, "No such block.", [field])
    await Block.filter(id__in=ids).delete()
    return ids


def my_blocks(user: User | None):  # type: ignore[no-untyped-def]
    user = require_candidate(user)
    return Block.filter(profile__user_id=user.pk)
