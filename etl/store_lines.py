"""The tidy store's rows as CSV lines: writing a table's rows as lines, reading the lines that
count back from the database (one ``COPY … TO STDOUT`` per table on PostgreSQL) and parsing
them with pyarrow into the schema's dtypes.

``etl.store`` writes and refreshes the rows; ``etl.store_blocks`` keeps them parsed as typed
column blocks and falls back on these readers for a town whose block is being rebuilt.
"""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from etl import schemas
from etl.frames import columns_frame


def lines_of(table: pd.DataFrame, columns: list[str]) -> list[str]:
    """Each row of ``table`` as one CSV line (missing values empty)."""
    values = {}
    for column in columns:
        series = table[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            text = series.dt.strftime("%Y-%m-%d %H:%M:%S.%f")
            values[column] = text.where(series.notna(), None).to_numpy(dtype=object)
        else:
            values[column] = series.astype(object).where(series.notna(), None).to_numpy()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    lines = []
    for row in zip(*(values[c] for c in columns), strict=True):
        writer.writerow(row)
        lines.append(buffer.getvalue()[:-1])
        buffer.seek(0)
        buffer.truncate()
    return lines


def counting_sql(town_codes: list[str] | None, approved_only: set[str]) -> tuple[str, list]:
    """The WHERE clause of the rows that count (``tidy.submissions_that_count``'s rule)."""
    where = ["frame = %s", "is_current", "review_state <> %s"]
    params: list = ["rejected"]
    if approved_only:
        marks = ", ".join(["%s"] * len(approved_only))
        where.append(f"(town_code NOT IN ({marks}) OR review_state = %s)")
        params += [*sorted(approved_only), "approved"]
    if town_codes is not None:
        if not town_codes:
            where.append("1 = 0")
        else:
            where.append(f"town_code IN ({', '.join(['%s'] * len(town_codes))})")
            params += town_codes
    return " AND ".join(where), params


def frame_read(
    name: str, schema, town_codes: list[str] | None, approved_only: set[str]
) -> pd.DataFrame:
    """The stored rows of frame ``name`` that count, as a frame of ``schema``."""
    data, rows = lines_fetch(name, town_codes, approved_only)
    if not rows:
        return schemas.empty(schema)
    # A stored text with a line break (quoted in its CSV line) needs the slower parser mode.
    table = csv_table(data, schema, breaks=data.count(b"\n") != rows or b"\r" in data)
    del data  # the text goes before the frame is built (a quarter GB at province scale)
    return table_frame(table, schema)


def lines_fetch(
    name: str, town_codes: list[str] | None, approved_only: set[str]
) -> tuple[bytes, int]:
    """The CSV lines of the rows that count, in submission order, as one UTF-8 text, each
    ended by a newline, and their number. PostgreSQL hands them out with one ``COPY … TO
    STDOUT``; elsewhere they are fetched and joined."""
    from django.db import connection

    from indicators.models import TidyRow

    where, params = counting_sql(town_codes, approved_only)
    sql = f'SELECT line FROM "{TidyRow._meta.db_table}" WHERE {where} ORDER BY submission_id, id'
    if connection.vendor == "postgresql":
        buffer = io.BytesIO()
        rows = 0
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY ({sql}) TO STDOUT", [name, *params]) as copy,
        ):
            for block in copy:
                buffer.write(block)
        data = buffer.getvalue()
        rows = data.count(b"\n")  # COPY escapes the line breaks inside a value
        return copy_unescape(data), rows
    with connection.cursor() as cursor:
        cursor.execute(sql, [name, *params])
        lines = [row[0] for row in cursor.fetchall()]
    return "".join(line + "\n" for line in lines).encode(), len(lines)


# COPY's text format escapes these with a backslash (and never writes octal or hex escapes).
_COPY_ESCAPES = {
    b"\\": b"\\",
    b"n": b"\n",
    b"r": b"\r",
    b"t": b"\t",
    b"b": b"\b",
    b"f": b"\f",
    b"v": b"\v",
}
_COPY_ESCAPE = re.compile(rb"\\(.)", re.DOTALL)


def copy_unescape(data: bytes) -> bytes:
    """COPY's text output back to the stored text."""
    if b"\\" not in data:
        return data
    return _COPY_ESCAPE.sub(lambda match: _COPY_ESCAPES[match.group(1)], data)


def _arrow_type(name: str, kind: str) -> pa.DataType:
    if kind.startswith("datetime64"):
        return pa.timestamp("ns")
    if kind in ("float64", "float"):
        return pa.float64()
    if kind in ("Int64", "int64", "int"):
        return pa.int64()
    if kind in ("boolean", "bool"):
        return pa.bool_()
    if name == "instance_id":
        return pa.string()  # one per submission: nothing to share
    # Other text columns as dictionaries: a million rows of "ok"/"fail" then share a few
    # string objects instead of holding a million each.
    return pa.dictionary(pa.int32(), pa.string())


def lines_parse(data: bytes, schema, *, breaks: bool = True) -> pd.DataFrame:
    """CSV lines written by ``lines_of`` (UTF-8, one row each ended by a newline, missing
    values empty) as a frame of ``schema``'s dtypes. ``breaks``: some quoted value holds a
    line break."""
    return table_frame(csv_table(data, schema, breaks=breaks), schema)


def csv_table(data: bytes, schema, *, breaks: bool) -> pa.Table:
    """pyarrow's CSV reader with the column types given (the rows were valid when stored, so
    no element-wise check is repeated). Floats are parsed with correct rounding, so they come
    back exactly as written (``repr``)."""
    kinds = {name: str(column.dtype) for name, column in schema.columns.items()}
    return pa_csv.read_csv(
        io.BytesIO(data),
        read_options=pa_csv.ReadOptions(column_names=list(kinds), block_size=1 << 24),
        parse_options=pa_csv.ParseOptions(newlines_in_values=breaks),
        convert_options=pa_csv.ConvertOptions(
            column_types={name: _arrow_type(name, kind) for name, kind in kinds.items()},
            null_values=[""],
            true_values=["True"],
            false_values=["False"],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )


def table_frame(table: pa.Table, schema, *, order: np.ndarray | None = None) -> pd.DataFrame:
    """The arrow table as a frame of ``schema``'s dtypes, each arrow column released once
    converted; with ``order``, the rows at those positions, in that order (each column
    taken as it is converted)."""
    columns = {}
    for name, column in schema.columns.items():
        kind = str(column.dtype)
        values = table.column(name)
        table = table.drop_columns([name])
        if isinstance(values.type, pa.DictionaryType):
            columns[name] = _dictionary_text(values, order)
            continue
        if order is not None:
            values = values.take(order)
        if kind == "Int64":
            columns[name] = values.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
        elif kind == "boolean":
            columns[name] = values.to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get)
        elif kind == "bool":
            columns[name] = values.fill_null(False).to_numpy()
        elif kind in ("int64", "int"):
            columns[name] = values.fill_null(0).to_numpy().astype(np.int64)
        elif pa.types.is_string(values.type):
            text = values.to_numpy(zero_copy_only=False)
            if values.null_count:
                text[pd.isna(text)] = None
            columns[name] = text
        else:
            columns[name] = values.to_pandas()
        del values
    return columns_frame(columns)


def _dictionary_text(values: pa.ChunkedArray, order: np.ndarray | None = None) -> np.ndarray:
    """A dictionary-encoded text column as an object array whose equal texts are one shared
    string object; None where missing. With ``order``, the rows at those positions."""
    if not values.num_chunks:
        return np.empty(0, dtype=object)
    values = values.unify_dictionaries()  # one dictionary for every chunk
    words = np.array([*values.chunks[0].dictionary.to_pylist(), None], dtype=object)
    codes = pa.chunked_array([chunk.indices for chunk in values.chunks]).fill_null(-1)
    codes = codes.to_numpy()
    if order is not None:
        codes = codes[order]
    return words[codes]  # -1 (missing) takes the None at the end
