"""What each page shows, selected from a town's ``Dataset`` (``dash_app.data``) as
DataFrames: periods, overview cards and trends, villages, facilities, water bodies, film and
straw, alerts, the map outline and tiles, the workbook download. Pure: no Dash, no queries
(the workbook download runs the ETL's writer on the dataset's tables)."""

import datetime as dt
import io
import os
from collections.abc import Iterable

import numpy as np
import pandas as pd

from dash_app.data import (
    ABNORMAL_STATUSES,
    DEADLINE,
    FIRST_YEAR,
    INDICATOR_CODES,
    OVERDUE_DAYS,
    SEVERE_DAYS,
    WARN_DAYS,
    WATER_STAGES,
    Dataset,
    Viewer,
)

# --------------------------------------------------------------------------- periods


def period_label(year: int, quarter: int | None) -> str:
    return f"{year}-Q{quarter}" if quarter else str(year)


def period_bounds(label: str, as_of: dt.date) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First day and cut-off (last day, or ``as_of`` if earlier) of a period label."""
    year, _, quarter = label.partition("-Q")
    if quarter:
        start = pd.Timestamp(int(year), 3 * int(quarter) - 2, 1)
        end = start + pd.offsets.QuarterEnd(0)
    else:
        start, end = pd.Timestamp(int(year), 1, 1), pd.Timestamp(int(year), 12, 31)
    return start, min(end, pd.Timestamp(as_of))


def quarter_end(label: str) -> pd.Timestamp:
    year, quarter = label.split("-Q")
    return pd.Timestamp(int(year), 3 * int(quarter), 1) + pd.offsets.MonthEnd(0)


# --------------------------------------------------------------------------- overview


def _area(results: pd.DataFrame, town_code: str, village: str | None) -> pd.DataFrame:
    if village:
        return results.loc[
            (results["level"] == "admin_village") & (results["area_code"] == village)
        ]
    return results.loc[(results["level"] == "town") & (results["area_code"] == town_code)]


def indicator_cards(
    results: pd.DataFrame, town_code: str, period: str, village: str | None = None
) -> pd.DataFrame:
    """One row per indicator for the period and area (the town, or one administrative
    village): value, target, gap (percentage points still missing, 0 when met), met."""
    rows = _area(results, town_code, village)
    rows = rows.loc[rows["period"] == period].set_index("code")
    out = []
    for code in INDICATOR_CODES:
        if code in rows.index:
            row = rows.loc[code]
            value, target, met = row["value"], row["target"], row["met"]
            numerator, denominator = row["numerator"], row["denominator"]
            records = int(row["record_count"])
            details = row["details"]
        else:
            value, target, met, numerator, denominator, records, details = (
                np.nan,
                np.nan,
                None,
                0.0,
                0.0,
                0,
                {},
            )
        value = float(value) if pd.notna(value) else np.nan
        target = float(target) if target is not None and pd.notna(target) else np.nan
        gap = max(0.0, target - value) if pd.notna(value) and pd.notna(target) else np.nan
        out.append(
            {
                "code": code,
                "value": value,
                "target": target,
                "gap": gap,
                "met": None if met is None or pd.isna(met) else bool(met),
                "numerator": float(numerator),
                "denominator": float(denominator),
                "records": records,
                "details": details,
            }
        )
    return pd.DataFrame(out)


def quarterly_series(
    results: pd.DataFrame,
    town_code: str,
    code: str,
    village: str | None = None,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """The indicator's value per quarter (``period``, ``date`` = quarter end, ``value``,
    ``in_progress``: the quarter had not ended on ``as_of``).

    A quarter without evidence has no value (NaN), not the published 0 %: facility
    operation counts an uninspected facility as not normal, so before the first inspections
    on record (the baseline survey, 2020-Q4 in the demo) its value is 0 % by rule, which a
    trend must not show as a fall to zero. For the same rule the quarter in progress is
    marked: its facilities not inspected yet count as not normal until the quarter ends, so
    it is drawn apart and left out of the projection."""
    rows = _area(results, town_code, village)
    rows = rows.loc[(rows["code"] == code) & rows["period"].str.contains("-Q", regex=False)]
    values = rows["value"].astype(float).where(~rows["details"].map(_without_evidence).astype(bool))
    series = pd.DataFrame(
        {
            "period": rows["period"].to_numpy(),
            "date": pd.to_datetime([quarter_end(p) for p in rows["period"]]),
            "value": values.to_numpy(),
        }
    )
    cut_off = pd.Timestamp(as_of) if as_of is not None else None
    series["in_progress"] = series["date"] > cut_off if cut_off is not None else False
    return series.sort_values("date", ignore_index=True)


def completed_quarters(series: pd.DataFrame) -> pd.DataFrame:
    """The rows of quarters that had ended on the cut-off (all, without ``in_progress``)."""
    if "in_progress" not in series:
        return series
    return series.loc[~series["in_progress"].astype(bool)]


def _without_evidence(details) -> bool:
    """True when every counted facility is uninspected (nothing observed yet)."""
    if not isinstance(details, dict) or "by_status" not in details:
        return False
    by_status = details["by_status"]
    return bool(by_status.get("uninspected", 0) > 0) and all(
        float(count) == 0 for status, count in by_status.items() if status != "uninspected"
    )


def projection(
    series: pd.DataFrame, *, deadline: pd.Timestamp = DEADLINE, window: int = 8
) -> pd.DataFrame:
    """Where the indicator lands at the current pace: a straight line fitted to the last
    ``window`` quarters with a value, drawn from the last value to the deadline (or, once
    the deadline has passed, four quarters past the last value). Clipped to 0–100 %.
    Empty when fewer than two quarters have a value. A quarter in progress is not a pace."""
    known = completed_quarters(series).dropna(subset=["value"]).tail(window)
    if len(known) < 2:
        return pd.DataFrame(columns=["date", "value"])
    days = (known["date"] - known["date"].iloc[0]).dt.days.to_numpy(dtype=float)
    slope, intercept = np.polyfit(days, known["value"].to_numpy(dtype=float), 1)
    last = known["date"].iloc[-1]
    end = deadline if deadline > last else last + pd.offsets.QuarterEnd(4)
    at = np.array([(last - known["date"].iloc[0]).days, (end - known["date"].iloc[0]).days])
    values = np.clip(intercept + slope * at, 0.0, 100.0)
    values[0] = known["value"].iloc[-1]
    values[1] = np.clip(values[0] + slope * (at[1] - at[0]), 0.0, 100.0)
    return pd.DataFrame({"date": [last, end], "value": values})


# --------------------------------------------------------------------------- villages


def village_table(ds: Dataset, period: str, viewer: Viewer) -> pd.DataFrame:
    """Every administrative and natural village the viewer sees, with coverage, operation
    (the ETL's values for the period) and counts of natural villages, facilities and water
    bodies."""
    results = ds.results.loc[ds.results["period"] == period]

    def values(code: str, level: str) -> pd.Series:
        rows = results.loc[(results["code"] == code) & (results["level"] == level)]
        return rows.set_index("area_code")["value"].astype(float)

    modes = ds.coverage_modes.loc[ds.coverage_modes["period"] == period]
    mode_at_cutoff = modes.drop_duplicates("natural_village_code").set_index(
        "natural_village_code"
    )["category"]
    admin = ds.admin_villages.loc[ds.admin_villages["code"].isin(viewer.admin_village_codes)]
    natural = ds.natural_villages.loc[
        ds.natural_villages["admin_village_code"].isin(viewer.admin_village_codes)
    ]
    facilities = ds.facilities.loc[ds.facilities["code"].isin(viewer.facility_codes)]
    water = ds.water_bodies.loc[ds.water_bodies["code"].isin(viewer.water_body_codes)]
    admin_names = dict(zip(admin["code"], admin["name"], strict=True))
    admin_rows = pd.DataFrame(
        {
            "code": admin["code"],
            "name": admin["name"],
            "level": "admin_village",
            "admin_village_code": admin["code"],
            "admin_village_name": admin["name"],
            "coverage": admin["code"].map(values("SEWAGE_COVERAGE", "admin_village")),
            "operation": admin["code"].map(values("FACILITY_OPERATION", "admin_village")),
            "natural_villages": admin["code"]
            .map(natural.groupby("admin_village_code").size())
            .fillna(0)
            .astype(int),
            "facilities": admin["code"]
            .map(facilities.groupby("admin_village_code").size())
            .fillna(0)
            .astype(int),
            "water_bodies": admin["code"]
            .map(water.groupby("admin_village_code").size())
            .fillna(0)
            .astype(int),
            "households": admin["code"]
            .map(natural.groupby("admin_village_code")["households"].sum())
            .fillna(0)
            .astype(int),
            "sewage_mode": "",
        }
    )
    natural_rows = pd.DataFrame(
        {
            "code": natural["code"],
            "name": natural["name"],
            "level": "natural_village",
            "admin_village_code": natural["admin_village_code"],
            "admin_village_name": natural["admin_village_code"].map(admin_names),
            "coverage": natural["code"].map(values("SEWAGE_COVERAGE", "natural_village")),
            "operation": natural["code"].map(values("FACILITY_OPERATION", "natural_village")),
            "natural_villages": 1,
            "facilities": natural["code"]
            .map(facilities.groupby("natural_village_code").size())
            .fillna(0)
            .astype(int),
            "water_bodies": natural["code"]
            .map(water.groupby("natural_village_code").size())
            .fillna(0)
            .astype(int),
            "households": natural["households"].astype(int),
            # The mode the ETL counted at the period's cut-off; relocation villages (not
            # counted) keep the registry's.
            "sewage_mode": natural["code"].map(mode_at_cutoff).fillna(natural["sewage_mode"]),
        }
    )
    return pd.concat([admin_rows, natural_rows], ignore_index=True).sort_values(
        ["admin_village_code", "level", "code"], ignore_index=True
    )


# --------------------------------------------------------------------------- facilities


def status_group(status: str | None) -> str:
    """正常 / 异常 / 未巡查 (issue 6): defective and stopped are both 异常."""
    if status == "normal":
        return "normal"
    if status in ABNORMAL_STATUSES:
        return "abnormal"
    return "uninspected"


def facility_table(
    ds: Dataset, cutoff: pd.Timestamp, viewer: Viewer, village: str | None = None
) -> pd.DataFrame:
    """The ETL's facility ledger on ``cutoff`` (latest inspection and its faults) with
    location, names, the 正常/异常/未巡查 group and days since the last inspection."""
    from etl import ledgers

    tables = ds.tables
    ledger = ledgers.facility_ledger(
        ds.registry.facilities,
        tables.inspections,
        tables.inspection_faults,
        as_of=cutoff.date(),
    )
    ledger = ledger.loc[ledger["facility_code"].isin(viewer.facility_codes)]
    if village:
        ledger = ledger.loc[ledger["admin_village_code"] == village]
    places = ds.facilities.set_index("code")
    names = dict(zip(ds.admin_villages["code"], ds.admin_villages["name"], strict=True))
    natural_names = dict(zip(ds.natural_villages["code"], ds.natural_villages["name"], strict=True))
    inspected = pd.to_datetime(ledger["inspected_on"])
    return pd.DataFrame(
        {
            "facility_code": ledger["facility_code"],
            "facility_name": ledger["facility_name"],
            "admin_village_code": ledger["admin_village_code"],
            "admin_village_name": ledger["admin_village_code"].map(names),
            "natural_village_name": ledger["natural_village_code"].map(natural_names),
            "in_service": ledger["in_service"].astype(bool),
            "status": ledger["status"],
            "status_group": ledger["status"].map(status_group),
            "inspected_on": inspected,
            "days_since": (cutoff - inspected).dt.days,
            "faults": ledger["faults"],
            "inspector": ledger["inspector"],
            "instance_id": ledger["instance_id"],
            "latitude": ledger["facility_code"].map(places["latitude"]),
            "longitude": ledger["facility_code"].map(places["longitude"]),
        }
    ).reset_index(drop=True)


# --------------------------------------------------------------------------- water bodies


def water_table(
    ds: Dataset, cutoff: pd.Timestamp, viewer: Viewer, village: str | None = None
) -> pd.DataFrame:
    """The ETL's water-body ledger on ``cutoff`` with location and two dashboard flags:
    ``rebound`` (stage 返黑) and ``overdue`` (in 整治后监测 with no monitoring visit for
    more than a quarter, counted from the last visit or, before the first, from the stage
    date); ``last_monitoring`` is the last post-remediation monitoring visit."""
    from etl import ledgers

    observed = ds.tables.water_observations
    ledger = ledgers.water_body_ledger(ds.registry.water_bodies, observed, as_of=cutoff.date())
    ledger = ledger.loc[ledger["water_body_code"].isin(viewer.water_body_codes)]
    if village:
        ledger = ledger.loc[ledger["admin_village_code"] == village]
    visits = observed.loc[
        observed["purpose"].eq("post_monitoring") & observed["recorded_on"].le(cutoff)
    ]
    last_visit = ledger["water_body_code"].map(
        visits.groupby("water_body_code")["recorded_on"].max()
    )
    last_seen = last_visit.fillna(ledger["stage_date"])  # monitoring starts at the stage date
    overdue = ledger["stage"].eq("monitoring") & (
        last_seen.isna() | ((cutoff - last_seen).dt.days > ds.thresholds[OVERDUE_DAYS])
    )
    places = ds.water_bodies.set_index("code")
    names = dict(zip(ds.admin_villages["code"], ds.admin_villages["name"], strict=True))
    return pd.DataFrame(
        {
            "water_body_code": ledger["water_body_code"],
            "water_body_name": ledger["water_body_name"],
            "admin_village_code": ledger["admin_village_code"],
            "admin_village_name": ledger["admin_village_code"].map(names),
            "stage": ledger["stage"],
            "stage_date": pd.to_datetime(ledger["stage_date"]),
            "last_monitoring": pd.to_datetime(last_visit),
            "overdue": overdue.astype(bool),
            "rebound": ledger["stage"].eq("rebound"),
            "kind": ledger["water_body_code"].map(places["kind"]),
            # The first date each lifecycle stage was reached (the ETL ledger's *_on columns).
            **{
                f"{stage}_on": pd.to_datetime(ledger[f"{stage}_on"])
                for stage in WATER_STAGES
                if f"{stage}_on" in ledger.columns
            },
            "latitude": ledger["water_body_code"].map(places["latitude"]),
            "longitude": ledger["water_body_code"].map(places["longitude"]),
        }
    ).reset_index(drop=True)


def stage_counts(water: pd.DataFrame, stages: Iterable[str]) -> pd.DataFrame:
    counts = water["stage"].value_counts()
    return pd.DataFrame({"stage": list(stages)}).assign(
        count=lambda f: f["stage"].map(counts).fillna(0).astype(int)
    )


def measurement_limits(ds: Dataset) -> dict[str, float]:
    """The black-odorous limits by measurement column (the 判定阈值 table's values)."""
    from etl.judgements import Judgements

    judged = Judgements.of(ds.judgements)
    return {
        "transparency_cm": judged.water_sd_cm,
        "do_mgl": judged.water_do_mgl,
        "nh3n_mgl": judged.water_nh3n_mgl,
    }


def water_history(ds: Dataset, water_body_code: str) -> pd.DataFrame:
    """Each observation of one water body: date and the mean of its sample points."""
    observed = ds.tables.water_observations
    points = ds.tables.water_sample_points
    mine = observed.loc[observed["water_body_code"] == water_body_code]
    joined = mine[["instance_id", "recorded_on"]].merge(points, on="instance_id", how="inner")
    if joined.empty:
        return pd.DataFrame(columns=["recorded_on", "transparency_cm", "do_mgl", "nh3n_mgl"])
    return (
        joined.groupby("recorded_on")[["transparency_cm", "do_mgl", "nh3n_mgl"]]
        .mean()
        .reset_index()
        .sort_values("recorded_on", ignore_index=True)
    )


# --------------------------------------------------------------------------- film and straw


def by_village(
    ds: Dataset, code: str, period: str, viewer: Viewer, village: str | None = None
) -> pd.DataFrame:
    """The ETL's administrative-village rows of one indicator for the period."""
    results = ds.area_results
    rows = results.loc[
        (results["code"] == code)
        & (results["level"] == "admin_village")
        & (results["period"] == period)
        & results["area_code"].isin(viewer.admin_village_codes)
    ]
    if village:
        rows = rows.loc[rows["area_code"] == village]
    names = dict(zip(ds.admin_villages["code"], ds.admin_villages["name"], strict=True))
    return pd.DataFrame(
        {
            "admin_village_code": rows["area_code"].to_numpy(),
            "admin_village_name": rows["area_code"].map(names).to_numpy(),
            "value": rows["value"].astype(float).to_numpy(),
            "numerator": rows["numerator"].to_numpy(),
            "denominator": rows["denominator"].to_numpy(),
            "target": rows["target"].to_numpy(),
            "met": rows["met"].to_numpy(),
            "details": rows["details"].to_numpy(),
        }
    )


def straw_split(details: dict) -> pd.DataFrame:
    """The ETL's split of utilised straw by use (tonnes), without imports."""
    uses = details.get("by_use_t", {}) if isinstance(details, dict) else {}
    return pd.DataFrame(
        {"use": list(uses), "tonnes": [float(v) for v in uses.values()]},
        columns=["use", "tonnes"],
    )


FINDING_COLUMNS = ["kind", "instance_id", "admin_village_code", "latitude", "longitude"]


def findings(ds: Dataset, period: str, viewer: Viewer, village: str | None = None) -> pd.DataFrame:
    """Located findings behind the period's film and straw values: banned-thickness film
    (reports with a thin-film entry) and open burning (mapped burning sites, else the report's
    own location). The records are those the ETL counted for the period (its basis)."""
    from etl import indicators

    tables = ds.tables
    common = {
        "periods": [period],
        "targets": ds.targets,
        "as_of": ds.as_of,
        "town_code": ds.town_code,
    }
    film = indicators.film_recovery(tables.film_records, tables.film_entries, **common).basis
    film = film.loc[(film["period"] == period) & film["thin_film"].astype(bool)]
    straw = indicators.straw_utilization(tables.straw_records, tables.burning_sites, **common)
    straw = straw.basis.loc[straw.basis["period"] == period]
    records = tables.film_records.set_index("instance_id")
    thin = records.loc[records.index.isin(film["record_id"])]
    parts = [
        pd.DataFrame(
            {
                "kind": "thin_film",
                "instance_id": thin.index,
                "admin_village_code": thin["admin_village_code"].to_numpy(),
                "latitude": thin["latitude"].to_numpy(),
                "longitude": thin["longitude"].to_numpy(),
            }
        )
    ]
    straw_records = tables.straw_records.set_index("instance_id")
    sites = tables.burning_sites.loc[tables.burning_sites["instance_id"].isin(straw["record_id"])]
    parts.append(
        pd.DataFrame(
            {
                "kind": "burning",
                "instance_id": sites["instance_id"].to_numpy(),
                "admin_village_code": sites["instance_id"]
                .map(straw_records["admin_village_code"])
                .to_numpy(),
                "latitude": sites["latitude"].to_numpy(),
                "longitude": sites["longitude"].to_numpy(),
            }
        )
    )
    seen = straw.loc[straw["open_burning_seen"].astype(bool) & (straw["burning_sites"] == 0)]
    seen_records = straw_records.loc[straw_records.index.isin(seen["record_id"])]
    parts.append(
        pd.DataFrame(
            {
                "kind": "burning",
                "instance_id": seen_records.index,
                "admin_village_code": seen_records["admin_village_code"].to_numpy(),
                "latitude": seen_records["latitude"].to_numpy(),
                "longitude": seen_records["longitude"].to_numpy(),
            }
        )
    )
    frame = (
        pd.concat([p for p in parts if not p.empty], ignore_index=True)
        if any(not p.empty for p in parts)
        else pd.DataFrame(columns=FINDING_COLUMNS)
    )
    frame = frame.loc[frame["admin_village_code"].isin(viewer.admin_village_codes)]
    if village:
        frame = frame.loc[frame["admin_village_code"] == village]
    return frame.drop_duplicates(["kind", "instance_id", "latitude", "longitude"]).reset_index(
        drop=True
    )


# --------------------------------------------------------------------------- alerts

ALERT_COLUMNS = ["kind", "code", "name", "admin_village_name", "detail", "page", "param"]


def alerts(ds: Dataset, period: str, viewer: Viewer, village: str | None = None) -> pd.DataFrame:
    """Facilities abnormal at their last inspection or not inspected for 30 / 90 days, water
    bodies rebounded or overdue, administrative villages below target; each row names the
    page and query parameter that opens its record."""
    _, cutoff = period_bounds(period, ds.as_of)
    rows: list[dict] = []
    facilities = facility_table(ds, cutoff, viewer, village)
    facilities = facilities.loc[facilities["in_service"]]
    for f in facilities.itertuples():
        base = {
            "code": f.facility_code,
            "name": f.facility_name,
            "admin_village_name": f.admin_village_name,
            "page": "facilities",
            "param": "facility",
        }
        if f.status in ABNORMAL_STATUSES:
            rows.append({**base, "kind": "facility_abnormal", "detail": f.status})
        days = f.days_since
        if pd.isna(days) or days > ds.thresholds[SEVERE_DAYS]:
            rows.append({**base, "kind": "facility_not_inspected_severe", "detail": days})
        elif days > ds.thresholds[WARN_DAYS]:
            rows.append({**base, "kind": "facility_not_inspected_warn", "detail": days})
    water = water_table(ds, cutoff, viewer, village)
    for w in water.itertuples():
        base = {
            "code": w.water_body_code,
            "name": w.water_body_name,
            "admin_village_name": w.admin_village_name,
            "page": "water",
            "param": "water",
        }
        if w.rebound:
            rows.append({**base, "kind": "water_rebound", "detail": w.stage_date})
        if w.overdue:
            last = w.last_monitoring if pd.notna(w.last_monitoring) else w.stage_date
            rows.append({**base, "kind": "water_overdue", "detail": last})
    names = dict(zip(ds.admin_villages["code"], ds.admin_villages["name"], strict=True))
    results = ds.area_results
    below = results.loc[
        (results["level"] == "admin_village")
        & (results["period"] == period)
        & results["area_code"].isin(viewer.admin_village_codes)
        & results["met"].eq(False)
    ]
    if village:
        below = below.loc[below["area_code"] == village]
    for r in below.itertuples():
        rows.append(
            {
                "kind": "village_below_target",
                "code": r.area_code,
                "name": names.get(r.area_code, r.area_code),
                "admin_village_name": names.get(r.area_code, ""),
                "detail": (r.code, float(r.value), float(r.target)),
                "page": "villages",
                "param": "village",
            }
        )
    order = {k: i for i, k in enumerate(ALERT_ORDER)}
    frame = pd.DataFrame(rows, columns=ALERT_COLUMNS)
    return frame.sort_values(
        by=["kind", "code"], key=lambda s: s.map(order) if s.name == "kind" else s
    ).reset_index(drop=True)


ALERT_ORDER = [
    "facility_abnormal",
    "water_rebound",
    "water_overdue",
    "facility_not_inspected_severe",
    "facility_not_inspected_warn",
    "village_below_target",
]


# --------------------------------------------------------------------------- map outline


def convex_hull(points: pd.DataFrame) -> pd.DataFrame:
    """The convex hull of ``longitude``/``latitude`` points as a closed ring (Andrew's
    monotone chain); the town outline drawn from our own data when no boundary exists."""
    pts = sorted(
        set(zip(points["longitude"].astype(float), points["latitude"].astype(float), strict=True))
    )
    pts = [p for p in pts if not (np.isnan(p[0]) or np.isnan(p[1]))]
    if len(pts) < 3:
        return pd.DataFrame({"longitude": [p[0] for p in pts], "latitude": [p[1] for p in pts]})

    def cross(o, a, b) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    ring = lower[:-1] + upper[:-1]
    ring.append(ring[0])
    return pd.DataFrame({"longitude": [p[0] for p in ring], "latitude": [p[1] for p in ring]})


# --------------------------------------------------------------------------- map tiles

TILE_URLS = {
    # 天地图 web-mercator vector tiles; CGCS2000, no shift from WGS-84.
    "tianditu": "https://t0.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile"
    "&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}",
    # 高德 road tiles, drawn in GCJ-02: points are shifted with geo.wgs84_to_gcj02.
    "amap": "https://webrd01.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
    "&x={x}&y={y}&z={z}",
}


def map_tiles() -> tuple[str, str] | None:
    """The optional tile layer: DASH_MAP_TILES=tianditu (with DASH_TIANDITU_KEY) or amap.
    None (the default): no external tiles, the map draws only our own data."""
    name = os.environ.get("DASH_MAP_TILES", "").strip().lower()
    if name == "tianditu":
        key = os.environ.get("DASH_TIANDITU_KEY", "").strip()
        return (name, TILE_URLS[name].replace("{key}", key)) if key else None
    if name == "amap":
        return name, TILE_URLS[name]
    return None


# --------------------------------------------------------------------------- downloads


def workbook_bytes(ds: Dataset, year: int, generated_at: dt.datetime | None = None) -> bytes:
    """The ETL's annual assessment workbook of ``year`` for the town: the ETL computes the
    year's periods from the town's data and writes it as ``python -m etl export`` does."""
    from etl import indicators, pipeline

    if not FIRST_YEAR <= year <= ds.as_of.year:
        raise ValueError(f"no data for {year}")
    cutoff = min(ds.as_of, dt.date(year, 12, 31))
    outputs = indicators.all_indicators(
        natural_villages=ds.registry.natural_villages,
        facilities=ds.registry.facilities,
        water_bodies=ds.registry.water_bodies,
        tables=ds.tables,
        periods=indicators.year_periods(year),
        targets=ds.targets,
        as_of=cutoff,
        town_code=ds.town_code,
    )
    run = pipeline.RunResult(as_of=cutoff, registry=ds.registry, tables=ds.tables, outputs=outputs)
    buffer = io.BytesIO()
    pipeline.workbook_write(
        run, year=year, out=buffer, generated_at=generated_at or dt.datetime.now()
    )
    return buffer.getvalue()
