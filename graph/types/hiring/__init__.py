"""Hiring in GraphQL: ``types`` (HiringRole, PipelineEntry, notes, tags, stages, moves,
the enums, ``node(id:)``), ``numbers`` (a role's figures), ``inputs`` (inputs and
payloads) and ``operations`` (HiringQuery, HiringMutation, HiringSubscription). Rules
live in ``resolvers.hiring``."""

from graph.types.hiring.operations import HiringMutation, HiringQuery, HiringSubscription
from graph.types.hiring.types import (
    CustomPipelineStage,
    HiringRole,
    PipelineEntry,
    PipelineMove,
    PipelineNote,
    PipelineRating,
    PipelineTag,
    PipelineUpdate,
)

__all__ = [
    "CustomPipelineStage",
    "HiringMutation",
    "HiringQuery",
    "HiringRole",
    "HiringSubscription",
    "PipelineEntry",
    "PipelineMove",
    "PipelineNote",
    "PipelineRating",
    "PipelineTag",
    "PipelineUpdate",
]
