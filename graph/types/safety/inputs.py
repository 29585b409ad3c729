"""Trust and safety's inputs and the payloads of its mutations."""

from __future__ import annotations

import strawberry

from graph.types.common import UserError
from graph.types.safety.types import ModerationAction, Report, ReportFiling, ReportReason


@strawberry.input(description="What to report and why.")
class ReportContentInput:
    target: strawberry.ID = strawberry.field(
        description="The global ID of a Profile, Company, Conversation, Message or Offer you can see (NOT_FOUND otherwise)."
    )
    reason: ReportReason = strawberry.field(description="Why you report it.")
    comment: str | None = strawberry.field(default=None, description="What moderators should know, at most 1,000 characters.")
    also_block: bool = strawberry.field(
        default=False,
        description="Candidates only: also block the company behind the content (as `blockCompany`). Already blocked is fine.",
    )


@strawberry.input(description="A moderator's decision on an open report.")
class ResolveReportInput:
    report_id: strawberry.ID = strawberry.field(description="The `Report` ID.")
    action: ModerationAction = strawberry.field(description="What to do (ACTION_NOT_APPLICABLE when it does not fit the report).")
    note: str | None = strawberry.field(default=None, description="Why, for the audit trail; at most 1,000 characters. Included in a WARN mail.")


@strawberry.input(description="Lift a live suspension.")
class LiftSuspensionInput:
    target: strawberry.ID = strawberry.field(description="The global ID of the suspended User or Company.")
    note: str | None = strawberry.field(default=None, description="Why, for the audit trail; at most 1,000 characters.")


@strawberry.type(description="Result of `reportContent`.")
class ReportContentPayload:
    report: ReportFiling | None = strawberry.field(
        description="Your report (a second report of the same target updates it); null when `userErrors` is not empty."
    )
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of `resolveReport`.")
class ResolveReportPayload:
    report: Report | None = strawberry.field(description="The resolved report; null when `userErrors` is not empty.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of `liftSuspension`.")
class LiftSuspensionPayload:
    lifted: bool | None = strawberry.field(description="True when the suspension was lifted; null when `userErrors` is not empty.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")
