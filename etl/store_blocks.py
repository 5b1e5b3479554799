"""The tidy store's rows parsed once: one block of typed columns per tidy table and town.

A full recompute at province scale reads 1.5 M tidy rows. As CSV lines (``etl.store_lines``)
that is ~0.3 GB of text to hand out row by row and parse each time; here each table's rows
of one town are kept parsed, as an Arrow IPC stream (lz4) in ``indicators.TidyBlock``, with
each row's submission, row id, ``is_current`` and ``review_state``. Which rows count is still
decided when reading (``counting``), so review decisions and a town's counting rule apply as
they do on the lines, and the rows come back in the same order (submission, row id).

The blocks follow the rows: whatever changes a town's rows of a table (new rows, an edit
replacing a version, a review decision, a deleted submission) empties its block in the same
transaction (``stale_mark``), and ``etl.store.blocks_build`` builds the emptied blocks again
(``build``): at the end of ``etl.store.refresh`` unless told not to (the incremental publish,
whose few towns read their lines as fast), before a read of every town, and in the
publisher's pass that finds nothing new. A reader takes the rows of a town whose block is
empty from ``TidyRow``, parsed the same way, so a block being rebuilt never changes what is
read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl import schemas, store_lines

# Bump when a block's columns or encoding change: every block is built again.
FORMAT = "2"
META = ["submission_id", "row_id", "is_current", "review_state"]
TOWNS_PER_BUILD = 50  # towns parsed together when building (memory of the full build)


def stale_mark(pairs: Iterable[tuple[str, str]]) -> None:
    """Empty the blocks of these ``(frame, town_code)`` pairs (created empty when missing),
    to be built again by ``build``."""
    from indicators.models import TidyBlock

    pairs = sorted(set(pairs))
    if pairs:
        TidyBlock.objects.bulk_create(
            [TidyBlock(frame=frame, town_code=town, data=None, rows=0) for frame, town in pairs],
            update_conflicts=True,
            unique_fields=["frame", "town_code"],
            update_fields=["data", "rows"],
            batch_size=1000,
        )


def stale_mark_rows(rows) -> None:
    """Empty the blocks holding any of ``rows`` (a ``TidyRow`` queryset), before they change."""
    stale_mark(rows.order_by().values_list("frame", "town_code").distinct())


def build(frames: dict[str, object]) -> int:
    """Build every empty block (all of them when they are of another ``FORMAT``) from the
    ``TidyRow`` rows; a block whose town has no rows left is deleted. The caller holds the
    store's lock in a transaction. Returns the number of blocks built."""
    from indicators.models import TidyBlock, TidyRow, TidyStoreState

    state = TidyStoreState.objects.get(pk=1)
    if state.blocks_format != FORMAT:
        TidyBlock.objects.all().delete()
        stale_mark(TidyRow.objects.order_by().values_list("frame", "town_code").distinct())
        state.blocks_format = FORMAT
        state.save(update_fields=["blocks_format", "updated_at"])
    empty: dict[str, list[str]] = {}
    for frame, town in TidyBlock.objects.filter(data__isnull=True).values_list(
        "frame", "town_code"
    ):
        empty.setdefault(frame, []).append(town)
    built = 0
    for frame, towns in empty.items():
        towns.sort()
        for start in range(0, len(towns), TOWNS_PER_BUILD):
            chunk = towns[start : start + TOWNS_PER_BUILD]
            tables = rows_tables(frame, frames[frame], chunk)
            gone = [town for town in chunk if town not in tables]
            TidyBlock.objects.filter(frame=frame, town_code__in=gone).delete()
            _blocks_write(
                [(_ipc_bytes(table), table.num_rows, frame, town) for town, table in tables.items()]
            )
            built += len(tables)
    return built


def _blocks_write(blocks: list[tuple[bytes, int, str, str]]) -> None:
    """Store built blocks ``(data, rows, frame, town_code)``; on PostgreSQL in one pipeline
    with the data as binary parameters (not as hex text in the statement)."""
    from django.db import connection

    from indicators.models import TidyBlock

    sql = (
        f'UPDATE "{TidyBlock._meta.db_table}" SET data = %s, rows = %s '
        "WHERE frame = %s AND town_code = %s"
    )
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:  # Django's bind client-side
            cursor.executemany(sql, blocks)
        return
    with connection.cursor() as cursor:
        cursor.executemany(sql, blocks)


def usable() -> bool:
    """Whether the blocks are of this ``FORMAT`` (``build`` ran since they changed)."""
    from indicators.models import TidyStoreState

    return TidyStoreState.objects.filter(pk=1, blocks_format=FORMAT).exists()


def rows_tables(frame: str, schema, towns: list[str]) -> dict[str, pa.Table]:
    """Every ``TidyRow`` row of ``frame`` of each of ``towns`` (counted or not), parsed, with
    the ``META`` columns, in submission and row order; towns without rows are left out."""
    from django.db import connection

    from indicators.models import TidyRow

    if not towns:
        return {}
    marks = ", ".join(["%s"] * len(towns))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT town_code, submission_id, id, is_current, review_state, line "
            f'FROM "{TidyRow._meta.db_table}" WHERE frame = %s AND town_code IN ({marks}) '
            "ORDER BY town_code, submission_id, id",
            [frame, *towns],
        )
        rows = cursor.fetchall()
    if not rows:
        return {}
    town_of, submission, row_id, current, state, lines = zip(*rows, strict=True)
    del rows
    data = "".join(line + "\n" for line in lines).encode()
    # A stored text with a line break (quoted in its CSV line) needs the slower parser mode.
    breaks = data.count(b"\n") != len(lines) or b"\r" in data
    del lines
    table = store_lines.csv_table(data, schema, breaks=breaks)
    del data
    meta = {
        "submission_id": pa.array(submission, pa.int64()),
        "row_id": pa.array(row_id, pa.int64()),
        "is_current": pa.array([bool(c) for c in current], pa.bool_()),
        "review_state": pa.array(state, pa.string()),
    }
    for name, values in meta.items():
        table = table.append_column(name, values)
    out, start = {}, 0
    for end in range(1, len(town_of) + 1):
        if end == len(town_of) or town_of[end] != town_of[start]:
            out[town_of[start]] = table.slice(start, end - start)
            start = end
    return out


def counting(table: pa.Table, approved_only: np.ndarray) -> np.ndarray:
    """Which rows of ``table`` (blocks' rows) count: current, not rejected, and approved
    where their town counts approved submissions only (``approved_only``, per row):
    ``store_lines.counting_sql``'s rule."""
    state = table.column("review_state")
    keep = pc.and_(table.column("is_current"), pc.not_equal(state, "rejected"))
    keep = keep.to_numpy(zero_copy_only=False)
    if approved_only.any():
        approved = pc.equal(state, "approved").to_numpy(zero_copy_only=False)
        keep &= ~approved_only | approved
    return keep


def frame_fetch(
    name: str, schema, town_codes: list[str] | None, approved_only: set[str]
) -> Callable[[], pd.DataFrame]:
    """Read the blocks of table ``name`` (of ``town_codes`` only when given); returns the
    function that turns them into the frame of the rows that count, in submission and row
    order (what ``store_lines.frame_read`` reads from the lines). That function touches no
    database, so it can run in another thread while this one reads something else."""
    from indicators.models import TidyBlock

    where, params = "frame = %s", [name]
    if town_codes is not None:
        if not town_codes:
            return lambda: schemas.empty(schema)
        where += f" AND town_code IN ({', '.join(['%s'] * len(town_codes))})"
        params += town_codes
    blocks = _fetch(
        f'SELECT town_code, data FROM "{TidyBlock._meta.db_table}" WHERE {where}', params
    )
    empty = sorted(town for town, data in blocks if data is None)
    parsed = rows_tables(name, schema, empty)  # the rows of towns whose block is rebuilt
    blocks = [(town, data) for town, data in blocks if data is not None]
    return lambda: _frame(schema, blocks, parsed, approved_only)


def _frame(
    schema, blocks: list[tuple[str, bytes]], parsed: dict[str, pa.Table], approved_only: set[str]
) -> pd.DataFrame:
    """The frame of the rows that count among the encoded ``blocks`` and the ``parsed``
    rows of towns without a block (both emptied: called once)."""
    towns = [town for town, _ in blocks] + list(parsed)
    tables = [_ipc_table(data) for _, data in blocks] + list(parsed.values())
    blocks.clear()  # the encoded blocks go once decoded
    parsed.clear()
    if not tables:
        return schemas.empty(schema)
    approved = np.repeat([town in approved_only for town in towns], [t.num_rows for t in tables])
    table = pa.concat_tables(tables)
    del tables
    # The positions of the rows that count, in submission and row order: each column is
    # taken in that order as it is converted, with no filtered or sorted copy of the table.
    kept = np.flatnonzero(counting(table, approved))
    if not len(kept):
        return schemas.empty(schema)
    keys = pa.table(
        {
            "submission_id": table.column("submission_id").to_numpy()[kept],
            "row_id": table.column("row_id").to_numpy()[kept],
        }
    )
    order = kept[
        pc.sort_indices(
            keys, sort_keys=[("submission_id", "ascending"), ("row_id", "ascending")]
        ).to_numpy()
    ]
    return store_lines.table_frame(table.drop_columns(META), schema, order=order)


def _fetch(sql: str, params: list) -> list[tuple]:
    """The rows of ``sql``; on PostgreSQL with the results in binary form (bytea as its
    bytes, not twice as many hex digits to decode)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:  # Django's bind client-side
            cursor.execute(sql, params, binary=True)
            return cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _ipc_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    # lz4: decoding thousands of small zstd streams costs ~5x more (a context per buffer).
    options = pa.ipc.IpcWriteOptions(compression="lz4")
    with pa.ipc.new_stream(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _ipc_table(data: bytes | memoryview) -> pa.Table:
    # One small block after another: threads would cost more than they save.
    options = pa.ipc.IpcReadOptions(use_threads=False)
    return pa.ipc.open_stream(pa.py_buffer(data), options=options).read_all()
