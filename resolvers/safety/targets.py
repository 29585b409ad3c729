"""What a report is about: the target named by a global id, read with the reporter's own
access (one can only report what one can see; anything else reads as not found), the
party answerable for it, and a snapshot of what it said when it was reported.

Targets and who answers for them:

=============  ========================================  ===============================
global id      the reporter must                         subject (who may be suspended)
=============  ========================================  ===============================
Profile        see the profile                            its candidate
Company        be signed in                               the company
Conversation   take part in it                            the other side
Message        take part in its conversation              its sender (and their company)
Offer          be party to it                             the other side
=============  ========================================  ===============================

The snapshot is a small JSON copy of the content (bodies, names, titles) so a report
survives the sender editing or deleting it; it is read by moderators only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from models.accounts import Company, User
from models.chat import Conversation, Message
from models.offers import OfferVersion
from models.safety import ReportTargetKind
from resolvers.chat.queries import conversations_for, messages_for
from resolvers.errors import UserErrorCode, UserErrors
from resolvers.events import Publisher
from resolvers.ids import parse_global_id
from resolvers.loading import Loaders
from resolvers.offers.queries import offers_for
from resolvers.profiles.loaders import profiles_by_id
from resolvers.profiles.visibility import visible_profiles

KIND_OF_TYPE = {
    "Profile": ReportTargetKind.PROFILE,
    "Company": ReportTargetKind.COMPANY,
    "Conversation": ReportTargetKind.CONVERSATION,
    "Message": ReportTargetKind.MESSAGE,
    "Offer": ReportTargetKind.OFFER,
}
# A conversation's snapshot keeps its latest messages, at most this many.
SNAPSHOT_MESSAGES = 20


@dataclass(frozen=True)
class Target:
    """A reportable object the reporter can see, and who answers for it."""

    kind: ReportTargetKind
    pk: int
    subject_user_id: int | None
    subject_company_id: int | None
    snapshot: dict[str, Any]


def _not_found() -> UserErrors:
    return UserErrors.single(
        UserErrorCode.NOT_FOUND, "Nothing to report under this ID, or you may not see it.", ["target"]
    )


async def find_target(loaders: Loaders, broker: Publisher, reporter: User, global_id: str) -> Target:
    """The target named by ``global_id`` as ``reporter`` sees it; ``NOT_FOUND`` for
    anything the reporter cannot see and for types that cannot be reported."""
    type_name, pk = parse_global_id(global_id)
    kind = KIND_OF_TYPE.get(type_name)
    if kind is None:
        raise UserErrors.single(
            UserErrorCode.INVALID,
            "Only profiles, companies, conversations, messages and offers can be reported.",
            ["target"],
        )
    if kind == ReportTargetKind.PROFILE:
        return await _profile(loaders, reporter, pk)
    if kind == ReportTargetKind.COMPANY:
        return await _company(pk)
    if kind == ReportTargetKind.CONVERSATION:
        return await _conversation(loaders, reporter, pk)
    if kind == ReportTargetKind.MESSAGE:
        return await _message(loaders, reporter, pk)
    return await _offer(loaders, broker, reporter, pk)


async def _profile(loaders: Loaders, reporter: User, pk: int) -> Target:
    [profile] = await visible_profiles(loaders, reporter, await loaders(profiles_by_id).load_many([pk]))
    if profile is None or profile.user_id == reporter.pk:
        raise _not_found()
    user = await User.get(id=profile.user_id)
    snapshot = {
        "handle": profile.handle,
        "displayName": user.display_name,
        "headline": profile.headline,
        "summary": profile.summary,
        "careerGoals": profile.career_goals,
    }
    return Target(ReportTargetKind.PROFILE, pk, profile.user_id, None, snapshot)


async def _company(pk: int) -> Target:
    company = await Company.get_or_none(id=pk, suspended_at=None)
    if company is None:
        raise _not_found()
    snapshot = {"name": company.name, "website": company.website, "domain": company.domain, "verified": company.verified}
    return Target(ReportTargetKind.COMPANY, pk, None, pk, snapshot)


def _other_side(reporter: User, company_id: int, candidate_id: int) -> tuple[int | None, int | None]:
    """(subject user, subject company): the side of the pair the reporter is not on."""
    return (None, company_id) if reporter.pk == candidate_id else (candidate_id, None)


async def _conversation(loaders: Loaders, reporter: User, pk: int) -> Target:
    [conversation] = await conversations_for(loaders, reporter, [pk])
    if conversation is None:
        raise _not_found()
    messages = await Message.filter(conversation_id=pk).order_by("-seq").limit(SNAPSHOT_MESSAGES)
    snapshot = {
        "roleTitle": conversation.role_title,
        "companyId": conversation.company_id,
        "candidateId": conversation.candidate_id,
        "messages": [_message_snapshot(m) for m in reversed(messages)],
    }
    user_id, company_id = _other_side(reporter, conversation.company_id, conversation.candidate_id)
    return Target(ReportTargetKind.CONVERSATION, pk, user_id, company_id, snapshot)


def _message_snapshot(message: Message) -> dict[str, Any]:
    return {
        "messageId": message.pk,
        "senderId": message.sender_id,
        "body": message.body,
        "createdAt": message.created_at.isoformat(),
    }


async def _message(loaders: Loaders, reporter: User, pk: int) -> Target:
    [message] = await messages_for(loaders, reporter, [pk])
    if message is None or message.sender_id is None or message.sender_id == reporter.pk:
        raise _not_found()
    conversation = await Conversation.get(id=message.conversation_id)
    sender_is_candidate = message.sender_id == conversation.candidate_id
    snapshot = {"conversationId": conversation.pk, "roleTitle": conversation.role_title, **_message_snapshot(message)}
    company_id = None if sender_is_candidate else conversation.company_id
    return Target(ReportTargetKind.MESSAGE, pk, message.sender_id, company_id, snapshot)


async def _offer(loaders: Loaders, broker: Publisher, reporter: User, pk: int) -> Target:
    [offer] = await offers_for(loaders, broker, reporter, [pk])
    if offer is None:
        raise _not_found()
    version = await OfferVersion.get(offer_id=offer.pk, number=offer.current_version)
    snapshot = {
        "title": version.title,
        "description": version.description,
        "salaryAmount": version.salary_amount,
        "salaryCurrency": version.salary_currency,
        "salaryPeriod": version.salary_period.value,
        "status": offer.status.value,
    }
    user_id, company_id = _other_side(reporter, offer.company_id, offer.candidate_id)
    return Target(ReportTargetKind.OFFER, pk, user_id, company_id, snapshot)

