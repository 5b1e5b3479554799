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

Modules: ``core`` (the indicators' list, periods, the events' "latest" order and the
columnar aggregation every indicator shares), then one module per indicator:
``sewage_coverage`` (T1), ``facility_operation`` (T2), ``black_water`` (T4, with the water
bodies' lifecycle stages), ``film_recovery`` (T5), ``straw_utilization`` (T6).
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping

import pandas as pd

from etl import memory
from etl.indicators.black_water import (
    FORM_STAGE_TO_REGISTRY,
    black_water_elimination,
    water_body_stages,
)
from etl.indicators.core import (
    BASIS_COLUMNS,
    INDICATORS,
    LEVEL_COLUMNS,
    LEVEL_ORDER,
    TOWN_CODE,
    Indicator,
    IndicatorOutput,
    Period,
    period_parse,
    town_of,
    year_periods,
)
from etl.indicators.facility_operation import FACILITY_CATEGORIES, facility_operation
from etl.indicators.film_recovery import MULCH_FILM_TYPES, film_recovery
from etl.indicators.sewage_coverage import sewage_coverage
from etl.indicators.straw_utilization import SEASON_DATES, STRAW_USES, straw_utilization

__all__ = [
    "BASIS_COLUMNS",
    "FACILITY_CATEGORIES",
    "FORM_STAGE_TO_REGISTRY",
    "INDICATORS",
    "LEVEL_COLUMNS",
    "LEVEL_ORDER",
    "MULCH_FILM_TYPES",
    "SEASON_DATES",
    "STRAW_USES",
    "TOWN_CODE",
    "Indicator",
    "IndicatorOutput",
    "Period",
    "all_indicators",
    "black_water_elimination",
    "facility_operation",
    "film_recovery",
    "period_parse",
    "sewage_coverage",
    "straw_utilization",
    "town_of",
    "water_body_stages",
    "year_periods",
]


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
    town_codes: Iterable[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, IndicatorOutput]:
    """Every indicator for the same periods, targets and cut-off; ``tables`` is a
    ``tidy.TidyTables``. ``town_codes``: the towns that get a row in every period (default
    ``town_code``); ``progress`` is called with each indicator's code when it is done."""
    periods = list(periods)
    common = {
        "periods": periods,
        "targets": targets,
        "as_of": as_of,
        "town_code": town_code,
        "town_codes": None if town_codes is None else list(town_codes),
    }
    steps = {
        "SEWAGE_COVERAGE": lambda: sewage_coverage(
            natural_villages, tables.coverage_surveys, **common
        ),
        "FACILITY_OPERATION": lambda: facility_operation(facilities, tables.inspections, **common),
        "BLACK_WATER_ELIMINATION": lambda: black_water_elimination(
            water_bodies, tables.water_observations, **common
        ),
        "FILM_RECOVERY": lambda: film_recovery(tables.film_records, tables.film_entries, **common),
        "STRAW_UTILIZATION": lambda: straw_utilization(
            tables.straw_records, tables.burning_sites, **common
        ),
    }
    outputs = {}
    for code, step in steps.items():
        if code == "FACILITY_OPERATION":
            # The peak of a full recompute is in T2 (a million inspections): the ~0.3 GB of
            # pages T1's temporaries left go back first. Releasing after every step cost
            # ~1 s more at province scale (the pages are faulted in again) for no lower peak.
            memory.release()
        outputs[code] = step()
        if progress:
            progress(code)
    return outputs
