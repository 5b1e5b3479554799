"""T5 废旧农膜回收率 (FILM_RECOVERY)."""

import datetime as dt
from collections.abc import Iterable, Mapping

import pandas as pd

from etl import schemas
from etl.indicators.core import (
    INDICATORS,
    TOWN_CODE,
    IndicatorOutput,
    _aggregate,
    _concat,
    _windows,
)

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
