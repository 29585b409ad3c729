"""Inputs and payloads of the profile mutations. Optional input fields default to
"unset": leave a field out to keep its value, send ``null`` to clear it.

Payloads are declared once per shape: ``_payload`` makes every "changed item and the
profile" payload; the others each have a shape of their own. On userErrors
``mutation_payload`` leaves every other field null; a payload whose field cannot be
null says what it is then (``__post_init__``)."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry import UNSET

from graph.types.common import UserError
from graph.types.profiles.types import Block, Education, Endorsement, Experience, Profile, Reference, Skill, WorkSample
from models import profiles as m

# GraphQL input name → model attribute, where they differ.
PROFILE_FIELD_MAP = {
    "desired_salary_min": "salary_min",
    "desired_salary_max": "salary_max",
    "desired_salary_currency": "salary_currency",
    "desired_salary_period": "salary_period",
    "years_of_experience": "stated_years_of_experience",
}


def values_of(input_: Any, *, skip: tuple[str, ...] = ("id",), rename: dict[str, str] | None = None) -> dict[str, Any]:
    """The fields a client sent (UNSET ones left out), keyed by model attribute."""
    rename = rename or {}
    return {
        rename.get(name, name): value
        for name, value in vars(input_).items()
        if value is not UNSET and name not in skip
    }


@strawberry.input(description="Changes to your profile. Leave a field out to keep it; send null to clear it.")
class UpdateMyProfileInput:
    handle: str | None = strawberry.field(default=UNSET, description="Unique handle: 3–40 characters, lower-case letters, digits and inner hyphens (stored lower case). Taken → HANDLE_TAKEN.")
    headline: str | None = strawberry.field(default=UNSET, description="At most 160 characters.")
    summary: str | None = strawberry.field(default=UNSET, description="At most 5,000 characters.")
    photo_url: str | None = strawberry.field(default=UNSET, description="http(s) link, at most 500 characters.")
    city: str | None = strawberry.field(default=UNSET, description="At most 100 characters.")
    country_code: str | None = strawberry.field(default=UNSET, description="ISO 3166-1 alpha-2 code such as DE (any case).")
    remote_preference: m.RemotePreference | None = strawberry.field(default=UNSET, description="Where you want to work.")
    open_to_work: m.OpenToWork | None = strawberry.field(default=UNSET, description="Whether you are looking; cannot be null.")
    visibility: m.Visibility | None = strawberry.field(default=UNSET, description="Who may see your profile; cannot be null.")
    anonymous: bool | None = strawberry.field(default=UNSET, description="Hide your identity from companies until you accept their contact; cannot be null.")
    accept_contact_from: m.ContactPolicy | None = strawberry.field(default=UNSET, description="Which companies may contact you: VERIFIED_COMPANIES (the default) or ANY_COMPANY. Unverified companies never see an EMPLOYERS-only profile either way; cannot be null.")
    desired_roles: list[str] | None = strawberry.field(default=UNSET, description="At most 10 roles, each 1–80 characters.")
    desired_salary_min: int | None = strawberry.field(default=UNSET, description="0–1,000,000,000; needs a currency and a period.")
    desired_salary_max: int | None = strawberry.field(default=UNSET, description="0–1,000,000,000, not below the minimum.")
    desired_salary_currency: str | None = strawberry.field(default=UNSET, description="ISO 4217 code such as EUR.")
    desired_salary_period: m.SalaryPeriod | None = strawberry.field(default=UNSET, description="What the amounts are paid for.")
    available_from: date | None = strawberry.field(default=UNSET, description="Earliest start date.")
    work_authorization: list[str] | None = strawberry.field(default=UNSET, description="At most 30 ISO 3166-1 alpha-2 country codes.")
    career_goals: str | None = strawberry.field(default=UNSET, description="At most 2,000 characters.")
    years_of_experience: int | None = strawberry.field(default=UNSET, description="0–70. Null: derive from your experience (overlaps counted once).")
    time_zone: str | None = strawberry.field(default=UNSET, description="Your IANA time zone, such as Europe/Berlin (INVALID otherwise); interviews are shown to you in it. Null clears it (UTC).")


@strawberry.input(description="A new skill. At most 50 skills; names are unique ignoring case and spacing.")
class AddSkillInput:
    name: str = strawberry.field(description="1–60 characters.")
    level: int = strawberry.field(description="1 (beginner) to 5 (expert).")
    years: int | None = strawberry.field(default=UNSET, description="Years of practice, 0–70.")


@strawberry.input(description="Changes to one of your skills; leave a field out to keep it.")
class UpdateSkillInput:
    id: strawberry.ID = strawberry.field(description="The skill's ID.")
    name: str | None = strawberry.field(default=UNSET, description="1–60 characters.")
    level: int | None = strawberry.field(default=UNSET, description="1 (beginner) to 5 (expert).")
    years: int | None = strawberry.field(default=UNSET, description="Years of practice, 0–70; null clears.")


@strawberry.input(description="A new position. At most 30.")
class AddExperienceInput:
    title: str = strawberry.field(description="1–120 characters.")
    company_name: str = strawberry.field(description="1–120 characters.")
    start_date: date = strawberry.field(description="First day; not in the future.")
    end_date: date | None = strawberry.field(default=UNSET, description="Last day, not before the start; required unless `current`.")
    current: bool | None = strawberry.field(default=UNSET, description="True while you hold the position (then no end date).")
    description: str | None = strawberry.field(default=UNSET, description="At most 5,000 characters.")


@strawberry.input(description="Changes to one position; leave a field out to keep it.")
class UpdateExperienceInput:
    id: strawberry.ID = strawberry.field(description="The position's ID.")
    title: str | None = strawberry.field(default=UNSET, description="1–120 characters.")
    company_name: str | None = strawberry.field(default=UNSET, description="1–120 characters.")
    start_date: date | None = strawberry.field(default=UNSET, description="First day; not in the future.")
    end_date: date | None = strawberry.field(default=UNSET, description="Last day, not before the start.")
    current: bool | None = strawberry.field(default=UNSET, description="True while you hold the position.")
    description: str | None = strawberry.field(default=UNSET, description="At most 5,000 characters.")


@strawberry.input(description="New education. At most 20.")
class AddEducationInput:
    school: str = strawberry.field(description="1–160 characters.")
    degree: str | None = strawberry.field(default=UNSET, description="At most 120 characters.")
    field_of_study: str | None = strawberry.field(default=UNSET, description="At most 120 characters.")
    start_date: date | None = strawberry.field(default=UNSET, description="Start.")
    end_date: date | None = strawberry.field(default=UNSET, description="End, not before the start.")


@strawberry.input(description="Changes to one education entry; leave a field out to keep it.")
class UpdateEducationInput:
    id: strawberry.ID = strawberry.field(description="The entry's ID.")
    school: str | None = strawberry.field(default=UNSET, description="1–160 characters.")
    degree: str | None = strawberry.field(default=UNSET, description="At most 120 characters.")
    field_of_study: str | None = strawberry.field(default=UNSET, description="At most 120 characters.")
    start_date: date | None = strawberry.field(default=UNSET, description="Start.")
    end_date: date | None = strawberry.field(default=UNSET, description="End, not before the start.")


@strawberry.input(description="A new work sample. At most 20.")
class AddWorkSampleInput:
    title: str = strawberry.field(description="1–120 characters.")
    url: str = strawberry.field(description="http(s) link, at most 500 characters.")
    kind: m.WorkSampleKind | None = strawberry.field(default=UNSET, description="What it is; default OTHER.")
    description: str | None = strawberry.field(default=UNSET, description="At most 2,000 characters.")


@strawberry.input(description="Changes to one work sample; leave a field out to keep it.")
class UpdateWorkSampleInput:
    id: strawberry.ID = strawberry.field(description="The work sample's ID.")
    title: str | None = strawberry.field(default=UNSET, description="1–120 characters.")
    url: str | None = strawberry.field(default=UNSET, description="http(s) link, at most 500 characters.")
    kind: m.WorkSampleKind | None = strawberry.field(default=UNSET, description="What it is.")
    description: str | None = strawberry.field(default=UNSET, description="At most 2,000 characters.")


@strawberry.input(description="A new reference. At most 10.")
class AddReferenceInput:
    name: str = strawberry.field(description="1–120 characters.")
    relationship: str = strawberry.field(description="1–120 characters, such as 'former manager'.")
    contact: str = strawberry.field(description="Email or phone, 1–254 characters; private.")


@strawberry.input(description="Changes to one reference; leave a field out to keep it.")
class UpdateReferenceInput:
    id: strawberry.ID = strawberry.field(description="The reference's ID.")
    name: str | None = strawberry.field(default=UNSET, description="1–120 characters.")
    relationship: str | None = strawberry.field(default=UNSET, description="1–120 characters.")
    contact: str | None = strawberry.field(default=UNSET, description="Email or phone, 1–254 characters.")


@strawberry.input(description="Which item of a list of your profile to remove.")
class RemoveProfileItemInput:
    id: strawberry.ID = strawberry.field(description="The item's ID.")


@strawberry.input(description="A new order for one list of your profile.")
class ReorderProfileItemsInput:
    ids: list[strawberry.ID] = strawberry.field(description="The IDs of every item of the list, each once, in the new order.")


@strawberry.input(description="Vouch for one of a candidate's skills.")
class EndorseSkillInput:
    skill_id: strawberry.ID = strawberry.field(description="The skill's ID. It must belong to a profile you may see, not yours.")
    comment: str | None = strawberry.field(default=None, description="Optional, at most 500 characters.")


@strawberry.input(description="Hide (or show again) an endorsement of one of your skills.")
class HideEndorsementInput:
    endorsement_id: strawberry.ID = strawberry.field(description="The endorsement's ID.")
    hidden: bool = strawberry.field(default=True, description="True hides it from everyone but you; false shows it again.")


@strawberry.input(description="Block a company, or every company whose verified email domain matches. Give exactly one.")
class BlockCompanyInput:
    company_id: strawberry.ID | None = strawberry.field(default=None, description="The company's ID.")
    domain: str | None = strawberry.field(default=None, description="An email domain such as `acme.com`, at most 253 characters.")


@strawberry.input(description="Remove a block named by its ID, its company or its domain. Give exactly one.")
class UnblockCompanyInput:
    block_id: strawberry.ID | None = strawberry.field(default=None, description="The block's ID.")
    company_id: strawberry.ID | None = strawberry.field(default=None, description="The blocked company's ID.")
    domain: str | None = strawberry.field(default=None, description="The blocked domain.")


@strawberry.input(description="Confirmation that you mean it.")
class DeleteMyAccountInput:
    confirm: bool = strawberry.field(description="Must be true: deletion erases your profile and personal data and cannot be undone.")


def _payload(name: str, item_field: str | None, item_type: Any, description: str) -> type:
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {}
    if item_field:
        annotations[item_field] = item_type | None
        namespace[item_field] = strawberry.field(description="The changed item; null when `userErrors` is not empty.")
    annotations["profile"] = Profile | None
    namespace["profile"] = strawberry.field(description="Your profile after the change; null when `userErrors` is not empty.")
    annotations["user_errors"] = list[UserError]
    namespace["user_errors"] = strawberry.field(description="Why nothing happened; empty on success.")
    namespace["__annotations__"] = annotations
    return strawberry.type(type(name, (), namespace), description=description)


ProfilePayload = _payload("ProfilePayload", None, None, "Result of a change to your profile.")
SkillPayload = _payload("SkillPayload", "skill", Skill, "Result of adding or changing a skill.")
ExperiencePayload = _payload("ExperiencePayload", "experience", Experience, "Result of adding or changing a position.")
EducationPayload = _payload("EducationPayload", "education", Education, "Result of adding or changing education.")
WorkSamplePayload = _payload("WorkSamplePayload", "work_sample", WorkSample, "Result of adding or changing a work sample.")
ReferencePayload = _payload("ReferencePayload", "reference", Reference, "Result of adding or changing a reference.")


@strawberry.type(description="Result of `endorseSkill` and `hideEndorsement`.")
class EndorsementPayload:
    endorsement: Endorsement | None = strawberry.field(description="The endorsement; null when `userErrors` is not empty.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of `blockCompany`.")
class BlockCompanyPayload:
    block: Block | None = strawberry.field(description="The new block; null when `userErrors` is not empty.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of `unblockCompany`.")
class UnblockCompanyPayload:
    removed_block_ids: list[strawberry.ID] = strawberry.field(description="IDs of the blocks removed.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")

    def __post_init__(self) -> None:
        if self.removed_block_ids is None:  # userErrors: nothing was removed
            self.removed_block_ids = []


@strawberry.type(description="Result of `deleteMyAccount`.")
class DeleteMyAccountPayload:
    deleted: bool = strawberry.field(description="True when the account was erased and every token revoked.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")

    def __post_init__(self) -> None:
        if self.deleted is None:  # userErrors: nothing was erased
            self.deleted = False
