"""T6 秸秆综合利用率 (STRAW_UTILIZATION)."""

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
