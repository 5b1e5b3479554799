"""Plain SQL for the few lookups of the submission path, with rows made into model instances.

Building and compiling an ORM query costs more Python than the database needs to answer it
(a point lookup compiles in ~0.7 ms and runs in ~0.1 ms). The submission path asks the same
handful of questions thousands of times, so it writes them as SQL once, and turns each row
into instances here, with the same conversions the ORM applies (JSON, decimals, dates,
SQLite's booleans). Columns not selected are deferred: reading one loads it, as with
``.only()``.
"""

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model: type[Model]) -> str:
    return quote(model._meta.db_table)


def columns(model: type[Model], alias: str, fields: Sequence[str] | None = None) -> str:
    """The SELECT list of ``model``'s concrete fields (or of ``fields``, by name)."""
    return ", ".join(f"{alias}.{quote(field.column)}" for field in _fields(model, fields))


def _fields(model: type[Model], names: Sequence[str] | None) -> list:
    # In the model's field order, which Model.from_db expects when some are left out.
    fields = model._meta.concrete_fields
    if names is None:
        return list(fields)
    return [field for field in fields if field.name in names or field.attname in names]


def instance(
    model: type[M], row: Sequence[Any], start: int = 0, fields: Sequence[str] | None = None
) -> tuple[M, int]:
    """The instance made of ``row[start:]``, whose columns are columns(model, …, fields),
    and the index after them."""
    chosen = _fields(model, fields)
    values = []
    for offset, field in enumerate(chosen):
        value = row[start + offset]
        if value is not None:
            col = field.get_col(model._meta.db_table)
            for convert in connection.ops.get_db_converters(col) + col.get_db_converters(
                connection
            ):
                value = convert(value, col, connection)
        values.append(value)
    made = model.from_db(connection.alias, [field.attname for field in chosen], values)
    return made, start + len(chosen)


def fetch_one(sql: str, params: Sequence[Any]) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()
