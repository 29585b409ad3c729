from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.examples.server import LiveServer, live_server


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    with live_server(tmp_path) as live:
        yield live
