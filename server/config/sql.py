"""Plain SQL for the few lookups of the submission path, with rows made into model instances.

Building and compiling an ORM query costs more Python than the database needs to answer it
(a point lookup compiles in ~0.7 ms and runs in ~0.1 ms). The submission path asks the same
handful of questions thousands of times, so it writes them as SQL once, and turns each row
into instances here, with the same conversions the ORM applies (JSON, decimals, dates,
SQLite's booleans). Columns not selected are deferred: reading one loads it, as with
``.only()``. New rows are written by insert(), which does what Model.save() does for a new
row of a plain model, signals included. Statements, column lists and converters are worked
out once per process and database kind; on PostgreSQL they run on cursors that prepare
them once they recur (cursor()), so the server neither parses nor plans them again.
"""

from collections.abc import Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Model
from django.db.models.signals import post_save, pre_save

M = TypeVar("M", bound=Model)


def vendor() -> str:
    """The database kind ("postgresql", "sqlite"): part of the key of SQL text kept per process."""
    return connections[DEFAULT_DB_ALIAS].vendor


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model: type[Model]) -> str:
    return quote(model._meta.db_table)


def columns(model: type[Model], alias: str, fields: tuple[str, ...] | None = None) -> str:
    """The SELECT list of ``model``'s concrete fields (or of ``fields``, by name)."""
    return _columns(connections[DEFAULT_DB_ALIAS].vendor, model, alias, fields)


@cache
def _columns(vendor: str, model: type[Model], alias: str, fields: tuple[str, ...] | None) -> str:
    return ", ".join(f"{alias}.{quote(field.column)}" for field in _fields(model, fields))


@cache
def _fields(model: type[Model], names: tuple[str, ...] | None) -> tuple:
    # In the model's field order, which Model.from_db expects when some are left out.
    fields = model._meta.concrete_fields
    if names is None:
        return tuple(fields)
    return tuple(field for field in fields if field.name in names or field.attname in names)


@cache
def _converters(vendor: str, model: type[Model], names: tuple[str, ...] | None) -> tuple:
    """(attnames, [(column expression, its converters)] per field), as the ORM's compiler
    finds them (backend converters first, then the field's from_db_value)."""
    chosen = _fields(model, names)
    converters = []
    for field in chosen:
        col = field.get_col(model._meta.db_table)
        converters.append(
            (col, tuple(connection.ops.get_db_converters(col) + col.get_db_converters(connection)))
        )
    return tuple(field.attname for field in chosen), tuple(converters)


def instance(
    model: type[M], row: Sequence[Any], start: int = 0, fields: tuple[str, ...] | None = None
) -> tuple[M, int]:
    """The instance made of ``row[start:]``, whose columns are columns(model, …, fields),
    and the index after them."""
    db = connections[DEFAULT_DB_ALIAS]  # once: each use of the `connection` proxy looks it up
    attnames, converters = _converters(db.vendor, model, fields)
    values = list(row[start : start + len(attnames)])
    for index, (col, functions) in enumerate(converters):
        value = values[index]
        if value is not None:
            for convert in functions:
                value = convert(value, col, db)
            values[index] = value
    made = model.from_db(db.alias, attnames, values)
    return made, start + len(attnames)


def cursor(db: BaseDatabaseWrapper | None = None) -> CursorWrapper:
    """A cursor for the statements written here: on PostgreSQL one whose statements are
    prepared once they recur (config.postgresql.DatabaseWrapper.prepared_cursor), elsewhere
    Django's."""
    db = db if db is not None else connections[DEFAULT_DB_ALIAS]
    prepared = getattr(db, "prepared_cursor", None)
    return prepared() if prepared is not None else db.cursor()


def fetch_one(sql: str, params: Sequence[Any]) -> tuple | None:
    with cursor() as executing:
        executing.execute(sql, params)
        return executing.fetchone()


@cache
def _insert_sql(
    vendor: str, model: type[Model], ignore_conflicts: bool, also: str | None
) -> tuple[str, tuple]:
    meta = model._meta
    fields = tuple(f for f in meta.local_concrete_fields if f is not meta.auto_field)
    returning = [f"{table(model)}.{quote(field.column)}" for field in meta.db_returning_fields] + (
        [f"({also})"] if also is not None else []
    )
    statement = (
        f"INSERT INTO {table(model)} ({', '.join(quote(f.column) for f in fields)})"
        f" VALUES ({', '.join(['%s'] * len(fields))})"
        # Only a unique constraint is let pass (on SQLite too, unlike INSERT OR IGNORE).
        + (" ON CONFLICT DO NOTHING" if ignore_conflicts else "")
        + (f" RETURNING {', '.join(returning)}" if returning else "")
    )
    return statement, fields


def insert(obj: Model, *, ignore_conflicts: bool = False) -> bool:
    """Save ``obj`` as a new row, as ``obj.save()`` does for a model without parents or
    generated fields (pre_save and post_save sent, auto_now fields set, the id read back), in
    one statement compiled once. With ``ignore_conflicts`` a row that would break a unique
    constraint is not written (INSERT … ON CONFLICT DO NOTHING, decided by the database, so
    concurrent requests cannot both insert): returns False, sends no post_save and leaves
    ``obj`` unsaved; the surrounding transaction stays usable (no savepoint needed)."""
    return _insert(obj, ignore_conflicts, None, ()) is not None


def insert_returning(obj: Model, also: str, params: Sequence[Any]) -> Any:
    """insert(obj), with the SQL expression ``also`` (``%s`` placeholders for ``params``)
    evaluated in the INSERT's RETURNING clause: a question asked together with the write
    costs no round trip of its own. Returns its value. A subquery in ``also`` sees the
    database as the statement found it: on PostgreSQL without the new row, on SQLite
    perhaps with it, so it should not depend on that row. ``also`` is part of the key of
    the statement kept per process: pass a fixed text, never one built from values."""
    row = _insert(obj, False, also, params)
    assert row is not None  # without ignore_conflicts a row is always written
    return row[-1]


def _insert(
    obj: Model, ignore_conflicts: bool, also: str | None, params: Sequence[Any]
) -> tuple | None:
    """The insert; None when a conflict left the row unwritten, else the RETURNING row
    (empty when nothing is returned)."""
    model = type(obj)
    meta = model._meta
    if (
        meta.parents
        or meta.proxy
        or any(f.generated for f in meta.local_concrete_fields)
        or (meta.auto_field is not None and obj.pk is not None)
    ):
        raise TypeError(f"sql.insert does not handle {meta.label}")
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(db.vendor)
    obj._prepare_related_fields_for_save(operation_name="save")
    using = db.alias
    pre_save.send(sender=model, instance=obj, raw=False, using=using, update_fields=None)
    statement, fields = _insert_sql(db.vendor, model, ignore_conflicts, also)
    values = [field.get_db_prep_save(field.pre_save(obj, True), db) for field in fields]
    with transaction.mark_for_rollback_on_error(using), cursor(db) as executing:
        executing.execute(statement, [*values, *params])
        if meta.db_returning_fields or also is not None:
            row = executing.fetchone()
            if row is None:
                return None
            for value, field in zip(row, meta.db_returning_fields, strict=False):
                setattr(obj, field.attname, value)
        elif executing.rowcount != 1:
            return None
        else:
            row = ()
    obj._state.adding = False
    obj._state.db = using
    post_save.send(
        sender=model, instance=obj, created=True, update_fields=None, raw=False, using=using
    )
    return tuple(row)
