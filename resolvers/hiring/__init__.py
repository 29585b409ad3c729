"""Hiring: a company's roles, a pipeline of candidates per role that moves by itself, and
the team's work on it (issue 15).

Modules: ``access`` (company members only; other companies' ids read as not found),
``roles`` (role rules and writes, a role's terms for a contact request), ``stages``
(stage order, triggers), ``moves`` (the one move primitive), ``automation``
(``advance_pipeline``: moves in the transaction of chat, offers, blocks, deletion,
interviews), ``commands`` (add to a pipeline, move by hand, company stages: create, delete), ``team``
(notes, tags, ratings), ``privacy`` (an anonymous candidate inside the team's notes;
erasure), ``numbers`` (per-role figures in SQL), ``queries``, ``loaders``, ``events``
(``pipelineUpdated`` after commit).
"""

from resolvers.hiring.automation import advance_everywhere, advance_pipeline
from resolvers.hiring.commands import (
    CandidateRef,
    add_to_pipeline,
    create_custom_stage,
    delete_custom_stage,
    move_entry,
)
from resolvers.hiring.events import PipelineChange, PipelineEventKind, publish_pipeline_changes
from resolvers.hiring.numbers import Conversion, RoleNumbers, StageDuration, role_numbers
from resolvers.hiring.privacy import erase_candidate
from resolvers.hiring.roles import RoleFields, archive_role, create_role, role_title_of, update_role
from resolvers.hiring.stages import PipelineTrigger
from resolvers.hiring.team import add_note, create_tag, delete_note, edit_note, rate, set_tags

__all__ = [
    "CandidateRef",
    "Conversion",
    "PipelineChange",
    "PipelineEventKind",
    "PipelineTrigger",
    "RoleFields",
    "RoleNumbers",
    "StageDuration",
    "add_note",
    "add_to_pipeline",
    "advance_everywhere",
    "advance_pipeline",
    "archive_role",
    "create_custom_stage",
    "create_role",
    "create_tag",
    "delete_custom_stage",
    "delete_note",
    "edit_note",
    "erase_candidate",
    "move_entry",
    "publish_pipeline_changes",
    "rate",
    "role_numbers",
    "role_title_of",
    "set_tags",
    "update_role",
]
