"""Offer-expiry warnings (a scheduled job, ``resolvers/scheduler``): the candidate gets one
mail when a SENT offer expires within ``WARN_HOURS``, once per offer version (a revision
with a new ``expiresAt`` warns again; the ``dedupe_key`` names the version)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from models.accounts import Company, User
from models.offers import Offer, OfferStatus, OfferVersion
from resolvers.mail import enqueue_mail

if TYPE_CHECKING:
    from resolvers.scheduler.registry import JobRun

WARN_HOURS = 48


async def warn_expiring_offers(run: JobRun) -> int:
    """The job: warn every candidate whose open offer expires within ``WARN_HOURS``."""
    offers = await Offer.filter(
        status=OfferStatus.SENT, expires_at__gt=run.now, expires_at__lte=run.now + timedelta(hours=WARN_HOURS)
    )
    users = {u.pk: u for u in await User.filter(id__in=[o.candidate_id for o in offers])}
    companies = {c.pk: c for c in await Company.filter(id__in=[o.company_id for o in offers])}
    warned = 0
    for offer in offers:
        version = await OfferVersion.get(offer_id=offer.pk, number=offer.current_version)
        assert offer.expires_at is not None
        mail = await enqueue_mail(
            kind="offer_expiring",
            to_address=users[offer.candidate_id].email,
            subject=f"Your offer from {companies[offer.company_id].name} expires soon",
            body_text=(
                f"The offer \"{version.title}\" from {companies[offer.company_id].name} expires on "
                f"{offer.expires_at:%Y-%m-%d %H:%M} UTC. Accept, decline or counter it before then."
            ),
            dedupe_key=f"offer_expiring:{offer.pk}:{offer.current_version}",
        )
        warned += mail is not None
    return warned
