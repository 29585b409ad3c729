"""Data rights: a candidate's (or employer's) own data — everything stored about them as
one document (``exportMyData``), and erasure (``deleteMyAccount``)."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timezone
from decimal import Decimal
from enum import Enum
from typing import Any

from tortoise.models import Model
from tortoise.transactions import in_transaction

from models.accounts import AuthToken, Company, EmailConfirmation, JoinRequest, LoginAttempt, User
from models.chat import Conversation, ConversationStatus, Message
from models.offers import Offer, OfferVersion
from models.profiles import (
    AccessLogEntry,
    Block,
    Education,
    Endorsement,
    Experience,
    Profile,
    Reference,
    Skill,
    WorkSample,
)
from models.search import SavedSearch
from resolvers.accounts.events import announce_revoked_tokens
from resolvers.chat import publish_events
from resolvers.chat.events import conversation_event
from resolvers.errors import Unauthenticated, UserErrorCode, UserErrors
from resolvers.events import Publisher
from resolvers.hiring.events import PipelineChange, publish_pipeline_changes
from resolvers.hiring.privacy import erase_candidate
from resolvers.interviews import close_interviews_of, interviews_export, publish_interview_events
from resolvers.notifications.personal_data import erase_personal_data, export_personal_data
from resolvers.offers import close_open_offers_of, publish_offer_events
from resolvers.safety.data_rights import erase_reports_of, export_reports

DELETED_NAME = "Deleted user"
# Never exported: secrets, even hashed.
_SECRET_FIELDS = frozenset({"password_hash", "token_hash", "invitation_code", "code_hash"})


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


# --- export -------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    return value


def row(model: Model) -> dict[str, Any]:
    """A model's stored columns as JSON-ready values, without secrets."""
    meta = model._meta
    return {
        name: _plain(getattr(model, name))
        for name in meta.db_fields
        if name not in _SECRET_FIELDS
    }


def _rows(models: list[Any]) -> list[dict[str, Any]]:
    return [row(m) for m in models]


async def export_my_data(user: User | None) -> dict[str, Any]:
    """Everything stored about the viewer, as one JSON-ready document."""
    if user is None:
        raise Unauthenticated()
    user = await User.get(id=user.pk)
    document: dict[str, Any] = {
        "exportedAt": _utcnow().isoformat(),
        "account": row(user),
        "tokens": _rows(await AuthToken.filter(user_id=user.pk).order_by("id")),
        "endorsementsGiven": _rows(await Endorsement.filter(endorser_id=user.pk).order_by("id")),
        "emailConfirmations": _rows(await EmailConfirmation.filter(user_id=user.pk).order_by("id")),
        "joinRequests": _rows(await JoinRequest.filter(user_id=user.pk).order_by("id")),
        **await export_reports(user.pk),
    }
    if user.company_id is not None:
        company = await Company.get(id=user.company_id)
        document["company"] = row(company)
        conversations = Conversation.filter(company_id=user.company_id)
        document["savedSearches"] = _rows(await SavedSearch.filter(created_by_id=user.pk).order_by("id"))
    else:
        conversations = Conversation.filter(candidate_id=user.pk)
    profile = await Profile.get_or_none(user_id=user.pk)
    if profile is not None:
        skills = await Skill.filter(profile_id=profile.pk).order_by("position", "id")
        document["profile"] = {
            **row(profile),
            "skills": _rows(skills),
            "experience": _rows(await Experience.filter(profile_id=profile.pk).order_by("position", "id")),
            "education": _rows(await Education.filter(profile_id=profile.pk).order_by("position", "id")),
            "workSamples": _rows(await WorkSample.filter(profile_id=profile.pk).order_by("position", "id")),
            "references": _rows(await Reference.filter(profile_id=profile.pk).order_by("position", "id")),
        }
        document["endorsementsReceived"] = _rows(
            await Endorsement.filter(skill_id__in=[s.pk for s in skills]).order_by("id")
        )
        document["blocks"] = _rows(await Block.filter(profile_id=profile.pk).order_by("id"))
        document["accessLog"] = _rows(await AccessLogEntry.filter(profile_id=profile.pk).order_by("id"))
    if user.is_candidate:
        # Interviews, not their feedback: feedback is the company's data.
        document["interviews"] = await interviews_export(user.pk)
    conversation_rows = await conversations.order_by("id")
    conversation_ids = [c.pk for c in conversation_rows]
    offers = await Offer.filter(conversation_id__in=conversation_ids).order_by("id")
    document["conversations"] = _rows(conversation_rows)
    document["messages"] = _rows(await Message.filter(conversation_id__in=conversation_ids).order_by("id"))
    document["offers"] = _rows(offers)
    document["offerVersions"] = _rows(
        await OfferVersion.filter(offer_id__in=[o.pk for o in offers]).order_by("id")
    )
    document.update(await export_personal_data(user.pk))
    return document


# --- deletion ------------------------------------------------------------------------


async def delete_my_account(user: User | None, *, confirm: bool, publisher: Publisher) -> None:
    """Erase the profile and personal data, anonymise the user row and revoke every
    token. Conversations stay; the other side sees "Deleted user". A candidate's open
    offers become CLOSED, her unanswered contact requests DECLINED (giving the
    companies their quota slots back), and her pipeline entries WITHDRAWN without her,
    the teams' notes and ratings about her erased (``resolvers.hiring.privacy``), in the
    same transaction; after commit the
    companies are told (``offerUpdated``, ``conversationUpdated``) and the revoked tokens
    end the user's open subscriptions."""
    if user is None:
        raise Unauthenticated()
    if not confirm:
        raise UserErrors.single(UserErrorCode.REQUIRED, "Set confirm to true to delete your account.", ["confirm"])
    now = _utcnow()
    offer_changes: list[Any] = []
    notices: list[Message] = []
    declined: list[Conversation] = []
    interview_changes: list[Any] = []
    interview_notices: list[Message] = []
    withdrawn: list[PipelineChange] = []
    async with in_transaction():
        # FOR NO KEY UPDATE, not FOR UPDATE: the row is anonymised, never deleted, and a
        # racing offer revision, which inserts the candidate's notification (a foreign key
        # to this row: FOR KEY SHARE) while holding the offer's row, must not wait for us
        # while we wait for the offer (PostgreSQL found that deadlock, ~1 run in 20).
        user = await User.select_for_update(no_key=True).get(id=user.pk)
        if user.is_candidate:
            offer_changes, notices = await close_open_offers_of(user.pk, now)
            interview_changes, interview_notices = await close_interviews_of(user.pk, now)
            declined = list(await Conversation.filter(candidate_id=user.pk, status=ConversationStatus.REQUESTED))
            await Conversation.filter(id__in=[c.pk for c in declined], status=ConversationStatus.REQUESTED).update(
                status=ConversationStatus.DECLINED, responded_at=now
            )
            withdrawn = await erase_candidate(user.pk)
        await _erase_profile(user)
        await erase_reports_of(user.pk)
        await erase_personal_data(user.pk)
        token_ids = await _anonymise(user, now)
    await publish_offer_events(publisher, offer_changes, notices)
    await publish_interview_events(publisher, interview_changes, interview_notices)
    await publish_pipeline_changes(publisher, withdrawn)
    for conversation in declined:
        conversation.status = ConversationStatus.DECLINED
        event = conversation_event(conversation.pk, ConversationStatus.DECLINED.value, user_id=user.pk)
        await publish_events(publisher, conversation, [event])
    await announce_revoked_tokens(publisher, user.pk, token_ids)


async def _erase_profile(user: User) -> None:
    """The profile, its lists, blocks and access log, and the endorsements given."""
    profile = await Profile.get_or_none(user_id=user.pk)
    if profile is not None:
        skill_ids = [skill_id for (skill_id,) in await Skill.filter(profile_id=profile.pk).values_list("id")]
        await Endorsement.filter(skill_id__in=skill_ids).delete()
        for model in (Skill, Experience, Education, WorkSample, Reference, Block, AccessLogEntry):
            await model.filter(profile_id=profile.pk).delete()
        await profile.delete()
    await Endorsement.filter(endorser_id=user.pk).delete()
    await AccessLogEntry.filter(viewer_id=user.pk).update(viewer_id=None)


async def _anonymise(user: User, now: datetime) -> list[int]:
    """Sign-in traces gone, every token revoked (their ids returned), the user row kept
    as "Deleted user" so conversations still read."""
    await LoginAttempt.filter(email=user.email).delete()
    await EmailConfirmation.filter(user_id=user.pk).delete()
    await JoinRequest.filter(user_id=user.pk).delete()
    token_ids = [token_id for (token_id,) in await AuthToken.filter(user_id=user.pk, revoked_at=None).values_list("id")]
    await AuthToken.filter(id__in=token_ids).update(revoked_at=now)
    user.email = f"deleted-{user.pk}-{secrets.token_hex(8)}@deleted.invalid"
    user.display_name = DELETED_NAME
    user.password_hash = ""
    user.deleted_at = now
    await user.save(update_fields=["email", "display_name", "password_hash", "deleted_at"])
    return token_ids
