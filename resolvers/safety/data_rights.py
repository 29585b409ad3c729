"""Trust and safety's part of ``exportMyData`` and ``deleteMyAccount``
(``resolvers/profiles/data_rights.py`` calls these once each).

Export: the reports the user filed (reason, comment, the case's status) and the
suspensions of their account. Reports *about* the user are not exported: they would
point at the reporters, who stay anonymous to the reported party.

Deletion: the user's filings lose their reporter and comment (the filing still counts
for the case). Snapshots the user is the subject of are erased from resolved reports; in
open reports they are kept until a moderator resolves the case — a sender cannot erase the
evidence of a report by deleting the account — and erased when that case is resolved
(``erase_resolved_snapshot``).
"""

from __future__ import annotations

from typing import Any

from models.accounts import User
from models.safety import Report, ReportFiling, ReportStatus, Suspension

ERASED_SNAPSHOT = {"erased": True}


async def export_reports(user_id: int) -> dict[str, Any]:
    filings = await ReportFiling.filter(reporter_id=user_id).order_by("id").prefetch_related("report")
    suspensions = await Suspension.filter(user_id=user_id).order_by("id")
    return {
        "reportsFiled": [
            {
                "id": f.pk,
                "targetKind": f.report.target_kind.value,
                "reason": f.reason.value,
                "comment": f.comment,
                "status": f.report.status.value,
                "createdAt": f.created_at.isoformat(),
            }
            for f in filings
        ],
        "suspensions": [
            {
                "id": s.pk,
                "createdAt": s.created_at.isoformat(),
                "liftedAt": s.lifted_at.isoformat() if s.lifted_at else None,
            }
            for s in suspensions
        ],
    }


async def erase_reports_of(user_id: int) -> None:
    """Inside the account deletion's transaction."""
    await ReportFiling.filter(reporter_id=user_id).update(reporter_id=None, comment=None)
    await Report.filter(subject_user_id=user_id).exclude(status=ReportStatus.OPEN).update(snapshot=ERASED_SNAPSHOT)


async def erase_resolved_snapshot(report: Report) -> None:
    """Once a report is resolved (inside that transaction): its snapshot goes if the
    account it is about was deleted meanwhile."""
    if report.subject_user_id is not None and await User.filter(id=report.subject_user_id).exclude(deleted_at=None).exists():
        report.snapshot = ERASED_SNAPSHOT
        await Report.filter(id=report.pk).update(snapshot=ERASED_SNAPSHOT)
