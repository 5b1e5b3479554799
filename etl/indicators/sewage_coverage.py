"""T1 农村生活污水治理自然村覆盖率 (SEWAGE_COVERAGE)."""

import datetime as dt
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from etl import schemas
from etl.frames import columns_frame
from etl.indicators.core import (
    INDICATORS,
    TOWN_CODE,
    IndicatorOutput,
    _aggregate,
    _concat,
    _events_ordered,
    _latest_until,
    _one_hot,
    _periods_column,
    _tiled,
    _windows,
    town_of,
)


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
            ]
        ].assign(
            # as floats (missing: NaN): the slots below are then floats, not objects
            households_connected=surveys["households_connected"].astype(float),
            is_submission=1,
        ),
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
    connected = pd.Series(latest["households_connected"]).fillna(
        pd.Series(np.tile(counted["households_connected"].to_numpy(dtype=float), repeat))
    )
    # Built without stacking the columns into 2-D blocks (a copy of millions of rows).
    parts = [
        columns_frame(
            {
                "period": _periods_column(windows, len(codes)),
                "record_id": _tiled(codes, repeat),
                "admin_village_code": _tiled(counted["admin_village_code"], repeat),
                "natural_village_code": _tiled(codes, repeat),
                "numerator": mode.ne("none").astype(float).to_numpy(),
                "denominator": np.ones(len(codes) * repeat),
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
