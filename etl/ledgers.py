"""The ledgers (台账) of the annual workbook, as DataFrames with English columns.

Pure transforms like ``etl.indicators``: they take tidy frames, the registry and the cut-off
date, return new frames and read nothing else. ``etl.workbooks`` writes them with Chinese
headers.
"""

import datetime as dt

import numpy as np
import pandas as pd

from etl import schemas
from etl.indicators import FORM_STAGE_TO_REGISTRY, water_body_stages


def facility_ledger(
    facilities: pd.DataFrame,
    inspections: pd.DataFrame,
    inspection_faults: pd.DataFrame,
    *,
    as_of: dt.date,
) -> pd.DataFrame:
    """Every facility with its latest inspection on or before ``as_of`` and that
    inspection's faults ("type/severity; ..."); uninspected facilities keep empty columns."""
    registry = schemas.require(schemas.FACILITIES, facilities)
    observed = schemas.require(schemas.INSPECTIONS, inspections)
    faults = schemas.require(schemas.INSPECTION_FAULTS, inspection_faults)
    cutoff = pd.Timestamp(as_of)
    latest = _latest_inspections(observed.loc[observed["recorded_on"] <= cutoff])
    # Only the faults of those inspections, joined in entry order.
    faults = faults.loc[faults["instance_id"].isin(latest["instance_id"])]
    faults = faults.sort_values(["instance_id", "entry"], kind="stable")
    fault_text: dict[str, str] = {}
    for instance_id, text in zip(
        faults["instance_id"].tolist(),
        (faults["fault_type"] + "/" + faults["fault_severity"]).tolist(),
        strict=True,
    ):
        earlier = fault_text.get(instance_id)
        fault_text[instance_id] = text if earlier is None else f"{earlier}; {text}"
    ledger = registry.merge(
        latest[["facility_code", "recorded_on", "status", "instance_id", "submitter"]],
        left_on="code",
        right_on="facility_code",
        how="left",
    )
    # The registry's own status stands when no inspection was submitted.
    from_registry = ledger["recorded_on"].isna() & ledger["status_date"].le(cutoff)
    return pd.DataFrame(
        {
            "facility_code": ledger["code"],
            "facility_name": ledger["name"],
            "admin_village_code": ledger["admin_village_code"],
            "natural_village_code": ledger["natural_village_code"],
            "in_service": ledger["in_service"],
            "inspected_on": ledger["recorded_on"].where(~from_registry, ledger["status_date"]),
            "status": ledger["status_y"]
            .where(~from_registry, ledger["status_x"])
            .fillna("uninspected"),
            "faults": ledger["instance_id"].map(fault_text).fillna(""),
            "inspector": ledger["submitter"],
            "instance_id": ledger["instance_id"],
        }
    ).sort_values("facility_code", ignore_index=True)


def _latest_inspections(inspections: pd.DataFrame) -> pd.DataFrame:
    """Each facility's last inspection by date, then receipt time, then instance ID (missing
    times last, as ``sort_values`` puts them): sorted on integers, the instance IDs ranked
    only where a facility has two inspections with the same date and receipt time."""
    if inspections.empty:
        return inspections
    unit = pd.factorize(inspections["facility_code"])[0]
    last = np.iinfo(np.int64).max
    dated = inspections["recorded_on"].to_numpy(dtype="datetime64[ns]")
    received = inspections["submitted_at"].to_numpy(dtype="datetime64[ns]")
    dated = np.where(np.isnat(dated), last, dated.view(np.int64))
    received = np.where(np.isnat(received), last, received.view(np.int64))
    tiebreak = np.zeros(len(unit), dtype=np.int64)
    same = pd.DataFrame({"u": unit, "d": dated, "r": received}).duplicated(keep=False).to_numpy()
    if same.any():
        ids = inspections["instance_id"].to_numpy(dtype=object)[same]
        tiebreak[same] = pd.Series(ids).rank(method="dense").to_numpy(dtype=np.int64)
    order = np.lexsort((tiebreak, received, dated, unit))
    ends = np.flatnonzero(np.append(unit[order][1:] != unit[order][:-1], True))
    return inspections.iloc[order[ends]]


def water_body_ledger(
    water_bodies: pd.DataFrame, water_observations: pd.DataFrame, *, as_of: dt.date
) -> pd.DataFrame:
    """Every confirmed water body with its stage on ``as_of``, the first date it reached each
    lifecycle stage, and its 销号 status (closed, rebound or open)."""
    observed = schemas.require(schemas.WATER_OBSERVATIONS, water_observations)
    state = water_body_stages(water_bodies, observed, cutoff=as_of)
    cutoff = pd.Timestamp(as_of)
    reached = observed.loc[
        observed["recorded_on"].le(cutoff) & observed["water_body_code"].notna()
    ].assign(stage=lambda o: o["stage"].map(FORM_STAGE_TO_REGISTRY))
    reached.loc[
        reached["purpose"].eq("post_monitoring") & reached["rural_black"].fillna(False), "stage"
    ] = "rebound"
    first = (
        reached.dropna(subset=["stage"])
        .groupby(["water_body_code", "stage"])["recorded_on"]
        .min()
        .unstack()
        .reindex(columns=schemas.WATER_BODY_STAGES)
    )
    ledger = state.rename(columns={"code": "water_body_code", "name": "water_body_name"})
    for stage in schemas.WATER_BODY_STAGES:
        ledger[f"{stage}_on"] = ledger["water_body_code"].map(first[stage])
    ledger["closed_off"] = (
        ledger["stage"].map({"closed": "closed", "rebound": "rebound"}).fillna("open")
    )
    return ledger.drop(columns=["is_confirmed"]).sort_values("water_body_code", ignore_index=True)


def film_ledger(
    film_records: pd.DataFrame, film_entries: pd.DataFrame, *, year: int
) -> pd.DataFrame:
    """One row per film report whose reporting period ends in ``year``: used, recovered,
    rate and thin-film findings, by village and reporting period."""
    records = schemas.require(schemas.FILM_RECORDS, film_records)
    entries = schemas.require(schemas.FILM_ENTRIES, film_entries)
    totals = entries.groupby("instance_id").agg(
        film_used_kg=("film_used_kg", "sum"),
        film_recovered_kg=("film_recovered_kg", "sum"),
        thin_film_findings=("thin_film", "sum"),
    )
    ledger = records.loc[records["period_end"].dt.year == year].join(totals, on="instance_id")
    used = ledger["film_used_kg"]
    ledger = ledger.assign(
        recovery_rate=(100 * ledger["film_recovered_kg"] / used).where(used > 0),
        thin_film_findings=ledger["thin_film_findings"].fillna(0).astype(int),
    )
    columns = [
        "admin_village_code",
        "natural_village_code",
        "site_type",
        "collection_point_name",
        "period_start",
        "period_end",
        "film_used_kg",
        "film_recovered_kg",
        "recovery_rate",
        "thin_film_findings",
        "instance_id",
    ]
    return ledger[columns].sort_values(
        ["admin_village_code", "natural_village_code", "period_end"], ignore_index=True
    )


def straw_ledger(straw_records: pd.DataFrame, *, year: int) -> pd.DataFrame:
    """One row per crop record of ``year``, by village and season."""
    records = schemas.require(schemas.STRAW_RECORDS, straw_records)
    ledger = records.loc[records["survey_year"] == year]
    collectable = ledger["collectable_t"]
    ledger = ledger.assign(
        utilisation_rate=(100 * ledger["utilised_t"] / collectable).where(collectable > 0)
    )
    columns = [
        "admin_village_code",
        "natural_village_code",
        "survey_year",
        "season",
        "crop",
        "straw_produced_t",
        "collectable_t",
        "utilised_t",
        "utilisation_rate",
        "burned_t",
        "dumped_t",
        "open_burning_seen",
        "instance_id",
    ]
    return ledger[columns].sort_values(
        ["admin_village_code", "natural_village_code", "season", "crop"], ignore_index=True
    )


def area_names(*frames: pd.DataFrame) -> dict[str, str]:
    """Code -> name from registry frames with ``code`` and ``name`` columns."""
    names: dict[str, str] = {}
    for frame in frames:
        names.update(zip(frame["code"].astype(str), frame["name"].fillna(""), strict=True))
    return names
