"""Writes of indicators: seeding the targets and publishing computed results.

``indicators_publish`` runs the ETL (``etl.pipeline``) with the targets from the table and
replaces every stored snapshot in one transaction, so readers see either the old results or
the new ones, never a mix.
"""

import datetime as dt
import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from django.db import transaction
from django.utils import timezone

from etl import pipeline
from etl.indicators import INDICATORS, TOWN_CODE, period_parse, year_periods
from etl.targets import SEED_TARGETS
from indicators.models import IndicatorSnapshot, IndicatorTarget

# Where each seed target comes from (domain reference §1, district plan line numbers).
TARGET_SOURCES = {
    "SEWAGE_COVERAGE": "区规划：2025年农村生活污水治理自然村覆盖率≥90% [P:L167, L297, L389]",
    "FACILITY_OPERATION": "区规划：设施正常运行率100% [P:L51, L297, L389]",
    "BLACK_WATER_ELIMINATION": "区规划：农村黑臭水体全部完成整治 [P:L451, L309, L391]",
    "FILM_RECOVERY": "区规划：废旧农膜回收率≥90% [P:L471]",
    "STRAW_UTILIZATION": "区规划：秸秆综合利用率≥98% [P:L473]",
}
BATCH_SIZE = 2000


def indicator_targets_load() -> int:
    """Create the target rows that are missing, from ``etl.targets.SEED_TARGETS``.

    Existing rows are left alone (their targets may have been edited in the admin), so this
    is safe to run on every deployment. Returns the number of rows created.
    """
    created = 0
    for code, target in SEED_TARGETS.items():
        indicator = INDICATORS[code]
        _, was_created = IndicatorTarget.objects.get_or_create(
            code=code,
            defaults={
                "name_zh": indicator.name_zh,
                "name_en": indicator.name_en,
                "category_zh": indicator.category_zh,
                "unit": indicator.unit,
                "target": target,
                "deadline_year": 2025,
                "source_note": TARGET_SOURCES.get(code, ""),
            },
        )
        created += was_created
    return created


def indicator_targets() -> dict[str, float]:
    """Targets by code: the table's values, seeds for indicators not in the table."""
    stored = dict(IndicatorTarget.objects.values_list("code", "target"))
    return {**SEED_TARGETS, **stored}


def _number(value) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _basis_by_area(result: pipeline.RunResult) -> dict[tuple, list[list]]:
    """The basis rows of each (code, period, administrative village), compact:
    ``[id, natural village, numerator, denominator, category, source id]``. Only
    administrative-village snapshots store them (town and natural-village records are read
    from those, see ``selectors.snapshot_basis``); rows without a village go on the town's.
    """
    grouped: dict[tuple, list[list]] = defaultdict(list)
    basis = result.basis
    columns = ["code", "period", "record_id", "admin_village_code", "natural_village_code"]
    columns += ["numerator", "denominator", "category", "source_id"]
    for row in basis[columns].itertuples(index=False):
        admin = _text(row.admin_village_code)
        key = (
            (row.code, row.period, "admin_village", admin)
            if admin
            else (
                row.code,
                row.period,
                "town",
                TOWN_CODE,
            )
        )
        grouped[key].append(
            [
                str(row.record_id),
                _text(row.natural_village_code),
                _number(row.numerator) or 0.0,
                _number(row.denominator) or 0.0,
                _text(row.category),
                _text(row.source_id),
            ]
        )
    return grouped


def _snapshot_contents(result: pipeline.RunResult) -> list[tuple[tuple, dict, str]]:
    """Each result row as (key, snapshot fields, content hash)."""
    registry = result.registry
    names = dict(zip(registry.admin_villages["code"], registry.admin_villages["name"], strict=True))
    villages = registry.natural_villages
    names.update(zip(villages["code"], villages["name"], strict=True))
    admin_of = dict(zip(villages["code"], villages["admin_village_code"], strict=True))
    basis = _basis_by_area(result)
    contents = []
    for row in result.results.itertuples(index=False):
        if row.level == "admin_village":
            admin = row.area_code
        elif row.level == "natural_village":
            admin = admin_of.get(row.area_code, row.area_code[:12])
        else:
            admin = ""
        met = None if _number(row.met) is None and row.met is not False else bool(row.met)
        town = row.area_code if row.level == "town" else (admin or row.area_code)[:9]
        content = dict(
            code=row.code,
            name_zh=row.name_zh,
            name_en=row.name_en,
            unit=row.unit,
            level=row.level,
            area_code=row.area_code,
            area_name=names.get(row.area_code, ""),
            admin_village_code=admin,
            town_code=town,
            period=row.period,
            value=_number(row.value),
            numerator=float(row.numerator),
            denominator=float(row.denominator),
            target=_number(row.target),
            met=met,
            record_count=len(row.records),
            records=list(row.records),
            basis=basis.get((row.code, row.period, row.level, row.area_code), []),
            details=row.details,
        )
        # repr is deterministic for these plain values and several times cheaper than JSON.
        digest = hashlib.md5(repr(sorted(content.items())).encode()).hexdigest()
        key = (row.code, row.level, row.area_code, row.period)
        contents.append((key, content, digest))
    return contents


def indicator_snapshots_store(
    *,
    result: pipeline.RunResult,
    periods: Iterable[str] | None = None,
    towns: Iterable[str] | None = None,
) -> int:
    """Replace the stored snapshots with ``result``'s rows, atomically: all of them, or only
    those of ``periods`` (the periods ``result`` was computed for) and of ``towns`` (the
    towns it was computed for). Only rows whose content changed are written. Returns the
    count of rows ``result`` holds."""
    now = timezone.now()
    contents = _snapshot_contents(result)
    if periods is not None:
        wanted = set(periods)
        contents = [c for c in contents if c[0][3] in wanted]
    with transaction.atomic():
        stored = IndicatorSnapshot.objects.all()
        if periods is not None:
            stored = stored.filter(period__in=list(periods))
        if towns is not None:
            stored = stored.filter(town_code__in=sorted(set(towns)))
        # Rows that did not change keep their row (only the cut-off is updated); the others
        # are replaced. Readers see the old or the new set, never a mix.
        existing = {
            (code, level, area, period): (pk, digest)
            for pk, code, level, area, period, digest in stored.values_list(
                "pk", "code", "level", "area_code", "period", "content_hash"
            ).iterator(chunk_size=10000)
        }
        fresh = []
        for key, content, digest in contents:
            pk, stored_digest = existing.pop(key, (None, None))
            if stored_digest != digest:
                fresh.append(
                    IndicatorSnapshot(
                        **content, content_hash=digest, as_of=result.as_of, computed_at=now
                    )
                )
                if pk is not None:
                    existing[key] = (pk, None)  # delete the old version
        stale = [pk for pk, _ in existing.values()]
        for start in range(0, len(stale), BATCH_SIZE):
            IndicatorSnapshot.objects.filter(pk__in=stale[start : start + BATCH_SIZE]).delete()
        IndicatorSnapshot.objects.bulk_create(fresh, batch_size=BATCH_SIZE)
        stored.exclude(as_of=result.as_of).update(as_of=result.as_of)
    return len(contents)


@dataclass(frozen=True)
class PublishSummary:
    as_of: dt.date
    snapshots: int
    data_quality_issues: int
    town_values: dict[str, float | None]


TOWNS_PER_CHUNK = 25  # towns computed and stored together by a publish of many towns


def indicators_publish(
    *,
    as_of: dt.date,
    first_year: int = pipeline.FIRST_YEAR,
    years: Iterable[int] | None = None,
    progress: bool = False,
    towns: Iterable[str] | None = None,
    since: dt.date | None = None,
    refresh: bool = True,
) -> PublishSummary:
    """Recompute every indicator from the database up to ``as_of`` with the table's targets
    and store the results, replacing the previous ones: every period from ``first_year``,
    or only the periods of ``years`` (a quicker partial publish; other periods keep their
    stored values); every town, or only ``towns``; with ``since``, only the periods that end
    on or after it. ``refresh=False``: the caller has just refreshed the tidy store (a
    second refresh could tidy other towns' new submissions, which no one would publish).

    Towns are computed and stored ``TOWNS_PER_CHUNK`` at a time, so memory stays bounded at
    province scale (one town's values never depend on another's)."""
    from registry.models import Town

    if years is None:
        periods = pipeline.periods_until(as_of, first_year)
    else:
        periods = [p for year in sorted(set(years)) for p in year_periods(year)]
    if since is not None:
        # Stocks carry a change forward, flows count it in the periods holding it: either
        # way only periods ending on or after the earliest changed date can change.
        periods = [p for p in periods if period_parse(p).end.date() >= since]
    targets = indicator_targets()
    everything = towns is None
    codes = sorted(Town.objects.values_list("code", flat=True)) if everything else sorted(towns)
    chunks = [codes[i : i + TOWNS_PER_CHUNK] for i in range(0, len(codes), TOWNS_PER_CHUNK)]
    count = issues = 0
    town_values: dict[str, float | None] = {}
    if not chunks:  # no town registered: one run over whatever there is
        chunks = [None]
    for chunk in chunks:
        result = pipeline.database_compute(
            as_of=as_of,
            periods=periods,
            targets=targets,
            progress=progress and len(chunks) == 1,
            town_codes=chunk,
            refresh=refresh,
        )
        count += indicator_snapshots_store(
            result=result,
            periods=None if years is None and since is None else periods,
            towns=chunk,
        )
        issues += len(result.tables.data_quality)
        if not town_values:
            town_values = _town_values(result, as_of)
    if everything and chunks != [None]:
        # Towns no longer registered lose their rows.
        gone = IndicatorSnapshot.objects.exclude(town_code__in=codes)
        if years is not None:
            gone = gone.filter(period__in=periods)
        gone.delete()
    return PublishSummary(
        as_of=as_of, snapshots=count, data_quality_issues=issues, town_values=town_values
    )


def _town_values(result: pipeline.RunResult, as_of: dt.date) -> dict[str, float | None]:
    """The first town's values of the cut-off's year (what the command line prints)."""
    rows = pd.concat([o.table for o in result.outputs.values()], ignore_index=True)
    town = rows.loc[(rows["level"] == "town") & (rows["period"] == str(as_of.year))]
    if town.empty:
        return {}
    first = town["area_code"].min()
    town = town.loc[town["area_code"] == first]
    return {row.code: _number(row.value) for row in town.itertuples()}


def indicators_publish_changes(
    *, as_of: dt.date, first_year: int = pipeline.FIRST_YEAR
) -> PublishSummary | None:
    """The incremental publish: tidy what arrived since the last call (``etl.store``) and
    recompute and store only the towns whose data changed, for the year of ``as_of``.
    ``None`` when nothing changed; everything after a rebuild of the tidy store."""
    from etl import store

    changes = store.refresh(build_blocks=False)  # the changed towns read their lines
    if changes.rebuilt:  # new rules or judgement limits: the registry's states follow too
        from registry.services import registry_state_recompute

        registry_state_recompute(everything=True)
        return indicators_publish(as_of=as_of, first_year=first_year)
    if not changes.towns:
        store.blocks_build()  # an idle pass: the blocks emptied by earlier changes
        return None
    # A review decision (date unknown here) or a late record of an earlier year: the whole
    # current year; the quiet full publish of --watch takes care of the earlier years.
    since = changes.since
    if changes.all_periods or since is None or since.year != as_of.year:
        since = None
    return indicators_publish(
        as_of=as_of, years=[as_of.year], towns=changes.towns, since=since, refresh=False
    )
