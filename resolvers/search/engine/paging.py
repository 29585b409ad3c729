"""One page of a search: keyset paging for every sort, windowed relevance for common words.

Keyset cursors: RELEVANCE orders by score (desc) then id (asc); RECENTLY_UPDATED and
YEARS_OF_EXPERIENCE by their column (desc) then id (desc). Ties are broken by the id,
so paging returns every hit exactly once.

Windowed relevance: when the text matches more profiles than the exact limit, the
matches are walked in windows of profile ids from the newest down and each window is
ordered by relevance; a page costs one window (about ``WINDOW_TARGET`` text matches),
not the whole result.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import Any

from models.accounts import Company
from models.profiles import Profile
from resolvers.errors import BadUserInput
from resolvers.pagination import encode_cursor
from resolvers.profiles.access import accepted_contact_join
from resolvers.search.engine.plan import BAD_CURSOR, SORT_CODES, WINDOWED, Plan, decode_cursor
from resolvers.search.filters import SqlParams
from resolvers.search.sort import SearchSort

WINDOW_TARGET = 2_000  # matches per ranking window (before filters)
# Windows up to this many ids are read by primary key and the text tested row by row
# (``Plan.window_match``); wider ones (a word in under ~8% of profiles) use the text index.
SCAN_WINDOW_IDS = 25_000


def _key_columns(plan: Plan, sort: SearchSort) -> tuple[str, str, str]:
    """(key expression, key direction, id direction)."""
    if sort == SearchSort.RELEVANCE:
        return "score", "DESC", "ASC"
    if sort == SearchSort.YEARS_OF_EXPERIENCE:
        return "years", "DESC", "DESC"
    return "updated_at", "DESC", "DESC"


def _inner_select(plan: Plan, *, scan_window: bool = False) -> str:
    score = plan.score or "NULL"
    conditions = plan.conditions
    if scan_window and plan.window_match is not None:
        conditions = [plan.window_match, *conditions[1:]]
    return (
        f"SELECT p.id AS id, p.updated_at AS updated_at, p.years_of_experience AS years, {score} AS score"
        f" FROM {plan.source} WHERE {' AND '.join(conditions)}"
    )


def _cursor_value(plan: Plan, sort: SearchSort, value: Any) -> Any:
    if sort == SearchSort.RECENTLY_UPDATED and plan.dialect != "sqlite":
        return value.isoformat()
    return value


def _param_value(plan: Plan, sort: SearchSort, value: Any) -> Any:
    if sort == SearchSort.RECENTLY_UPDATED:
        if not isinstance(value, str):
            raise BadUserInput(BAD_CURSOR)
        if plan.dialect != "sqlite":
            try:
                return datetime.fromisoformat(value)
            except ValueError:
                raise BadUserInput(BAD_CURSOR) from None
        return value
    if sort == SearchSort.YEARS_OF_EXPERIENCE:
        if not isinstance(value, int):
            raise BadUserInput(BAD_CURSOR)
        return value
    if not isinstance(value, (int, float)):
        raise BadUserInput(BAD_CURSOR)
    return float(value)


async def page(
    connection: Any, plan: Plan, sort: SearchSort, size: int, after: str | None, contacts_of: Company | None = None
) -> tuple[list[dict[str, Any]], bool]:
    """One page (``size`` rows, one more to tell whether more follow) after the keyset
    cursor ``after``; ``contacts_of``: see ``_with_rows``."""
    code = SORT_CODES[sort]
    key, key_dir, id_dir = _key_columns(plan, sort)
    params = plan.fresh()
    keyset = ""
    if after is not None:
        values = decode_cursor(after, code)
        if len(values) != 2:
            raise BadUserInput(BAD_CURSOR)
        value = _param_value(plan, sort, values[0])
        last_id = values[1]
        id_op = ">" if id_dir == "ASC" else "<"
        keyset = (
            f" WHERE (h.{key} < {params(value)} OR (h.{key} = {params(value)} AND h.id {id_op} {params(last_id)}))"
        )
    sql = _with_rows(
        f"SELECT * FROM ({_inner_select(plan)}) h{keyset}"
        f" ORDER BY h.{key} {key_dir}, h.id {id_dir} LIMIT {params(size + 1)}",
        f"h.{key} {key_dir}, h.id {id_dir}",
        params,
        contacts_of,
    )
    rows = await connection.execute_query_dict(sql, params.values) if size > 0 else []
    more = len(rows) > size
    rows = rows[:size]
    for row in rows:
        keyval = row["score"] if sort == SearchSort.RELEVANCE else row[key]
        row["cursor"] = encode_cursor([code, _cursor_value(plan, sort, keyval), int(row["id"])])
    return rows, more


def _with_rows(page_sql: str, order: str, params: SqlParams, contacts_of: Company | None) -> str:
    """The page (at most 101 ids) joined to its profile rows and display names, so one
    statement returns everything the page needs but skills. With ``contacts_of`` (the
    searching company), ``_accepted_contact`` is not null for the anonymous profiles
    that accepted its contact request (``accepted_contact_join``). Its parameters come
    after ``page_sql``'s, as the SQL text has them (SQLite's ``?`` are positional)."""
    join = accepted_contact_join(contacts_of, params)
    return (
        "SELECT h.id AS id, h.score AS score, h.updated_at AS updated_at, h.years AS years,"
        f" u.display_name AS _display_name, {'ac.id' if join else 'NULL'} AS _accepted_contact, p.*"
        " FROM (" + page_sql + ") h"
        ' JOIN profile p ON p.id = h.id LEFT JOIN "user" u ON u.id = p.user_id'
        f"{join or ''} ORDER BY {order}"
    )


class ProfileRow:
    """A page row read as the ``Profile`` it holds. Building the model converts all of
    its ~25 columns, for each of the page's rows (a third of a millisecond per page of
    20), while a hit reads about a dozen: here an attribute is converted when first
    read, by the model field's own conversion as ``Model._init_from_db`` does it, and
    the model itself is built only when asked for (``model``: the full ``profile`` of a
    search candidate). Each model attribute is a ``_Column`` of the class, installed on
    first use (the model's meta is complete once Tortoise is initialised)."""

    def __init__(self, row: dict[str, Any]) -> None:
        self._row = row

    def __getattr__(self, name: str) -> Any:
        # reached only before the columns are installed, or for a name that is none
        if _install_columns():
            return getattr(self, name)
        raise AttributeError(name)

    @cached_property
    def model(self) -> Profile:
        _install_columns()
        return Profile._init_from_db(**{column: self._row[column] for column in _COLUMNS})


class _Column:
    """A ``ProfileRow`` attribute: converted from the row on first read and kept in the
    instance's ``__dict__``, which later reads find first (a non-data descriptor)."""

    __slots__ = ("convert", "name")

    def __init__(self, name: str, convert: Callable[[dict[str, Any]], Any]) -> None:
        self.name, self.convert = name, convert

    def __get__(self, row: ProfileRow | None, owner: type | None = None) -> Any:
        if row is None:
            return self
        value = row.__dict__[self.name] = self.convert(row._row)
        return value


def _converter(key: str, field: Any, how: str) -> Callable[[dict[str, Any]], Any]:
    if how == "native":
        return lambda row: row[key]
    if how == "default":
        return lambda row: None if row[key] is None else field.field_type(row[key])
    return lambda row: field.to_python_value(row[key])


_COLUMNS: list[str] = []  # the model's columns, once installed


def _install_columns() -> bool:
    """Install a ``_Column`` on ``ProfileRow`` for each model attribute (and ``pk``);
    False if they already were."""
    if _COLUMNS:
        return False
    meta = Profile._meta
    for how, fields in (("native", meta.db_native_fields), ("default", meta.db_default_fields),
                        ("complex", meta.db_complex_fields)):
        for key, model_field, field in fields:
            setattr(ProfileRow, model_field, _Column(model_field, _converter(key, field, how)))
            if model_field == meta.pk_attr:
                ProfileRow.pk = _Column("pk", _converter(key, field, how))  # type: ignore[attr-defined]  # installed here
    _COLUMNS[:] = meta.fields_db_projection.values()
    return True


async def windowed_page(
    connection: Any, plan: Plan, estimate: int, size: int, after: str | None, contacts_of: Company | None = None
) -> tuple[list[dict[str, Any]], bool]:
    """Relevance within windows of profile ids, newest window first (see module doc);
    ``contacts_of``: see ``_with_rows``."""
    top = (await connection.execute_query_dict("SELECT max(id) AS m FROM profile"))[0]["m"] or 0
    if after is not None:
        values = decode_cursor(after, WINDOWED)
        if len(values) != 4 or not all(isinstance(v, int) for v in (values[0], values[1], values[3])):
            raise BadUserInput(BAD_CURSOR)
        low, high, last_score, last_id = values[0], values[1], _param_value(plan, SearchSort.RELEVANCE, values[2]), values[3]
    else:
        low, high, last_score, last_id = None, top + 1, None, None
    estimate = max(1, estimate)
    width = max(256, int(WINDOW_TARGET * max(top, 1) / estimate))
    rows: list[dict[str, Any]] = []
    if low is None:
        low = max(0, high - width)
    while size > 0:
        params = plan.fresh()
        # Placeholders in the order they appear in the SQL: SQLite's ``?`` are positional
        # (the keyset used to be bound before the window, so a second page on SQLite was empty).
        window = f" AND {plan.id_column} >= {params(low)} AND {plan.id_column} < {params(high)}"
        keyset = ""
        if last_score is not None:
            keyset = (
                f" WHERE (h.score < {params(last_score)} OR (h.score = {params(last_score)}"
                f" AND h.id > {params(last_id)}))"
            )
        sql = _with_rows(
            f"SELECT * FROM ({_inner_select(plan, scan_window=high - low <= SCAN_WINDOW_IDS)}{window}) h{keyset}"
            f" ORDER BY h.score DESC, h.id ASC LIMIT {params(size + 1 - len(rows))}",
            "h.score DESC, h.id ASC",
            params,
            contacts_of,
        )
        batch = await connection.execute_query_dict(sql, params.values)
        for row in batch:
            row["cursor"] = encode_cursor([WINDOWED, low, high, row["score"], int(row["id"])])
        rows += batch
        if len(rows) > size or low <= 0:
            break
        high, low, last_score, last_id = low, max(0, low - width), None, None
        width *= 2  # sparse windows (selective filters): widen
    more = len(rows) > size
    return rows[:size], more


