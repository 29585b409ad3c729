"""Trust and safety's root operations: ``myReports``, ``moderationQueue``, ``auditLog``;
``reportContent``, ``resolveReport``, ``liftSuspension``. Each is its rule call in
``resolvers.safety``; mutations are declared with ``payload_mutation``."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph.context import Info
from graph.types.common import Connection
from graph.types.mutations import done, payload_mutation
from graph.types.safety.inputs import (
    LiftSuspensionInput,
    LiftSuspensionPayload,
    ReportContentInput,
    ReportContentPayload,
    ResolveReportInput,
    ResolveReportPayload,
)
from graph.types.safety.types import AuditEntry, Report, ReportFiling, ReportReason
from resolvers.safety import commands, queries

FIRST = strawberry.argument(description="Page size, 0–100, default 20.")
AFTER = strawberry.argument(description="Cursor of the last item of the previous page.")


@strawberry.type
class SafetyQuery:
    @strawberry.field(description="The reports you filed, newest first, with where each stands. Any signed-in user.")
    async def my_reports(
        self, info: Info, first: Annotated[int | None, FIRST] = None, after: Annotated[str | None, AFTER] = None
    ) -> Connection[ReportFiling]:
        page = await queries.my_reports(info.context.viewer, first=first, after=after)
        return Connection[ReportFiling].from_page(page)

    @strawberry.field(
        description="Open reports, most-reported first, then oldest first. Moderators only (FORBIDDEN for anyone else)."
    )
    async def moderation_queue(
        self,
        info: Info,
        reason: Annotated[ReportReason | None, strawberry.argument(description="Only reports where at least one filing gave this reason.")] = None,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
    ) -> Connection[Report]:
        page = await queries.moderation_queue(info.context.viewer, reason=reason, first=first, after=after)
        return Connection[Report].from_page(page)

    @strawberry.field(
        description="The append-only audit log of moderation, membership and verification actions, newest first. Moderators only."
    )
    async def audit_log(
        self,
        info: Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        action: Annotated[str | None, strawberry.argument(description="Only entries with this action, such as `report.resolved`.")] = None,
        target_id: Annotated[strawberry.ID | None, strawberry.argument(description="Only entries about the object with this global ID.")] = None,
    ) -> Connection[AuditEntry]:
        page = await queries.audit_log(
            info.context.viewer, action=action, target_id=str(target_id) if target_id else None, first=first, after=after
        )
        return Connection[AuditEntry].from_page(page)


@strawberry.type
class SafetyMutation:
    report_content = payload_mutation(
        description=(
            "Report a profile, company, conversation, message or offer you can see. Reports of one object merge into one "
            "case; reporting the same object again updates your report. The reported party never learns who reported. "
            "At most 20 new reports an hour (RATE_LIMITED)."
        ),
        input=(ReportContentInput, "Target and reason."),
        payload=ReportContentPayload,
        field="report",
        rule=lambda c, input: commands.report_content(
            c.loaders, c.broker, c.viewer,
            target=str(input.target), reason=input.reason, comment=input.comment, also_block=input.also_block,
        ),
    )
    resolve_report = payload_mutation(
        description="Decide an open report (moderators only). Suspensions take effect at once: tokens revoked, sockets closed, open requests and offers closed with an event to the other party. Recorded in the audit log.",
        input=(ResolveReportInput, "Report, action and note."),
        payload=ResolveReportPayload,
        field="report",
        rule=lambda c, input: commands.resolve_report(
            c.broker, c.viewer, report_id=str(input.report_id), action=input.action, note=input.note
        ),
    )
    lift_suspension = payload_mutation(
        description="Lift the suspension of an account or company (moderators only): it can sign in again and its profile is visible as before. Closed requests and offers stay closed. Recorded in the audit log.",
        input=(LiftSuspensionInput, "Who, and why."),
        payload=LiftSuspensionPayload,
        field="lifted",
        rule=lambda c, input: done(commands.lift_suspension(c.viewer, target=str(input.target), note=input.note)),
    )
