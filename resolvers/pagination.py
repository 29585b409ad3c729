"""Keyset (cursor) pagination over Tortoise querysets.

Cursors encode the sort-key values of a row, not an offset, so a page boundary does
not shift while rows are added (chat grows while a client pages back through it). The
last sort key must be unique (the primary key), which makes ties stable.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from resolvers.errors import BadUserInput

T = TypeVar("T")
M = TypeVar("M", bound=Model)

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_CURSOR_LENGTH = 512


@dataclass(frozen=True)
class SortKey:
    """One column of a keyset ordering. ``kind`` tells how cursor values decode."""

    field: str
    descending: bool = False
    kind: str = "int"  # int | float | str | datetime | date

    def encode(self, value: Any) -> Any:
        if isinstance(value, (datetime, date)):
            return value.isoformat()
        if hasattr(value, "value"):  # Enum
            return value.value
        return value

    def decode(self, value: Any) -> Any:
        if value is None:
            raise ValueError("sort keys are never null")  # every ordering column is NOT NULL
        if self.kind == "datetime":
            if not isinstance(value, str):
                raise ValueError("not a timestamp")
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None:
                raise ValueError("timestamps in cursors carry their zone")
            return moment
        if self.kind == "date":
            if not isinstance(value, str):
                raise ValueError("not a date")
            return date.fromisoformat(value)
        if self.kind == "int":
            if not isinstance(value, int) or isinstance(value, bool) or not -(2**63) <= value < 2**63:
                raise ValueError("not a 64-bit int")
            return value
        if self.kind == "float":
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise ValueError("not a number")
            return float(value)
        if not isinstance(value, str):
            raise ValueError("not a string")
        return value


# What ``json.dumps(..., separators=(",", ":"))`` builds anew on every call (a search
# page encodes 20 cursors): the same settings, so the same text.
_CURSOR_JSON = json.JSONEncoder(separators=(",", ":"))


def encode_cursor(values: Sequence[Any]) -> str:
    raw = _CURSOR_JSON.encode(list(values)).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, keys: Sequence[SortKey], argument: str = "after") -> list[Any]:
    """Decode a cursor made for ``keys``; raises ``BadUserInput`` for anything else."""
    message = f"'{argument}' is not a cursor returned by this connection."
    if not isinstance(cursor, str) or not cursor or len(cursor) > MAX_CURSOR_LENGTH:
        raise BadUserInput(message)
    try:
        raw = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode("ascii"))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(keys):
            raise ValueError("shape")
        return [key.decode(value) for key, value in zip(keys, values, strict=True)]
    except (ValueError, TypeError, binascii.Error, UnicodeError, RecursionError):
        raise BadUserInput(message) from None


def check_page_arguments(
    first: int | None, last: int | None, *, default: int = DEFAULT_PAGE_SIZE
) -> tuple[int, bool]:
    """Returns (page size, backwards). ``first`` and ``last`` are 0–100; not both."""
    if first is not None and last is not None:
        raise BadUserInput("Pass either 'first' or 'last', not both.")
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= MAX_PAGE_SIZE:
            raise BadUserInput(f"'{name}' must be between 0 and {MAX_PAGE_SIZE}, got {value}.")
    if last is not None:
        return last, True
    return (first if first is not None else default), False


@dataclass
class Page(Generic[T]):
    """One page of a connection; ``count`` runs only when ``totalCount`` is asked for."""

    items: list[T]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool
    count: Callable[[], Awaitable[int]]

    @property
    def start_cursor(self) -> str | None:
        return self.cursors[0] if self.cursors else None

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None


def _after_filter(keys: Sequence[SortKey], values: Sequence[Any], reverse: bool) -> Q:
    """Rows strictly after ``values`` in the ordering (before it when ``reverse``)."""
    clauses: list[Q] = []
    for i, key in enumerate(keys):
        equal = {f"{k.field}": v for k, v in zip(keys[:i], values[:i], strict=True)}
        ascending = not key.descending if not reverse else key.descending
        op = "gt" if ascending else "lt"
        clause = Q(**{f"{key.field}__{op}": values[i]})
        if equal:
            clause = Q(clause, Q(**equal), join_type="AND")
        clauses.append(clause)
    return Q(*clauses, join_type="OR")


def _order(keys: Sequence[SortKey], reverse: bool) -> list[str]:
    result = []
    for key in keys:
        descending = key.descending != reverse
        result.append(f"-{key.field}" if descending else key.field)
    return result


async def keyset_page(
    queryset: QuerySet[M],
    keys: Sequence[SortKey],
    *,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
    default: int = DEFAULT_PAGE_SIZE,
) -> Page[M]:
    """A page of ``queryset`` ordered by ``keys`` (the last key must be unique)."""
    size, backwards = check_page_arguments(first, last, default=default)
    base = queryset
    query = queryset
    if after is not None:
        query = query.filter(_after_filter(keys, decode_cursor(after, keys, "after"), False))
    if before is not None:
        query = query.filter(_after_filter(keys, decode_cursor(before, keys, "before"), True))
    rows: list[M] = []
    if size > 0:
        rows = list(await query.order_by(*_order(keys, backwards)).limit(size + 1))
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    cursors = [
        encode_cursor([key.encode(_value(row, key.field)) for key in keys]) for row in rows
    ]
    return Page(
        items=rows,
        cursors=cursors,
        has_next_page=more if not backwards else before is not None,
        has_previous_page=more if backwards else after is not None,
        count=base.count,
    )


ID_DESCENDING = (SortKey("id", descending=True),)


async def newest_page(
    queryset: QuerySet[M],
    *,
    refresh: Callable[[QuerySet[M]], Awaitable[None]],
    status: object | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Page[M]:
    """A page of ``queryset``, newest first (keyset by id), only rows in ``status`` if
    given. ``refresh`` runs over all of ``queryset`` first, before the status filter, so
    a row it changes (expiry: SENT -> EXPIRED) is listed under its new status."""
    await refresh(queryset)
    if status is not None:
        queryset = queryset.filter(status=status)
    return await keyset_page(queryset, ID_DESCENDING, first=first, after=after)


def _value(row: Any, field: str) -> Any:
    value = row
    for part in field.split("__"):
        value = getattr(value, part)
    return value
