"""Trust and safety in GraphQL: ``types`` (Report, ReportFiling, AuditEntry, the enums,
``node(id:)`` for reports), ``inputs`` (inputs and payloads) and ``operations``
(SafetyQuery, SafetyMutation). Rules live in ``resolvers.safety``."""

from graph.types.safety.inputs import (
    LiftSuspensionInput,
    LiftSuspensionPayload,
    ReportContentInput,
    ReportContentPayload,
    ResolveReportInput,
    ResolveReportPayload,
)
from graph.types.safety.operations import SafetyMutation, SafetyQuery
from graph.types.safety.types import (
    AuditEntry,
    ModerationAction,
    RedFlagKind,
    Report,
    ReportFiling,
    ReportReason,
    ReportStatus,
    ReportTargetKind,
)

__all__ = [
    "AuditEntry",
    "LiftSuspensionInput",
    "LiftSuspensionPayload",
    "ModerationAction",
    "RedFlagKind",
    "Report",
    "ReportContentInput",
    "ReportContentPayload",
    "ReportFiling",
    "ReportReason",
    "ReportStatus",
    "ReportTargetKind",
    "ResolveReportInput",
    "ResolveReportPayload",
    "SafetyMutation",
    "SafetyQuery",
]
