"""Who join requests and moderation tell, one call per event, inside its transaction.

- A new join request: every admin of the company (``subject``: the JoinRequest).
- An admin's decision on it: the person who asked (``subject``: the JoinRequest).
- A report resolved: each person who filed it (``subject``: their own ReportFiling); the
  reported party is never told who reported, and is never sent this kind.
- A moderation action (a warning, a suspension): the account behind the content, or
  every member of the company (``subject``: the User or Company itself, never the
  Report, so nothing leads back to the reporters; no actor).
"""

from __future__ import annotations

from models.accounts import Company, CompanyRole, JoinRequest, User
from models.notifications import Notification, NotificationKind
from models.safety import ModerationAction, Report, ReportFiling
from resolvers.notifications.commands import notify
from resolvers.notifications.triggers import written

K = NotificationKind

RESOLUTION_SUMMARY = {
    ModerationAction.DISMISS: "Moderators reviewed what you reported and found that it does not break the rules.",
}
ACTION_TAKEN_SUMMARY = "Moderators reviewed what you reported and took action. Thank you for reporting it."
MODERATION_SUMMARY = {
    ModerationAction.WARN: (
        "Moderators reviewed a report about content you are responsible for and found that it breaks the "
        "platform's rules. Further reports may lead to a suspension."
    ),
    ModerationAction.SUSPEND_USER: "Moderators suspended your account for breaking the platform's rules.",
    ModerationAction.SUSPEND_COMPANY: "Moderators suspended your company and its members' accounts for breaking the platform's rules.",
}


async def join_requested(request: JoinRequest, requester: User, company: Company) -> list[Notification]:
    """Someone asked to join ``company``: its admins are told."""
    admins = await User.filter(company_id=company.pk, company_role=CompanyRole.ADMIN, deleted_at=None).order_by("id")
    summary = f"{requester.display_name} ({requester.email}) confirmed a work email and asks to join {company.name}."
    return written(*[
        await notify(
            admin.pk, K.JOIN_REQUEST, subject_type="JoinRequest", subject_id=request.pk, actor_id=requester.pk,
            data={"summary": summary}, dedupe_key=f"join_request:{request.pk}:asked:{admin.pk}",
        )
        for admin in admins
    ])


async def join_decided(request: JoinRequest, company: Company, *, accepted: bool, admin_id: int) -> list[Notification]:
    """An admin accepted or refused a join request: the person who asked is told."""
    verb = "accepted" if accepted else "refused"
    found = await notify(
        request.user_id, K.JOIN_REQUEST, subject_type="JoinRequest", subject_id=request.pk, actor_id=admin_id,
        data={"title": f"Your request to join {company.name} was {verb}", "decision": verb.upper()},
        dedupe_key=f"join_request:{request.pk}:decided",
    )
    return written(found)


async def report_resolved(report: Report, action: ModerationAction) -> list[Notification]:
    """A report was resolved: everyone who filed it is told on their own filing."""
    summary = RESOLUTION_SUMMARY.get(action, ACTION_TAKEN_SUMMARY)
    filings = await ReportFiling.filter(report_id=report.pk, reporter_id__isnull=False).order_by("id")
    live = {u.pk for u in await User.filter(id__in=[f.reporter_id for f in filings], deleted_at=None)}
    return written(*[
        await notify(
            reporter_id, K.REPORT_RESOLVED, subject_type="ReportFiling", subject_id=filing.pk,
            data={"summary": summary}, dedupe_key=f"report:{report.pk}:resolved:{filing.pk}",
        )
        for filing in filings
        if (reporter_id := filing.reporter_id) is not None and reporter_id in live
    ])


async def moderation_taken(report: Report, action: ModerationAction, note: str | None) -> list[Notification]:
    """A warning or a suspension: the party behind the reported content is told."""
    summary = MODERATION_SUMMARY.get(action)
    if summary is None:
        return []
    if note:
        summary += f" The moderator's note: {note}"
    if action != ModerationAction.SUSPEND_COMPANY and report.subject_user_id is not None:
        people = User.filter(id=report.subject_user_id, deleted_at=None)
    elif report.subject_company_id is not None:
        people = User.filter(company_id=report.subject_company_id, deleted_at=None)
    else:
        return []
    return written(*[
        await notify(
            user.pk, K.MODERATION_ACTION,
            subject_type="User" if user.pk == report.subject_user_id else "Company",
            subject_id=user.pk if user.pk == report.subject_user_id else user.company_id or 0,
            data={"summary": summary, "action": action.value},
            dedupe_key=f"report:{report.pk}:moderation:{user.pk}",
        )
        for user in await people.order_by("id")
    ])
