"""``CustomPipelineStage``: a stage a company adds to its pipelines (shared by the entry,
move and number types)."""

from __future__ import annotations

import strawberry

from graph.types.common import Node, model_type
from models import hiring as m
from resolvers.ids import to_global_id


@strawberry.type(description="A stage your company added between INTERVIEWING and OFFER.")
@model_type(m.CustomStage)
class CustomPipelineStage(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self, root: strawberry.Parent[m.CustomStage]) -> strawberry.ID:
        return strawberry.ID(to_global_id("CustomPipelineStage", root.pk))

    @strawberry.field(description="Name, 1–60 characters, unique in your company.")
    def name(self, root: strawberry.Parent[m.CustomStage]) -> str:
        return root.name

    @strawberry.field(description="Order among your company's stages (lower first).")
    def position(self, root: strawberry.Parent[m.CustomStage]) -> int:
        return root.position
