"""Profile queries and mutations. Root classes join the schema in ``graph/schema.py``.

The roots map arguments to ``resolvers.profiles`` — reads to ``queries``, writes to
``commands`` and ``data_rights``; each mutation is declared with ``payload_mutation``
(the part mutations by one small factory per verb). Writes announce what they changed
themselves once committed; they are handed the request's broker and the configured
freshness (``_announcing``)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types.field import StrawberryField

import graph.types.profiles.inputs as i
from graph.context import Context, Info
from graph.types.common import Connection
from graph.types.mutations import done, payload_mutation
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


def _announcing(context: Context) -> dict[str, Any]:
    """What a write needs to announce itself after commit."""
    return {"publisher": context.broker, "ttl_days": context.settings.availability_ttl_days}


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


def _add(kind: PartKind, input_type: type, payload: type, item: str, description: str) -> StrawberryField:
    return payload_mutation(
        description=description,
        input=(input_type, "The new item."),
        payload=payload,
        field=(item, "profile"),
        rule=lambda c, input: commands.add_part(c.require_viewer(), kind, i.values_of(input), **_announcing(c)),
    )


def _update(kind: PartKind, type_name: str, input_type: type, payload: type, item: str, description: str) -> StrawberryField:
    return payload_mutation(
        description=description,
        input=(input_type, "The item and its changes."),
        payload=payload,
        field=(item, "profile"),
        rule=lambda c, input: commands.update_part(
            require_candidate(c.require_viewer()), kind, parse_typed_id(str(input.id), type_name), i.values_of(input), **_announcing(c)
        ),
    )


def _remove(kind: PartKind, type_name: str, description: str) -> StrawberryField:
    return payload_mutation(
        description=description,
        input=(i.RemoveProfileItemInput, "The item to remove."),
        payload=i.ProfilePayload,
        field="profile",
        rule=lambda c, input: commands.remove_part(
            require_candidate(c.require_viewer()), kind, parse_typed_id(str(input.id), type_name), **_announcing(c)
        ),
    )


def _reorder(kind: PartKind, type_name: str, description: str) -> StrawberryField:
    return payload_mutation(
        description=description,
        input=(i.ReorderProfileItemsInput, "The new order."),
        payload=i.ProfilePayload,
        field="profile",
        rule=lambda c, input: commands.reorder_parts(
            require_candidate(c.require_viewer()), kind, [parse_typed_id(str(value), type_name, "ids") for value in input.ids]
        ),
    )


async def _block_ids(call: Awaitable[list[int]]) -> list[strawberry.ID]:
    return [strawberry.ID(to_global_id("Block", pk)) for pk in await call]


@strawberry.type
class ProfilesMutation:
    update_my_profile = payload_mutation(
        description="Change your profile. Candidates only (employers: FORBIDDEN). Fields left out keep their value. Invalid values are userErrors naming the field; a taken handle is HANDLE_TAKEN.",
        input=(i.UpdateMyProfileInput, "The changes."),
        payload=i.ProfilePayload,
        field="profile",
        rule=lambda c, input: commands.update_my_profile(
            c.require_viewer(), i.values_of(input, rename=i.PROFILE_FIELD_MAP), **_announcing(c)
        ),
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

    endorse_skill = payload_mutation(
        description="Vouch for a skill of a profile you may see. Not your own (SELF_ENDORSEMENT), once per skill (ALREADY_ENDORSED); a skill you may not see is NOT_FOUND.",
        input=(i.EndorseSkillInput, "The skill and an optional comment."),
        payload=i.EndorsementPayload,
        field="endorsement",
        rule=lambda c, input: commands.endorse_skill(
            c.require_viewer(), parse_typed_id(str(input.skill_id), "Skill", "skillId"), input.comment
        ),
    )
    hide_endorsement = payload_mutation(
        description="Hide an endorsement of one of your skills from everyone but you (or show it again). Candidates only.",
        input=(i.HideEndorsementInput, "The endorsement."),
        payload=i.EndorsementPayload,
        field="endorsement",
        rule=lambda c, input: commands.set_endorsement_hidden(
            require_candidate(c.require_viewer()), parse_typed_id(str(input.endorsement_id), "Endorsement", "endorsementId"), input.hidden
        ),
    )
    block_company = payload_mutation(
        description="Block a company, or an email domain (every company whose verified domain is that domain or a subdomain of it, even one that signs up later). A blocked company sees nothing of you, at once and for every member: not your profile, nor your conversations and offers with it (their open subscriptions end; you keep everything, and unblocking gives it back). At most 200 blocks. Candidates only.",
        input=(i.BlockCompanyInput, "The company or domain."),
        payload=i.BlockCompanyPayload,
        field="block",
        rule=lambda c, input: commands.block(
            require_candidate(c.require_viewer()),
            company_id=parse_typed_id(str(input.company_id), "Company", "companyId") if input.company_id else None,
            domain=input.domain,
            publisher=c.broker,
        ),
    )
    unblock_company = payload_mutation(
        description="Remove a block. Candidates only.",
        input=(i.UnblockCompanyInput, "The block, company or domain."),
        payload=i.UnblockCompanyPayload,
        field="removed_block_ids",
        rule=lambda c, input: _block_ids(commands.unblock(
            require_candidate(c.require_viewer()),
            block_id=parse_typed_id(str(input.block_id), "Block", "blockId") if input.block_id else None,
            company_id=parse_typed_id(str(input.company_id), "Company", "companyId") if input.company_id else None,
            domain=input.domain,
        )),
    )
    confirm_availability = payload_mutation(
        description="Confirm you are still available: stamps `availabilityConfirmedAt` and makes the profile fresh again. Candidates only.",
        payload=i.ProfilePayload,
        field="profile",
        rule=lambda c: commands.confirm_availability(c.require_viewer(), **_announcing(c)),
    )
    delete_my_account = payload_mutation(
        description="Erase your account: profile and its parts, endorsements you gave, blocks and access log are deleted; your name becomes 'Deleted user' in conversations, which stay; every token is revoked (open subscriptions end). A candidate's open interviews are cancelled (interviewers' bookings released) and the feedback about her is erased.",
        input=(i.DeleteMyAccountInput, "Confirmation."),
        payload=i.DeleteMyAccountPayload,
        field="deleted",
        rule=lambda c, input: done(
            data_rights.delete_my_account(c.require_viewer(), confirm=input.confirm, publisher=c.broker)
        ),
    )
