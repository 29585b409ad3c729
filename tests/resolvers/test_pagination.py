"""Property tests for cursor decoding: whatever a client sends as ``after``/``before``
(connections and search), the answer is a value or a BAD_USER_INPUT — never a crash —
and every cursor the API hands out decodes to what it encoded."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resolvers.errors import BadUserInput
from resolvers.pagination import SortKey, decode_cursor, encode_cursor
from resolvers.search import engine

KEYS = [SortKey("last_activity_at", descending=True, kind="datetime"), SortKey("id", descending=True)]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=12,
)


def as_cursor(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=600) | json_values.map(as_cursor))
def test_decode_cursor_accepts_or_refuses_cleanly(raw: str) -> None:
    try:
        values = decode_cursor(raw, KEYS)
    except BadUserInput as exc:
        assert "not a cursor" in exc.message
    else:
        assert isinstance(values[0], datetime) and isinstance(values[1], int)


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(timezones=st.just(timezone.utc)),
    st.integers(min_value=1, max_value=2**63 - 1),
)
def test_cursors_round_trip(moment: datetime, pk: int) -> None:
    cursor = encode_cursor([KEYS[0].encode(moment), KEYS[1].encode(pk)])
    assert decode_cursor(cursor, KEYS) == [moment, pk]


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=600) | json_values.map(as_cursor), st.sampled_from(["r", "u", "y", "w"]))
def test_search_cursor_decoding_accepts_or_refuses_cleanly(raw: str, code: str) -> None:
    try:
        engine._decode_cursor(raw, code)
    except BadUserInput:
        pass


@pytest.mark.parametrize("raw", ["", "=", "x" * 10_000, as_cursor([[[[[]]]]]), as_cursor({"a": 1}), "🙂"])
def test_hostile_cursors_are_bad_user_input(raw: str) -> None:
    with pytest.raises(BadUserInput):
        decode_cursor(raw, KEYS)


@pytest.mark.parametrize(
    "after", [as_cursor([None, None]), as_cursor(["2026-01-01T00:00:00+00:00", 2**70]), as_cursor(["2026-01-01", 1])]
)
async def test_forged_cursors_through_the_api_are_bad_user_input(gql, after: str) -> None:
    from tests.factories.accounts import make_candidate

    candidate = await make_candidate(gql)
    result = await gql.post(
        "query($after: String) { conversations(after: $after) { totalCount } }", {"after": after}, token=candidate.token
    )
    assert result.codes == ["BAD_USER_INPUT"]
