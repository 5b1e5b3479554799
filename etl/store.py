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
  as ``tidy.tidy_submissions`` returned them: from the rows parsed once into a block of
  typed columns per table and town (``etl.store_blocks``, rebuilt by ``refresh`` where rows
  changed), or from the CSV lines themselves (``etl.store_lines``) before the first build.

Which submissions count is decided at read time, so a review decision or a town's counting
rule takes effect without tidying anything again.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from etl import extract, indicators, schemas, store_blocks, store_lines, tidy
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


def refresh(
    *, progress: Callable[[int, int], None] | None = None, build_blocks: bool = True
) -> Changes:
    """Bring the tidy rows up to date with the submissions (see the module). Works in
    batches of ``BATCH`` submissions, each in its own transaction with the watermark, so an
    interrupted rebuild resumes where it stopped; concurrent callers wait for each other.

    ``build_blocks``: rebuild the column blocks emptied by the changes (``blocks_build``).
    An incremental publish leaves that out: its few towns read their rows from the lines
    as fast, and the blocks are built by the next full read or the publisher's idle pass."""
    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from collect.models import Submission
    from indicators.models import TidyBlock, TidyRow, TidyStoreState

    changes = Changes()
    judgements = judgements_read()
    version = rules_version(judgements)
    with transaction.atomic():
        state, _ = TidyStoreState.objects.select_for_update().get_or_create(
            pk=1, defaults={"version": version}
        )
        if state.version != version:
            TidyRow.objects.all().delete()
            TidyBlock.objects.all().delete()
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
            replaced_rows = TidyRow.objects.filter(submission_id__in=replaced, is_current=True)
            store_blocks.stale_mark_rows(replaced_rows)
            replaced_rows.update(is_current=False)
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
        else:
            _reviews_follow(state, start, changes)
    if build_blocks:
        blocks_build()
    return changes


def blocks_build() -> int:
    """Rebuild the column blocks emptied since they were built (``etl.store_blocks``);
    returns how many were built."""
    from django.db import transaction

    from indicators.models import TidyStoreState

    with transaction.atomic():
        TidyStoreState.objects.select_for_update().get_or_create(pk=1)
        return store_blocks.build(FRAMES)


def _reviews_follow(state, start: int, changes: Changes) -> None:
    """Copy the review decisions made since the last call onto the rows tidied before
    (submissions tidied in this call were read with their current review state)."""
    from indicators.models import TidyRow
    from review.models import Review

    # One read of the decisions (no index on changed_at: each query scans the reviews).
    reviews = list(
        Review.objects.filter(
            submission_id__lte=start, changed_at__gt=state.last_review_at
        ).values_list("submission_id", "state", "changed_at")
    )
    if not reviews:
        return
    latest = max(changed_at for _, _, changed_at in reviews)
    decided = {pk: review_state for pk, review_state, _ in reviews}
    # Only rows whose state changes count as changes (the decisions of submissions tidied
    # in the previous call were read with them, and are found here once more).
    changed: set[tuple[str, str]] = set()
    for review_state in set(decided.values()):
        ids = [pk for pk, s in decided.items() if s == review_state]
        for chunk in range(0, len(ids), BATCH):
            changing = TidyRow.objects.filter(submission_id__in=ids[chunk : chunk + BATCH]).exclude(
                review_state=review_state
            )
            pairs = set(changing.order_by().values_list("frame", "town_code").distinct())
            if pairs:
                store_blocks.stale_mark(pairs)
                changing.update(review_state=review_state)
                changed |= pairs
    if changed:
        changes.towns |= {town for _, town in changed}
        changes.all_periods = True
    state.last_review_at = max(latest, state.last_review_at or latest)
    state.save(update_fields=["last_review_at", "updated_at"])


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
            forms,
            table["instance_id"],
            store_lines.lines_of(table, list(schema.columns)),
            strict=True,
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


def _rows_write(rows: list[tuple]) -> None:
    from django.db import connection

    from indicators.models import TidyRow

    if not rows:
        return
    store_blocks.stale_mark((frame, town) for _, frame, town, *_ in rows)
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
    return tables_fetch(town_codes)()


def tables_fetch(town_codes: Iterable[str] | None = None) -> Callable[[], tidy.TidyTables]:
    """``tables_read`` in two steps: read the stored rows (this call), then build the tables
    from them (the function returned, which touches no database when the blocks are used:
    ``pipeline.database_compute`` runs it in a thread while it reads the registry)."""
    from review.models import CountingRule, ReviewPolicy

    approved_only = set(
        ReviewPolicy.objects.filter(counting=CountingRule.APPROVED_ONLY).values_list(
            "town__code", flat=True
        )
    )
    towns = None if town_codes is None else sorted(set(town_codes))
    if towns is not None and indicators.TOWN_CODE in towns:
        towns.append("")  # rows of no known town count for the default town, as in _aggregate
    if not store_blocks.usable():  # before the first build: the lines, parsed as they come
        frames = {
            name: store_lines.frame_read(name, schema, towns, approved_only)
            for name, schema in FRAMES.items()
        }
        return lambda: tidy.TidyTables(**frames)
    fetched = {
        name: store_blocks.frame_fetch(name, schema, towns, approved_only)
        for name, schema in FRAMES.items()
    }

    def tables() -> tidy.TidyTables:
        frames = {}
        for name in list(fetched):
            frames[name] = fetched.pop(name)()  # each table's blocks released once built
        return tidy.TidyTables(**frames)

    return tables


def store_size() -> int:
    from indicators.models import TidyRow

    return TidyRow.objects.count()


def today() -> dt.date:  # pragma: no cover - the one clock read, for callers
    return dt.date.today()
