"""Trust and safety's writes: report content, resolve a report, lift a suspension.

Reports merge: at most one open ``Report`` exists per target (its ``open_key`` is
unique while open); each reporter has one ``ReportFiling`` on it — reporting the same
target again updates that filing's reason and comment, another reporter adds a filing.
Reporting is limited twice: the per-user request brake of ``resolvers/ratelimit.py``
(``reportContent`` counts as costly work) and an exact quota of
``REPORTS_PER_HOUR`` new filings per reporter, counted inside the writing transaction
under a lock on the reporter's row.

Every moderation decision is written to the audit log in its own transaction
(``resolvers.audit.record``); what it closed is announced after commit
(``resolvers.safety.events``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.accounts import User
from models.chat import Message
from models.safety import ModerationAction, Report, ReportFiling, ReportReason, ReportStatus, ReportTargetKind
from resolvers.audit import record
from resolvers.errors import Problems, UserErrorCode, UserErrors
from resolvers.events import Publisher
from resolvers.ids import parse_global_id
from resolvers.loading import Loaders
from resolvers.notifications.events import publish_notifications
from resolvers.notifications.governance_triggers import moderation_taken, report_resolved
from resolvers.profiles.commands import block
from resolvers.safety.access import require_moderator, require_signed_in
from resolvers.safety.data_rights import erase_resolved_snapshot
from resolvers.safety.events import announce_closures
from resolvers.safety.suspension import Closures, lift, live_suspension, suspend_company, suspend_user, utcnow
from resolvers.safety.targets import Target, find_target

COMMENT_MAX_LENGTH = 1_000
NOTE_MAX_LENGTH = 1_000
REPORTS_PER_HOUR = 20
REMOVED_BODY = "This message was removed by moderators."


def _text(problems: Problems, value: str | None, name: str, maximum: int) -> str | None:
    value = (value or "").strip() or None
    if value is not None and len(value) > maximum:
        problems.add(UserErrorCode.TOO_LONG, f"{name} has at most {maximum} characters.", name)
    return value


# --- reporting ----------------------------------------------------------------------------

async def report_content(
    loaders: Loaders,
    publisher: Publisher,
    viewer: User | None,
    *,
    target: str,
    reason: ReportReason,
    comment: str | None,
    also_block: bool,
) -> ReportFiling:
    """File (or update) the viewer's report on ``target``; with ``also_block`` a
    candidate also blocks the company behind it (the profiles feature's block rule)."""
    reporter = require_signed_in(viewer)
    problems = Problems()
    comment = _text(problems, comment, "comment", COMMENT_MAX_LENGTH)
    if also_block and not reporter.is_candidate:
        problems.add(UserErrorCode.INVALID, "Only candidates block companies.", "alsoBlock")
    problems.raise_if_any()
    found = await find_target(loaders, publisher, reporter, target)
    if also_block and found.subject_company_id is None:
        raise UserErrors.single(UserErrorCode.INVALID, "There is no company behind this content to block.", ["alsoBlock"])
    for attempt in range(3):
        try:
            filing = await _file(reporter, found, reason, comment)
            break
        except IntegrityError:  # another reporter opened the case at the same moment
            if attempt == 2:
                raise
    if also_block and found.subject_company_id is not None:
        try:
            await block(reporter, company_id=found.subject_company_id, domain=None, publisher=publisher)
        except UserErrors as exc:
            if exc.errors[0].code != UserErrorCode.ALREADY_BLOCKED:
                raise
    return filing


async def _file(reporter: User, found: Target, reason: ReportReason, comment: str | None) -> ReportFiling:
    now = utcnow()
    async with in_transaction():
        await User.select_for_update().get(id=reporter.pk)  # one reporter's filings in line
        recent = await ReportFiling.filter(reporter_id=reporter.pk, created_at__gte=now - timedelta(hours=1)).count()
        key = f"{found.kind.value}:{found.pk}"
        report = await Report.select_for_update().get_or_none(open_key=key)
        filing = await ReportFiling.get_or_none(report_id=report.pk, reporter_id=reporter.pk) if report else None
        if filing is not None:  # the same reporter again: merge into their filing
            filing.reason, filing.comment = reason, comment
            await filing.save(update_fields=["reason", "comment", "updated_at"])
            return filing
        if recent >= REPORTS_PER_HOUR:
            raise UserErrors.single(
                UserErrorCode.RATE_LIMITED, f"You can file at most {REPORTS_PER_HOUR} reports an hour.", ["target"]
            )
        if report is None:
            report = await Report.create(
                target_kind=found.kind,
                target_id=found.pk,
                open_key=key,
                subject_user_id=found.subject_user_id,
                subject_company_id=found.subject_company_id,
                snapshot=found.snapshot,
                filing_count=0,
            )
        await Report.filter(id=report.pk).update(filing_count=F("filing_count") + 1, last_reported_at=now)
        return await ReportFiling.create(report_id=report.pk, reporter_id=reporter.pk, reason=reason, comment=comment)


# --- moderation ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Resolution:
    action: ModerationAction
    note: str | None


def _applicable(report: Report, action: ModerationAction) -> bool:
    if action == ModerationAction.REMOVE_MESSAGE:
        return report.target_kind == ReportTargetKind.MESSAGE
    if action == ModerationAction.SUSPEND_USER:
        return report.subject_user_id is not None
    if action == ModerationAction.SUSPEND_COMPANY:
        return report.subject_company_id is not None
    return True


async def resolve_report(
    publisher: Publisher, viewer: User | None, *, report_id: str, action: ModerationAction, note: str | None
) -> Report:
    """A moderator decides an open report: dismiss it, warn the party behind it, remove
    the reported message, or suspend the account or company behind it. The reporters are
    told it was resolved (``REPORT_RESOLVED``); a warned or suspended party is told
    (``MODERATION_ACTION``), never by whom it was reported."""
    moderator = require_moderator(viewer)
    problems = Problems()
    note = _text(problems, note, "note", NOTE_MAX_LENGTH)
    problems.raise_if_any()
    type_name, pk = parse_global_id(report_id)
    closures = Closures()
    async with in_transaction():
        report = await Report.select_for_update().get_or_none(id=pk) if type_name == "Report" else None
        if report is None:
            raise UserErrors.single(UserErrorCode.NOT_FOUND, "No such report.", ["reportId"])
        if report.status != ReportStatus.OPEN:
            raise UserErrors.single(UserErrorCode.ALREADY_RESOLVED, "This report was already resolved.", ["reportId"])
        if not _applicable(report, action):
            raise UserErrors.single(UserErrorCode.ACTION_NOT_APPLICABLE, f"{action.value} does not fit this report.", ["action"])
        await _carry_out(report, Resolution(action, note), moderator, closures)
        notified = await report_resolved(report, action) + await moderation_taken(report, action, note)
        report.status = ReportStatus.DISMISSED if action == ModerationAction.DISMISS else ReportStatus.ACTION_TAKEN
        report.open_key, report.resolved_at, report.resolved_by_id = None, utcnow(), moderator.pk
        report.action, report.note = action, note
        await report.save(update_fields=["status", "open_key", "resolved_at", "resolved_by_id", "action", "note"])
        await erase_resolved_snapshot(report)
        await record(
            "report.resolved",
            actor_id=moderator.pk,
            target_type="Report",
            target_id=report.pk,
            company_id=report.subject_company_id,
            details={"action": action.value, "targetKind": report.target_kind.value, "targetId": report.target_id},
        )
    await announce_closures(publisher, closures)
    await publish_notifications(publisher, notified)
    return report


async def _carry_out(report: Report, resolution: Resolution, moderator: User, closures: Closures) -> None:
    action = resolution.action
    if action == ModerationAction.REMOVE_MESSAGE:
        await Message.filter(id=report.target_id).update(body=REMOVED_BODY)
        await record("message.removed", actor_id=moderator.pk, target_type="Message", target_id=report.target_id,
                     company_id=report.subject_company_id, details={"reportId": report.pk})
    elif action in (ModerationAction.SUSPEND_USER, ModerationAction.SUSPEND_COMPANY):
        company = action == ModerationAction.SUSPEND_COMPANY
        suspend = suspend_company if company else suspend_user
        subject = report.subject_company_id if company else report.subject_user_id
        assert subject is not None  # _applicable checked it
        suspension = await suspend(subject, moderator_id=moderator.pk, report_id=report.pk, note=resolution.note, closures=closures)
        await record(
            "company.suspended" if company else "user.suspended",
            actor_id=moderator.pk,
            target_type="Company" if company else "User",
            target_id=subject,
            company_id=report.subject_company_id,
            details={"reportId": report.pk, "suspensionId": suspension.pk, "accounts": len(closures.revoked)},
        )


async def lift_suspension(viewer: User | None, *, target: str, note: str | None) -> int:
    """A moderator lifts the live suspension of an account (``User`` id) or company
    (``Company`` id); returns the suspension's id. Nothing to announce: the restored
    party signs in again."""
    moderator = require_moderator(viewer)
    problems = Problems()
    note = _text(problems, note, "note", NOTE_MAX_LENGTH)
    problems.raise_if_any()
    type_name, pk = parse_global_id(target)
    if type_name not in ("User", "Company"):
        raise UserErrors.single(UserErrorCode.INVALID, "Name a User or a Company.", ["target"])
    async with in_transaction():
        if type_name == "User":
            suspension = await live_suspension(user_id=pk)
        else:
            suspension = await live_suspension(company_id=pk)
        await lift(suspension, moderator_id=moderator.pk)
        await record(
            "company.suspension_lifted" if type_name == "Company" else "user.suspension_lifted",
            actor_id=moderator.pk,
            target_type=type_name,
            target_id=pk,
            company_id=pk if type_name == "Company" else None,
            details={"suspensionId": suspension.pk, "note": note} if note else {"suspensionId": suspension.pk},
        )
    suspension_id: int = suspension.pk
    return suspension_id
