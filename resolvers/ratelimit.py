"""Per-client-address limits on the mutations that cost (sign-up, sign-in, contact
requests, messages, offers), on top of each feature's per-user rules (failed sign-ins
per email, messages per user per minute, contact quota per company per week, offers per
company per hour), which live in the database and hold across workers.

This limiter is in memory, per worker process: with N workers behind a load balancer an
address gets up to N times the limit — it is a brake on floods from one address, not an
exact quota. Fixed windows, bounded memory (the oldest keys are dropped first).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field

COSTLY_MUTATIONS = frozenset({"signUp", "logIn", "startConversation", "sendMessage", "extendOffer"})
MAX_KEYS = 50_000


@dataclass
class AddressLimiter:
    """``limit`` costly mutations per client address per ``window`` seconds."""

    limit: int
    window: float = 60.0
    clock: object = time.monotonic
    _counts: OrderedDict[str, tuple[float, int]] = field(default_factory=OrderedDict)

    def take(self, address: str, cost: int = 1) -> float | None:
        """Count ``cost`` calls; None when allowed, else seconds until the window resets."""
        now = self.clock()  # type: ignore[operator]
        start, count = self._counts.get(address, (now, 0))
        if now - start >= self.window:
            start, count = now, 0
        if count + cost > self.limit:
            return max(0.0, self.window - (now - start))
        self._counts[address] = (start, count + cost)
        self._counts.move_to_end(address)
        while len(self._counts) > MAX_KEYS:
            self._counts.popitem(last=False)
        return None
