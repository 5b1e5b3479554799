"""The ETL steps in order: extract -> tidy -> indicators -> snapshots and workbooks.

``compute`` is the pure middle (DataFrames in, DataFrames out) that tests and the server can
call directly; ``run`` and ``export`` add the reading and writing around it. No pandas logic
lives here.
"""

import contextlib
import datetime as dt
import json
import warnings
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
from tqdm import tqdm

from etl import extract, indicators, ledgers, memory, raw_exports, tidy, workbooks
from etl.extract import Registry
from etl.judgements import Judgements

FIRST_YEAR = 2020  # the plan's baseline year
SNAPSHOT_DIR = extract.REPO_DIR / "var" / "etl"


@dataclass(frozen=True)
class RunResult:
    as_of: dt.date
    registry: Registry
    tables: tidy.TidyTables
    outputs: dict[str, indicators.IndicatorOutput]

    @property
    def results(self) -> pd.DataFrame:
        return _stacked([o.results for o in self.outputs.values()])

    @property
    def basis(self) -> pd.DataFrame:
        return _stacked([o.basis for o in self.outputs.values()])


def _stacked(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The frames one under another; empty ones left out, one kept when all are empty.

    pandas chooses a column's dtype without the frames in which it is all missing, and
    deprecates that (a FutureWarning; later versions will count them). Such a column is
    given beforehand the dtype pandas chooses now (``_missing_typed``), so the result is the
    same with this pandas and the next, and nothing warns."""
    filled = [frame for frame in frames if not frame.empty] or frames[:1]
    return pd.concat(_missing_typed(filled), ignore_index=True)


def _missing_typed(frames: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """``frames`` with each column that is all missing in a frame, where pandas would leave
    that frame out of choosing its dtype (e.g. an all-missing categorical of other
    categories beside categoricals that agree), turned into missing values of the dtype
    pandas chooses from the others."""
    holders: dict[str, list[int]] = {}
    for n, frame in enumerate(frames):
        for name in frame.columns:
            holders.setdefault(name, []).append(n)
    out = list(frames)
    for name, found in holders.items():
        if len(found) < 2 or len({frames[n][name].dtype for n in found}) < 2:
            continue
        missing = [n for n in found if frames[n][name].isna().all()]
        if not missing or len(missing) == len(found):
            continue
        kind = _excluding_dtype(frames, name, found, missing)
        if kind is None:
            continue
        for n in missing:
            if out[n][name].dtype != kind:
                # No missing value of that dtype (it cannot be cast): left as it was.
                with contextlib.suppress(TypeError, ValueError):
                    out[n] = out[n].assign(**{name: _missing_as(out[n][name], kind)})
    return out


def _excluding_dtype(frames, name: str, found: list[int], missing: list[int]):
    """The dtype pandas gives column ``name`` while leaving out its all-missing frames,
    found on one row of each frame (a value where it has one); None where pandas counts
    every frame anyway (it does not warn)."""
    samples = []
    for n in found:
        values = frames[n][name]
        if n not in missing:
            values = values.loc[values.notna()]
        samples.append(values.iloc[:1].reset_index(drop=True).to_frame())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", FutureWarning)
        kind = pd.concat(samples, ignore_index=True)[name].dtype
    if not any(issubclass(w.category, FutureWarning) for w in caught):
        return None
    return kind


def _missing_as(values: pd.Series, kind) -> pd.Series:
    """Missing values of dtype ``kind`` in place of ``values`` (all missing)."""
    if kind == np.dtype(object):
        return values.astype(object)
    return pd.Series(np.nan, index=values.index).astype(kind)


def compute(
    *,
    raw: pd.DataFrame,
    dictionary: pd.DataFrame,
    registry: Registry,
    periods: Iterable[str],
    targets: pd.DataFrame | Mapping[str, float],
    as_of: dt.date,
    judgements: Judgements | None = None,
) -> RunResult:
    """Tidy the raw submissions (readings judged by ``judgements``, the seed limits when not
    given), check them against the registry and compute every indicator for ``periods``."""
    return tables_compute(
        tables=tidy.tidy_submissions(raw, dictionary, judgements),
        registry=registry,
        periods=periods,
        targets=targets,
        as_of=as_of,
    )


def tables_compute(
    *,
    tables: tidy.TidyTables,
    registry: Registry,
    periods: Iterable[str],
    targets: pd.DataFrame | Mapping[str, float],
    as_of: dt.date,
    progress: Callable[[str], None] | None = None,
) -> RunResult:
    """Check tidy tables against the registry and compute every indicator for ``periods``;
    ``progress`` is called with each indicator's code once it is done."""
    tables = tidy.registry_check(
        tables,
        natural_villages=registry.natural_villages,
        facilities=registry.facilities,
        water_bodies=registry.water_bodies,
        admin_villages=registry.admin_villages,
    )
    outputs = indicators.all_indicators(
        natural_villages=registry.natural_villages,
        facilities=registry.facilities,
        water_bodies=registry.water_bodies,
        tables=tables,
        periods=periods,
        targets=targets,
        as_of=as_of,
        town_codes=registry.town_codes,
        progress=progress,
    )
    return RunResult(as_of=as_of, registry=registry, tables=tables, outputs=outputs)


def periods_until(as_of: dt.date, first_year: int = FIRST_YEAR) -> list[str]:
    """Every year, quarter and month from ``first_year`` to the year of ``as_of``."""
    return [p for year in range(first_year, as_of.year + 1) for p in indicators.year_periods(year)]


def database_compute(
    *,
    as_of: dt.date,
    periods: Iterable[str],
    targets: pd.DataFrame | Mapping[str, float],
    progress: bool = False,
    town_codes: Iterable[str] | None = None,
    refresh: bool = True,
) -> RunResult:
    """Bring the tidy store up to date (``etl.store.refresh``; not with ``refresh=False``,
    when the caller just did), read its rows that count and the registry (of ``town_codes``
    only when given) and compute every indicator (numpy's arrays on ordinary pages:
    ``etl.memory.small_pages``)."""
    with memory.small_pages():
        return _database_compute(
            as_of=as_of,
            periods=periods,
            targets=targets,
            progress=progress,
            town_codes=town_codes,
            refresh=refresh,
        )


def _database_compute(
    *,
    as_of: dt.date,
    periods: Iterable[str],
    targets: pd.DataFrame | Mapping[str, float],
    progress: bool,
    town_codes: Iterable[str] | None,
    refresh: bool,
) -> RunResult:
    extract.django_setup()
    from etl import store

    steps = tqdm(
        total=3 + len(indicators.INDICATORS), desc="etl", unit="step", disable=not progress
    )
    steps.set_postfix_str("整理新提交")
    batches = None

    def tidied(done: int, total: int) -> None:
        nonlocal batches
        if batches is None and progress:
            batches = tqdm(total=total, desc="整理提交", unit="份", leave=False)
        if batches is not None:
            batches.update(done - batches.n)

    # Only a read of every town builds the column blocks emptied by changes (a few towns
    # read the rows of theirs from the lines as fast).
    if refresh:
        store.refresh(progress=tidied, build_blocks=town_codes is None)
    if batches is not None:
        batches.close()
    steps.update()
    towns = None if town_codes is None else sorted(set(town_codes))
    steps.set_postfix_str("读取整理后数据")
    tables_build = store.tables_fetch(towns)
    # Building the tables from what was read needs no database and mostly runs in pyarrow
    # without the GIL: the other core does it while this thread reads the registry.
    with ThreadPoolExecutor(max_workers=1) as pool:
        tables_built = pool.submit(tables_build)
        del tables_build
        steps.set_postfix_str("读取名录")
        registry = extract.registry_read(town_codes=towns)
        tables = tables_built.result()
    memory.release()  # the blocks and their decoding: ~0.2 GB of freed pages (etl.memory)
    steps.update(2)

    def computed(code: str) -> None:
        steps.set_postfix_str(code)
        steps.update()

    result = tables_compute(
        tables=tables,
        registry=registry,
        periods=periods,
        targets=targets,
        as_of=as_of,
        progress=computed,
    )
    steps.close()
    return result


def run(
    *,
    as_of: dt.date,
    out_dir: Path = SNAPSHOT_DIR,
    first_year: int = FIRST_YEAR,
    targets: Mapping[str, float] | None = None,
    progress: bool = True,
) -> RunResult:
    """Read the database, compute everything up to ``as_of``, store the results in the
    server's snapshot table (what the indicator API serves) and write the snapshot files
    (overwritten each time, so running twice gives the same files and rows).

    ``targets`` default to the server's target table (``indicators.IndicatorTarget``).
    """
    extract.django_setup()
    from indicators.services import indicator_snapshots_store, indicator_targets

    result = database_compute(
        as_of=as_of,
        periods=periods_until(as_of, first_year),
        targets=indicator_targets() if targets is None else targets,
        progress=progress,
    )
    indicator_snapshots_store(result=result)
    snapshot_write(result, out_dir)
    return result


def snapshot_write(result: RunResult, out_dir: Path) -> list[Path]:
    """Results, their basis and the data-quality report as CSV files in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    results = result.results.assign(
        records=lambda r: r["records"].map(json.dumps),
        details=lambda r: r["details"].map(lambda d: json.dumps(d, ensure_ascii=False)),
    )
    files = {
        "indicator_results.csv": results,
        "indicator_basis.csv": result.basis,
        "data_quality.csv": result.tables.data_quality,
    }
    for name, frame in files.items():
        frame.to_csv(out_dir / name, index=False, encoding="utf-8")
    return [out_dir / name for name in files]


def workbook_periods(year: int) -> list[str]:
    """The periods the annual workbook shows: the year only (its summary and indicator sheets
    are the year's values; the ledgers read the tidy tables). Each period is computed on its
    own, so leaving out the quarters and months changes none of the year's values."""
    return [str(year)]


def workbook_write(
    result: RunResult, *, year: int, out: Path | object, generated_at: dt.datetime
) -> None:
    """The annual workbook of ``year`` from a computed run (its periods must include it)."""
    cutoff = min(result.as_of, dt.date(year, 12, 31))
    tables = result.tables
    registry = result.registry
    workbooks.assessment_workbook_write(
        out,
        year=year,
        outputs=result.outputs,
        ledgers=workbooks.Ledgers(
            facilities=ledgers.facility_ledger(
                registry.facilities, tables.inspections, tables.inspection_faults, as_of=cutoff
            ),
            water_bodies=ledgers.water_body_ledger(
                registry.water_bodies, tables.water_observations, as_of=cutoff
            ),
            film=ledgers.film_ledger(tables.film_records, tables.film_entries, year=year),
            straw=ledgers.straw_ledger(tables.straw_records, year=year),
            data_quality=tables.data_quality,
        ),
        area_names=ledgers.area_names(registry.admin_villages, registry.natural_villages),
        generated_at=generated_at,
        data_cutoff=cutoff,
    )


def export(
    *,
    year: int,
    out: Path | BinaryIO,
    as_of: dt.date,
    generated_at: dt.datetime,
    targets: Mapping[str, float] | None = None,
) -> Path:
    """Read the database and write the annual workbook of ``year`` to ``out`` (a path or a
    binary file object); ``targets`` default to the server's target table."""
    extract.django_setup()
    from indicators.services import indicator_targets

    cutoff = min(as_of, dt.date(year, 12, 31))
    result = database_compute(
        as_of=cutoff,
        periods=workbook_periods(year),
        targets=indicator_targets() if targets is None else targets,
    )
    workbook_write(result, year=year, out=out, generated_at=generated_at)
    return out


def raw_export(*, form_ids: Iterable[str], lang: str, fmt: str, out: Path) -> list[Path]:
    """Raw data of ``form_ids``: ``csv`` (a folder of files), ``xlsx`` (one workbook per form
    in the folder ``out``) or ``geojson`` (one file ``out`` for all the forms)."""
    extract.django_setup()
    raw = extract.submissions_read()
    dictionary = extract.data_dictionary_read()
    if fmt == "geojson":
        raw = raw.loc[raw["form_id"].isin(list(form_ids))]
        out.parent.mkdir(parents=True, exist_ok=True)
        collection = raw_exports.geojson(raw, dictionary)
        out.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
        return [out]
    paths: list[Path] = []
    for form_id in form_ids:
        tables = raw_exports.form_tables(raw, dictionary, form_id, lang=lang)
        if fmt == "csv":
            paths += raw_exports.csv_write(tables, out / form_id)
        else:
            out.mkdir(parents=True, exist_ok=True)
            path = out / f"{form_id}.xlsx"
            raw_exports.xlsx_write(tables, path)
            paths.append(path)
    return paths
