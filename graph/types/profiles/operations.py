"""Profile queries and mutations. Root classes join the schema in ``graph/schema.py``.

(No ``from __future__ import annotations`` here: the part mutations are built by small
factories whose resolver annotations must be real classes.)"""

import logging
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from graph.context import Info
from graph.types.common import Connection, user_errors
from graph.types.node import register_node
from graph.types.profiles import inputs as i
from graph.types.profiles.types import (
    AccessLogEntry,
    Block,
    Profile,
    access_of,
    own,
    prefetch_profiles,
    record_access,
    selected_below,
    stamp,
    viewer_of,
    visible_profiles,
)
from models import profiles as m
from resolvers.errors import Forbidden, UserErrors
from resolvers.ids import parse_typed_id
from resolvers.pagination import SortKey, keyset_page
from resolvers.profiles import access as privacy
from resolvers.profiles import data_rights, editing, social
from resolvers.profiles import loaders as loaders
from resolvers.profiles.editing import (
    EDUCATION,
    EXPERIENCE,
    REFERENCES,
    SKILLS,
    WORK_SAMPLES,
    PartKind,
)
from resolvers.search.saved import notify_profile_changed
from resolvers.validation import normalise_handle
from subscriptions.accounts import announce_revoked_tokens

logger = logging.getLogger("openforwork.profiles")

NEWEST_FIRST = (SortKey("created_at", descending=True, kind="datetime"), SortKey("id", descending=True))
RECENTLY_UPDATED = (SortKey("updated_at", descending=True, kind="datetime"), SortKey("id", descending=True))

# --- node resolvers ------------------------------------------------------------------


async def _profiles_as_nodes(info: Info, ids: list[int]) -> list[Any]:
    profiles = await visible_profiles(info, await info.context.loaders(loaders.profiles_by_id).load_many(ids))
    await record_access(info, [p for p in profiles if p is not None], m.AccessKind.VIEW)
    return profiles


def _part_nodes(batch_fn: Any, need: str = "visible") -> Any:
    async def resolve(info: Info, ids: list[int]) -> list[Any]:
        parts = await info.context.loaders(batch_fn).load_many(ids)
        return await _with_profile_access(info, parts, need)

    return resolve


async def _with_profile_access(info: Info, parts: list[Any], need: str) -> list[Any]:
    present = [p for p in parts if p is not None]
    profile_ids = [p.profile_id for p in present]
    profiles = await visible_profiles(info, await info.context.loaders(loaders.profiles_by_id).load_many(profile_ids))
    result: dict[int, Any] = {}
    for part, profile in zip(present, profiles):
        if profile is None:
            continue
        access = access_of(profile)
        if getattr(access, need):
            result[id(part)] = stamp(part, access)
    return [result.get(id(p)) if p is not None else None for p in parts]


async def _endorsement_nodes(info: Info, ids: list[int]) -> list[Any]:
    endorsements = await info.context.loaders(loaders.endorsements_by_id).load_many(ids)
    skills = await info.context.loaders(loaders.skills_by_id).load_many(
        [e.skill_id for e in endorsements if e is not None]
    )
    stamped = iter(await _with_profile_access(info, skills, "visible"))
    result = []
    for endorsement in endorsements:
        skill = next(stamped) if endorsement is not None else None
        if endorsement is None or skill is None:
            result.append(None)
            continue
        access = access_of(skill)
        result.append(stamp(endorsement, access) if access.owner or not endorsement.hidden else None)
    return result


register_node("Profile", _profiles_as_nodes)
register_node("Skill", _part_nodes(loaders.skills_by_id))
register_node("Endorsement", _endorsement_nodes)
for _name, _model in (("Experience", m.Experience), ("Education", m.Education), ("WorkSample", m.WorkSample)):

    async def _by_id(ids: list[int], _model: Any = _model) -> list[Any]:
        from resolvers.loading import by_key

        return by_key(await _model.filter(id__in=set(ids)), ids)

    register_node(_name, _part_nodes(_by_id))


async def _references_by_id(ids: list[int]) -> list[Any]:
    from resolvers.loading import by_key

    return by_key(await m.Reference.filter(id__in=set(ids)), ids)


register_node("Reference", _part_nodes(_references_by_id, need="identity"))


def _owner_only_nodes(model: Any) -> Any:
    """Blocks and access-log entries: only the candidate whose they are sees them again."""

    async def resolve(info: Info, ids: list[int]) -> list[Any]:
        from resolvers.loading import by_key

        user = info.context.viewer
        if user is None:
            return [None] * len(ids)
        return by_key(await model.filter(id__in=set(ids), profile__user_id=user.pk), ids)

    return resolve


register_node("Block", _owner_only_nodes(m.Block))
register_node("AccessLogEntry", _owner_only_nodes(m.AccessLogEntry))


# --- queries ---------------------------------------------------------------------------


@strawberry.type
class ProfilesQuery:
    @strawberry.field(
        description="A profile by handle (any case). Null when it does not exist, when you may not see it, or when it is anonymous to you (look anonymous profiles up by `node(id:)`). An employer's view is logged in the candidate's access log."
    )
    async def profile(
        self, info: Info, handle: Annotated[str, strawberry.argument(description="The profile's handle, at most 40 characters.")]
    ) -> Profile | None:
        if len(handle) > 40:
            return None
        found = await m.Profile.get_or_none(handle=normalise_handle(handle))
        if found is None:
            return None
        (profile,) = await visible_profiles(info, [found])
        if profile is None or not privacy.reachable_by_handle(access_of(profile)):
            return None
        await record_access(info, [profile], m.AccessKind.VIEW)
        return profile  # type: ignore[return-value]

    @strawberry.field(
        description="Employers browse profiles they may see, most recently updated first: not hidden, not blocking their company, identity null where anonymous. Candidates get FORBIDDEN. Browsing is not logged as a view."
    )
    async def profiles(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description="Page size, 0–100, default 20.")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor of the last edge of the previous page.")] = None,
    ) -> Connection[Profile]:
        user = info.context.require_viewer()
        if not user.is_employer:
            raise Forbidden("Only employers browse profiles.")
        viewer = await viewer_of(info)
        page = await keyset_page(privacy.browsable_profiles(viewer), RECENTLY_UPDATED, first=first, after=after)
        visible = await visible_profiles(info, list(page.items))
        # The SQL already applied the rules; the per-row check is the fail-safe.
        kept = [(row, cursor) for row, cursor in zip(visible, page.cursors) if row is not None]
        page.items = [row for row, _ in kept]
        page.cursors = [cursor for _, cursor in kept]
        await prefetch_profiles(info, page.items, selected_below(info, "edges", "node"))
        return Connection.from_page(page)  # type: ignore[return-value]

    @strawberry.field(description="Your own profile. Candidates only: employers get FORBIDDEN.")
    async def my_profile(self, info: Info) -> Profile:
        return own(await editing.my_profile(info.context.require_viewer()))  # type: ignore[return-value]

    @strawberry.field(description="Who saw your profile, newest first: company, kind and time. Candidates only.")
    async def my_access_log(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description="Page size, 0–100, default 20.")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor of the last edge of the previous page.")] = None,
    ) -> Connection[AccessLogEntry]:
        query = data_rights.my_access_log(info.context.require_viewer())
        return Connection.from_page(await keyset_page(query, NEWEST_FIRST, first=first, after=after))  # type: ignore[return-value]

    @strawberry.field(description="Companies and domains you blocked, newest first. Candidates only.")
    async def my_blocks(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description="Page size, 0–100, default 20.")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor of the last edge of the previous page.")] = None,
    ) -> Connection[Block]:
        query = social.my_blocks(info.context.require_viewer())
        return Connection.from_page(await keyset_page(query, NEWEST_FIRST, first=first, after=after))  # type: ignore[return-value]

    @strawberry.field(
        description="Everything stored about you as one JSON document: account, profile and its parts, endorsements given and received, blocks, access log, and the conversations, messages and offers you are party to. Secrets (password and token hashes) are left out."
    )
    async def export_my_data(self, info: Info) -> JSON:
        return await data_rights.export_my_data(info.context.require_viewer())  # type: ignore[return-value]


# --- part mutations --------------------------------------------------------------------


async def profile_changed(info: Info, profile: Any) -> None:
    """After a committed profile write: keep saved-search alerts current. The write has
    landed; a failure to alert is logged, never turned into a failed mutation."""
    try:
        await notify_profile_changed(
            info.context.broker, profile.pk, ttl_days=info.context.settings.availability_ttl_days
        )
    except Exception:  # alerting must not undo or hide a committed edit
        logger.exception("saved-search matching failed for profile %s", profile.pk)


def _add(kind: PartKind, input_type: type, payload: type, item: str, description: str) -> Any:
    async def resolver(
        self: Any, info: Info, input: Annotated[input_type, strawberry.argument(description="The new item.")]  # type: ignore[valid-type]
    ) -> payload:  # type: ignore[valid-type]
        user = info.context.require_viewer()
        try:
            part, profile = await editing.add_part(user, kind, i.values_of(input))
        except UserErrors as exc:
            return payload(**{item: None, "profile": None, "user_errors": user_errors(exc)})
        await profile_changed(info, profile)
        return payload(**{item: stamp(part, privacy.OWNER_ACCESS), "profile": own(profile), "user_errors": []})

    return strawberry.mutation(resolver=resolver, description=description)


def _update(kind: PartKind, type_name: str, input_type: type, payload: type, item: str, description: str) -> Any:
    async def resolver(
        self: Any, info: Info, input: Annotated[input_type, strawberry.argument(description="The item and its changes.")]  # type: ignore[valid-type]
    ) -> payload:  # type: ignore[valid-type]
        user = info.context.require_viewer()
        editing.require_candidate(user)
        try:
            part_id = parse_typed_id(str(input.id), type_name)  # type: ignore[attr-defined]
            part, profile = await editing.update_part(user, kind, part_id, i.values_of(input))
        except UserErrors as exc:
            return payload(**{item: None, "profile": None, "user_errors": user_errors(exc)})
        await profile_changed(info, profile)
        return payload(**{item: stamp(part, privacy.OWNER_ACCESS), "profile": own(profile), "user_errors": []})

    return strawberry.mutation(resolver=resolver, description=description)


def _remove(kind: PartKind, type_name: str, description: str) -> Any:
    async def resolver(
        self: Any, info: Info, input: Annotated[i.RemoveProfileItemInput, strawberry.argument(description="The item to remove.")]
    ) -> i.ProfilePayload:  # type: ignore[valid-type]
        user = info.context.require_viewer()
        editing.require_candidate(user)
        try:
            profile = await editing.remove_part(user, kind, parse_typed_id(str(input.id), type_name))
        except UserErrors as exc:
            return i.ProfilePayload(profile=None, user_errors=user_errors(exc))
        await profile_changed(info, profile)
        return i.ProfilePayload(profile=own(profile), user_errors=[])

    return strawberry.mutation(resolver=resolver, description=description)


def _reorder(kind: PartKind, type_name: str, description: str) -> Any:
    async def resolver(
        self: Any, info: Info, input: Annotated[i.ReorderProfileItemsInput, strawberry.argument(description="The new order.")]
    ) -> i.ProfilePayload:  # type: ignore[valid-type]
        user = info.context.require_viewer()
        editing.require_candidate(user)
        try:
            ids = [parse_typed_id(str(value), type_name, "ids") for value in input.ids]
            profile = await editing.reorder_parts(user, kind, ids)
        except UserErrors as exc:
            return i.ProfilePayload(profile=None, user_errors=user_errors(exc))
        return i.ProfilePayload(profile=own(profile), user_errors=[])

    return strawberry.mutation(resolver=resolver, description=description)


@strawberry.type
class ProfilesMutation:
    @strawberry.mutation(
        description="Change your profile. Candidates only (employers: FORBIDDEN). Fields left out keep their value. Invalid values are userErrors naming the field; a taken handle is HANDLE_TAKEN."
    )
    async def update_my_profile(
        self, info: Info, input: Annotated[i.UpdateMyProfileInput, strawberry.argument(description="The changes.")]
    ) -> i.ProfilePayload:  # type: ignore[valid-type]
        user = info.context.require_viewer()
        try:
            profile = await editing.update_my_profile(user, i.values_of(input, rename=i.PROFILE_FIELD_MAP))
        except UserErrors as exc:
            return i.ProfilePayload(profile=None, user_errors=user_errors(exc))
        await profile_changed(info, profile)
        return i.ProfilePayload(profile=own(profile), user_errors=[])

    add_skill = _add(SKILLS, i.AddSkillInput, i.SkillPayload, "skill", "Add a skill (at most 50; DUPLICATE when you list it already, ignoring case and spacing).")
    update_skill = _update(SKILLS, "Skill", i.UpdateSkillInput, i.SkillPayload, "skill", "Change one of your skills.")
    remove_skill = _remove(SKILLS, "Skill", "Remove one of your skills and its endorsements.")
    reorder_skills = _reorder(SKILLS, "Skill", "Put your skills in a new order.")
    add_experience = _add(EXPERIENCE, i.AddExperienceInput, i.ExperiencePayload, "experience", "Add a position (at most 30). Updates yearsOfExperience unless you stated it.")
    update_experience = _update(EXPERIENCE, "Experience", i.UpdateExperienceInput, i.ExperiencePayload, "experience", "Change one of your positions.")
    remove_experience = _remove(EXPERIENCE, "Experience", "Remove one of your positions.")
    reorder_experience = _reorder(EXPERIENCE, "Experience", "Put your positions in a new order.")
    add_education = _add(EDUCATION, i.AddEducationInput, i.EducationPayload, "education", "Add education (at most 20).")
    update_education = _update(EDUCATION, "Education", i.UpdateEducationInput, i.EducationPayload, "education", "Change one education entry.")
    remove_education = _remove(EDUCATION, "Education", "Remove one education entry.")
    reorder_education = _reorder(EDUCATION, "Education", "Put your education in a new order.")
    add_work_sample = _add(WORK_SAMPLES, i.AddWorkSampleInput, i.WorkSamplePayload, "work_sample", "Add a work sample (at most 20).")
    update_work_sample = _update(WORK_SAMPLES, "WorkSample", i.UpdateWorkSampleInput, i.WorkSamplePayload, "work_sample", "Change one work sample.")
    remove_work_sample = _remove(WORK_SAMPLES, "WorkSample", "Remove one work sample.")
    reorder_work_samples = _reorder(WORK_SAMPLES, "WorkSample", "Put your work samples in a new order.")
    add_reference = _add(REFERENCES, i.AddReferenceInput, i.ReferencePayload, "reference", "Add a reference (at most 10).")
    update_reference = _update(REFERENCES, "Reference", i.UpdateReferenceInput, i.ReferencePayload, "reference", "Change one reference.")
    remove_reference = _remove(REFERENCES, "Reference", "Remove one reference.")
    reorder_references = _reorder(REFERENCES, "Reference", "Put your references in a new order.")

    @strawberry.mutation(
        description="Vouch for a skill of a profile you may see. Not your own (SELF_ENDORSEMENT), once per skill (ALREADY_ENDORSED); a skill you may not see is NOT_FOUND."
    )
    async def endorse_skill(
        self, info: Info, input: Annotated[i.EndorseSkillInput, strawberry.argument(description="The skill and an optional comment.")]
    ) -> i.EndorsementPayload:
        user = info.context.require_viewer()
        try:
            endorsement = await social.endorse_skill(user, parse_typed_id(str(input.skill_id), "Skill", "skillId"), input.comment)
        except UserErrors as exc:
            return i.EndorsementPayload(endorsement=None, user_errors=user_errors(exc))
        return i.EndorsementPayload(endorsement=stamp(endorsement, privacy.ProfileAccess(visible=True)), user_errors=[])  # type: ignore[arg-type]

    @strawberry.mutation(description="Hide an endorsement of one of your skills from everyone but you (or show it again). Candidates only.")
    async def hide_endorsement(
        self, info: Info, input: Annotated[i.HideEndorsementInput, strawberry.argument(description="The endorsement.")]
    ) -> i.EndorsementPayload:
        user = info.context.require_viewer()
        editing.require_candidate(user)
        try:
            endorsement = await social.set_endorsement_hidden(
                user, parse_typed_id(str(input.endorsement_id), "Endorsement", "endorsementId"), input.hidden
            )
        except UserErrors as exc:
            return i.EndorsementPayload(endorsement=None, user_errors=user_errors(exc))
        return i.EndorsementPayload(endorsement=stamp(endorsement, privacy.OWNER_ACCESS), user_errors=[])  # type: ignore[arg-type]

    @strawberry.mutation(
        description="Block a company, or an email domain (every company whose verified domain is that domain or a subdomain of it, even one that signs up later). A blocked company sees nothing of you, at once and for every member: not your profile, nor your conversations and offers with it (their open subscriptions end; you keep everything, and unblocking gives it back). At most 200 blocks. Candidates only."
    )
    async def block_company(
        self, info: Info, input: Annotated[i.BlockCompanyInput, strawberry.argument(description="The company or domain.")]
    ) -> i.BlockCompanyPayload:
        user = info.context.require_viewer()
        editing.require_candidate(user)
        try:
            company_id = parse_typed_id(str(input.company_id), "Company", "companyId") if input.company_id else None
            block = await social.block(user, company_id=company_id, domain=input.domain, broker=info.context.broker)
        except UserErrors as exc:
            return i.BlockCompanyPayload(block=None, user_errors=user_errors(exc))
        return i.BlockCompanyPayload(block=block, user_errors=[])  # type: ignore[arg-type]

    @strawberry.mutation(description="Remove a block. Candidates only.")
    async def unblock_company(
        self, info: Info, input: Annotated[i.UnblockCompanyInput, strawberry.argument(description="The block, company or domain.")]
    ) -> i.UnblockCompanyPayload:
        user = info.context.require_viewer()
        editing.require_candidate(user)
        try:
            removed = await social.unblock(
                user,
                block_id=parse_typed_id(str(input.block_id), "Block", "blockId") if input.block_id else None,
                company_id=parse_typed_id(str(input.company_id), "Company", "companyId") if input.company_id else None,
                domain=input.domain,
            )
        except UserErrors as exc:
            return i.UnblockCompanyPayload(removed_block_ids=[], user_errors=user_errors(exc))
        from resolvers.ids import to_global_id

        return i.UnblockCompanyPayload(
            removed_block_ids=[strawberry.ID(to_global_id("Block", pk)) for pk in removed], user_errors=[]
        )

    @strawberry.mutation(description="Confirm you are still available: stamps `availabilityConfirmedAt` and makes the profile fresh again. Candidates only.")
    async def confirm_availability(self, info: Info) -> i.ProfilePayload:  # type: ignore[valid-type]
        profile = await data_rights.confirm_availability(info.context.require_viewer())
        await profile_changed(info, profile)
        return i.ProfilePayload(profile=own(profile), user_errors=[])

    @strawberry.mutation(
        description="Erase your account: profile and its parts, endorsements you gave, blocks and access log are deleted; your name becomes 'Deleted user' in conversations, which stay; every token is revoked (open subscriptions end)."
    )
    async def delete_my_account(
        self, info: Info, input: Annotated[i.DeleteMyAccountInput, strawberry.argument(description="Confirmation.")]
    ) -> i.DeleteMyAccountPayload:
        user = info.context.require_viewer()
        try:
            token_ids = await data_rights.delete_my_account(user, confirm=input.confirm, broker=info.context.broker)
        except UserErrors as exc:
            return i.DeleteMyAccountPayload(deleted=False, user_errors=user_errors(exc))
        await announce_revoked_tokens(info.context.broker, user.pk, token_ids)
        return i.DeleteMyAccountPayload(deleted=True, user_errors=[])
