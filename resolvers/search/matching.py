"""Saved-search alerts: which saved searches a changed profile newly matches, and the
alert a subscriber is sent.

``match_profile(profile_id)`` runs each alerting saved search restricted to that one
profile, with the saving company's eyes (visibility, blocks); a profile that matches
and was never recorded for that search is recorded in ``SavedSearchMatch`` (so it
alerts once) and returned for announcing (``events.notify_profile_changed``). A new
saved search records the profiles it already matches (``commands.save_search``), so
only *new* matches alert.

``alert_for`` is the other end: when the announcement reaches a subscriber, the
profile is re-read and visibility and blocks are checked *at the moment of sending*;
a sent alert is written to the candidate's access log (``SEARCH_ALERT``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.accounts import Company, User
from models.notifications import Notification
from models.profiles import AccessKind, AccessLogEntry, Profile, Skill
from models.search import SavedSearch, SavedSearchMatch
from resolvers.notifications.triggers import saved_search_matched
from resolvers.profiles.access import ProfileAccess, ViewerInfo, profile_access
from resolvers.search.engine.run import matching_ids
from resolvers.search.queries import saved_filter

# Saved searches evaluated per profile change (oldest first).
MAX_ALERTING_SEARCHES = 500


async def match_profile(profile_id: int, *, ttl_days: int) -> tuple[list[int], list[Notification]]:
    """Saved-search ids the profile newly matches (recorded now, so each alerts once),
    and the notifications written with each record (``notifications.triggers``)."""
    searches = (
        await SavedSearch.filter(alerts_enabled=True).order_by("id").limit(MAX_ALERTING_SEARCHES)
    )
    companies = {c.pk: c for c in await Company.filter(id__in={s.company_id for s in searches})}
    already = set(
        await SavedSearchMatch.filter(
            profile_id=profile_id, saved_search_id__in=[s.pk for s in searches]
        ).values_list("saved_search_id", flat=True)
    )
    fired: list[int] = []
    notified: list[Notification] = []
    for saved in searches:
        company = companies.get(saved.company_id)
        if company is None or saved.pk in already:
            continue
        # The company's eyes: an employer of that company (the role is what matters).
        viewer = ViewerInfo(user=_CompanyEmployer(company.pk), company=company)  # type: ignore[arg-type]  # a stand-in for a User: privacy reads pk, is_employer, company_id
        found = await matching_ids(
            viewer, ttl_days=ttl_days, query=saved.query, flt=saved_filter(saved), limit=1,
            profile_ids=[profile_id],
        )
        if not found:
            continue
        try:
            async with in_transaction():
                match = await SavedSearchMatch.create(saved_search_id=saved.pk, profile_id=profile_id)
                notes = await saved_search_matched(saved, profile_id=profile_id, match_id=match.pk)
        except IntegrityError:  # a concurrent matcher recorded it first
            continue
        fired.append(saved.pk)
        notified += notes
    return fired, notified


class _CompanyEmployer:
    """Stands for "some employer of this company" where no single user is involved."""

    pk = 0
    is_employer = True
    is_candidate = False

    def __init__(self, company_id: int) -> None:
        self.company_id = company_id


@dataclass
class MatchAlert:
    """What ``candidateMatched`` sends: the candidate as the company may see them now."""

    saved_search_id: int
    profile: Profile
    skills: list[Skill]
    access: ProfileAccess
    matched_at: datetime
    display_name: str | None


async def alert_for(viewer: ViewerInfo, saved_search_id: int, profile_id: int) -> MatchAlert | None:
    """The alert for a profile announced as a new match, or None when the viewer may no
    longer see it (deleted, hidden, blocked since); a sent alert is logged."""
    profile = await Profile.get_or_none(id=profile_id)
    if profile is None:
        return None
    access = await profile_access(viewer, profile)
    if not access.visible:
        return None
    await record_alert(viewer, profile.pk)
    skills = list(await Skill.filter(profile_id=profile.pk).order_by("position", "id"))
    user = await User.get_or_none(id=profile.user_id)
    name = user.display_name if user is not None and access.identity else None
    return MatchAlert(saved_search_id, profile, skills, access, datetime.now(timezone.utc), name)


async def record_alert(viewer: ViewerInfo, profile_id: int) -> None:
    assert viewer.company is not None
    await AccessLogEntry.create(
        profile_id=profile_id,
        company_id=viewer.company.pk,
        viewer_id=viewer.user.pk if viewer.user is not None else None,
        kind=AccessKind.SEARCH_ALERT,
    )
