"""The numbers of a role (``HiringRole.numbers``, ``HiringRole.stageCounts``), computed in
SQL by ``resolvers.hiring.numbers``; this module only maps them."""

from __future__ import annotations

import strawberry

from graph.context import Info
from graph.types.hiring.enums import PipelineStage
from graph.types.hiring.stages import CustomPipelineStage
from resolvers import hiring as rules
from resolvers.hiring import queries


@strawberry.type(description="How many entries of a role are at one stage.")
class StageCount:
    stage: PipelineStage = strawberry.field(description="The stage.")  # type: ignore[valid-type]  # strawberry enum used as a type
    custom_stage: CustomPipelineStage | None = strawberry.field(
        description="Your company's stage, when `stage` is CUSTOM."
    )
    count: int = strawberry.field(description="Number of entries at it.")


@strawberry.type(description="Conversion between two consecutive stages of the main path.")
class StageConversion:
    from_stage: PipelineStage = strawberry.field(description="The earlier stage.")  # type: ignore[valid-type]  # strawberry enum used as a type
    to_stage: PipelineStage = strawberry.field(description="The next stage.")  # type: ignore[valid-type]  # strawberry enum used as a type
    reached_from: int = strawberry.field(description="Entries that ever reached `fromStage` (or a later stage of the main path).")
    reached_to: int = strawberry.field(description="Entries that ever reached `toStage` (or a later stage of the main path).")
    rate: float | None = strawberry.field(description="`reachedTo / reachedFrom`, 0–1; null when nobody reached `fromStage`.")


@strawberry.type(description="How long entries of a role stayed at one stage.")
class StageDuration:
    stage: PipelineStage = strawberry.field(description="The stage.")  # type: ignore[valid-type]  # strawberry enum used as a type
    custom_stage: CustomPipelineStage | None = strawberry.field(
        description="Your company's stage, when `stage` is CUSTOM."
    )
    median_days: float = strawberry.field(description="Median days from entering the stage to the next move, over completed stays.")
    stays: int = strawberry.field(description="Number of completed stays measured.")


@strawberry.type(description="The numbers an employer asks about a role, computed over its whole pipeline.")
class RoleNumbers:
    conversions: list[StageConversion] = strawberry.field(
        description="SOURCED → CONTACTED → REPLIED → INTERVIEWING → OFFER → HIRED, pair by pair. An entry counts as having reached every stage of the main path up to the furthest it reached (your company's stages count as past INTERVIEWING)."
    )
    days_in_stage: list[StageDuration] = strawberry.field(description="Per stage the entries left, the median days they stayed.")
    median_hours_to_first_reply: float | None = strawberry.field(
        description="Median hours from an entry's first move to CONTACTED to its first move to REPLIED; null when no candidate replied yet."
    )
    replies: int = strawberry.field(description="Entries `medianHoursToFirstReply` is measured over.")



async def stage_counts_of(info: Info, role_id: int) -> list[StageCount]:
    rows = await queries.stage_counts_of(info.context.loaders, role_id)
    return [StageCount(stage=stage, custom_stage=custom, count=n) for stage, custom, n in rows]  # type: ignore[arg-type]  # a models.hiring row resolves as CustomPipelineStage (model_type)


async def numbers_of(info: Info, role_id: int) -> RoleNumbers:
    numbers = await rules.role_numbers(role_id)
    customs = await queries.custom_stages_of(info.context.loaders, [d.custom_stage_id for d in numbers.days_in_stage])
    return RoleNumbers(
        conversions=[
            StageConversion(from_stage=c.from_stage, to_stage=c.to_stage, reached_from=c.reached_from, reached_to=c.reached_to, rate=c.rate)
            for c in numbers.conversions
        ],
        days_in_stage=[
            StageDuration(stage=d.stage, custom_stage=custom, median_days=d.median_days, stays=d.stays)  # type: ignore[arg-type]  # a models.hiring row resolves as CustomPipelineStage (model_type)
            for d, custom in zip(numbers.days_in_stage, customs, strict=True)
        ],
        median_hours_to_first_reply=numbers.median_hours_to_first_reply,
        replies=numbers.replies,
    )
