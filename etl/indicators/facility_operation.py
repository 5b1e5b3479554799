"""T2 设施正常运行率 (FACILITY_OPERATION)."""

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
    _latest_per_window,
    _one_hot,
    _periods_column,
    _tiled,
    _windows,
)

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
    # The facility codes as a categorical (a million texts hashed once, not once to order
    # the events and again to place them); the events stay inside this indicator.
    unit, facility_codes = pd.factorize(events["facility_code"])
    events["facility_code"] = pd.Categorical.from_codes(unit, categories=facility_codes)
    del unit
    # Sorted once: within any window the last row per facility is the latest.
    events = _events_ordered(events, "facility_code")
    codes = in_service["code"].to_numpy(dtype=object)
    latest = _latest_per_window(
        events, "facility_code", codes, windows, ["status", "instance_id", "recorded_on"]
    )
    status = latest["status"]
    status = np.where(pd.isna(status), "uninspected", status).astype(object)
    repeat = len(windows)
    # Built without stacking the columns into 2-D blocks (a copy of millions of rows).
    parts = [
        columns_frame(
            {
                "period": _periods_column(windows, len(codes)),
                "record_id": _tiled(codes, repeat),
                "admin_village_code": _tiled(in_service["admin_village_code"], repeat),
                "natural_village_code": _tiled(in_service["natural_village_code"], repeat),
                "numerator": (status == "normal").astype(float),
                "denominator": np.ones(len(codes) * repeat),
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
