"""``pipelineUpdated(roleId)``: every change of one role's pipeline, for the colleagues
watching it.

Events carry ids only (``resolvers.hiring.events``). For each event the viewer is read
again and must still belong to the role's company — an employer removed from the
company, or a deleted account, gets nothing more and the stream ends — then the entry is
re-read with fresh loaders by the caller.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from models.accounts import User
from models.hiring import PipelineEntry
from resolvers.accounts import Session
from resolvers.errors import NotFound
from resolvers.events import auth_channel, pipeline_channel
from resolvers.hiring.access import require_employer, role_for
from resolvers.hiring.events import PIPELINE_EVENT, PipelineEventKind
from subscriptions.accounts import check_session, guarded
from subscriptions.broker import Broker


async def pipeline_updates(
    broker: Broker, session: Session | None, role_id: int | None
) -> AsyncIterator[tuple[PipelineEventKind, User, PipelineEntry]]:
    """(what happened, the viewer read afresh, the entry) per event of the role."""
    check_session(session)
    assert session is not None
    require_employer(session.user)
    if role_id is None or await role_for(session.user, role_id) is None:
        raise NotFound("No such role.")
    channels = (pipeline_channel(role_id), auth_channel(session.user.pk))
    async with broker.subscribe(*channels) as subscription:
        async for event in guarded(session, subscription):
            if event.get("type") != PIPELINE_EVENT:
                continue  # RESYNC and the like: clients re-read the pipeline
            viewer = await User.get_or_none(id=session.user.pk, deleted_at=None)
            if viewer is None or await role_for(viewer, role_id) is None:
                return  # left the company, or the account is gone
            entry = await PipelineEntry.get_or_none(id=int(event["entryId"]), role_id=role_id)
            if entry is not None:
                yield PipelineEventKind(event["change"]), viewer, entry
