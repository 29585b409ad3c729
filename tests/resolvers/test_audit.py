"""The audit log is append-only and written with the action it records."""

from __future__ import annotations

import pytest
from tortoise.transactions import in_transaction

from models.audit import AppendOnly, AuditEntry
from resolvers.audit import record


async def test_entries_are_appended_with_their_action_and_never_changed(app: object) -> None:
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await record("member.removed", actor_id=1, target_type="User", target_id=2, company_id=3)
            raise RuntimeError("the removal failed")
    entry = await record(
        "company.verified", actor_id=None, target_type="Company", target_id=3, company_id=3,
        details={"method": "WORK_EMAIL"},
    )
    [stored] = await AuditEntry.all()
    assert (stored.pk, stored.action, stored.details) == (entry.pk, "company.verified", {"method": "WORK_EMAIL"})

    stored.action = "company.unverified"
    with pytest.raises(AppendOnly):
        await stored.save()
    with pytest.raises(AppendOnly):
        await stored.delete()
    assert (await AuditEntry.get(id=entry.pk)).action == "company.verified"
