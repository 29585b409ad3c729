"""Rows read as the models they hold, without building the models.

Building a Tortoise instance (``Model._init_from_db``) converts and sets every column of
the row, and a page of profiles builds one per part and endorsement (~1,300 a page of
50): that was most of the page's prefetch. A ``ModelRow`` holds the statement's row in
its ``__dict__`` instead: the columns the database driver already hands back as Python
values (the model's ``db_native_fields`` on this connection) under the model's attribute
names, so reading them is a plain attribute read; every other column under a private
key, converted by the model field's own conversion (as ``_init_from_db`` does it) when
the attribute is first read, and kept. ``pk`` reads the primary key.

A row is a read-only view for the read paths (GraphQL fields, privacy stamps): it has no
save state and no relations. ``rows_where_in`` runs a statement and answers rows
(``columns`` and ``rows_of`` for a statement of one's own); ``row_class`` is the class of
a model's rows, for ``isinstance`` checks (``graph.types.profiles``). The SELECT list is
made per model and dialect (the tests switch one process between SQLite and PostgreSQL):
a column native on one and converted on the other is found in the row's ``__dict__``
under its name on the first, before the class's converting descriptor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any, ClassVar

from tortoise import connections
from tortoise.fields import Field
from tortoise.models import Model

_RAW = "_raw_"  # the private key of a column converted on first read


class ModelRow:
    """A row of ``model`` read as an instance of it (module doc)."""

    model: ClassVar[type[Model]]
    pk: Any  # the primary key attribute's value (a property of each row class)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.pk}>"


class _Converted:
    """A column converted from its private key on first read and kept in the instance's
    ``__dict__``, which later reads find first (a non-data descriptor)."""

    __slots__ = ("convert", "name", "raw")

    def __init__(self, name: str, convert: Callable[[Any], Any]) -> None:
        self.name, self.raw, self.convert = name, _RAW + name, convert

    def __get__(self, row: ModelRow | None, owner: type | None = None) -> Any:
        if row is None:
            return self
        value = row.__dict__[self.name] = self.convert(row.__dict__[self.raw])
        return value


def _converter(field: Field[Any]) -> Callable[[Any], Any]:
    if type(field).to_python_value is Field.to_python_value:  # Tortoise's "default" fields
        field_type = field.field_type
        return lambda value: None if value is None else field_type(value)
    return field.to_python_value


_CLASSES: dict[type[Model], type[ModelRow]] = {}
# (model, dialect) -> the SELECT list: native columns as their attribute, others as _raw_<attribute>
_COLUMNS: dict[tuple[type[Model], str], str] = {}


def row_class(model: type[Model]) -> type[ModelRow]:
    """The class of ``model``'s rows (one per model)."""
    found = _CLASSES.get(model)
    if found is None:
        namespace = {"model": model, "pk": property(attrgetter(model._meta.pk_attr)), "__module__": __name__}
        found = _CLASSES[model] = type(f"{model.__name__}Row", (ModelRow,), namespace)
    return found


def _select_list(model: type[Model], dialect: str) -> str:
    """What to select of ``model``'s table (alias ``t``) for its rows on this connection;
    installs the converted columns' descriptors on first use (the model's meta is
    complete once Tortoise is initialised)."""
    columns = _COLUMNS.get((model, dialect))
    if columns is not None:
        return columns
    cls = row_class(model)
    meta = model._meta
    native = {key for key, _, _ in meta.db_native_fields}
    selected = []
    for attribute, key in meta.fields_db_projection.items():
        if key in native:
            selected.append(f't."{key}" AS "{attribute}"')
        else:
            selected.append(f't."{key}" AS "{_RAW}{attribute}"')
            setattr(cls, attribute, _Converted(attribute, _converter(meta.fields_map[attribute])))
    columns = _COLUMNS[(model, dialect)] = ", ".join(selected)
    return columns


def rows_of(model: type[Model], raw_rows: Sequence[dict[str, Any]]) -> list[Any]:
    """``raw_rows``, selected with ``columns(model)``, as rows of ``model``: each dict
    becomes its row's ``__dict__`` (not copied)."""
    cls = row_class(model)
    new = object.__new__
    result = []
    for raw in raw_rows:
        row = new(cls)
        row.__dict__ = raw
        result.append(row)
    return result


def columns(model: type[Model]) -> str:
    """The SELECT list of ``model``'s rows (its table aliased ``t``) on the default connection."""
    return _select_list(model, connections.get("default").capabilities.dialect)


async def rows_where_in(model: type[Model], column: str, values: Sequence[Any], order_by: str = "") -> list[Any]:
    """The rows of ``model`` whose ``column`` is one of ``values``, in ``order_by`` (SQL
    over the table aliased ``t``). One statement; none for no values."""
    if not values:
        return []
    connection = connections.get("default")
    dialect = connection.capabilities.dialect
    marks = ", ".join(f"${i}" if dialect == "postgres" else "?" for i in range(1, len(values) + 1))
    sql = (
        f'SELECT {_select_list(model, dialect)} FROM "{model._meta.db_table}" t WHERE t."{column}" IN ({marks})'
        + (f" ORDER BY {order_by}" if order_by else "")
    )
    return rows_of(model, await connection.execute_query_dict(sql, list(values)))
