"""README's "For frontend teams" stays true to the schema and the settings."""

from __future__ import annotations

import re

from graphql import build_schema

from graph.settings import Settings
from tests.examples.server import REPO

README = (REPO / "README.md").read_text()
SECTION = README[README.index("## For frontend teams") :]


def test_every_user_error_code_is_documented() -> None:
    schema = build_schema((REPO / "schema.graphql").read_text())
    codes = set(schema.type_map["UserErrorCode"].values)  # type: ignore[attr-defined]
    documented = set(re.findall(r"^\s*\| `([A-Z_]+)` \|", SECTION, re.M))
    missing = sorted(codes - documented)
    assert not missing, f"add these UserErrorCode values to README's 'For frontend teams' → Errors table: {missing}"


def test_documented_limits_are_the_defaults() -> None:
    defaults = Settings()
    for text in (
        f"| query depth (`MAX_QUERY_DEPTH`) | {defaults.max_depth} |",
        f"| tokens per document (`MAX_QUERY_TOKENS`) | {defaults.max_tokens:,} |",
        f"| aliases per document (`MAX_QUERY_ALIASES`) | {defaults.max_aliases} |",
        f"| request body (`MAX_BODY_BYTES`) | {defaults.max_body_bytes // 2**20} MiB |",
        f"| WebSocket frame (`MAX_WS_FRAME_BYTES`) | {defaults.max_ws_frame_bytes // 2**10} KiB;",
        f"(`MAX_SUBSCRIPTIONS_PER_CONNECTION`) | {defaults.max_subscriptions_per_connection};",
        f"| {defaults.login_attempts_per_window} per {defaults.login_window_seconds // 60} minutes |",
        f"(`MESSAGES_PER_MINUTE`) | {defaults.messages_per_minute} per minute |",
        f"(`CONTACT_REQUESTS_PER_WEEK`) | {defaults.contact_requests_per_week} per week |",
        f"within {defaults.connection_init_timeout_seconds} seconds",
    ):
        assert text in SECTION, text
