"""Registered GraphQL operations for the persisted-query allow-list."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class PersistedOperation(Model):
    """An operation document registered by `openforwork register-operations`, by SHA-256."""

    sha256 = fields.CharField(max_length=64, primary_key=True)
    name = fields.CharField(max_length=200, null=True)
    document = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "persisted_operation"
