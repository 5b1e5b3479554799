"""From raw submissions to indicator values in one call: edits, rejections, unknown codes."""

import datetime as dt

import pandas as pd
import pytest
from etl_builders import ADMIN_A, NV_A1, facility, frame, raw, village

from etl import schemas
from etl.extract import Registry
from etl.pipeline import compute

CHECKS = {f"checklist/{name}": "ok" for name in schemas.CHECKLIST_CORE + schemas.CHECKLIST_AUX}


def inspection(facility_code, **overrides):
    return {
        "today": "2025-07-03",
        "admin_village": ADMIN_A,
        "facility": facility_code,
        **CHECKS,
        **overrides,
    }


@pytest.fixture
def registry():
    return Registry(
        admin_villages=pd.DataFrame({"code": [ADMIN_A], "name": ["杨庄村"]}),
        natural_villages=frame(schemas.NATURAL_VILLAGES, [village(NV_A1)]),
        facilities=frame(
            schemas.FACILITIES, [facility("ZQ-WS-001", NV_A1), facility("ZQ-WS-002", NV_A1)]
        ),
        water_bodies=frame(schemas.WATER_BODIES, []),
    )


def operation(rows, registry, dictionary):
    result = compute(
        raw=pd.DataFrame(rows),
        dictionary=dictionary,
        registry=registry,
        periods=["2025"],
        targets={},
        as_of=dt.date(2025, 12, 31),
    )
    town = result.outputs["FACILITY_OPERATION"].results.query("level == 'town'").iloc[0]
    return town, result.tables.data_quality


def test_an_edit_replaces_the_version_it_supersedes(registry, dictionary):
    town, _ = operation(
        [
            raw("v1", "sewage_facility_inspection", inspection("ZQ-WS-001"), is_current=False),
            raw(
                "v2",
                "sewage_facility_inspection",
                inspection("ZQ-WS-001", **{"checklist/power_ok": "fail"}),
            ),
        ],
        registry,
        dictionary,
    )
    assert town["details"]["by_status"]["stopped"] == 1 and town["numerator"] == 0


def test_a_rejected_inspection_leaves_the_facility_uninspected(registry, dictionary):
    town, _ = operation(
        [
            raw(
                "a", "sewage_facility_inspection", inspection("ZQ-WS-001"), review_state="rejected"
            ),
            raw("b", "sewage_facility_inspection", inspection("ZQ-WS-002")),
        ],
        registry,
        dictionary,
    )
    assert town["details"]["by_status"] == {
        "normal": 1,
        "defective": 0,
        "stopped": 0,
        "uninspected": 1,
    }


def test_an_inspection_of_an_unknown_facility_is_reported_not_counted(registry, dictionary):
    town, quality = operation(
        [raw("a", "sewage_facility_inspection", inspection("ZQ-WS-999"))], registry, dictionary
    )
    assert town["numerator"] == 0
    assert quality[["instance_id", "reason", "action"]].values.tolist() == [
        ["a", "unknown_facility", "excluded"]
    ]


def test_stacked_frames_keep_dtypes_without_a_future_warning():
    """RunResult.basis/results: a column all missing in one indicator's frame (the water
    bodies' natural villages, a categorical of no category) takes the others' dtype, as
    pandas gave it, and pandas does not warn that it will stop doing so."""
    import warnings

    import numpy as np

    from etl.pipeline import _stacked

    villages = pd.Categorical([NV_A1, NV_A1])
    frames = [
        pd.DataFrame({"natural_village_code": villages, "value": [1.0, 2.0]}),
        pd.DataFrame(
            {
                "natural_village_code": pd.Categorical([None, None], categories=["x"]),
                "value": pd.Series([None, None], dtype=object),
                "day": pd.to_datetime([None, None]),
            }
        ),
        pd.DataFrame({"natural_village_code": villages, "day": pd.to_datetime(["2025-01-01"] * 2)}),
        pd.DataFrame({"value": [3.0]}).iloc[:0],  # empty: left out
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        stacked = _stacked(frames)
    assert stacked["natural_village_code"].dtype == villages.dtype
    assert stacked["natural_village_code"].isna().tolist() == [
        False,
        False,
        True,
        True,
        False,
        False,
    ]
    assert stacked["value"].dtype == np.float64
    assert stacked["value"].isna().tolist() == [False, False, True, True, True, True]
    assert stacked["day"].dtype == "datetime64[ns]"
    assert stacked["day"].isna().tolist() == [True] * 4 + [False] * 2
    assert _stacked(frames[3:]).empty
