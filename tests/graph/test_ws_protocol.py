"""``graph.ws_protocol``'s stand-ins for the ``asyncio.Queue`` and ``asyncio.Event`` uvicorn
keeps per socket: they must wait and wake as those do (the served socket itself is
exercised in tests/graph/test_app.py)."""

from __future__ import annotations

import asyncio

import pytest

from graph.ws_protocol import Inbox, Writable


async def test_the_inbox_hands_out_events_in_order_and_waits_for_the_next() -> None:
    # given: an inbox with two events
    inbox = Inbox()
    inbox.put_nowait({"type": "websocket.connect"})
    inbox.put_nowait({"type": "websocket.receive", "text": "1"})
    # when/then: they come out first in, first out
    assert (await inbox.get())["type"] == "websocket.connect"
    assert not inbox.empty()
    assert (await inbox.get())["text"] == "1"
    assert inbox.empty()
    # and a reader waits until the next one is put
    reader = asyncio.create_task(inbox.get())
    await asyncio.sleep(0)
    assert not reader.done()
    inbox.put_nowait({"type": "websocket.disconnect", "code": 1000})
    assert (await asyncio.wait_for(reader, 1))["code"] == 1000


async def test_a_cancelled_reader_passes_its_wake_up_to_the_next() -> None:
    # given: two readers waiting
    inbox = Inbox()
    first = asyncio.create_task(inbox.get())
    second = asyncio.create_task(inbox.get())
    await asyncio.sleep(0)
    # when: an event arrives (waking the first) and the first is cancelled before it runs
    inbox.put_nowait("event")
    first.cancel()
    # then: the second reader gets the event, none is lost
    assert await asyncio.wait_for(second, 1) == "event"
    with pytest.raises(asyncio.CancelledError):
        await first
    assert inbox.empty()


async def test_writable_holds_senders_while_cleared_and_releases_them_all_on_set() -> None:
    # given: the transport's buffer is full
    writable = Writable()
    assert writable.is_set()
    assert await writable.wait()  # at once while set
    writable.clear()
    senders = [asyncio.create_task(writable.wait()) for _ in range(3)]
    await asyncio.sleep(0.01)
    assert not any(sender.done() for sender in senders)
    # when: it drains
    writable.set()
    # then: every waiting sender goes on
    assert await asyncio.wait_for(asyncio.gather(*senders), 1) == [True, True, True]


async def test_a_cancelled_sender_leaves_no_waiter_behind() -> None:
    writable = Writable()
    writable.clear()
    sender = asyncio.create_task(writable.wait())
    await asyncio.sleep(0)
    sender.cancel()
    with pytest.raises(asyncio.CancelledError):
        await sender
    assert writable._waiters == []
    writable.set()
    assert await writable.wait()
