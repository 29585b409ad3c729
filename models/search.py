"""Search: an employer's saved searches and the matches already alerted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.accounts import Company, User
    from models.profiles import Profile


class SavedSearch(Model):
    id = fields.BigIntField(primary_key=True)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="saved_searches", on_delete=fields.CASCADE, db_index=True
    )
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="saved_searches", null=True, on_delete=fields.SET_NULL,
        db_index=True,
    )
    name = fields.CharField(max_length=120)
    query = fields.CharField(max_length=500, default="")
    filters: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    sort = fields.CharField(max_length=32, null=True)
    alerts_enabled = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    # When the company last marked the matches viewed (``SavedSearch.matches``): later ones are new.
    matches_viewed_at = fields.DatetimeField(null=True)

    company_id: int
    created_by_id: int | None

    class Meta:
        table = "saved_search"


class SavedSearchMatch(Model):
    """A profile already pushed for a saved search. Only new matches alert."""

    id = fields.BigIntField(primary_key=True)
    saved_search: fields.ForeignKeyRelation[SavedSearch] = fields.ForeignKeyField(
        "models.SavedSearch", related_name="matches", on_delete=fields.CASCADE, db_index=True
    )
    profile: fields.ForeignKeyRelation[Profile] = fields.ForeignKeyField(
        "models.Profile", related_name="saved_search_matches", on_delete=fields.CASCADE,
        db_index=True,
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    # Recorded when the search was saved (it matched already): never listed nor alerted.
    at_save = fields.BooleanField(default=False, db_default=False)

    saved_search_id: int
    profile_id: int

    class Meta:
        table = "saved_search_match"
        unique_together = (("saved_search", "profile"),)
