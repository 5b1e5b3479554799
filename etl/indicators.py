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
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

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
    results: pd.DataFrame
    basis: pd.DataFrame


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


def _aggregate(
    indicator: Indicator,
    basis: pd.DataFrame,
    windows: list[tuple[Period, pd.Timestamp]],
    targets: pd.DataFrame | Mapping[str, float],
    town_code: str,
    details: Callable[[pd.DataFrame], pd.DataFrame],
    town_details: Callable[[Period, pd.Timestamp], dict] | None = None,
) -> IndicatorOutput:
    """Sum ``basis`` per period and area; the town row exists for every period even when
    nothing was counted (then value NaN, met None).

    ``details(basis)`` gives numeric columns, one row per basis row, summed per area into the
    result's ``details``; a column named ``"by_status.normal"`` becomes
    ``{"by_status": {"normal": ...}}``.
    """
    target = _target_lookup(targets, indicator.code)
    basis = basis.assign(code=indicator.code).reindex(
        columns=BASIS_COLUMNS + [c for c in basis.columns if c not in BASIS_COLUMNS]
    )
    extra = details(basis)
    work = pd.concat(
        [
            basis[["period", "record_id", "admin_village_code", "natural_village_code"]],
            basis[["numerator", "denominator"]].astype(float),
            extra,
        ],
        axis=1,
    ).assign(town=town_code, record_id=lambda w: w["record_id"].astype(str))
    sums = ["numerator", "denominator", *extra.columns]
    levels = []
    for level, column in (
        ("town", "town"),
        ("admin_village", "admin_village_code"),
        ("natural_village", "natural_village_code"),
    ):
        grouped = work.dropna(subset=[column]).groupby(["period", column], sort=True)
        totals = grouped[sums].sum()
        totals["records"] = grouped["record_id"].agg(lambda ids: sorted(set(ids)))
        levels.append(
            totals.reset_index().rename(columns={column: "area_code"}).assign(level=level)
        )
    # Every period has a town row, counted or not.
    empty_town = pd.DataFrame(
        {
            "period": [p.label for p, _ in windows],
            "area_code": town_code,
            "level": "town",
        }
    )
    table = pd.concat(levels, ignore_index=True)
    table = pd.concat(
        [
            table,
            empty_town.merge(table[["period", "level"]], how="left", indicator=True)
            .query("_merge == 'left_only'")
            .drop(columns="_merge"),
        ],
        ignore_index=True,
    )
    table[sums] = table[sums].fillna(0)
    table["records"] = table["records"].map(lambda r: r if isinstance(r, list) else [])
    order = {p.label: i for i, (p, _) in enumerate(windows)}
    level_order = {"town": 0, "admin_village": 1, "natural_village": 2}
    table = table.loc[table["period"].isin(order)].sort_values(
        ["period", "level", "area_code"],
        key=lambda s: s.map(order)
        if s.name == "period"
        else (s.map(level_order) if s.name == "level" else s),
        ignore_index=True,
    )
    numerator, denominator = table["numerator"], table["denominator"]
    positive = denominator > 0
    value = (100.0 * numerator / denominator.where(positive)).astype(float)
    if target is None:
        met = pd.Series([None] * len(table), index=table.index, dtype=object)
    else:
        # Compare exactly, without rounding the percentage: 9/10 meets 90 %.
        reached = numerator * 100.0 >= target * denominator - 1e-9
        met = reached.astype(object).where(positive, None)
    town_extra = {p.label: town_details(p, c) for p, c in windows} if town_details else {}
    detail_dicts = [
        {**_nest(row), **(town_extra.get(period, {}) if level == "town" else {})}
        for row, period, level in zip(
            table[list(extra.columns)].to_dict("records"),
            table["period"],
            table["level"],
            strict=True,
        )
    ]
    results = pd.DataFrame(
        {
            "code": indicator.code,
            "name_zh": indicator.name_zh,
            "name_en": indicator.name_en,
            "unit": indicator.unit,
            "level": table["level"],
            "area_code": table["area_code"].astype(str),
            "period": table["period"],
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "target": target,
            "met": met,
            "records": table["records"],
            "details": detail_dicts,
        }
    )
    return IndicatorOutput(
        results=schemas.INDICATOR_RESULT.validate(results),
        basis=basis.reset_index(drop=True),
    )


def _nest(flat: dict) -> dict:
    """{"by_status.normal": 3, "burned_t": 1.0} -> {"by_status": {"normal": 3}, "burned_t": 1.0}"""
    nested: dict = {}
    for key, value in flat.items():
        value = int(value) if isinstance(value, int | np.integer) else float(value)
        if "." in key:
            outer, inner = key.split(".", 1)
            nested.setdefault(outer, {})[inner] = value
        else:
            nested[key] = value
    return nested


def _one_hot(series: pd.Series, prefix: str, labels: Iterable[str]) -> pd.DataFrame:
    """Count columns ``prefix.label`` (0/1 per row) for each label."""
    return pd.DataFrame(
        {f"{prefix}.{label}": series.eq(label).astype(int) for label in labels},
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
    counted = villages.loc[~villages["is_planned_relocation"]]
    parts = []
    for period, cutoff in windows:
        latest = _latest(
            surveys.loc[surveys["recorded_on"] <= cutoff],
            "natural_village_code",
            ["recorded_on", "submitted_at", "instance_id"],
        ).set_index("natural_village_code")
        mode = counted["code"].map(latest["sewage_mode"]).fillna(counted["sewage_mode"])
        connected = (
            counted["code"]
            .map(latest["households_connected"])
            .astype("Float64")
            .fillna(counted["households_connected"].astype(float))
        )
        parts.append(
            pd.DataFrame(
                {
                    "period": period.label,
                    "record_id": counted["code"].to_numpy(),
                    "admin_village_code": counted["admin_village_code"].to_numpy(),
                    "natural_village_code": counted["code"].to_numpy(),
                    "numerator": mode.ne("none").astype(float).to_numpy(),
                    "denominator": 1.0,
                    "category": mode.to_numpy(),
                    "source_id": counted["code"].map(latest["instance_id"]).to_numpy(),
                    "households": counted["households"].to_numpy(),
                    "households_connected": connected.to_numpy(dtype=float, na_value=np.nan),
                }
            )
        )
    basis = _concat(parts, ["households", "households_connected"])
    relocation = int(villages["is_planned_relocation"].sum())

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
        town_details=lambda *_: {"excluded_planned_relocation": relocation},
    )


def _concat(parts: list[pd.DataFrame], extra: list[str]) -> pd.DataFrame:
    columns = [c for c in BASIS_COLUMNS if c != "code"] + extra
    if not parts:
        return pd.DataFrame(columns=columns)
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
            observed[
                ["facility_code", "recorded_on", "submitted_at", "instance_id", "status"]
            ].assign(is_submission=1),
        ],
        ignore_index=True,
    )
    # Sorted once: a period's window keeps the order, so its last row per facility is latest.
    events = events.sort_values(
        ["recorded_on", "is_submission", "submitted_at", "instance_id"],
        na_position="first",
        kind="stable",
        ignore_index=True,
    )
    parts = []
    for period, cutoff in windows:
        window = events.loc[events["recorded_on"].between(period.start, cutoff)]
        latest = window.drop_duplicates("facility_code", keep="last").set_index("facility_code")
        status = in_service["code"].map(latest["status"]).fillna("uninspected")
        parts.append(
            pd.DataFrame(
                {
                    "period": period.label,
                    "record_id": in_service["code"].to_numpy(),
                    "admin_village_code": in_service["admin_village_code"].to_numpy(),
                    "natural_village_code": in_service["natural_village_code"].to_numpy(),
                    "numerator": status.eq("normal").astype(float).to_numpy(),
                    "denominator": 1.0,
                    "category": status.to_numpy(),
                    "source_id": in_service["code"].map(latest["instance_id"]).to_numpy(),
                    "inspected_on": in_service["code"].map(latest["recorded_on"]).to_numpy(),
                }
            )
        )
    basis = _concat(parts, ["inspected_on"])

    def details(rows: pd.DataFrame) -> pd.DataFrame:
        return _one_hot(rows["category"], "by_status", FACILITY_CATEGORIES)

    return _aggregate(INDICATORS["FACILITY_OPERATION"], basis, windows, targets, town_code, details)


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
    rebound = observed["purpose"].eq("post_monitoring") & observed["rural_black"].fillna(False)
    stage = observed["stage"].map(FORM_STAGE_TO_REGISTRY).mask(rebound, "rebound")
    events = pd.concat(
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


def black_water_elimination(
    water_bodies: pd.DataFrame,
    water_observations: pd.DataFrame,
    *,
    periods: Iterable[str],
    targets: pd.DataFrame | Mapping[str, float],
    as_of: dt.date,
    town_code: str = TOWN_CODE,
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
    parts = []
    for period, cutoff in windows:
        state = water_body_stages(water_bodies, observed, cutoff=cutoff.date())
        in_window = rebound_visits["recorded_on"].between(period.start, cutoff)
        rebounded = set(rebound_visits.loc[in_window, "water_body_code"])
        parts.append(
            pd.DataFrame(
                {
                    "period": period.label,
                    "record_id": state["code"].to_numpy(),
                    "admin_village_code": state["admin_village_code"].to_numpy(),
                    "natural_village_code": state["natural_village_code"].to_numpy(),
                    "numerator": state["stage"].eq("closed").astype(float).to_numpy(),
                    "denominator": 1.0,
                    "category": state["stage"].to_numpy(),
                    "source_id": state["source_id"].to_numpy(),
                    "stage_date": state["stage_date"].to_numpy(),
                    "rebounded_in_period": state["code"].isin(rebounded).to_numpy(),
                }
            )
        )
    basis = _concat(parts, ["stage_date", "rebounded_in_period"])

    def details(rows: pd.DataFrame) -> pd.DataFrame:
        return _one_hot(rows["category"], "by_stage", schemas.WATER_BODY_STAGES).assign(
            rebounds_in_period=rows["rebounded_in_period"].fillna(False).astype(int)
        )

    def town_details(period: Period, cutoff: pd.Timestamp) -> dict:
        new = observed["water_body_source"].eq("new") & observed["recorded_on"].between(
            period.start, cutoff
        )
        return {"new_reports_unconfirmed": int(new.sum())}

    return _aggregate(
        INDICATORS["BLACK_WATER_ELIMINATION"],
        basis,
        windows,
        targets,
        town_code,
        details,
        town_details,
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

    return _aggregate(INDICATORS["FILM_RECOVERY"], basis, windows, targets, town_code, details)


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

    return _aggregate(INDICATORS["STRAW_UTILIZATION"], basis, windows, targets, town_code, details)


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
) -> dict[str, IndicatorOutput]:
    """Every indicator for the same periods, targets and cut-off; ``tables`` is a
    ``tidy.TidyTables``."""
    periods = list(periods)
    common = {"periods": periods, "targets": targets, "as_of": as_of, "town_code": town_code}
    return {
        "SEWAGE_COVERAGE": sewage_coverage(natural_villages, tables.coverage_surveys, **common),
        "FACILITY_OPERATION": facility_operation(facilities, tables.inspections, **common),
        "BLACK_WATER_ELIMINATION": black_water_elimination(
            water_bodies, tables.water_observations, **common
        ),
        "FILM_RECOVERY": film_recovery(tables.film_records, tables.film_entries, **common),
        "STRAW_UTILIZATION": straw_utilization(
            tables.straw_records, tables.burning_sites, **common
        ),
    }
