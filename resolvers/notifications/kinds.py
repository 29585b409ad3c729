"""The kinds of notification: what each one is called in a mail, and how often it is
mailed unless the person chose otherwise."""

from __future__ import annotations

from models.notifications import MailFrequency, NotificationKind

K = NotificationKind

# Sensible defaults: what needs an answer is mailed at once, what only informs comes in
# the daily digest. A person changes any of them (``updateNotificationPreferences``).
DEFAULT_FREQUENCY: dict[NotificationKind, MailFrequency] = {
    K.CONTACT_REQUEST_RECEIVED: MailFrequency.INSTANT,
    K.CONTACT_REQUEST_ACCEPTED: MailFrequency.INSTANT,
    K.CONTACT_REQUEST_DECLINED: MailFrequency.DAILY,
    K.CONTACT_REQUEST_EXPIRED: MailFrequency.DAILY,
    K.NEW_MESSAGE: MailFrequency.INSTANT,
    K.OFFER_EXTENDED: MailFrequency.INSTANT,
    K.OFFER_COUNTERED: MailFrequency.INSTANT,
    K.OFFER_REVISED: MailFrequency.INSTANT,
    K.OFFER_ACCEPTED: MailFrequency.INSTANT,
    K.OFFER_DECLINED: MailFrequency.INSTANT,
    K.OFFER_WITHDRAWN: MailFrequency.INSTANT,
    K.OFFER_EXPIRING: MailFrequency.INSTANT,
    K.INTERVIEW_PROPOSED: MailFrequency.INSTANT,
    K.INTERVIEW_PICKED: MailFrequency.INSTANT,
    K.INTERVIEW_RESCHEDULED: MailFrequency.INSTANT,
    K.INTERVIEW_CANCELLED: MailFrequency.INSTANT,
    K.SAVED_SEARCH_MATCHES: MailFrequency.DAILY,
    K.PROFILE_STALE_SOON: MailFrequency.INSTANT,
    K.REPORT_RESOLVED: MailFrequency.DAILY,
    K.JOIN_REQUEST: MailFrequency.INSTANT,
    K.MODERATION_ACTION: MailFrequency.INSTANT,
}

# How a kind is named to a person (unsubscribe page, preferences).
LABELS: dict[NotificationKind, str] = {
    K.CONTACT_REQUEST_RECEIVED: "contact requests you receive",
    K.CONTACT_REQUEST_ACCEPTED: "contact requests accepted",
    K.CONTACT_REQUEST_DECLINED: "contact requests declined",
    K.CONTACT_REQUEST_EXPIRED: "contact requests that expired",
    K.NEW_MESSAGE: "messages while you are away",
    K.OFFER_EXTENDED: "offers you receive",
    K.OFFER_COUNTERED: "counter-offers",
    K.OFFER_REVISED: "revised offers",
    K.OFFER_ACCEPTED: "offers accepted",
    K.OFFER_DECLINED: "offers declined",
    K.OFFER_WITHDRAWN: "offers withdrawn",
    K.OFFER_EXPIRING: "offers about to expire",
    K.INTERVIEW_PROPOSED: "interviews proposed",
    K.INTERVIEW_PICKED: "interview times picked",
    K.INTERVIEW_RESCHEDULED: "interviews rescheduled",
    K.INTERVIEW_CANCELLED: "interviews cancelled",
    K.SAVED_SEARCH_MATCHES: "new matches of your saved searches",
    K.PROFILE_STALE_SOON: "your profile about to drop out of search",
    K.REPORT_RESOLVED: "reports you made, resolved",
    K.JOIN_REQUEST: "requests to join your company",
    K.MODERATION_ACTION: "moderation decisions about you",
}

assert set(DEFAULT_FREQUENCY) == set(NotificationKind) == set(LABELS), "every kind has a default and a label"
