"""Nested transactions on SQLite (graph/sqlite_engine.py): savepoints named by their
depth, so the statements the ``sqlite3`` module keeps prepared do not grow with the
number of nested transactions, and a savepoint still rolls back only its own work."""

from __future__ import annotations

import pytest
from tortoise import connections
from tortoise.transactions import in_transaction

from models.audit import AuditEntry
from resolvers.audit import record

ROUNDS = 20


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_savepoint_statements_do_not_grow_with_the_nested_transactions(app: object) -> None:
    # given: every statement SQLite runs on the app's connection, recorded
    client = connections.get("default")
    await client.execute_query("SELECT 1")  # the connection is open
    connection = client._connection
    statements: list[str] = []
    await connection.set_trace_callback(statements.append)
    try:
        # when: many transactions, each with savepoints two deep, one of them rolled back
        for n in range(ROUNDS):
            async with in_transaction():
                await record("round.started", actor_id=None, target_type="Round", target_id=n, company_id=None)
                async with in_transaction():
                    async with in_transaction():
                        await record("round.inner", actor_id=None, target_type="Round", target_id=n, company_id=None)
                with pytest.raises(RuntimeError):
                    async with in_transaction():
                        await record("round.undone", actor_id=None, target_type="Round", target_id=n, company_id=None)
                        raise RuntimeError("rolled back to its savepoint")
    finally:
        await connection.set_trace_callback(None)
    # then: the same few savepoint statements every round, not two new ones per savepoint
    savepoints = {s for s in statements if s.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO"))}
    assert savepoints == {
        "SAVEPOINT ofw_savepoint_1", "RELEASE ofw_savepoint_1", "ROLLBACK TO ofw_savepoint_1",
        "SAVEPOINT ofw_savepoint_2", "RELEASE ofw_savepoint_2",
    }
    # and each savepoint undid only its own work
    actions = [e.action for e in await AuditEntry.filter(target_type="Round").order_by("id")]
    assert actions == ["round.started", "round.inner"] * ROUNDS
