"""What hiring announces after commit: ids only, on ``pipeline:role:<role id>``
(``resolvers.events.pipeline_channel``). Event::

    {"type": "pipeline", "entryId": …, "roleId": …, "change": PipelineEventKind}

Subscribers (``subscriptions/hiring.py``) re-read the entry and re-check that the
viewer still belongs to the role's company.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from models.hiring import PipelineStage
from resolvers.events import Publisher, pipeline_channel, publish_after_commit

PIPELINE_EVENT = "pipeline"


class PipelineEventKind(str, Enum):
    """What happened to an entry (``pipelineUpdated``)."""

    ADDED = "ADDED"
    MOVED = "MOVED"
    NOTED = "NOTED"
    TAGGED = "TAGGED"
    RATED = "RATED"


@dataclass(frozen=True)
class PipelineChange:
    """An entry that changed (returned by ``advance_pipeline`` and every command)."""

    entry_id: int
    role_id: int
    kind: PipelineEventKind = PipelineEventKind.MOVED
    from_stage: PipelineStage | None = None
    to_stage: PipelineStage | None = None


def pipeline_event(change: PipelineChange) -> dict[str, Any]:
    return {"type": PIPELINE_EVENT, "entryId": change.entry_id, "roleId": change.role_id, "change": change.kind.value}


async def publish_pipeline_changes(broker: Publisher, changes: Iterable[PipelineChange]) -> None:
    """After commit: one event per change on its role's channel. A broker failure is
    logged, never raised (the rows are committed; clients re-read)."""
    for change in changes:
        await publish_after_commit(broker, (pipeline_channel(change.role_id),), pipeline_event(change))
