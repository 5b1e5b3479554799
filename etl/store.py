"""The tidy store: every submission's tidy rows, kept in the server database.

Parsing a million submissions' answers takes longer than any indicator (PostgreSQL alone
needs ~17 s to hand out a million answers JSON documents), so ``etl.tidy`` runs once per
submission and its output is kept in ``indicators.TidyRow``: one row per row of a tidy table
(``inspections``, ``inspection_faults`` ... and the ``data_quality`` report), the row as a
CSV line in its schema's columns, with the submission's town, whether it is the current
version and its review state.

- ``refresh()`` tidies the submissions that arrived since the last call (by id), marks the
  versions an edit replaced as not current and copies review decisions made since; it
  returns the towns whose data changed. A change of the tidy rules (``RULES_VERSION``), of
  the data dictionary or of a judgement limit (判定阈值) rebuilds everything.
- ``tables_read(town_codes)`` reads the rows that count (current, not rejected, approved
  where the town counts approved submissions only) back into ``tidy.TidyTables``, exactly
  as ``tidy.tidy_submissions`` returned them.

Which submissions count is decided at read time, so a review decision or a town's counting
rule takes effect without tidying anything again.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from etl import extract, indicators, schemas, tidy
from etl.judgements import Judgements

# Bump when etl.tidy changes what it produces for the same answers: the store is rebuilt.
RULES_VERSION = "1"
BATCH = 5000
FRAMES: dict[str, object] = {**tidy.FRAME_SCHEMAS, "data_quality": schemas.DATA_QUALITY_ISSUES}
FRAME_FORMS = {
    **{spec.frame: spec.form_id for spec in tidy.FORM_SPECS.values()},
    **{
        frame: spec.form_id
        for spec in tidy.FORM_SPECS.values()
        for frame, _ in spec.repeats.values()
    },
}


@dataclass
class Changes:
    """What ``refresh`` did: submissions tidied, towns whose rows changed, full rebuild."""

    tidied: int = 0
    towns: set[str] = field(default_factory=set)
    rebuilt: bool = False
    since: dt.date | None = None  # the earliest date of a record tidied
    all_periods: bool = False  # a change whose date is not known (a review decision)

    def dated(self, day: dt.date | None) -> None:
        if day is not None and (self.since is None or day < self.since):
            self.since = day


def rules_version(judgements: Judgements) -> str:
    """What the stored rows were tidied by: the rules, the data dictionary and the judgement
    limits (the 判定阈值 table), so editing a limit re-tidies every submission."""
    digest = hashlib.md5(RULES_VERSION.encode())
    digest.update(extract.DICTIONARY_CSV.read_bytes())
    if judgements != Judgements.of():  # the seed limits keep the version stores have
        digest.update(judgements.fingerprint().encode())
    return digest.hexdigest()[:16]


def judgements_read() -> Judgements:
    """The server's judgement limits (``indicators.JudgementThreshold``)."""
    from indicators.thresholds import judgement_thresholds

    return Judgements.of(judgement_thresholds())


@functools.cache
def _dictionary(version: str) -> pd.DataFrame:
    return extract.data_dictionary_read()


def refresh(*, progress: Callable[[int, int], None] | None = None) -> Changes:
    """Bring the tidy rows up to date with the submissions (see the module). Works in
    batches of ``BATCH`` submissions, each in its own transaction with the watermark, so an
    interrupted rebuild resumes where it stopped; concurrent callers wait for each other."""
    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from collect.models import Submission
    from indicators.models import TidyRow, TidyStoreState
    from review.models import Review

    changes = Changes()
    judgements = judgements_read()
    version = rules_version(judgements)
    with transaction.atomic():
        state, _ = TidyStoreState.objects.select_for_update().get_or_create(
            pk=1, defaults={"version": version}
        )
        if state.version != version:
            TidyRow.objects.all().delete()
            state.version, state.last_submission_id, state.last_review_at = version, 0, None
            state.save()
            changes.rebuilt = True
        start = state.last_submission_id
        fresh = state.last_review_at is None
    began = timezone.now()  # rows tidied from here on read the review state of now or later
    top = Submission.objects.aggregate(top=Max("pk"))["top"] or 0
    total = Submission.objects.filter(pk__gt=start, pk__lte=top).count() if top > start else 0
    while True:
        with transaction.atomic():
            state = TidyStoreState.objects.select_for_update().get(pk=1)
            ids = list(
                Submission.objects.filter(pk__gt=state.last_submission_id, pk__lte=top)
                .order_by("pk")
                .values_list("pk", flat=True)[:BATCH]
            )
            if not ids:
                break
            towns, earliest = _tidy_batch(ids, judgements)
            changes.towns |= towns
            changes.dated(earliest)
            # An edit makes the version it replaces non-current.
            replaced = Submission.objects.filter(pk__in=ids, replaces__isnull=False).values(
                "replaces_id"
            )
            TidyRow.objects.filter(submission_id__in=replaced, is_current=True).update(
                is_current=False
            )
            state.last_submission_id = ids[-1]
            state.save(update_fields=["last_submission_id", "updated_at"])
        changes.tidied += len(ids)
        if progress:
            progress(changes.tidied, total)
    with transaction.atomic():
        state = TidyStoreState.objects.select_for_update().get(pk=1)
        if fresh:
            # Every row was tidied just now with the review state of its submission.
            state.last_review_at = began
            state.save(update_fields=["last_review_at", "updated_at"])
            return changes
        # Submissions tidied in this call were read with their current review state.
        # One read of the decisions (no index on changed_at: each query scans the reviews).
        reviews = list(
            Review.objects.filter(
                submission_id__lte=start, changed_at__gt=state.last_review_at
            ).values_list("submission_id", "state", "changed_at")
        )
        if reviews:
            latest = max(changed_at for _, _, changed_at in reviews)
            decided = {pk: review_state for pk, review_state, _ in reviews}
            rows = TidyRow.objects.filter(submission_id__in=list(decided))
            changes.towns |= set(rows.values_list("town_code", flat=True).distinct())
            changes.all_periods = True
            for review_state in set(decided.values()):
                ids = [pk for pk, s in decided.items() if s == review_state]
                for chunk in range(0, len(ids), BATCH):
                    TidyRow.objects.filter(submission_id__in=ids[chunk : chunk + BATCH]).exclude(
                        review_state=review_state
                    ).update(review_state=review_state)
            state.last_review_at = max(latest, state.last_review_at or latest)
            state.save(update_fields=["last_review_at", "updated_at"])
    return changes


def _tidy_batch(ids: list[int], judgements: Judgements) -> tuple[set[str], dt.date | None]:
    """Tidy the submissions ``ids`` and store their rows; the towns they belong to and the
    earliest date an indicator reads from them."""
    from collect.models import Submission
    from review.models import Review

    # A range on the primary key, no ordering: the batch is read by one index scan.
    rows = list(
        Submission.objects.filter(pk__gte=ids[0], pk__lte=ids[-1])
        .order_by()
        .values_list(
            "pk",
            "instance_id",
            "answers",
            "is_current",
            "form__form_id",
            "form_version__version",
            "received_at",
            "submitted_by__username",
            "admin_village__town__code",
            "submitted_by__town__code",
        )
    )
    states = dict(
        Review.objects.filter(submission_id__gte=ids[0], submission_id__lte=ids[-1])
        .order_by()
        .values_list("submission_id", "state")
    )
    rows = [(*row[:8], states.get(row[0]), *row[8:]) for row in rows]
    frame = pd.DataFrame(
        rows,
        columns=[
            "pk",
            "instance_id",
            "answers",
            "is_current",
            "form_id",
            "form_version",
            "submitted_at",
            "submitter",
            "state",
            "village_town",
            "submitter_town",
        ],
    )
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True).dt.tz_localize(None)
    frame["town"] = (
        frame["village_town"]
        .where(frame["village_town"].notna(), frame["submitter_town"])
        .fillna("")
    )
    # Tidy every version as if it counted; what counts is decided when reading.
    raw = frame.assign(is_current=True, review_state=None, approved_only=False)
    tables = tidy.tidy_submissions(raw, _dictionary(rules_version(judgements)), judgements)
    key = {
        (form_id, instance_id): (pk, town, current, state or "")
        for pk, instance_id, form_id, town, current, state in zip(
            frame["pk"],
            frame["instance_id"],
            frame["form_id"],
            frame["town"],
            frame["is_current"],
            frame["state"],
            strict=True,
        )
    }
    stored = []
    for name, schema in FRAMES.items():
        table = getattr(tables, name)
        if table.empty:
            continue
        forms = table["form_id"] if name == "data_quality" else [FRAME_FORMS[name]] * len(table)
        for form_id, instance_id, line in zip(
            forms, table["instance_id"], _lines(table, list(schema.columns)), strict=True
        ):
            pk, town, current, state = key[(form_id, instance_id)]
            stored.append((pk, name, town, bool(current), state, line))
    _rows_write(stored)
    return set(frame["town"]), _earliest(tables)


def _earliest(tables: tidy.TidyTables) -> dt.date | None:
    """The earliest record date among the tables (inspection, survey and visit dates, film
    reporting-period ends, straw harvest years)."""
    dates = [
        tables.inspections["recorded_on"].min(),
        tables.coverage_surveys["recorded_on"].min(),
        tables.water_observations["recorded_on"].min(),
        tables.film_records["period_end"].min(),
    ]
    if not tables.straw_records.empty:
        dates.append(pd.Timestamp(int(tables.straw_records["survey_year"].min()), 1, 1))
    dates = [d for d in dates if pd.notna(d)]
    return min(dates).date() if dates else None


def _lines(table: pd.DataFrame, columns: list[str]) -> list[str]:
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


def _rows_write(rows: list[tuple]) -> None:
    from django.db import connection

    from indicators.models import TidyRow

    if not rows:
        return
    if connection.vendor == "postgresql":
        table = TidyRow._meta.db_table
        columns = "submission_id, frame, town_code, is_current, review_state, line"
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    TidyRow.objects.bulk_create(
        [
            TidyRow(
                submission_id=pk,
                frame=frame,
                town_code=town,
                is_current=current,
                review_state=state,
                line=line,
            )
            for pk, frame, town, current, state, line in rows
        ],
        batch_size=1000,
    )


# --------------------------------------------------------------------------- reading


def tables_read(town_codes: Iterable[str] | None = None) -> tidy.TidyTables:
    """The stored tidy rows that count, as ``tidy.TidyTables`` (of ``town_codes`` only when
    given)."""
    from review.models import CountingRule, ReviewPolicy

    approved_only = set(
        ReviewPolicy.objects.filter(counting=CountingRule.APPROVED_ONLY).values_list(
            "town__code", flat=True
        )
    )
    towns = None if town_codes is None else sorted(set(town_codes))
    if towns is not None and indicators.TOWN_CODE in towns:
        towns.append("")  # rows of no known town count for the default town, as in _aggregate
    frames = {
        name: frame_read(name, schema, towns, approved_only) for name, schema in FRAMES.items()
    }
    return tidy.TidyTables(**frames)


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
    data, rows = _lines_fetch(name, town_codes, approved_only)
    if not rows:
        return schemas.empty(schema)
    # A stored text with a line break (quoted in its CSV line) needs the slower parser mode.
    table = _csv_table(data, schema, breaks=data.count(b"\n") != rows or b"\r" in data)
    del data  # the text goes before the frame is built (a quarter GB at province scale)
    return _table_frame(table, schema)


def _lines_fetch(
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
        return _copy_unescape(data), rows
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


def _copy_unescape(data: bytes) -> bytes:
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
    """CSV lines written by ``_lines`` (UTF-8, one row each ended by a newline, missing
    values empty) as a frame of ``schema``'s dtypes. ``breaks``: some quoted value holds a
    line break."""
    return _table_frame(_csv_table(data, schema, breaks=breaks), schema)


def _csv_table(data: bytes, schema, *, breaks: bool) -> pa.Table:
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


def _table_frame(table: pa.Table, schema) -> pd.DataFrame:
    """The arrow table as a frame of ``schema``'s dtypes, each arrow column released once
    converted."""
    columns = {}
    for name, column in schema.columns.items():
        kind = str(column.dtype)
        values = table.column(name)
        table = table.drop_columns([name])
        if kind == "Int64":
            columns[name] = values.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
        elif kind == "boolean":
            columns[name] = values.to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get)
        elif kind == "bool":
            columns[name] = values.fill_null(False).to_numpy()
        elif kind in ("int64", "int"):
            columns[name] = values.fill_null(0).to_numpy().astype(np.int64)
        elif isinstance(values.type, pa.DictionaryType):
            columns[name] = _dictionary_text(values)
        elif pa.types.is_string(values.type):
            text = values.to_numpy(zero_copy_only=False)
            if values.null_count:
                text[pd.isna(text)] = None
            columns[name] = text
        else:
            columns[name] = values.to_pandas()
        del values
    return pd.DataFrame(columns)


def _dictionary_text(values: pa.ChunkedArray) -> np.ndarray:
    """A dictionary-encoded text column as an object array whose equal texts are one shared
    string object; None where missing."""
    if not values.num_chunks:
        return np.empty(0, dtype=object)
    values = values.unify_dictionaries()  # one dictionary for every chunk
    words = np.array([*values.chunks[0].dictionary.to_pylist(), None], dtype=object)
    codes = pa.chunked_array([chunk.indices for chunk in values.chunks]).fill_null(-1)
    return words[codes.to_numpy()]  # -1 (missing) takes the None at the end


def store_size() -> int:
    from indicators.models import TidyRow

    return TidyRow.objects.count()


def today() -> dt.date:  # pragma: no cover - the one clock read, for callers
    return dt.date.today()
