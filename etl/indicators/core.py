"""What every indicator shares: the indicators' list, periods and their windows, the
events' "latest" order, and the columnar aggregation of basis rows into result rows per
period and area (``_aggregate``). See the package's docstring."""

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from etl import schemas
from etl.frames import columns_frame

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

    def rows_for(self, periods: Iterable[str], levels: Iterable[str] | None = None) -> pd.DataFrame:
        """The table's rows of ``periods`` (and ``levels``, all when None) with their
        ``details`` dicts but no ``records`` lists (``record_count`` counts them): what the
        workbook writes."""
        return self.with_details(self.table_for(periods, levels))

    def table_for(
        self, periods: Iterable[str], levels: Iterable[str] | None = None
    ) -> pd.DataFrame:
        """rows_for without the details: typed columns, categoricals as text. A writer adds
        the details to a few rows at a time (with_details), so their Python dicts never
        exist for every row at once."""
        table = self.table.loc[self.table["period"].isin(list(periods))]
        if levels is not None:
            table = table.loc[table["level"].isin(list(levels))]
        return _texts(table.reset_index(drop=True))

    def with_details(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Rows of table_for with their ``details`` dicts."""
        return rows.assign(details=_details_dicts(rows, self.detail_columns, self.town_details))

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
            counted = codes[(codes >= 0) & (period >= 0)]
            used = np.flatnonzero(np.bincount(counted, minlength=len(areas)))
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
    # Each level's rows are in key order, so by period: a period's rows of all levels are
    # one slice of each part, placed one after the other (what a stable sort by period
    # gives, without sorting or gathering millions of rows).
    slices = []
    for period_rank in range(len(labels)):
        for part in parts:
            ranks = part["period_rank"]
            start, end = np.searchsorted(ranks, [period_rank, period_rank + 1])
            if end > start:
                slices.append((part, start, end))
    table = {}
    for name in list(parts[0]):
        # Column by column, each level's part released as soon as it is placed.
        pieces = [part[name][start:end] for part, start, end in slices]
        table[name] = np.concatenate(pieces) if pieces else np.concatenate([p[name] for p in parts])
        for part in parts:
            del part[name]
    del slices
    rank = table.pop("period_rank")
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
    constant = np.zeros(len(rank), dtype=np.int8)
    out = columns_frame(
        {
            "code": _categorical(constant, [indicator.code]),
            "name_zh": _categorical(constant, [indicator.name_zh]),
            "name_en": _categorical(constant, [indicator.name_en]),
            "unit": _categorical(constant, [indicator.unit]),
            "level": _categorical(table["level"], [level for level, _ in LEVEL_COLUMNS]),
            "area_code": table["area_code"],
            "period": _categorical(rank, labels),
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "target": np.full(len(rank), np.nan if target is None else float(target)),
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
    every = bool(valid.all())  # then no filtered copy of each column
    key = period * width + area if every else period[valid] * width + area[valid]
    if keys is None:
        keys, inverse = _unique_inverse(key)
    else:
        inverse = _positions(keys, key)
    del key
    size = len(keys)
    columns: dict[str, np.ndarray] = {}
    for name, values in numbers.items():
        picked = values if every else values[valid]
        # bincount turns the weights into floats itself (as ``astype(float)`` would)
        total = np.bincount(inverse, weights=picked, minlength=size)
        if np.issubdtype(picked.dtype, np.integer) or picked.dtype == bool:
            total = np.rint(total).astype(np.int64)
        columns[name] = total
    span = len(record) + 1
    pairs = inverse * span
    pairs += record if every else record[valid]
    del inverse
    pairs = _unique_sorted(pairs)
    groups = pairs // span
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
        records=_compact(pairs % span),
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
    """``np.unique(values, return_inverse=True)`` for non-negative int64 (numpy 2's hashed
    unique is several times slower on millions of rows): by marking the values in a table
    of all values up to the largest when that table is small (periods × areas), else by
    one sort."""
    if not len(values):
        return values.astype(np.int64), np.zeros(0, dtype=np.int64)
    top = int(values.max())
    if values.min() >= 0 and top < 4 * len(values) + (1 << 16):
        present = np.zeros(top + 1, dtype=bool)
        present[values] = True
        rank = np.cumsum(present, dtype=np.int64)
        rank -= 1
        return np.flatnonzero(present).astype(np.int64), rank[values]
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    new = np.empty(len(ordered), dtype=bool)
    new[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return ordered[new], inverse


def _unique_sorted(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` for int64 by one sort (stable: fast on runs already in order,
    as the basis' rows mostly are)."""
    if not len(values):
        return values.astype(np.int64)
    ordered = np.sort(values, kind="stable")
    new = np.empty(len(ordered), dtype=bool)
    new[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    return ordered[new]


def _positions(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The position of each of ``values`` in the sorted ``keys`` (each value is one of them):
    ``np.searchsorted`` by a lookup table when the keys are small (the town grid)."""
    if not len(keys) or keys[0] < 0 or keys[-1] >= 4 * len(values) + (1 << 16):
        return np.searchsorted(keys, values)
    lookup = np.zeros(int(keys[-1]) + 1, dtype=np.int64)
    lookup[keys] = np.arange(len(keys))
    return lookup[values]


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
    unit = _unit_positions(events[key], codes)
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


def _unit_positions(keys: pd.Series, codes: np.ndarray) -> pd.Series:
    """The position of each key among ``codes`` (NaN where it is none of them); a
    categorical's categories are looked up once instead of every row's text."""
    position = pd.Series(np.arange(len(codes)), index=pd.Index(codes))
    if not isinstance(keys.dtype, pd.CategoricalDtype):
        return keys.map(position)
    lookup = pd.Series(keys.cat.categories).map(position).to_numpy(dtype=float)
    found = keys.cat.codes.to_numpy()
    if not len(lookup):
        return pd.Series(np.full(len(keys), np.nan), index=keys.index)
    positions = np.where(found >= 0, lookup[np.maximum(found, 0)], np.nan)
    return pd.Series(positions, index=keys.index)


def _empty_slots(
    events: pd.DataFrame, key: str, size: int, columns: Iterable[str] | None = None
) -> dict[str, np.ndarray]:
    """Missing values for ``size`` slots of each column of ``events`` but ``key`` (of
    ``columns`` only when given): NaT for dates, NaN for floats, else None."""
    out: dict[str, np.ndarray] = {}
    for c in events.columns if columns is None else columns:
        if c == key:
            continue
        if pd.api.types.is_datetime64_any_dtype(events[c]):
            out[c] = np.full(size, np.datetime64("NaT"), dtype="datetime64[ns]")
        elif events[c].dtype == np.float64:
            out[c] = np.full(size, np.nan)
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
    unit = _unit_positions(events[key], codes)
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
