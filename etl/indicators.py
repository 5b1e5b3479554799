"""The plan's indicators, one function each, computed from tidy frames and the registry.

Every function takes the frames it needs plus ``periods`` (``"2025"``, ``"2025-Q3"``,
``"2025-07"``), ``targets`` (code -> percent, from the server's table) and ``as_of`` (the data
cut-off date), and returns an :class:`IndicatorOutput`:

- ``results``: one row per period and area (town, administrative village, natural village)
  with value, numerator, denominator, target, met and the ids of the records behind them
  (``schemas.INDICATOR_RESULT``);
- ``basis``: the rows behind the numbers, one per counted unit (village, facility, water body,
  film entry, straw record) and period, with what it contributed and the submission that
  decided it. ``results`` is a pure aggregation of ``basis``.

The rules, with their sources, are in ``docs/indicators.md``. Values are percentages; a zero
denominator gives value NaN and met None. Periods that start after ``as_of`` are skipped; a
period that is still running is cut off at ``as_of``.
"""

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from etl import schemas

TOWN_CODE = "320404116"  # 邹区镇 [S1]


@dataclass(frozen=True)
class Indicator:
    code: str
    definition: str  # the domain reference's id (T1 ...)
    name_zh: str
    name_en: str
    unit: str
    category_zh: str


INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in [
        Indicator(
            "SEWAGE_COVERAGE",
            "T1",
            "农村生活污水治理自然村覆盖率",
            "Share of natural villages with sewage treatment",
            "%",
            "环境治理",
        ),
        Indicator(
            "FACILITY_OPERATION",
            "T2",
            "设施正常运行率",
            "Share of in-service facilities running normally",
            "%",
            "环境治理",
        ),
        Indicator(
            "BLACK_WATER_ELIMINATION",
            "T4",
            "黑臭水体消除比例",
            "Share of listed black-odorous water bodies closed off",
            "%",
            "环境治理",
        ),
        Indicator(
            "FILM_RECOVERY",
            "T5",
            "废旧农膜回收率",
            "Waste farm film recovery rate",
            "%",
            "农业农村",
        ),
        Indicator(
            "STRAW_UTILIZATION",
            "T6",
            "秸秆综合利用率",
            "Straw comprehensive utilisation rate",
            "%",
            "农业农村",
        ),
    ]
}


@dataclass(frozen=True)
class IndicatorOutput:
    """One indicator's values and the rows behind them.

    ``table`` holds the numbers, one row per period and area (``schemas.INDICATOR_RESULT``
    without ``records`` and ``details``, plus ``record_count`` and the flat detail columns
    named in ``detail_columns``, e.g. ``by_status.normal``). ``results`` is the same with each
    row's ``records`` list and nested ``details`` dict, built on first use: at province scale
    that is millions of Python objects, so computing stays columnar and only publishing and
    exporting pay for it.
    """

    table: pd.DataFrame
    basis: pd.DataFrame
    detail_columns: tuple[str, ...] = ()
    # period -> ({town code: details}, details of a town not listed): added to town rows
    town_details: Mapping[str, tuple[dict, dict]] = field(default_factory=dict)
    members: "_Members | None" = None  # the record ids of each row, as integer codes

    def rows_for(self, periods: Iterable[str]) -> pd.DataFrame:
        """The table's rows of ``periods`` with their ``details`` dicts but no ``records``
        lists (``record_count`` counts them): what the workbook writes."""
        table = self.table.loc[self.table["period"].isin(list(periods))].reset_index(drop=True)
        table = _texts(table)
        return table.assign(details=_details_dicts(table, self.detail_columns, self.town_details))

    @functools.cached_property
    def results(self) -> pd.DataFrame:
        return self.results_for(None)

    def results_for(self, periods: Iterable[str] | None) -> pd.DataFrame:
        """``results`` of ``periods`` only (all when None): what a workbook of one year
        needs without building the Python objects of every month."""
        table = self.table
        if periods is not None:
            table = table.loc[table["period"].isin(list(periods))].reset_index(drop=True)
        table = _texts(table)
        records = _records_lists(table, self.members)
        details = _details_dicts(table, self.detail_columns, self.town_details)
        results = table.drop(columns=["record_count", "group_key", *self.detail_columns]).assign(
            records=records, details=details
        )
        # Built here from typed columns: no element-wise validation of millions of rows.
        return results[list(schemas.INDICATOR_RESULT.columns)]


@dataclass(frozen=True)
class Period:
    label: str
    start: pd.Timestamp
    end: pd.Timestamp  # inclusive, a date at midnight


_PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$")


def period_parse(label: str) -> Period:
    """``"2025"``, ``"2025-Q3"`` or ``"2025-07"`` -> its first and last day."""
    match = _PERIOD.match(label)
    if not match:
        raise ValueError(f"not a period: {label!r} (use 2025, 2025-Q3 or 2025-07)")
    year, quarter, month = match.groups()
    if quarter:
        start = pd.Timestamp(int(year), 3 * int(quarter) - 2, 1)
        end = start + pd.offsets.QuarterEnd(0)
    elif month:
        start = pd.Timestamp(int(year), int(month), 1)
        end = start + pd.offsets.MonthEnd(0)
    else:
        start, end = pd.Timestamp(int(year), 1, 1), pd.Timestamp(int(year), 12, 31)
    return Period(label, start, end)


def year_periods(year: int) -> list[str]:
    """The year, its four quarters and its twelve months."""
    return (
        [str(year)]
        + [f"{year}-Q{q}" for q in range(1, 5)]
        + [f"{year}-{m:02d}" for m in range(1, 13)]
    )


def _windows(periods: Iterable[str], as_of: dt.date) -> list[tuple[Period, pd.Timestamp]]:
    """Each period with its cut-off: the period's last day, or ``as_of`` if earlier."""
    cutoff = pd.Timestamp(as_of)
    out = []
    for label in periods:
        period = period_parse(label)
        if period.start <= cutoff:
            out.append((period, min(period.end, cutoff)))
    return out


def _target_lookup(targets: pd.DataFrame | Mapping[str, float], code: str) -> float | None:
    if isinstance(targets, pd.DataFrame):
        rows = targets.loc[targets["code"] == code, "target"]
        return None if rows.empty or pd.isna(rows.iloc[0]) else float(rows.iloc[0])
    value = targets.get(code)
    return None if value is None else float(value)


def _latest(events: pd.DataFrame, key: str, order: list[str]) -> pd.DataFrame:
    """The last event per ``key`` after sorting by ``order`` (NaN sorts first)."""
    if events.empty:
        return events
    ordered = events.sort_values(order, na_position="first", kind="stable")
    return ordered.drop_duplicates(key, keep="last")


# --------------------------------------------------------------------------- aggregation

BASIS_COLUMNS = [
    "code",
    "period",
    "record_id",
    "admin_village_code",
    "natural_village_code",
    "numerator",
    "denominator",
    "category",
    "source_id",
]


LEVEL_COLUMNS = (
    ("town", "town"),
    ("admin_village", "admin_village_code"),
    ("natural_village", "natural_village_code"),
)
LEVEL_ORDER = {level: n for n, (level, _) in enumerate(LEVEL_COLUMNS)}


def town_of(admin_village_codes: pd.Series, town_code: str = TOWN_CODE) -> pd.Series:
    """The town of each administrative village: the first nine digits of its 12-digit
    statistical code (national coding rule); ``town_code`` when there is no village."""
    codes = admin_village_codes.astype(object)
    towns = codes.where(codes.isna(), codes.astype(str).str[:9])
    return towns.fillna(town_code)


def _aggregate(
    indicator: Indicator,
    basis: pd.DataFrame,
    windows: list[tuple[Period, pd.Timestamp]],
    targets: pd.DataFrame | Mapping[str, float],
    town_code: str,
    details: Callable[[pd.DataFrame], pd.DataFrame],
    town_details: Callable[[Period, pd.Timestamp], tuple[dict, dict]] | None = None,
    town_codes: Iterable[str] | None = None,
) -> IndicatorOutput:
    """Sum ``basis`` per period and area; every town of ``town_codes`` (default
    ``town_code``) has a row for every period even when nothing was counted (then value NaN,
    met None). A basis row's town is that of its administrative village (``town_of``).

    ``details(basis)`` gives numeric columns, one row per basis row, summed per area into the
    result's ``details``; a column named ``"by_status.normal"`` becomes
    ``{"by_status": {"normal": ...}}``. Areas, periods and record ids are turned into integer
    codes once and summed with ``np.bincount``, so the cost grows with the rows, not with
    Python work per area.
    """
    target = _target_lookup(targets, indicator.code)
    if list(basis.columns[: len(BASIS_COLUMNS) - 1]) == BASIS_COLUMNS[1:] and ("code" not in basis):
        basis.insert(0, "code", indicator.code)  # our own frame: no copy of millions of rows
    else:
        basis = basis.assign(code=indicator.code).reindex(
            columns=BASIS_COLUMNS + [c for c in basis.columns if c not in BASIS_COLUMNS]
        )
    if not isinstance(basis.index, pd.RangeIndex):
        basis = basis.reset_index(drop=True)
    extra = details(basis)
    labels = np.array([p.label for p, _ in windows], dtype=object)
    period = _period_codes(basis["period"], labels)
    record, record_ids = _codes(basis["record_id"], as_text=True)
    admin, admins = _codes(basis["admin_village_code"])
    natural, naturals = _codes(basis["natural_village_code"])
    # A row's town: its administrative village's (first nine digits), else ``town_code``.
    admin_towns = [str(a)[:9] for a in admins]
    listed = set(town_codes) if town_codes is not None else {town_code}
    orphans = [town_code] if (admin < 0).any() else []
    towns = np.array(sorted({*admin_towns, *listed, *orphans}), dtype=object)
    town_index = {t: n for n, t in enumerate(towns)}
    town = np.full(len(admin), town_index.get(town_code, -1), dtype=np.int64)
    if len(admins):
        admin_town = np.array([town_index[t] for t in admin_towns], dtype=np.int64)
        town[admin >= 0] = admin_town[admin[admin >= 0]]
    numbers = {
        "numerator": basis["numerator"].to_numpy(dtype=float),
        "denominator": basis["denominator"].to_numpy(dtype=float),
    }
    extra_columns = list(extra.columns)
    for column in extra_columns:
        numbers[column] = extra[column].to_numpy()
    del extra  # its columns live on in ``numbers`` until the sums are done
    parts, members = [], []
    for level, codes, areas in (
        ("town", town, towns),
        ("admin_village", admin, admins),
        ("natural_village", natural, naturals),
    ):
        if level == "town":
            # Every listed town has a row in every period, counted or not.
            fixed = np.array([town_index[t] for t in sorted(listed)], dtype=np.int64)
            used = np.unique(codes[(codes >= 0) & (period >= 0)])
            grid_areas = np.union1d(fixed, used)
            keys = (np.arange(len(labels))[:, None] * len(areas) + grid_areas[None, :]).ravel()
        else:
            keys = None
        part, member = _level_sums(level, period, codes, areas, record, numbers, keys)
        parts.append(part)
        members.append(member)
    # One array per column, all levels; then periods in window order and, within a period,
    # town, then villages, each by code (the levels' own order). No frame until the end.
    del numbers, period, record, admin, natural, town  # the basis' codes: done with
    rank = np.concatenate([part.pop("period_rank") for part in parts])
    order = np.argsort(rank, kind="stable")
    table = {}
    for name in list(parts[0]):
        # Column by column, each level's part released as soon as it is placed.
        table[name] = np.concatenate([part.pop(name) for part in parts])[order]
    numerator, denominator = table["numerator"], table["denominator"]
    positive = denominator > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        value = 100.0 * numerator / np.where(positive, denominator, np.nan)
    met = np.full(len(numerator), None, dtype=object)
    if target is not None:
        # Compare exactly, without rounding the percentage: 9/10 meets 90 %.
        reached = numerator * 100.0 >= target * denominator - 1e-9
        met[positive & reached] = True
        met[positive & ~reached] = False
    # Columns of a few distinct texts as categoricals (one byte a row, and not part of the
    # text block pandas stacks); ``results``/``rows_for`` turn them back into text.
    constant = np.zeros(len(order), dtype=np.int8)
    out = _frame(
        {
            "code": _categorical(constant, [indicator.code]),
            "name_zh": _categorical(constant, [indicator.name_zh]),
            "name_en": _categorical(constant, [indicator.name_en]),
            "unit": _categorical(constant, [indicator.unit]),
            "level": _categorical(table["level"], [level for level, _ in LEVEL_COLUMNS]),
            "area_code": table["area_code"],
            "period": _categorical(rank[order], labels),
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "target": np.full(len(order), np.nan if target is None else float(target)),
            "met": met,
            "record_count": table["record_count"].astype(np.int64),
            "group_key": table["group_key"],
            **{column: table[column] for column in extra_columns},
        }
    )
    town_extra = {p.label: town_details(p, c) for p, c in windows} if town_details else {}
    return IndicatorOutput(
        table=out,
        basis=basis,
        detail_columns=tuple(extra_columns),
        town_details=town_extra,
        members=_Members(record_ids=record_ids, levels=tuple(members)),
    )


def _frame(columns: dict) -> pd.DataFrame:
    """A frame over these equal-length arrays without stacking the columns of each dtype
    into 2-D blocks (``pd.DataFrame`` copies every column once more to do that: hundreds of
    MB at province scale, at the moment memory peaks). pandas consolidates later, one
    operation at a time, where it needs to."""
    arrays = list(columns.values())
    size = len(arrays[0]) if arrays else 0
    try:
        from pandas.core.internals.construction import arrays_to_mgr

        manager = arrays_to_mgr(
            arrays, pd.Index(list(columns)), pd.RangeIndex(size), typ="block", consolidate=False
        )
        return pd.DataFrame._from_mgr(manager, axes=manager.axes)
    except (ImportError, TypeError, ValueError, AttributeError):  # another pandas
        return pd.DataFrame(columns)


def _categorical(codes: np.ndarray, categories) -> pd.Categorical | np.ndarray:
    """``categories[codes]`` as a categorical (as text when the categories repeat)."""
    categories = pd.Index(list(categories), dtype=object)
    if categories.is_unique:
        return pd.Categorical.from_codes(codes, categories=categories)
    return categories.to_numpy()[codes]


def _texts(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its categorical columns as text (``schemas.INDICATOR_RESULT``'s)."""
    kinds = {
        name: object for name, kind in table.dtypes.items() if isinstance(kind, pd.CategoricalDtype)
    }
    return table.astype(kinds) if kinds else table


def _codes(column: pd.Series, *, as_text: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (-1 for missing) and the distinct values they index, sorted (as text
    when ``as_text``), so code order is value order."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy(dtype=np.int64)
        uniques = column.cat.categories.to_numpy(dtype=object)
    else:
        codes, uniques = pd.factorize(column.astype(object))
        codes, uniques = codes.astype(np.int64), np.asarray(uniques, dtype=object)
    if as_text:
        uniques = np.array([str(u) for u in uniques], dtype=object)
    order = np.argsort(uniques, kind="stable") if len(uniques) else np.zeros(0, dtype=np.int64)
    if len(order) and (order != np.arange(len(order))).any():
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        codes = np.where(codes >= 0, rank[np.maximum(codes, 0)], -1)
        uniques = uniques[order]
    return codes, uniques


def _period_codes(periods: pd.Series, labels: np.ndarray) -> np.ndarray:
    """The window index of each row's period label (-1 when not a window)."""
    index = {label: n for n, label in enumerate(labels)}
    if isinstance(periods.dtype, pd.CategoricalDtype):
        lookup = np.array([index.get(c, -1) for c in periods.cat.categories], dtype=np.int64)
        codes = periods.cat.codes.to_numpy(dtype=np.int64)
        return np.where(codes >= 0, lookup[np.maximum(codes, 0)], -1) if len(lookup) else codes
    codes, uniques = pd.factorize(periods.astype(object))
    lookup = np.array([index.get(str(u), -1) for u in uniques], dtype=np.int64)
    if not len(uniques):
        return np.full(len(periods), -1, dtype=np.int64)
    return np.where(codes >= 0, lookup[np.maximum(codes, 0)], -1)


@dataclass(frozen=True)
class _LevelMembers:
    level: str
    groups: np.ndarray  # group key (period × area) of each (group, record) pair, sorted
    records: np.ndarray  # record code of the pair
    width: int  # number of areas (key = period * width + area)


@dataclass(frozen=True)
class _Members:
    record_ids: np.ndarray
    levels: tuple[_LevelMembers, ...]


def _level_sums(
    level: str,
    period: np.ndarray,
    area: np.ndarray,
    areas: np.ndarray,
    record: np.ndarray,
    numbers: dict[str, np.ndarray],
    keys: np.ndarray | None,
) -> tuple[dict[str, np.ndarray], _LevelMembers]:
    """Sums per (period, area) of one level, as columns; ``keys`` fixes the groups (the
    town grid)."""
    width = max(len(areas), 1)
    valid = (period >= 0) & (area >= 0)
    key = period[valid] * width + area[valid]
    if keys is None:
        keys, inverse = _unique_inverse(key)
    else:
        inverse = np.searchsorted(keys, key)
    size = len(keys)
    columns: dict[str, np.ndarray] = {}
    for name, values in numbers.items():
        picked = values[valid]
        total = np.bincount(inverse, weights=picked.astype(float), minlength=size)
        if np.issubdtype(picked.dtype, np.integer) or picked.dtype == bool:
            total = np.rint(total).astype(np.int64)
        columns[name] = total
    pairs = _unique_inverse(inverse.astype(np.int64) * (len(record) + 1) + record[valid])[0]
    groups = pairs // (len(record) + 1)
    count = np.bincount(groups, minlength=size)
    table = {
        "level": np.full(size, LEVEL_ORDER[level], dtype=np.int8),
        "area_code": areas[keys % width] if size else np.array([], dtype=object),
        "period_rank": keys // width,
        "group_key": keys,
        **columns,
        "record_count": count,
    }
    members = _LevelMembers(
        level=level,
        groups=_compact(keys[groups]),
        records=_compact(pairs % (len(record) + 1)),
        width=width,
    )
    return table, members


def _compact(values: np.ndarray) -> np.ndarray:
    """Non-negative integer codes as int32 when they fit (half the memory of millions of
    (group, record) pairs kept for the records lists)."""
    if not len(values) or values.max() < np.iinfo(np.int32).max:
        return values.astype(np.int32)
    return values


def _unique_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` for int64, by one sort (numpy 2's hashed
    unique is several times slower on millions of rows)."""
    if not len(values):
        return values.astype(np.int64), np.zeros(0, dtype=np.int64)
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    new = np.empty(len(ordered), dtype=bool)
    new[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return ordered[new], inverse


def _records_lists(table: pd.DataFrame, members: "_Members | None") -> list[list[str]]:
    """The sorted record ids of each row of ``table``."""
    if members is None or table.empty:
        return [[] for _ in range(len(table))]
    out: dict[tuple[str, int], list[str]] = {}
    for level in members.levels:
        wanted = table.loc[table["level"] == level.level, "group_key"].to_numpy(dtype=np.int64)
        keep = np.isin(level.groups, wanted)
        groups, records = level.groups[keep], level.records[keep]
        if len(groups) == 0:
            continue
        ids = members.record_ids[records]
        bounds = np.flatnonzero(np.diff(groups)) + 1
        starts = np.concatenate([[0], bounds])
        for start, chunk in zip(starts, np.split(ids, bounds), strict=True):
            out[(level.level, int(groups[start]))] = chunk.tolist()
    return [
        out.get((lv, key), []) for lv, key in zip(table["level"], table["group_key"], strict=True)
    ]


def _details_dicts(
    table: pd.DataFrame, columns: tuple[str, ...], town_details: Mapping[str, tuple[dict, dict]]
) -> list[dict]:
    """The nested details of each row (``{"by_status": {"normal": 3}, ...}``); town rows get
    their period's ``town_details`` too."""
    names = [c.split(".", 1) for c in columns]
    values = [_plain_numbers(table[c]) for c in columns]
    out = []
    rows = zip(table["level"], table["period"], table["area_code"], strict=True)
    for n, (level, period, area) in enumerate(rows):
        nested: dict = {}
        for (outer, *inner), column in zip(names, values, strict=True):
            if inner:
                nested.setdefault(outer, {})[inner[0]] = column[n]
            else:
                nested[outer] = column[n]
        if level == "town":
            per_town, default = town_details.get(period, ({}, {}))
            nested.update(per_town.get(area, default))
        out.append(nested)
    return out


def _plain_numbers(column: pd.Series) -> list:
    """A numeric column as Python ints (integer columns) or floats."""
    if pd.api.types.is_integer_dtype(column):
        return column.to_numpy(dtype="int64").tolist()
    return column.to_numpy(dtype=float).tolist()


def _one_hot(series: pd.Series, prefix: str, labels: Iterable[str]) -> pd.DataFrame:
    """Count columns ``prefix.label`` (0/1 per row) for each label."""
    codes, uniques = pd.factorize(series)
    position = {value: n for n, value in enumerate(uniques)}
    return pd.DataFrame(
        # 0/1 as int8 (summed as integers all the same: an eighth of the memory)
        {
            f"{prefix}.{label}": (codes == position.get(label, -2)).astype(np.int8)
            for label in labels
        },
        index=series.index,
    )


# --------------------------------------------------------------------------- T1


def sewage_coverage(
    natural_villages: pd.DataFrame,
    coverage_surveys: pd.DataFrame,
    *,
    periods: Iterable[str],
    targets: pd.DataFrame | Mapping[str, float],
    as_of: dt.date,
    town_code: str = TOWN_CODE,
    town_codes: Iterable[str] | None = None,
) -> IndicatorOutput:
    """T1 农村生活污水治理自然村覆盖率 (SEWAGE_COVERAGE).

    numerator: natural villages, not planned for relocation, whose sewage mode at the period's
    cut-off is not ``none`` (sewer, centralised or decentralised treatment);
    denominator: natural villages not planned for relocation (is_planned_relocation excluded,
    as the 2020 baseline 139/198 = 70.2% is computed).
    A village's mode is that of its latest counted coverage survey on or before the cut-off
    (ties: latest submitted), else the registry's mode.
    """
    villages = schemas.require(schemas.NATURAL_VILLAGES, natural_villages)
    surveys = schemas.require(schemas.COVERAGE_SURVEYS, coverage_surveys)
    windows = _windows(periods, as_of)
    counted = villages.loc[~villages["is_planned_relocation"]].reset_index(drop=True)
    codes = counted["code"].to_numpy(dtype=object)
    events = _events_ordered(
        surveys[
            [
                "natural_village_code",
                "recorded_on",
                "submitted_at",
                "instance_id",
                "sewage_mode",
                "households_connected",
            ]
        ].assign(is_submission=1),
        "natural_village_code",
    )
    latest = _latest_until(
        events,
        "natural_village_code",
        codes,
        windows,
        ["instance_id", "sewage_mode", "households_connected"],
    )
    repeat = len(windows)
    mode = pd.Series(latest["sewage_mode"], dtype=object)
    mode = mode.where(mode.notna(), np.tile(counted["sewage_mode"].to_numpy(dtype=object), repeat))
    connected = pd.to_numeric(pd.Series(latest["households_connected"], dtype=object))
    connected = connected.astype(float).fillna(
        pd.Series(np.tile(counted["households_connected"].to_numpy(dtype=float), repeat))
    )
    parts = [
        pd.DataFrame(
            {
                "period": _periods_column(windows, len(codes)),
                "record_id": _tiled(codes, repeat),
                "admin_village_code": _tiled(counted["admin_village_code"], repeat),
                "natural_village_code": _tiled(codes, repeat),
                "numerator": mode.ne("none").astype(float).to_numpy(),
                "denominator": 1.0,
                "category": mode.to_numpy(dtype=object),
                "source_id": latest["instance_id"],
                "households": np.tile(counted["households"].to_numpy(), repeat),
                "households_connected": connected.to_numpy(dtype=float),
            }
        )
    ]
    basis = _concat(parts, ["households", "households_connected"])
    moving = villages.loc[villages["is_planned_relocation"], "admin_village_code"]
    relocation = town_of(moving, town_code).value_counts()

    def details(rows: pd.DataFrame) -> pd.DataFrame:
        return _one_hot(rows["category"], "by_mode", schemas.SEWAGE_MODES).assign(
            households=rows["households"].fillna(0).astype(int),
            households_connected=rows["households_connected"].astype(float).fillna(0.0),
        )

    return _aggregate(
        INDICATORS["SEWAGE_COVERAGE"],
        basis,
        windows,
        targets,
        town_code,
        details,
        town_details=lambda *_: (
            {t: {"excluded_planned_relocation": int(n)} for t, n in relocation.items()},
            {"excluded_planned_relocation": 0},
        ),
        town_codes=town_codes,
    )


def _concat(parts: list[pd.DataFrame], extra: list[str]) -> pd.DataFrame:
    columns = [c for c in BASIS_COLUMNS if c != "code"] + extra
    if not parts:
        return pd.DataFrame(columns=columns)
    if len(parts) == 1 and list(parts[0].columns) == columns:
        part = parts[0]
        if isinstance(part.index, pd.RangeIndex) and part.index.start == 0:
            return part  # a frame of its own, built for this: no copy
        return part.reset_index(drop=True)
    return pd.concat(parts, ignore_index=True).reindex(columns=columns)


# --------------------------------------------------------------------------- T2

FACILITY_CATEGORIES = ["normal", "defective", "stopped", "uninspected"]


def facility_operation(
    facilities: pd.DataFrame,
    inspections: pd.DataFrame,
    *,
    periods: Iterable[str],
    targets: pd.DataFrame | Mapping[str, float],
    as_of: dt.date,
    town_code: str = TOWN_CODE,
    town_codes: Iterable[str] | None = None,
) -> IndicatorOutput:
    """T2 设施正常运行率 (FACILITY_OPERATION).

    numerator: in-service facilities whose latest inspection in the period has the §3.3 status
    ``normal``; denominator: all in-service facilities. A facility not inspected in the period
    counts in the denominator only, as category ``uninspected`` (未巡查, reported in details).
    Latest inspection: latest ``recorded_on`` date, then latest submitted (two inspections on
    one day: the later submission wins). The registry's status/status_date counts as one
    inspection on that date (the 2020 baseline), losing ties to submitted inspections.
    """
    registry = schemas.require(schemas.FACILITIES, facilities)
    observed = schemas.require(schemas.INSPECTIONS, inspections)
    windows = _windows(periods, as_of)
    in_service = registry.loc[registry["in_service"]]
    baseline = in_service.loc[
        in_service["status"].isin(schemas.FACILITY_STATUSES) & in_service["status_date"].notna()
    ]
    events = pd.concat(
        [
            pd.DataFrame(
                {
                    "facility_code": baseline["code"],
                    "recorded_on": baseline["status_date"],
                    "is_submission": 0,
                    "submitted_at": pd.NaT,
                    "instance_id": "registry:" + baseline["code"],
                    "status": baseline["status"],
                }
            ),
            pd.DataFrame(  # the columns as they are: the concat is their one copy
                {
                    **{
                        c: observed[c]
                        for c in ("facility_code", "recorded_on", "submitted_at", "instance_id")
                    },
                    "status": observed["status"],
                    "is_submission": 1,
                },
                copy=False,
            ),
        ],
        ignore_index=True,
    )
    # Sorted once: within any window the last row per facility is the latest.
    events = _events_ordered(events, "facility_code")
    codes = in_service["code"].to_numpy(dtype=object)
    latest = _latest_per_window(
        events, "facility_code", codes, windows, ["status", "instance_id", "recorded_on"]
    )
    status = latest["status"]
    status = np.where(pd.isna(status), "uninspected", status).astype(object)
    repeat = len(windows)
    parts = [
        pd.DataFrame(
            {
                "period": _periods_column(windows, len(codes)),
                "record_id": _tiled(codes, repeat),
                "admin_village_code": _tiled(in_service["admin_village_code"], repeat),
                "natural_village_code": _tiled(in_service["natural_village_code"], repeat),
                "numerator": (status == "normal").astype(float),
                "denominator": 1.0,
                "category": status,
                "source_id": latest["instance_id"],
                "inspected_on": latest["recorded_on"],
            }
        )
    ]
    basis = _concat(parts, ["inspected_on"])

    def details(rows: pd.DataFrame) -> pd.DataFrame:
        return _one_hot(rows["category"], "by_status", FACILITY_CATEGORIES)

    return _aggregate(
        INDICATORS["FACILITY_OPERATION"],
        basis,
        windows,
        targets,
        town_code,
        details,
        town_codes=town_codes,
    )


def _events_ordered(events: pd.DataFrame, key: str) -> pd.DataFrame:
    """``events`` sorted by date, registry before submissions, receipt time (NaT first) and
    instance ID: the ETL's "latest" order. Sorted on integers; the instance ID only breaks
    the rare ties of one unit's events with the same date and receipt time."""
    if events.empty:
        return events.reset_index(drop=True)
    dated = events["recorded_on"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    received = events["submitted_at"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    source = events["is_submission"].to_numpy(dtype=np.int64)
    unit = pd.factorize(events[key])[0]
    tiebreak = np.zeros(len(events), dtype=np.int64)
    same = pd.DataFrame({"u": unit, "d": dated, "s": source, "r": received}).duplicated(keep=False)
    if same.any():
        ids = events["instance_id"].astype(object).where(same.to_numpy(), None)
        ranked = ids.loc[same.to_numpy()].astype(str).rank(method="dense").astype(np.int64)
        tiebreak[same.to_numpy()] = ranked.to_numpy()
    order = np.lexsort((tiebreak, received, source, dated))
    ordered = events.take(order)
    ordered.index = pd.RangeIndex(len(ordered))  # reset_index would copy every column again
    return ordered


def _tiled(values, repeat: int) -> pd.Categorical:
    """``values`` repeated ``repeat`` times, as a categorical (its codes spare the
    aggregation from hashing millions of strings)."""
    codes, uniques = pd.factorize(pd.Series(np.asarray(values, dtype=object)))
    return pd.Categorical.from_codes(
        np.tile(codes, repeat), categories=pd.Index(uniques, dtype=object)
    )


def _periods_column(windows: list[tuple[Period, pd.Timestamp]], size: int) -> pd.Categorical:
    """Each window's label ``size`` times, window after window."""
    labels = pd.Index([p.label for p, _ in windows], dtype=object)
    return pd.Categorical.from_codes(np.repeat(np.arange(len(labels)), size), categories=labels)


def _latest_until(
    events: pd.DataFrame,
    key: str,
    codes: np.ndarray,
    windows: list[tuple[Period, pd.Timestamp]],
    columns: Iterable[str] | None = None,
) -> dict[str, np.ndarray]:
    """Like ``_latest_per_window`` for stocks: each unit's last event on or before each
    window's cut-off, whenever it happened."""
    out = _empty_slots(events, key, len(windows) * len(codes), columns)
    if events.empty or not windows:
        return out
    position = pd.Series(np.arange(len(codes)), index=pd.Index(codes))
    unit = events[key].map(position)
    keep = (unit.notna() & events["recorded_on"].notna()).to_numpy()
    kept = np.flatnonzero(keep)  # positions: no copy of the events
    unit = unit.to_numpy()[keep].astype(np.int64)
    stamps = events["recorded_on"].to_numpy(dtype="datetime64[ns]")[kept]
    columns = list(out)
    values = {c: events[c].to_numpy()[kept] for c in columns}
    for n, (_, cutoff) in enumerate(windows):
        inside = stamps <= np.datetime64(cutoff)
        if not inside.any():
            continue
        last = pd.Series(np.arange(int(inside.sum()))).groupby(unit[inside]).last()
        rows = np.flatnonzero(inside)[last.to_numpy()]
        slots = n * len(codes) + last.index.to_numpy()
        for c in columns:
            out[c][slots] = values[c][rows]
    return out


def _empty_slots(
    events: pd.DataFrame, key: str, size: int, columns: Iterable[str] | None = None
) -> dict[str, np.ndarray]:
    """Missing values for ``size`` slots of each column of ``events`` but ``key`` (of
    ``columns`` only when given)."""
    out: dict[str, np.ndarray] = {}
    for c in events.columns if columns is None else columns:
        if c == key:
            continue
        if pd.api.types.is_datetime64_any_dtype(events[c]):
            out[c] = np.full(size, np.datetime64("NaT"), dtype="datetime64[ns]")
        else:
            out[c] = np.full(size, None, dtype=object)
    return out


def _latest_per_window(
    events: pd.DataFrame,
    key: str,
    codes: np.ndarray,
    windows: list[tuple[Period, pd.Timestamp]],
    columns: Iterable[str] | None = None,
) -> dict[str, np.ndarray]:
    """For every window and every unit of ``codes``, the columns of the last event (in
    ``events``' order) of that unit dated inside the window: arrays of ``len(windows) ×
    len(codes)``, window-major, missing where the unit had no event (of ``columns`` only
    when given). Vectorised: each event is placed in its year, quarter and month once,
    instead of filtering per window."""
    out = _empty_slots(events, key, len(windows) * len(codes), columns)
    columns = list(out)
    if events.empty or not windows:
        return out
    position = pd.Series(np.arange(len(codes)), index=pd.Index(codes))
    unit = events[key].map(position)
    dated = events["recorded_on"]
    keep = unit.notna() & dated.notna()
    kept = np.flatnonzero(keep.to_numpy())  # positions: no copy of the events
    unit, dated = unit.loc[keep].astype(int), dated.loc[keep]
    sources = {c: events[c].to_numpy() for c in columns}
    year, month = dated.dt.year.to_numpy(), dated.dt.month.to_numpy()
    stamps = dated.to_numpy()
    kinds = {
        "year": year * 100,
        "quarter": year * 100 + 20 + (month - 1) // 3 + 1,
        "month": year * 100 + 40 + month,
    }
    for kind, bucket in kinds.items():
        slots = {}
        for n, (period, cutoff) in enumerate(windows):
            if _period_kind(period.label) == kind:
                slots[_bucket(period.label)] = (n, cutoff)
        if not slots:
            continue
        window = pd.Series(bucket).map({b: n for b, (n, _) in slots.items()})
        limit = pd.Series(bucket).map({b: c for b, (_, c) in slots.items()})
        inside = window.notna().to_numpy() & (stamps <= limit.to_numpy(dtype="datetime64[ns]"))
        if not inside.any():
            continue
        index = window.to_numpy()[inside].astype(np.int64) * len(codes) + unit.to_numpy()[inside]
        # The last event per (window, unit) in event order wins.
        last = pd.Series(np.arange(len(index))).groupby(index).last()
        rows = np.flatnonzero(inside)[last.to_numpy()]
        for c in columns:
            out[c][last.index.to_numpy()] = sources[c][kept[rows]]
    return out


def _period_kind(label: str) -> str:
    return "quarter" if "-Q" in label else ("month" if "-" in label else "year")


def _bucket(label: str) -> int:
    """The bucket number ``_latest_per_window`` gives a period (2025 -> 202500, 2025-Q3 ->
    202523, 2025-07 -> 202547)."""
    year = int(label[:4])
    if "-Q" in label:
        return year * 100 + 20 + int(label[-1])
    if "-" in label:
        return year * 100 + 40 + int(label[5:7])
    return year * 100


# --------------------------------------------------------------------------- T4

# Questionnaire stage codes (§4.3's finer ledger list) -> registry lifecycle stage.
FORM_STAGE_TO_REGISTRY = {
    "screened": "screened",
    "listed": "screened",
    "plan": "screened",
    "works": "works",
    "completed": "completed",
    "acceptance": "monitoring",
    "closed": "closed",
    "maintenance": "closed",
}


def water_body_stages(
    water_bodies: pd.DataFrame, water_observations: pd.DataFrame, *, cutoff: dt.date
) -> pd.DataFrame:
    """Each confirmed water body's lifecycle stage on ``cutoff`` and the record that set it.

    A post-remediation monitoring visit that finds the water black-odorous (§4.2 rural rule)
    moves the body to ``rebound`` whatever stage was ticked; otherwise the latest observation
    with a stage sets it. The registry's stage counts from its stage_date; a body with no
    stage known by the cut-off is ``screened`` (listed, no progress recorded).
    """
    bodies = schemas.require(schemas.WATER_BODIES, water_bodies)
    observed = schemas.require(schemas.WATER_OBSERVATIONS, water_observations)
    cut = pd.Timestamp(cutoff)
    bodies = bodies.loc[bodies["is_confirmed"]]
    events = _water_body_events(bodies, observed)
    latest = _latest(
        events.loc[events["recorded_on"] <= cut],
        "water_body_code",
        ["recorded_on", "is_submission", "submitted_at", "instance_id"],
    ).set_index("water_body_code")
    return bodies.assign(
        stage=bodies["code"].map(latest["stage"]).fillna("screened"),
        stage_date=bodies["code"].map(latest["recorded_on"]).where(lambda d: d > pd.Timestamp.min),
        source_id=bodies["code"].map(latest["instance_id"]),
    )


def _water_body_events(bodies: pd.DataFrame, observed: pd.DataFrame) -> pd.DataFrame:
    """What sets a confirmed body's stage: its registry stage (dated ``stage_date``, else
    from the beginning of time) and every observation with a stage, a rebound visit as
    ``rebound``."""
    rebound = observed["purpose"].eq("post_monitoring") & observed["rural_black"].fillna(False)
    stage = observed["stage"].map(FORM_STAGE_TO_REGISTRY).mask(rebound, "rebound")
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "water_body_code": bodies["code"],
                    "recorded_on": bodies["stage_date"].fillna(pd.Timestamp.min),
                    "is_submission": 0,
                    "submitted_at": pd.NaT,
                    "instance_id": None,
                    "stage": bodies["stage"],
                }
            ),
            observed.assign(stage=stage, is_submission=1).loc[
                lambda o: o["stage"].notna() & o["water_body_code"].notna(),
                [
                    "water_body_code",
                    "recorded_on",
                    "is_submission",
                    "submitted_at",
                    "instance_id",
                    "stage",
                ],
            ],
        ],
        ignore_index=True,
    )


def black_water_elimination(
    water_bodies: pd.DataFrame,
    water_observations: pd.DataFrame,
    *,
    periods: Iterable[str],
    targets: pd.DataFrame | Mapping[str, float],
    as_of: dt.date,
    town_code: str = TOWN_CODE,
    town_codes: Iterable[str] | None = None,
) -> IndicatorOutput:
    """T4 黑臭水体消除比例 (BLACK_WATER_ELIMINATION), §4.2 remediation completion rate.

    numerator: listed water bodies whose stage at the cut-off is ``closed`` (销号);
    denominator: all confirmed water bodies on the list, whatever their stage (a rebound body
    is back in the denominator and out of the numerator). Unconfirmed new reports are not
    counted until a town official confirms them. Details: bodies per stage, and the bodies
    found black-odorous again by post-remediation monitoring during the period (rebounds).
    """
    observed = schemas.require(schemas.WATER_OBSERVATIONS, water_observations)
    windows = _windows(periods, as_of)
    rebound_visits = observed.loc[
        observed["purpose"].eq("post_monitoring") & observed["rural_black"].fillna(False)
    ]
    bodies = schemas.require(schemas.WATER_BODIES, water_bodies)
    bodies = bodies.loc[bodies["is_confirmed"]]
    codes = bodies["code"].to_numpy(dtype=object)
    # Each body's stage at every window's cut-off in one pass (``water_body_stages`` per
    # window, sorted once): the last event on or before the cut-off in the ETL's order.
    events = _events_ordered(_water_body_events(bodies, observed), "water_body_code")
    latest = _latest_until(
        events, "water_body_code", codes, windows, ["stage", "recorded_on", "instance_id"]
    )
    known = pd.notna(latest["stage"])
    stage = np.where(known, latest["stage"], "screened").astype(object)
    stage_date = pd.Series(latest["recorded_on"]).where(lambda d: d > pd.Timestamp.min)
    # No event by the cut-off: no source (NaN, as a map over the latest events gives).
    source_id = np.where(known, latest["instance_id"], np.nan).astype(object)
    rebounded = np.zeros(len(windows) * len(codes), dtype=bool)
    for n, (period, cutoff) in enumerate(windows):
        in_window = rebound_visits["recorded_on"].between(period.start, cutoff)
        found = set(rebound_visits.loc[in_window, "water_body_code"])
        rebounded[n * len(codes) : (n + 1) * len(codes)] = bodies["code"].isin(found)
    repeat = len(windows)
    parts = [
        pd.DataFrame(
            {
                "period": _periods_column(windows, len(codes)),
                "record_id": _tiled(codes, repeat),
                "admin_village_code": _tiled(bodies["admin_village_code"], repeat),
                "natural_village_code": _tiled(bodies["natural_village_code"], repeat),
                "numerator": (stage == "closed").astype(float),
                "denominator": 1.0,
                "category": stage,
                "source_id": source_id,
                "stage_date": stage_date.to_numpy(),
                "rebounded_in_period": rebounded,
            }
        )
    ]
    basis = _concat(parts, ["stage_date", "rebounded_in_period"])

    def details(rows: pd.DataFrame) -> pd.DataFrame:
        return _one_hot(rows["category"], "by_stage", schemas.WATER_BODY_STAGES).assign(
            rebounds_in_period=rows["rebounded_in_period"].fillna(False).astype(int)
        )

    def town_details(period: Period, cutoff: pd.Timestamp) -> tuple[dict, dict]:
        new = observed["water_body_source"].eq("new") & observed["recorded_on"].between(
            period.start, cutoff
        )
        counts = town_of(observed.loc[new, "admin_village_code"], town_code).value_counts()
        return (
            {t: {"new_reports_unconfirmed": int(n)} for t, n in counts.items()},
            {"new_reports_unconfirmed": 0},
        )

    return _aggregate(
        INDICATORS["BLACK_WATER_ELIMINATION"],
        basis,
        windows,
        targets,
        town_code,
        details,
        town_details,
        town_codes=town_codes,
    )


# --------------------------------------------------------------------------- T5

MULCH_FILM_TYPES = ["mulch", "mulch_thick", "weather", "biodeg"]


def film_recovery(
    film_records: pd.DataFrame,
    film_entries: pd.DataFrame,
    *,
    periods: Iterable[str],
    targets: pd.DataFrame | Mapping[str, float],
    as_of: dt.date,
    town_code: str = TOWN_CODE,
    town_codes: Iterable[str] | None = None,
) -> IndicatorOutput:
    """T5 废旧农膜回收率 (FILM_RECOVERY), §5: recovered ÷ used, same area and period.

    numerator: film recovered (kg); denominator: film used (kg); summed over the film entries
    of village reports (site_type ``village``) whose reporting period ends inside the period.
    Collection-point reports are left out of the rate (their film is already in the villages'
    figures; counting both would double it) and shown in details. Details also give mulch and
    greenhouse film separately and the count of banned-thickness findings (< 0.010 mm) from
    every report.
    """
    records = schemas.require(schemas.FILM_RECORDS, film_records)
    entries = schemas.require(schemas.FILM_ENTRIES, film_entries)
    windows = _windows(periods, as_of)
    joined = entries.merge(
        records[
            ["instance_id", "admin_village_code", "natural_village_code", "site_type", "period_end"]
        ],
        on="instance_id",
        how="inner",
    )
    village = joined["site_type"].eq("village")
    parts = []
    for period, cutoff in windows:
        rows = joined.loc[joined["period_end"].between(period.start, cutoff)]
        is_village = village.loc[rows.index]
        parts.append(
            pd.DataFrame(
                {
                    "period": period.label,
                    "record_id": rows["instance_id"].to_numpy(),
                    "admin_village_code": rows["admin_village_code"].to_numpy(),
                    "natural_village_code": rows["natural_village_code"].to_numpy(),
                    "numerator": rows["film_recovered_kg"].where(is_village, 0.0).to_numpy(),
                    "denominator": rows["film_used_kg"].where(is_village, 0.0).to_numpy(),
                    "category": rows["film_type"].to_numpy(),
                    "source_id": rows["instance_id"].to_numpy(),
                    "entry": rows["entry"].to_numpy(),
                    "site_type": rows["site_type"].to_numpy(),
                    "film_used_kg": rows["film_used_kg"].to_numpy(),
                    "film_recovered_kg": rows["film_recovered_kg"].to_numpy(),
                    "thickness_mm": rows["thickness_mm"].to_numpy(),
                    "thin_film": rows["thin_film"].to_numpy(),
                }
            )
        )
    basis = _concat(
        parts,
        ["entry", "site_type", "film_used_kg", "film_recovered_kg", "thickness_mm", "thin_film"],
    )

    def details(rows: pd.DataFrame) -> pd.DataFrame:
        village = rows["site_type"].eq("village")
        mulch = village & rows["category"].isin(MULCH_FILM_TYPES)
        greenhouse = village & rows["category"].eq("greenhouse")
        used = rows["film_used_kg"].astype(float)
        recovered = rows["film_recovered_kg"].astype(float)
        return pd.DataFrame(
            {
                "mulch_used_kg": used.where(mulch, 0.0),
                "mulch_recovered_kg": recovered.where(mulch, 0.0),
                "greenhouse_used_kg": used.where(greenhouse, 0.0),
                "greenhouse_recovered_kg": recovered.where(greenhouse, 0.0),
                "collection_point_recovered_kg": recovered.where(
                    rows["site_type"].eq("point"), 0.0
                ),
                "thin_film_findings": rows["thin_film"].fillna(False).astype(int),
            },
            index=rows.index,
        )

    return _aggregate(
        INDICATORS["FILM_RECOVERY"],
        basis,
        windows,
        targets,
        town_code,
        details,
        town_codes=town_codes,
    )


# --------------------------------------------------------------------------- T6

STRAW_USES = {
    "fertilizer": ["direct_return_t", "fertilizer_household_t", "fertilizer_market_t"],
    "feed": ["feed_household_t", "feed_market_t"],
    "fuel": ["fuel_household_t", "fuel_market_t"],
    "substrate": ["substrate_household_t", "substrate_market_t"],
    "material": ["material_household_t", "material_market_t"],
    "exported": ["exported_t"],
    "imported": ["imported_t"],
}
# A season's figures are dated at the end of its harvest, so quarters and months can hold them.
SEASON_DATES = {"summer": (6, 30), "autumn": (10, 31)}


def straw_utilization(
    straw_records: pd.DataFrame,
    burning_sites: pd.DataFrame,
    *,
    periods: Iterable[str],
    targets: pd.DataFrame | Mapping[str, float],
    as_of: dt.date,
    town_code: str = TOWN_CODE,
    town_codes: Iterable[str] | None = None,
) -> IndicatorOutput:
    """T6 秸秆综合利用率 (STRAW_UTILIZATION), §6 [S24]: 利用量 ÷ 可收集资源量.

    numerator: straw used, t = market + household use of the five uses + direct return +
    exported − imported; denominator: collectable straw, t = straw produced × collection
    coefficient; summed over the crop records of the seasons dated in the period (summer
    harvest on 30 June, autumn on 31 October). Burned, dumped and piled straw count against
    the rate by being absent from the numerator. Details: the split by use, the tonnes burned
    and dumped, and the open-burning findings (reports and mapped burning sites).
    """
    records = schemas.require(schemas.STRAW_RECORDS, straw_records)
    sites = schemas.require(schemas.BURNING_SITES, burning_sites)
    windows = _windows(periods, as_of)
    reference = (
        pd.to_datetime(
            {
                "year": records["survey_year"],
                "month": records["season"].map(lambda s: SEASON_DATES[s][0]),
                "day": records["season"].map(lambda s: SEASON_DATES[s][1]),
            }
        )
        if not records.empty
        else pd.Series(pd.NaT, index=records.index)
    )
    site_counts = sites.groupby("instance_id").size()
    use_columns = [c for columns in STRAW_USES.values() for c in columns]
    parts = []
    for period, cutoff in windows:
        rows = records.loc[reference.between(period.start, cutoff)]
        part = pd.DataFrame(
            {
                "period": period.label,
                "record_id": rows["instance_id"].to_numpy(),
                "admin_village_code": rows["admin_village_code"].to_numpy(),
                "natural_village_code": rows["natural_village_code"].to_numpy(),
                "numerator": rows["utilised_t"].to_numpy(),
                "denominator": rows["collectable_t"].to_numpy(),
                "category": (rows["season"] + ":" + rows["crop"]).to_numpy(),
                "source_id": rows["instance_id"].to_numpy(),
                "open_burning_seen": rows["open_burning_seen"].eq("yes").to_numpy(),
                "burning_sites": rows["instance_id"].map(site_counts).fillna(0).to_numpy(),
            }
        )
        for column in use_columns + schemas.STRAW_NOT_USED_COLUMNS:
            part[column] = rows[column].to_numpy()
        parts.append(part)
    basis = _concat(
        parts,
        ["open_burning_seen", "burning_sites", *use_columns, *schemas.STRAW_NOT_USED_COLUMNS],
    )

    def details(rows: pd.DataFrame) -> pd.DataFrame:
        uses = {
            f"by_use_t.{use}": rows[cols].astype(float).sum(axis=1)
            for use, cols in STRAW_USES.items()
        }
        return pd.DataFrame(
            {
                **uses,
                "burned_t": rows["burned_t"].astype(float),
                "dumped_t": rows["dumped_t"].astype(float),
                "unused_t": rows["unused_t"].astype(float),
                "open_burning_reports": rows["open_burning_seen"].fillna(False).astype(int),
                "burning_sites": rows["burning_sites"].fillna(0).astype(int),
            },
            index=rows.index,
        )

    return _aggregate(
        INDICATORS["STRAW_UTILIZATION"],
        basis,
        windows,
        targets,
        town_code,
        details,
        town_codes=town_codes,
    )


# --------------------------------------------------------------------------- all


def all_indicators(
    *,
    natural_villages: pd.DataFrame,
    facilities: pd.DataFrame,
    water_bodies: pd.DataFrame,
    tables,
    periods: Iterable[str],
    targets: pd.DataFrame | Mapping[str, float],
    as_of: dt.date,
    town_code: str = TOWN_CODE,
    town_codes: Iterable[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, IndicatorOutput]:
    """Every indicator for the same periods, targets and cut-off; ``tables`` is a
    ``tidy.TidyTables``. ``town_codes``: the towns that get a row in every period (default
    ``town_code``); ``progress`` is called with each indicator's code when it is done."""
    periods = list(periods)
    common = {
        "periods": periods,
        "targets": targets,
        "as_of": as_of,
        "town_code": town_code,
        "town_codes": None if town_codes is None else list(town_codes),
    }
    steps = {
        "SEWAGE_COVERAGE": lambda: sewage_coverage(
            natural_villages, tables.coverage_surveys, **common
        ),
        "FACILITY_OPERATION": lambda: facility_operation(facilities, tables.inspections, **common),
        "BLACK_WATER_ELIMINATION": lambda: black_water_elimination(
            water_bodies, tables.water_observations, **common
        ),
        "FILM_RECOVERY": lambda: film_recovery(tables.film_records, tables.film_entries, **common),
        "STRAW_UTILIZATION": lambda: straw_utilization(
            tables.straw_records, tables.burning_sites, **common
        ),
    }
    outputs = {}
    for code, step in steps.items():
        outputs[code] = step()
        if progress:
            progress(code)
    return outputs
