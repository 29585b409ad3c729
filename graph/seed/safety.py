"""Demo data for trust and safety: a moderator and a few open reports, so the moderation
queue shows something on first start. Written through the models (the reporters and
targets are the seeded people of this run)."""

from __future__ import annotations

from typing import Any

from models.accounts import Company, Role, User
from models.profiles import Profile, Visibility
from models.safety import Report, ReportFiling, ReportReason, ReportTargetKind

MODERATOR_EMAIL = "moderator@openforwork.demo"
COMPANY_REPORTS = (
    (ReportReason.FAKE_IDENTITY, "They claim to be a well-known brand but write from a free-mail address."),
    (ReportReason.SCAM, "Asked me to pay for a 'training kit' before the interview."),
    (ReportReason.SCAM, None),
)


async def seed_safety(password_hash: str) -> str | None:
    """A moderator (once per database) and two open reports on this run's newest company
    and profile. Returns the moderator's email when it was created."""
    created = None
    if not await User.filter(email=MODERATOR_EMAIL).exists():
        await User.create(email=MODERATOR_EMAIL, password_hash=password_hash, role=Role.MODERATOR, display_name="Demo Moderator")
        created = MODERATOR_EMAIL
    company = await Company.filter(suspended_at=None).order_by("-id").first()
    candidates = await User.filter(role=Role.CANDIDATE, deleted_at=None).order_by("-id").limit(len(COMPANY_REPORTS) + 1)
    if company is None or len(candidates) <= len(COMPANY_REPORTS):
        return created
    await _open_report(
        ReportTargetKind.COMPANY, company.pk, None, company.pk,
        {"name": company.name, "website": company.website, "domain": company.domain, "verified": company.verified},
        [(user.pk, reason, comment) for user, (reason, comment) in zip(candidates, COMPANY_REPORTS, strict=False)],
    )
    profile = await Profile.get_or_none(user_id=candidates[-1].pk, visibility__not=Visibility.HIDDEN)
    employer = await User.filter(company_id=company.pk).order_by("id").first()
    if profile is not None and employer is not None:
        snapshot = {"handle": profile.handle, "headline": profile.headline, "summary": profile.summary[:500]}
        await _open_report(
            ReportTargetKind.PROFILE, profile.pk, profile.user_id, None, snapshot,
            [(employer.pk, ReportReason.SPAM, "The same profile text appears under several names.")],
        )
    return created


async def _open_report(
    kind: ReportTargetKind,
    target_id: int,
    subject_user_id: int | None,
    subject_company_id: int | None,
    snapshot: dict[str, Any],
    filings: list[tuple[int, ReportReason, str | None]],
) -> None:
    key = f"{kind.value}:{target_id}"
    if await Report.filter(open_key=key).exists():
        return
    report = await Report.create(
        target_kind=kind, target_id=target_id, open_key=key, subject_user_id=subject_user_id,
        subject_company_id=subject_company_id, snapshot=snapshot, filing_count=len(filings),
    )
    for reporter_id, reason, comment in filings:
        await ReportFiling.create(report_id=report.pk, reporter_id=reporter_id, reason=reason, comment=comment)
