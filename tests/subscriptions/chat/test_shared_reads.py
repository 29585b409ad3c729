"""The per-event shared reads of ``subscriptions.chat``: one read however many
subscribers wait, and a subscriber cancelled while it waits (its socket closed) never
cancels the read the others wait for. Real tasks and real cancellation."""

from __future__ import annotations

import asyncio

import pytest

from subscriptions.chat import _shared


async def test_one_read_for_every_waiter_and_a_cancelled_waiter_leaves_the_others_their_answer() -> None:
    # given
    started, release = asyncio.Event(), asyncio.Event()
    calls = 0

    async def read() -> list[int]:
        nonlocal calls
        calls += 1
        started.set()
        await release.wait()
        return [1, 2, 3]

    event: dict = {}
    waiters = [asyncio.ensure_future(_shared(event, "key", read)) for _ in range(3)]
    await started.wait()
    # when: one waiter is cancelled while the read runs (one loop step lets that land first)
    waiters[0].cancel()
    await asyncio.sleep(0)
    release.set()
    results = await asyncio.gather(*waiters, return_exceptions=True)
    late = await _shared(event, "key", read)  # a subscriber that comes after the read ended
    # then
    assert calls == 1
    assert isinstance(results[0], asyncio.CancelledError)
    assert results[1:] == [[1, 2, 3], [1, 2, 3]]
    assert late == [1, 2, 3]


async def test_a_failed_read_reaches_every_waiter() -> None:
    # given
    started, release = asyncio.Event(), asyncio.Event()

    async def read() -> None:
        started.set()
        await release.wait()
        raise RuntimeError("database gone")

    event: dict = {}
    waiters = [asyncio.ensure_future(_shared(event, "key", read)) for _ in range(2)]
    await started.wait()
    # when
    release.set()
    results = await asyncio.gather(*waiters, return_exceptions=True)
    # then
    assert [type(r) for r in results] == [RuntimeError, RuntimeError]
    with pytest.raises(RuntimeError):
        await _shared(event, "key", read)
