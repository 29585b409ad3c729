"""Writing the audit log (``models/audit.py``): call ``record`` inside the transaction of
the action, so the entry exists if and only if the action happened."""

from __future__ import annotations

from typing import Any

from models.audit import AuditEntry


async def record(
    action: str,
    *,
    actor_id: int | None,
    target_type: str,
    target_id: int,
    company_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. ``action`` is ``<thing>.<verb>`` (``member.removed``);
    ``details`` holds ids, roles and reasons — never message bodies or passwords."""
    return await AuditEntry.create(
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        company_id=company_id,
        details=details or {},
    )
