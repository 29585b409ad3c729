"""Trust and safety's object types and enums: ``Report`` (moderators), ``ReportFiling``
(a reporter's own report), ``AuditEntry``, and ``node(id:)`` for the first two.

Objects resolve straight from ``models.safety`` rows; who may read what is decided in
``resolvers.safety.queries``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

from graph.context import Info
from graph.types.common import Node, describe_enum, model_type
from graph.types.node import register_node
from models import audit as audit_models
from models import safety as m
from resolvers.ids import to_global_id
from resolvers.safety import queries
from resolvers.safety.red_flags import RedFlagKind

if TYPE_CHECKING:
    from models.accounts import User

ACCOUNTS = strawberry.lazy("graph.types.accounts.types")

ReportReason = m.ReportReason
describe_enum(
    ReportReason, "ReportReason", "Why content is reported.",
    {
        "SCAM": "A scam: asks for money, bank details or personal documents, or a job that does not exist.",
        "SPAM": "Unsolicited bulk or irrelevant messages.",
        "HARASSMENT": "Insults, threats, unwanted advances or repeated contact after a no.",
        "DISCRIMINATION": "Treats someone worse for who they are (origin, gender, age, religion, disability …).",
        "FAKE_IDENTITY": "Pretends to be another person or company.",
        "OTHER": "Anything else; say what in the comment.",
    },
)
ReportTargetKind = m.ReportTargetKind
describe_enum(
    ReportTargetKind, "ReportTargetKind", "What kind of object a report is about.",
    {
        "PROFILE": "A candidate's profile.",
        "COMPANY": "A company.",
        "CONVERSATION": "A conversation as a whole.",
        "MESSAGE": "One message.",
        "OFFER": "A job offer.",
    },
)
ReportStatus = m.ReportStatus
describe_enum(
    ReportStatus, "ReportStatus", "Where a report stands.",
    {
        "OPEN": "Waiting in the moderation queue.",
        "DISMISSED": "A moderator found nothing against the rules.",
        "ACTION_TAKEN": "A moderator acted: a warning, the message removed, or a suspension.",
    },
)
ModerationAction = m.ModerationAction
describe_enum(
    ModerationAction, "ModerationAction", "What a moderator does with a report (`resolveReport`).",
    {
        "DISMISS": "Nothing against the rules: close the report.",
        "WARN": "Send the account (or every member of the company) behind the content a warning by email.",
        "REMOVE_MESSAGE": "Replace the reported message's text with a removal notice (message reports only).",
        "SUSPEND_USER": "Suspend the account behind the content: it is signed out everywhere, cannot sign in, its profile leaves search and every read, and its open contact requests and offers are closed.",
        "SUSPEND_COMPANY": "Suspend the company behind the content and every member: as SUSPEND_USER for each member, the company reads as null, and its open contact requests and offers are closed.",
    },
)
describe_enum(
    RedFlagKind, "RedFlagKind", "A warning sign in a company's first contact (see `Message.redFlags`).",
    {
        "MONEY_REQUEST": "Asks for money, fees, gift cards, crypto, or bank or card details.",
        "OFF_PLATFORM_CONTACT": "Pushes the conversation elsewhere: WhatsApp, Telegram and the like, or a personal email address.",
        "LINK_SHORTENER": "Contains a shortened link (bit.ly, tinyurl …) that hides where it leads.",
    },
)


@strawberry.type(
    description="One report you filed (or, for moderators, one filing of a report). The reported party never sees it or who filed it."
)
@model_type(m.ReportFiling)
class ReportFiling(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("ReportFiling", self.pk))  # type: ignore[attr-defined]  # self is the models.safety row

    reason: ReportReason = strawberry.field(description="The reason given.")
    comment: str | None = strawberry.field(description="The comment given, at most 1,000 characters.")
    created_at: datetime = strawberry.field(description="When it was first filed.")
    updated_at: datetime = strawberry.field(description="When it was last changed (reporting the same target again updates it).")

    @strawberry.field(description="Where the report stands now.")
    async def status(self, info: Info, row: strawberry.Parent[m.ReportFiling]) -> ReportStatus:
        return (await queries.report_of_filing(info.context.loaders, row)).status

    @strawberry.field(description="What kind of object was reported.")
    async def target_kind(self, info: Info, row: strawberry.Parent[m.ReportFiling]) -> ReportTargetKind:
        return (await queries.report_of_filing(info.context.loaders, row)).target_kind

    @strawberry.field(description="The global ID of what was reported.")
    async def target_id(self, info: Info, row: strawberry.Parent[m.ReportFiling]) -> strawberry.ID:
        report = await queries.report_of_filing(info.context.loaders, row)
        return strawberry.ID(to_global_id(report.target_kind.value.title(), report.target_id))

    @strawberry.field(description="What the moderators did; null while the report is open.")
    async def action(self, info: Info, row: strawberry.Parent[m.ReportFiling]) -> ModerationAction | None:
        return (await queries.report_of_filing(info.context.loaders, row)).action

    @strawberry.field(description="When a moderator resolved the report; null while it is open.")
    async def resolved_at(self, info: Info, row: strawberry.Parent[m.ReportFiling]) -> datetime | None:
        return (await queries.report_of_filing(info.context.loaders, row)).resolved_at

    @strawberry.field(description="Who filed it: moderators only (null for anyone else, and once the reporter deleted their account).")
    async def reporter(self, info: Info, row: strawberry.Parent[m.ReportFiling]) -> Annotated[User, ACCOUNTS] | None:
        return await queries.reporter_of(info.context.loaders, info.context.viewer, row)


@strawberry.type(
    description="A case in the moderation queue: every report on one object merged. Moderators only."
)
@model_type(m.Report)
class Report(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Report", self.pk))  # type: ignore[attr-defined]  # self is the models.safety row

    target_kind: ReportTargetKind = strawberry.field(description="What kind of object is reported.")
    status: ReportStatus = strawberry.field(description="Where the report stands.")
    filing_count: int = strawberry.field(description="How many people reported it.")
    first_reported_at: datetime = strawberry.field(description="When it was first reported.")
    last_reported_at: datetime = strawberry.field(description="When it was last reported.")
    snapshot: JSON = strawberry.field(
        description="What the content said when it was first reported (kept if the sender edits or deletes it; erased once the report is resolved if the account behind it was deleted)."
    )
    resolved_at: datetime | None = strawberry.field(description="When a moderator resolved it.")
    action: ModerationAction | None = strawberry.field(description="What the moderator did.")
    note: str | None = strawberry.field(description="The moderator's note, at most 1,000 characters.")

    @strawberry.field(description="The global ID of what is reported (it may no longer exist).")
    def target_id(self, row: strawberry.Parent[m.Report]) -> strawberry.ID:
        return strawberry.ID(to_global_id(row.target_kind.value.title(), row.target_id))

    @strawberry.field(description="The account behind the content (SUSPEND_USER suspends it), if any.")
    def subject_user_id(self, row: strawberry.Parent[m.Report]) -> strawberry.ID | None:
        return strawberry.ID(to_global_id("User", row.subject_user_id)) if row.subject_user_id else None

    @strawberry.field(description="The company behind the content (SUSPEND_COMPANY suspends it), if any.")
    def subject_company_id(self, row: strawberry.Parent[m.Report]) -> strawberry.ID | None:
        return strawberry.ID(to_global_id("Company", row.subject_company_id)) if row.subject_company_id else None

    @strawberry.field(description="Every filing, oldest first, with the reasons and comments given.")
    async def filings(self, info: Info, row: strawberry.Parent[m.Report]) -> list[ReportFiling]:
        return await queries.filings_of(info.context.loaders, info.context.viewer, row)  # type: ignore[return-value]  # models.safety rows resolve as ReportFiling (model_type)


@strawberry.type(description="One entry of the append-only audit log: an action, who took it, and what it was taken on.")
@model_type(audit_models.AuditEntry)
class AuditEntry:
    action: str = strawberry.field(description="What happened, `<thing>.<verb>`: report.resolved, user.suspended, company.suspended, user.suspension_lifted, company.suspension_lifted, message.removed, moderator.created …")
    target_type: str = strawberry.field(description="The type of what it happened to (User, Company, Report, Message …).")
    details: JSON = strawberry.field(description="Small facts about the action (ids, the action taken); never message bodies or passwords.")
    created_at: datetime = strawberry.field(description="When it happened.")

    @strawberry.field(description="The global ID of the user who acted; null for the system or the command line.")
    def actor_id(self, row: strawberry.Parent[audit_models.AuditEntry]) -> strawberry.ID | None:
        return strawberry.ID(to_global_id("User", row.actor_id)) if row.actor_id else None

    @strawberry.field(description="The global ID of what it happened to; pass it as `auditLog(targetId:)`.")
    def target_id(self, row: strawberry.Parent[audit_models.AuditEntry]) -> strawberry.ID:
        return strawberry.ID(to_global_id(row.target_type, row.target_id))

    @strawberry.field(description="The global ID of the company concerned, if any.")
    def company_id(self, row: strawberry.Parent[audit_models.AuditEntry]) -> strawberry.ID | None:
        return strawberry.ID(to_global_id("Company", row.company_id)) if row.company_id else None


async def _reports(info: Info, ids: list[int]) -> list[m.Report | None]:
    return await queries.reports_for(info.context.viewer, ids)


async def _filings(info: Info, ids: list[int]) -> list[m.ReportFiling | None]:
    return await queries.filings_for(info.context.viewer, ids)


register_node("Report", _reports)
register_node("ReportFiling", _filings)
