"""Trust and safety's reads: a reporter's own reports, the moderation queue, the audit
log. Reporters see their filings and the case's status, never who else reported or
what the moderators noted; the queue, the snapshots and the audit log are for moderators
only."""

from __future__ import annotations

from collections.abc import Sequence

from tortoise.expressions import Subquery

from models.accounts import User
from models.audit import AuditEntry
from models.chat import Message
from models.safety import MessageRedFlag, Report, ReportFiling, ReportReason, ReportStatus
from resolvers.accounts.loaders import users_by_id
from resolvers.ids import parse_global_id
from resolvers.loading import Loaders
from resolvers.pagination import Page, SortKey, keyset_page
from resolvers.safety.access import require_moderator, require_signed_in
from resolvers.safety.loaders import filings_by_report_id, red_flags_by_message_id, reports_by_id
from resolvers.safety.red_flags import RedFlagKind

MY_REPORTS_ORDER = (SortKey("id", descending=True),)
# Most-reported first, then the oldest, then by id (unique).
QUEUE_ORDER = (
    SortKey("filing_count", descending=True),
    SortKey("first_reported_at", kind="datetime"),
    SortKey("id"),
)
AUDIT_ORDER = (SortKey("id", descending=True),)


async def my_reports(viewer: User | None, *, first: int | None, after: str | None) -> Page[ReportFiling]:
    """The viewer's filings, newest first."""
    reporter = require_signed_in(viewer)
    return await keyset_page(ReportFiling.filter(reporter_id=reporter.pk), MY_REPORTS_ORDER, first=first, after=after)


async def moderation_queue(
    viewer: User | None, *, reason: ReportReason | None, first: int | None, after: str | None
) -> Page[Report]:
    """Open reports, most-reported and oldest first; with ``reason``, those where at
    least one filing gave it."""
    require_moderator(viewer)
    queryset = Report.filter(status=ReportStatus.OPEN)
    if reason is not None:
        queryset = queryset.filter(id__in=Subquery(ReportFiling.filter(reason=reason).values("report_id")))
    return await keyset_page(queryset, QUEUE_ORDER, first=first, after=after)


async def audit_log(
    viewer: User | None, *, action: str | None, target_id: str | None, first: int | None, after: str | None
) -> Page[AuditEntry]:
    """The audit log, newest first; filtered by action (``report.resolved``) and by the
    global id of what it happened to."""
    require_moderator(viewer)
    queryset = AuditEntry.all()
    if action is not None:
        queryset = queryset.filter(action=action[:60])
    if target_id is not None:
        type_name, pk = parse_global_id(target_id)
        queryset = queryset.filter(target_type=type_name[:40], target_id=pk)
    return await keyset_page(queryset, AUDIT_ORDER, first=first, after=after)


async def report_of_filing(loaders: Loaders, filing: ReportFiling) -> Report:
    report: Report | None = await loaders(reports_by_id).load(filing.report_id)
    assert report is not None  # a filing's report exists (foreign key, deleted with it)
    return report


async def filings_of(loaders: Loaders, viewer: User | None, report: Report) -> list[ReportFiling]:
    """Every filing of a report: moderators only."""
    require_moderator(viewer)
    filings: list[ReportFiling] = await loaders(filings_by_report_id).load(report.pk)
    return filings


async def reports_for(viewer: User | None, ids: Sequence[int]) -> list[Report | None]:
    """``node(id:)``: reports are read by moderators only; ``None`` for everyone else."""
    if viewer is None or not viewer.is_moderator:
        return [None] * len(ids)
    rows = {r.pk: r for r in await Report.filter(id__in=list(ids))}
    return [rows.get(pk) for pk in ids]


async def filings_for(viewer: User | None, ids: Sequence[int]) -> list[ReportFiling | None]:
    """``node(id:)``: a filing is read by its reporter and by moderators."""
    if viewer is None:
        return [None] * len(ids)
    rows = {f.pk: f for f in await ReportFiling.filter(id__in=list(ids))}
    return [
        f if f is not None and (viewer.is_moderator or f.reporter_id == viewer.pk) else None
        for f in (rows.get(pk) for pk in ids)
    ]


async def reporter_of(loaders: Loaders, viewer: User | None, filing: ReportFiling) -> User | None:
    """Who filed a report: moderators only."""
    if viewer is None or not viewer.is_moderator or filing.reporter_id is None:
        return None
    user: User | None = await loaders(users_by_id).load(filing.reporter_id)
    return user


async def red_flags_of(loaders: Loaders, viewer: User | None, message: Message) -> list[RedFlagKind]:
    """The red flags of a message, for the conversation's candidate only (the company
    that wrote it is not told which rule it tripped)."""
    if viewer is None or not viewer.is_candidate or message.sender_id is None or message.sender_id == viewer.pk:
        return []
    flag: MessageRedFlag | None = await loaders(red_flags_by_message_id).load(message.pk)
    return [RedFlagKind(kind) for kind in flag.kinds] if flag is not None else []
