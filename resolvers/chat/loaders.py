"""Batch functions for chat: conversations, messages, last messages, candidate privacy,
company responsiveness."""

from __future__ import annotations

from collections import defaultdict

from tortoise.expressions import Q

from models.accounts import Company, User
from models.chat import Conversation, Message
from models.profiles import Profile
from resolvers.chat.responsiveness import Responsiveness, responsiveness_of
from resolvers.loading import by_key
from resolvers.profiles.access import ProfileAccess, ViewerInfo, profile_access_many
from resolvers.statements import point_statements


@point_statements
async def conversations_by_id(ids: list[int]) -> list[Conversation | None]:
    return by_key(await Conversation.filter(id__in=set(ids)), ids)


@point_statements
async def messages_by_id(ids: list[int]) -> list[Message | None]:
    return by_key(await Message.filter(id__in=set(ids)), ids)


async def messages_by_conversation_and_seq(keys: list[tuple[int, int]]) -> list[Message | None]:
    """Keys are ``(conversation id, seq)``; used for each conversation's last message."""
    wanted = {key for key in keys if key[1] > 0}
    if not wanted:
        return [None] * len(keys)
    rows = await Message.filter(Q(*[Q(conversation_id=c, seq=s) for c, s in wanted], join_type="OR"))
    index = {(row.conversation_id, row.seq): row for row in rows}
    return [index.get(key) for key in keys]


async def candidate_access_by_viewer_and_user(keys: list[tuple[int, int]]) -> list[ProfileAccess | None]:
    """Keys are ``(viewer user id, candidate user id)``; what the viewer may see of the
    candidate, decided by ``resolvers.profiles.access`` (``None`` when there is no profile)."""
    viewers = {u.pk: u for u in await User.filter(id__in={v for v, _ in keys})}
    companies = {
        c.pk: c
        for c in await Company.filter(id__in={u.company_id for u in viewers.values() if u.company_id is not None})
    }
    profiles = {p.user_id: p for p in await Profile.filter(user_id__in={c for _, c in keys})}
    by_viewer: dict[int, list[int]] = defaultdict(list)
    for viewer_id, candidate_id in dict.fromkeys(keys):
        if viewer_id in viewers and candidate_id in profiles:
            by_viewer[viewer_id].append(candidate_id)
    found: dict[tuple[int, int], ProfileAccess] = {}
    for viewer_id, candidate_ids in by_viewer.items():
        user = viewers[viewer_id]
        info = ViewerInfo(user=user, company=companies.get(user.company_id) if user.company_id else None)
        accesses = await profile_access_many(info, [profiles[c] for c in candidate_ids])
        for candidate_id, access in zip(candidate_ids, accesses, strict=True):
            found[(viewer_id, candidate_id)] = access
    return [found.get(key) for key in keys]


async def responsiveness_by_company_id(ids: list[int]) -> list[Responsiveness]:
    return await responsiveness_of(ids)
