"""What a mail says about a notification, decided at the moment of sending.

Every item is re-read and re-checked against privacy now, not when the event happened
(``resolvers/profiles/access.py``):

- a candidate who blocks the company (by company or by domain) since cancels the item,
  whichever side it is for;
- a candidate an employer may not see (hidden, deleted) cancels a saved-search item;
- a candidate's name reaches an employer only where the employer may see who she is
  (anonymous until accepted): otherwise "Anonymous candidate";
- a subject that no longer exists, or a saved search of a company the person left,
  cancels the item.

``render`` answers ``None`` for a cancelled item.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.accounts import Company, User
from models.chat import Conversation
from models.notifications import Notification, NotificationKind
from models.offers import Offer, OfferVersion
from models.profiles import Profile
from models.search import SavedSearch
from resolvers.profiles.access import ANONYMOUS_NAME, ViewerInfo, is_blocked, profile_access, profile_access_many

K = NotificationKind
MAX_LISTED = 10


@dataclass(frozen=True)
class MailItem:
    """One notification as a mail tells it (plain text; the HTML template escapes it)."""

    kind: NotificationKind
    title: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Parties:
    company: Company
    candidate_name: str


CONVERSATION_TITLES = {
    K.CONTACT_REQUEST_RECEIVED: "{company} would like to talk to you about {role}",
    K.CONTACT_REQUEST_ACCEPTED: "{candidate} accepted your contact request ({role})",
    K.CONTACT_REQUEST_DECLINED: "{candidate} declined your contact request ({role})",
    K.CONTACT_REQUEST_EXPIRED: "A contact request about {role} expired unanswered",
}
OFFER_TITLES = {
    K.OFFER_EXTENDED: "{company} made you an offer: {title}",
    K.OFFER_REVISED: "{company} revised its offer: {title}",
    K.OFFER_WITHDRAWN: "{company} withdrew its offer: {title}",
    K.OFFER_COUNTERED: "{candidate} countered your offer: {title}",
    K.OFFER_ACCEPTED: "{candidate} accepted your offer: {title}",
    K.OFFER_DECLINED: "{candidate} declined your offer: {title}",
    K.OFFER_EXPIRING: "An offer expires soon: {title}",
}
GENERIC_TITLES = {
    K.INTERVIEW_PROPOSED: "An interview was proposed",
    K.INTERVIEW_PICKED: "An interview time was picked",
    K.INTERVIEW_RESCHEDULED: "An interview was rescheduled",
    K.INTERVIEW_CANCELLED: "An interview was cancelled",
    K.PROFILE_STALE_SOON: "Your profile drops out of search soon: confirm you are available",
    K.REPORT_RESOLVED: "A report you made was resolved",
    K.JOIN_REQUEST: "Someone asked to join your company",
    K.MODERATION_ACTION: "A moderator acted on your account or content",
}


async def render(recipient: User, notification: Notification) -> MailItem | None:
    """The item for ``notification`` as ``recipient`` may read it now, or None."""
    if notification.subject_type == "Conversation":
        conversation = await Conversation.get_or_none(id=notification.subject_id)
        return await _conversation_item(recipient, notification, conversation) if conversation else None
    if notification.subject_type == "Offer":
        return await _offer_item(recipient, notification)
    if notification.subject_type == "SavedSearch":
        return await _matches_item(recipient, notification)
    return await _generic_item(recipient, notification)


async def _parties(recipient: User, conversation: Conversation) -> _Parties | None:
    """The company and the candidate's name as the recipient may know it; None when the
    candidate blocks the company (or the company is gone)."""
    company = await Company.get_or_none(id=conversation.company_id)
    candidate = await User.get_or_none(id=conversation.candidate_id)
    if company is None or candidate is None:
        return None
    profile = await Profile.get_or_none(user_id=candidate.pk)
    if profile is not None and await is_blocked(company, profile.pk):
        return None
    name = candidate.display_name
    if recipient.pk != candidate.pk and profile is not None and candidate.deleted_at is None:
        access = await profile_access(ViewerInfo(user=recipient, company=company), profile)
        name = candidate.display_name if access.identity else ANONYMOUS_NAME
    return _Parties(company, name)


async def _conversation_item(recipient: User, notification: Notification, conversation: Conversation) -> MailItem | None:
    parties = await _parties(recipient, conversation)
    if parties is None:
        return None
    names = {"company": parties.company.name, "candidate": parties.candidate_name, "role": conversation.role_title}
    if notification.kind == K.NEW_MESSAGE:
        other = parties.company.name if recipient.pk == conversation.candidate_id else parties.candidate_name
        count = notification.count
        title = f"{count} new message{'s' if count != 1 else ''} from {other}"
        return MailItem(notification.kind, title, (f"About: {conversation.role_title}",))
    template = CONVERSATION_TITLES.get(notification.kind)
    return MailItem(notification.kind, template.format(**names)) if template else None


async def _offer_item(recipient: User, notification: Notification) -> MailItem | None:
    offer = await Offer.get_or_none(id=notification.subject_id)
    conversation = await Conversation.get_or_none(id=offer.conversation_id) if offer else None
    if offer is None or conversation is None:
        return None
    parties = await _parties(recipient, conversation)
    template = OFFER_TITLES.get(notification.kind)
    if parties is None or template is None:
        return None
    version = await OfferVersion.get_or_none(offer_id=offer.pk, number=offer.current_version)
    title = template.format(
        company=parties.company.name, candidate=parties.candidate_name, title=version.title if version else "an offer"
    )
    return MailItem(notification.kind, title)


async def _matches_item(recipient: User, notification: Notification) -> MailItem | None:
    """The candidates of a saved-search group the employer may still see."""
    saved = await SavedSearch.get_or_none(id=notification.subject_id)
    if saved is None or recipient.company_id != saved.company_id:
        return None
    company = await Company.get_or_none(id=saved.company_id)
    ids = [int(pid) for pid in notification.data.get("profileIds", [])]
    profiles = list(await Profile.filter(id__in=ids)) if company and ids else []
    accesses = await profile_access_many(ViewerInfo(user=recipient, company=company), profiles)
    visible = [(p, a) for p, a in zip(profiles, accesses, strict=True) if a.visible]
    if not visible:
        return None
    users = {u.pk: u for u in await User.filter(id__in=[p.user_id for p, _ in visible])}
    lines = []
    for profile, access in visible[:MAX_LISTED]:
        user = users.get(profile.user_id)
        name = user.display_name if user is not None and access.identity else ANONYMOUS_NAME
        lines.append(f"{name}: {profile.headline}" if profile.headline else name)
    if len(visible) > MAX_LISTED:
        lines.append(f"… and {len(visible) - MAX_LISTED} more")
    count = len(visible)
    title = f"{count} new candidate{'s' if count != 1 else ''} match your saved search “{saved.name}”"
    return MailItem(notification.kind, title, tuple(lines))


async def _generic_item(recipient: User, notification: Notification) -> MailItem | None:
    """Kinds other features write: the kind's title (or the ``title`` they passed in
    ``data``) and the ``summary`` they passed; a ``companyId`` and ``profileId`` in
    ``data`` are checked for a block."""
    company_id, profile_id = notification.data.get("companyId"), notification.data.get("profileId")
    if isinstance(company_id, int) and isinstance(profile_id, int):
        company = await Company.get_or_none(id=company_id)
        if company is None or await is_blocked(company, profile_id):
            return None
    title = notification.data.get("title") or GENERIC_TITLES.get(notification.kind, notification.kind.value.replace("_", " ").capitalize())
    summary = notification.data.get("summary")
    return MailItem(notification.kind, title, (str(summary),) if summary else ())
