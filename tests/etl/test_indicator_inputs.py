"""Every indicator refuses a frame without the columns it needs and accepts empty frames."""

import datetime as dt
import math

import pytest

from etl import indicators, schemas

CALLS = {
    "SEWAGE_COVERAGE": (
        indicators.sewage_coverage,
        schemas.NATURAL_VILLAGES,
        schemas.COVERAGE_SURVEYS,
    ),
    "FACILITY_OPERATION": (indicators.facility_operation, schemas.FACILITIES, schemas.INSPECTIONS),
    "BLACK_WATER_ELIMINATION": (
        indicators.black_water_elimination,
        schemas.WATER_BODIES,
        schemas.WATER_OBSERVATIONS,
    ),
    "FILM_RECOVERY": (indicators.film_recovery, schemas.FILM_RECORDS, schemas.FILM_ENTRIES),
    "STRAW_UTILIZATION": (
        indicators.straw_utilization,
        schemas.STRAW_RECORDS,
        schemas.BURNING_SITES,
    ),
}
OPTIONS = {"periods": ["2025"], "targets": {}, "as_of": dt.date(2025, 12, 31)}


@pytest.mark.parametrize("code", sorted(CALLS))
def test_empty_inputs_give_one_town_row_without_value(code):
    function, first, second = CALLS[code]
    results = function(schemas.empty(first), schemas.empty(second), **OPTIONS).results
    assert results[["level", "period", "denominator"]].values.tolist() == [["town", "2025", 0.0]]
    assert math.isnan(results["value"].iloc[0]) and results["met"].iloc[0] is None


@pytest.mark.parametrize("code", sorted(CALLS))
def test_a_missing_column_is_named_in_the_error(code):
    function, first, second = CALLS[code]
    column = next(iter(second.columns))
    with pytest.raises(ValueError, match=column):
        function(schemas.empty(first), schemas.empty(second).drop(columns=column), **OPTIONS)
