"""The audit log: an append-only record of moderation, membership and verification
actions (``resolvers/audit.py`` writes it; moderators read it)."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class AppendOnly(Exception):
    """An audit entry was about to be changed or deleted."""


class AuditEntry(Model):
    """One action taken on the platform, by whom and on what. Never updated or deleted: the model refuses save and delete of a stored entry, and no code issues a bulk update or delete on this table."""

    id = fields.BigIntField(primary_key=True)
    # The user who acted; null for the system (a scheduler, the command line).
    actor_id = fields.BigIntField(null=True, db_index=True)
    # What happened, such as company.verified, member.removed, report.resolved.
    action = fields.CharField(max_length=60, db_index=True)
    # What it happened to: a type name (User, Company, Report …) and its id.
    target_type = fields.CharField(max_length=40)
    target_id = fields.BigIntField()
    # The company concerned, if any (its admins' view of membership history).
    company_id = fields.BigIntField(null=True, db_index=True)
    # Small JSON of facts (old and new role, the report's reason …); never a message body.
    details: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "audit_entry"

    async def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._saved_in_db:
            await super().save(*args, **kwargs)
            return
        raise AppendOnly("audit entries are never changed")

    async def delete(self, *args: Any, **kwargs: Any) -> None:
        raise AppendOnly("audit entries are never deleted")
