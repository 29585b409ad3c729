"""Bounding tests that could hang: ``within(seconds, work)``.

A runaway computation in the event loop (an exponential validation rule, say) cannot be
cancelled by ``asyncio.wait_for``: the loop never gets control back. ``within`` runs
``work()`` on its own event loop in a daemon thread and fails the test when it has not
finished after ``seconds``; the thread is left behind and dies with the process. The
bound is a hang detector, generous on purpose, not a performance assertion.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest

T = TypeVar("T")


def within(seconds: float, work: Callable[[], Awaitable[T]], what: str = "the request") -> T:
    box: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=1)

    def run() -> None:
        try:
            box.put((True, asyncio.run(work())))
        except BaseException as exc:  # handed to the test thread
            box.put((False, exc))

    threading.Thread(target=run, daemon=True, name=f"within-{seconds}s").start()
    return _next(box, seconds, f"{what} was still running")  # type: ignore[return-value]  # work()'s result


def _next(box: queue.Queue[tuple[bool, object]], seconds: float, still: str) -> object:
    """The next value the work thread hands over; its exception raised here; the test
    failed (``still`` …) when nothing came within ``seconds``."""
    try:
        ok, value = box.get(timeout=seconds)
    except queue.Empty:
        pytest.fail(f"{still} after {seconds} s (the bound is generous: this is a hang)")
    if not ok:
        raise value  # type: ignore[misc]  # the exception the work raised
    return value


def each_within(
    seconds: float, work: Callable[[Callable[[object], None]], Awaitable[None]], count: int
) -> list[object]:
    """Like ``within`` for a sequence: ``work(report)`` runs on its own loop in a daemon
    thread and calls ``report(result)`` once per step; each of the ``count`` steps must
    report within ``seconds`` of the previous one, or the test fails naming the step, and
    the work must then end (its shutdown included) within ``seconds`` of the last."""
    box: queue.Queue[tuple[bool, object]] = queue.Queue()
    finished = object()

    def run() -> None:
        try:
            asyncio.run(work(lambda result: box.put((True, result))))
        except BaseException as exc:
            box.put((False, exc))
        else:
            box.put((True, finished))

    threading.Thread(target=run, daemon=True, name=f"each-within-{seconds}s").start()
    results: list[object] = []
    for step in range(count):
        results.append(_next(box, seconds, f"step {step} was still running"))
    # The work ends after its last step too (an app's lifespan shutdown, which releases
    # Tortoise's process-wide context): the next test must not start before it has.
    assert _next(box, seconds, "the work was still winding down") is finished, "the work reported more steps than asked"
    return results
