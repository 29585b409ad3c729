"""Demo notifications, so the inbox is not empty on first start: the demo employer gets a
saved search whose later matches are kept (``SavedSearch.matches``) and counted in one
unread notification; the demo candidate is told her profile drops out of search soon."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from models.accounts import User
from models.notifications import NotificationKind
from models.profiles import Profile, Visibility
from models.search import SavedSearch, SavedSearchMatch
from resolvers.notifications import notify
from resolvers.notifications.triggers import saved_search_matched

DEMO_MATCHES = 3


async def seed_inbox(employer_email: str | None, candidate_email: str | None) -> None:
    employer = await User.get_or_none(email=employer_email) if employer_email else None
    candidate = await User.get_or_none(email=candidate_email) if candidate_email else None
    async with in_transaction():
        if employer is not None and employer.company_id is not None:
            saved = await SavedSearch.create(
                company_id=employer.company_id, created_by_id=employer.pk, name="Demo: everyone open to offers"
            )
            for match_of in await Profile.filter(visibility=Visibility.PUBLIC).order_by("id").limit(DEMO_MATCHES):
                match = await SavedSearchMatch.create(saved_search_id=saved.pk, profile_id=match_of.pk)
                await saved_search_matched(saved, profile_id=match_of.pk, match_id=match.pk)
        own = await Profile.get_or_none(user_id=candidate.pk) if candidate is not None else None
        if candidate is not None and own is not None:
            await notify(
                candidate.pk, NotificationKind.PROFILE_STALE_SOON, subject_type="Profile", subject_id=own.pk,
                dedupe_key=f"demo:stale:{own.pk}",
            )
