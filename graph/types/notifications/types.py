"""Notifications' object types: the notification (a ``Node``), its kind, the mail
frequencies and a person's preferences."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph.context import Info
from graph.types.common import Node, describe_enum, model_type
from graph.types.node import registered_node_types, resolve_nodes
from models import notifications as nm
from resolvers.ids import to_global_id
from resolvers.notifications.schedule import Preferences

NotificationKind = describe_enum(
    nm.NotificationKind,
    "NotificationKind",
    "What a notification tells. New kinds may be added; show unknown ones with a generic text.",
    {
        "CONTACT_REQUEST_RECEIVED": "A company asked you (a candidate) to talk; `subject` is the Conversation.",
        "CONTACT_REQUEST_ACCEPTED": "The candidate accepted your company's contact request; `subject` is the Conversation.",
        "CONTACT_REQUEST_DECLINED": "The candidate declined your company's contact request; `subject` is the Conversation.",
        "CONTACT_REQUEST_EXPIRED": "A contact request expired unanswered (told to both sides); `subject` is the Conversation.",
        "NEW_MESSAGE": "New messages in a conversation, counted in one notification per conversation while it is unread; `subject` is the Conversation.",
        "OFFER_EXTENDED": "A company made you an offer; `subject` is the Offer.",
        "OFFER_COUNTERED": "The candidate countered your company's offer; `subject` is the Offer.",
        "OFFER_REVISED": "The company revised its offer; `subject` is the Offer.",
        "OFFER_ACCEPTED": "The candidate accepted your company's offer; `subject` is the Offer.",
        "OFFER_DECLINED": "The candidate declined your company's offer; `subject` is the Offer.",
        "OFFER_WITHDRAWN": "The company withdrew its offer; `subject` is the Offer.",
        "OFFER_EXPIRING": "An offer expires within 48 hours; `subject` is the Offer.",
        "INTERVIEW_PROPOSED": "The company proposed interview slots (told to the candidate); `subject` is the Interview.",
        "INTERVIEW_PICKED": "The candidate picked a slot (told to the company); `subject` is the Interview.",
        "INTERVIEW_RESCHEDULED": "The company offered new slots (told to the candidate); `subject` is the Interview.",
        "INTERVIEW_CANCELLED": "The other side cancelled an interview; `subject` is the Interview.",
        "SAVED_SEARCH_MATCHES": "Candidates newly match one of your company's saved searches, counted in one notification per search while it is unread; `subject` is the SavedSearch, read them in `SavedSearch.matches`.",
        "PROFILE_STALE_SOON": "Your profile drops out of default search in 7 days unless you confirm you are available; `subject` is your Profile.",
        "REPORT_RESOLVED": "Moderators resolved a report you made; `subject` is your ReportFiling.",
        "JOIN_REQUEST": "Someone asked to join your company (told to its admins), or an admin accepted or refused your request to join; `subject` is the JoinRequest.",
        "MODERATION_ACTION": "Moderators warned or suspended your account or your company after a report (who reported is never told); `subject` is your User or your Company.",
    },
)

MailFrequency = describe_enum(
    nm.MailFrequency,
    "MailFrequency",
    "How often you are mailed about one kind of notification. The inbox shows every notification whatever you choose.",
    {
        "INSTANT": "A mail for each notification, as it happens (after your quiet hours; messages only when still unread some minutes later).",
        "DAILY": "In one digest mail a day, at 08:00 in your time zone.",
        "WEEKLY": "In one digest mail a week, Mondays at 08:00 in your time zone.",
        "OFF": "No mail.",
    },
)


@strawberry.type(description="Something you should learn: one event, or several of one group (messages of one conversation, matches of one saved search) counted while unread. Only you see your notifications.")
@model_type(nm.Notification)
class Notification(Node):
    """Resolved straight from ``models.notifications.Notification`` rows (the row is the root)."""

    @strawberry.field(description="Globally unique ID.")
    def id(self, root: strawberry.Parent[nm.Notification]) -> strawberry.ID:
        return strawberry.ID(to_global_id("Notification", root.pk))

    kind: NotificationKind = strawberry.field(description="What it tells.")  # type: ignore[valid-type]  # a strawberry enum built by describe_enum
    count: int = strawberry.field(description="How many events it counts (1 unless grouped: messages, saved-search matches).")
    created_at: datetime = strawberry.field(description="When the first event happened.")
    updated_at: datetime = strawberry.field(description="When the latest event happened; the inbox is ordered by it, newest first.")
    read_at: datetime | None = strawberry.field(description="When you marked it read (or read the conversation it is about); null while unread.")

    @strawberry.field(
        description="What it is about (a Conversation, Offer, SavedSearch, Profile …), under the same rules as `node(id:)`: null when it no longer exists or you may no longer see it."
    )
    async def subject(self, root: strawberry.Parent[nm.Notification], info: Info) -> Node | None:
        if root.subject_type not in registered_node_types():
            return None
        return (await resolve_nodes(info, [strawberry.ID(to_global_id(root.subject_type, root.subject_id))]))[0]


@strawberry.type(description="Your mail setting for one kind of notification.")
class NotificationKindPreference:
    kind: NotificationKind = strawberry.field(description="The kind.")  # type: ignore[valid-type]  # a strawberry enum built by describe_enum
    frequency: MailFrequency = strawberry.field(description="How often you are mailed about it.")  # type: ignore[valid-type]  # a strawberry enum built by describe_enum
    is_default: bool = strawberry.field(description="True while you have not chosen: the frequency is the kind's default.")


@strawberry.type(description="When and how often you are mailed about your notifications.")
class NotificationPreferences:
    kinds: list[NotificationKindPreference] = strawberry.field(description="One entry per kind, every kind listed.")
    time_zone: str | None = strawberry.field(description="Your IANA time zone (such as Europe/Berlin) for quiet hours and digests; null means UTC.")
    quiet_hours_start: int | None = strawberry.field(description="Local hour (0–23) from which no mail is sent; null for no quiet hours.")
    quiet_hours_end: int | None = strawberry.field(description="Local hour (0–23) at which mail resumes (what came due is sent then); may be earlier than the start (across midnight).")

    @classmethod
    def of(cls, prefs: Preferences) -> NotificationPreferences:
        return cls(
            kinds=[
                NotificationKindPreference(kind=kind, frequency=prefs.frequency(kind), is_default=kind not in prefs.chosen)
                for kind in nm.NotificationKind
            ],
            time_zone=prefs.time_zone,
            quiet_hours_start=prefs.quiet_start,
            quiet_hours_end=prefs.quiet_end,
        )
