"""Demo data for trust and safety: a moderator, an unverified company (its one employer
signed up from a free-mail address, so it never verified) and a few open reports, so the
moderation queue shows something on first start and the difference a verified company
makes can be tried. Written through the models (the reporters and targets are the seeded
people of this run)."""

from __future__ import annotations

import secrets
from datetime import datetime, timezone
from typing import Any

from models.accounts import Company, CompanyRole, Role, User
from models.profiles import Profile, Visibility
from models.safety import Report, ReportFiling, ReportReason, ReportTargetKind

MODERATOR_EMAIL = "moderator@openforwork.demo"
UNVERIFIED_EMPLOYER_EMAIL = "global.talent.partners@example.com"
UNVERIFIED_COMPANY_NAME = "Global Talent Partners"
COMPANY_REPORTS = (
    (ReportReason.FAKE_IDENTITY, "They claim to recruit for a well-known brand but write from a free-mail address."),
    (ReportReason.SCAM, "Asked me to pay for a 'training kit' before the interview."),
    (ReportReason.SCAM, None),
)


async def seed_safety(password_hash: str) -> str | None:
    """A moderator and an unverified company (once per database), an open report on that
    company and one on this run's newest profile (filed by the newest verified company).
    Returns the moderator's email when it was created."""
    created = None
    if not await User.filter(email=MODERATOR_EMAIL).exists():
        await User.create(email=MODERATOR_EMAIL, password_hash=password_hash, role=Role.MODERATOR, display_name="Demo Moderator")
        created = MODERATOR_EMAIL
    unverified = await _unverified_company(password_hash)
    company = await Company.filter(suspended_at=None, verified=True).order_by("-id").first()
    candidates = await User.filter(role=Role.CANDIDATE, deleted_at=None).order_by("-id").limit(len(COMPANY_REPORTS) + 1)
    if company is None or len(candidates) <= len(COMPANY_REPORTS):
        return created
    await _open_report(
        ReportTargetKind.COMPANY, unverified.pk, None, unverified.pk,
        {"name": unverified.name, "website": unverified.website, "domain": unverified.domain, "verified": False},
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


async def _unverified_company(password_hash: str) -> Company:
    """Once per database: a company whose only employer confirmed a free-mail address, so
    it stays unverified (it sees no EMPLOYERS-only profile, reaches only candidates who
    take any company, and has the small contact quota)."""
    employer = await User.get_or_none(email=UNVERIFIED_EMPLOYER_EMAIL)
    if employer is not None and employer.company_id is not None:
        return await Company.get(id=employer.company_id)
    company = await Company.create(name=UNVERIFIED_COMPANY_NAME, invitation_code=secrets.token_urlsafe(18))
    if employer is None:
        await User.create(
            email=UNVERIFIED_EMPLOYER_EMAIL, password_hash=password_hash, role=Role.EMPLOYER, display_name="Sam Carter",
            company_id=company.pk, company_role=CompanyRole.ADMIN, email_confirmed_at=datetime.now(timezone.utc),
        )
    return company


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
