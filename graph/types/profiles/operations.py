"""Profile queries and mutations. Root classes join the schema in ``graph/schema.py``.

The roots map arguments to ``resolvers.profiles`` — reads to ``queries``, writes to
``commands`` and ``data_rights`` — and results to payloads through ``mutation_payload``.
Writes announce what they changed themselves once committed; they are handed the
request's broker and the configured freshness (``_announcing``).

(No ``from __future__ import annotations`` here: the part mutations are built by small
factories whose resolver annotations must be real classes.)"""

from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

import graph.types.profiles.inputs as i
from graph.context import Info
from graph.types.common import Connection, mutation_payload
from graph.types.node import register_node
from graph.types.profiles.selection import describe_profiles
from graph.types.profiles.types import AccessLogEntry, Block, Profile
from resolvers.ids import parse_typed_id, to_global_id
from resolvers.profiles import commands, data_rights, queries
from resolvers.profiles.access import require_candidate
from resolvers.profiles.parts import EDUCATION, EXPERIENCE, REFERENCES, SKILLS, WORK_SAMPLES, PartKind

# --- node resolvers ------------------------------------------------------------------


def _node(read: queries.NodeReader) -> Any:
    async def resolve(info: Info, ids: list[int]) -> list[Any]:
        return await read(info.context.loaders, info.context.viewer, ids)

    return resolve


for _type_name, _read in (
    ("Profile", queries.profile_nodes),
    ("Skill", queries.skill_nodes),
    ("Endorsement", queries.endorsement_nodes),
    ("Experience", queries.experience_nodes),
    ("Education", queries.education_nodes),
    ("WorkSample", queries.work_sample_nodes),
    ("Reference", queries.reference_nodes),
    ("Block", queries.block_nodes),
    ("AccessLogEntry", queries.access_log_nodes),
):
    register_node(_type_name, _node(_read))


def _announcing(info: Info) -> dict[str, Any]:
    """What a write needs to announce itself after commit."""
    return {"publisher": info.context.broker, "ttl_days": info.context.settings.availability_ttl_days}


# --- queries ---------------------------------------------------------------------------


@strawberry.type
class ProfilesQuery:
    @strawberry.field(
        description="A profile by handle (any case). Null when it does not exist, when you may not see it, or when it is anonymous to you (look anonymous profiles up by `node(id:)`). An employer's view is logged in the candidate's access log."
    )
    async def profile(
        self, info: Info, handle: Annotated[str, strawberry.argument(description="The profile's handle, at most 40 characters.")]
    ) -> Profile | None:
        return await queries.profile_by_handle(info.context.loaders, info.context.viewer, handle)  # type: ignore[return-value]  # the stamped models row

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
        selection = describe_profiles(info.selected_fields, "edges", "node")
        page = await queries.browse_profiles(info.context.loaders, user, selection, first=first, after=after)
        return Connection.from_page(page)

    @strawberry.field(description="Your own profile. Candidates only: employers get FORBIDDEN.")
    async def my_profile(self, info: Info) -> Profile:
        return await queries.my_profile(info.context.require_viewer())  # type: ignore[return-value]  # the stamped models row

    @strawberry.field(description="Who saw your profile, newest first: company, kind and time. Candidates only.")
    async def my_access_log(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description="Page size, 0–100, default 20.")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor of the last edge of the previous page.")] = None,
    ) -> Connection[AccessLogEntry]:
        page = await queries.my_access_log(info.context.require_viewer(), first=first, after=after)
        return Connection.from_page(page)

    @strawberry.field(description="Companies and domains you blocked, newest first. Candidates only.")
    async def my_blocks(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description="Page size, 0–100, default 20.")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor of the last edge of the previous page.")] = None,
    ) -> Connection[Block]:
        page = await queries.my_blocks(info.context.require_viewer(), first=first, after=after)
        return Connection.from_page(page)

    @strawberry.field(
        description="Everything stored about you as one JSON document: account, profile and its parts, endorsements given and received, blocks, access log, and the conversations, messages and offers you are party to; a candidate's interviews (`interviews`: times, kind, place, status and interviewer ids). Interviewers' feedback is not included: it is the company's data (and is erased with a candidate's account). Secrets (password and token hashes) are left out."
    )
    async def export_my_data(self, info: Info) -> JSON:
        return await data_rights.export_my_data(info.context.require_viewer())  # type: ignore[return-value]  # a JSON-ready dict


# --- part mutations: one factory per verb, one mutation per list -------------------------


def _add(kind: PartKind, input_type: type, payload: type, item: str, description: str) -> Any:
    async def resolver(
        self: Any, info: Info, input: Annotated[input_type, strawberry.argument(description="The new item.")]  # type: ignore[valid-type]  # a class made by the factory's caller
    ) -> payload:  # type: ignore[valid-type]  # a payload class made by i._payload
        user = info.context.require_viewer()

        async def run() -> dict[str, Any]:
            part, profile = await commands.add_part(user, kind, i.values_of(input), **_announcing(info))
            return {item: part, "profile": profile}

        return await mutation_payload(payload, run, field=None)

    return strawberry.mutation(resolver=resolver, description=description)


def _update(kind: PartKind, type_name: str, input_type: type, payload: type, item: str, description: str) -> Any:
    async def resolver(
        self: Any, info: Info, input: Annotated[input_type, strawberry.argument(description="The item and its changes.")]  # type: ignore[valid-type]  # a class made by the factory's caller
    ) -> payload:  # type: ignore[valid-type]  # a payload class made by i._payload
        user = require_candidate(info.context.require_viewer())

        async def run() -> dict[str, Any]:
            part_id = parse_typed_id(str(input.id), type_name)  # type: ignore[attr-defined]  # every Update*Input has an id
            part, profile = await commands.update_part(user, kind, part_id, i.values_of(input), **_announcing(info))
            return {item: part, "profile": profile}

        return await mutation_payload(payload, run, field=None)

    return strawberry.mutation(resolver=resolver, description=description)


def _remove(kind: PartKind, type_name: str, description: str) -> Any:
    async def resolver(
        self: Any, info: Info, input: Annotated[i.RemoveProfileItemInput, strawberry.argument(description="The item to remove.")]
    ) -> i.ProfilePayload:  # type: ignore[valid-type]  # a payload class made by i._payload
        user = require_candidate(info.context.require_viewer())
        return await mutation_payload(
            i.ProfilePayload,
            lambda: commands.remove_part(user, kind, parse_typed_id(str(input.id), type_name), **_announcing(info)),
            field="profile",
        )

    return strawberry.mutation(resolver=resolver, description=description)


def _reorder(kind: PartKind, type_name: str, description: str) -> Any:
    async def resolver(
        self: Any, info: Info, input: Annotated[i.ReorderProfileItemsInput, strawberry.argument(description="The new order.")]
    ) -> i.ProfilePayload:  # type: ignore[valid-type]  # a payload class made by i._payload
        user = require_candidate(info.context.require_viewer())
        return await mutation_payload(
            i.ProfilePayload,
            lambda: commands.reorder_parts(user, kind, [parse_typed_id(str(value), type_name, "ids") for value in input.ids]),
            field="profile",
        )

    return strawberry.mutation(resolver=resolver, description=description)


def _global_ids(type_name: str, pks: list[int]) -> list[strawberry.ID]:
    return [strawberry.ID(to_global_id(type_name, pk)) for pk in pks]


@strawberry.type
class ProfilesMutation:
    @strawberry.mutation(
        description="Change your profile. Candidates only (employers: FORBIDDEN). Fields left out keep their value. Invalid values are userErrors naming the field; a taken handle is HANDLE_TAKEN."
    )
    async def update_my_profile(
        self, info: Info, input: Annotated[i.UpdateMyProfileInput, strawberry.argument(description="The changes.")]
    ) -> i.ProfilePayload:  # type: ignore[valid-type]  # a payload class made by i._payload
        user = info.context.require_viewer()
        values = i.values_of(input, rename=i.PROFILE_FIELD_MAP)
        return await mutation_payload(
            i.ProfilePayload, lambda: commands.update_my_profile(user, values, **_announcing(info)), field="profile"
        )

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
        return await mutation_payload(
            i.EndorsementPayload,
            lambda: commands.endorse_skill(user, parse_typed_id(str(input.skill_id), "Skill", "skillId"), input.comment),
            field="endorsement",
        )

    @strawberry.mutation(description="Hide an endorsement of one of your skills from everyone but you (or show it again). Candidates only.")
    async def hide_endorsement(
        self, info: Info, input: Annotated[i.HideEndorsementInput, strawberry.argument(description="The endorsement.")]
    ) -> i.EndorsementPayload:
        user = require_candidate(info.context.require_viewer())
        return await mutation_payload(
            i.EndorsementPayload,
            lambda: commands.set_endorsement_hidden(
                user, parse_typed_id(str(input.endorsement_id), "Endorsement", "endorsementId"), input.hidden
            ),
            field="endorsement",
        )

    @strawberry.mutation(
        description="Block a company, or an email domain (every company whose verified domain is that domain or a subdomain of it, even one that signs up later). A blocked company sees nothing of you, at once and for every member: not your profile, nor your conversations and offers with it (their open subscriptions end; you keep everything, and unblocking gives it back). At most 200 blocks. Candidates only."
    )
    async def block_company(
        self, info: Info, input: Annotated[i.BlockCompanyInput, strawberry.argument(description="The company or domain.")]
    ) -> i.BlockCompanyPayload:
        user = require_candidate(info.context.require_viewer())
        return await mutation_payload(
            i.BlockCompanyPayload,
            lambda: commands.block(
                user,
                company_id=parse_typed_id(str(input.company_id), "Company", "companyId") if input.company_id else None,
                domain=input.domain,
                publisher=info.context.broker,
            ),
            field="block",
        )

    @strawberry.mutation(description="Remove a block. Candidates only.")
    async def unblock_company(
        self, info: Info, input: Annotated[i.UnblockCompanyInput, strawberry.argument(description="The block, company or domain.")]
    ) -> i.UnblockCompanyPayload:
        user = require_candidate(info.context.require_viewer())

        async def run() -> list[strawberry.ID]:
            removed = await commands.unblock(
                user,
                block_id=parse_typed_id(str(input.block_id), "Block", "blockId") if input.block_id else None,
                company_id=parse_typed_id(str(input.company_id), "Company", "companyId") if input.company_id else None,
                domain=input.domain,
            )
            return _global_ids("Block", removed)

        return await mutation_payload(i.UnblockCompanyPayload, run, field="removed_block_ids")

    @strawberry.mutation(description="Confirm you are still available: stamps `availabilityConfirmedAt` and makes the profile fresh again. Candidates only.")
    async def confirm_availability(self, info: Info) -> i.ProfilePayload:  # type: ignore[valid-type]  # a payload class made by i._payload
        user = info.context.require_viewer()
        return await mutation_payload(
            i.ProfilePayload, lambda: commands.confirm_availability(user, **_announcing(info)), field="profile"
        )

    @strawberry.mutation(
        description="Erase your account: profile and its parts, endorsements you gave, blocks and access log are deleted; your name becomes 'Deleted user' in conversations, which stay; every token is revoked (open subscriptions end). A candidate's open interviews are cancelled (interviewers' bookings released) and the feedback about her is erased."
    )
    async def delete_my_account(
        self, info: Info, input: Annotated[i.DeleteMyAccountInput, strawberry.argument(description="Confirmation.")]
    ) -> i.DeleteMyAccountPayload:
        user = info.context.require_viewer()

        async def run() -> bool:
            await data_rights.delete_my_account(user, confirm=input.confirm, publisher=info.context.broker)
            return True

        return await mutation_payload(i.DeleteMyAccountPayload, run, field="deleted")
