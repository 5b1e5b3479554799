"""T4 黑臭水体消除比例 (BLACK_WATER_ELIMINATION) and the water bodies' lifecycle stages."""

import datetime as dt
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from etl import schemas
from etl.indicators.core import (
    INDICATORS,
    TOWN_CODE,
    IndicatorOutput,
    Period,
    _aggregate,
    _concat,
    _events_ordered,
    _latest,
    _latest_until,
    _one_hot,
    _periods_column,
    _tiled,
    _windows,
    town_of,
)

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
    events = _water_body_events(bodies, observed)
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


def _water_body_events(bodies: pd.DataFrame, observed: pd.DataFrame) -> pd.DataFrame:
    """What sets a confirmed body's stage: its registry stage (dated ``stage_date``, else
    from the beginning of time) and every observation with a stage, a rebound visit as
    ``rebound``."""
    rebound = observed["purpose"].eq("post_monitoring") & observed["rural_black"].fillna(False)
    stage = observed["stage"].map(FORM_STAGE_TO_REGISTRY).mask(rebound, "rebound")
    return pd.concat(
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


def black_water_elimination(
    water_bodies: pd.DataFrame,
    water_observations: pd.DataFrame,
    *,
    periods: Iterable[str],
    targets: pd.DataFrame | Mapping[str, float],
    as_of: dt.date,
    town_code: str = TOWN_CODE,
    town_codes: Iterable[str] | None = None,
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
    bodies = schemas.require(schemas.WATER_BODIES, water_bodies)
    bodies = bodies.loc[bodies["is_confirmed"]]
    codes = bodies["code"].to_numpy(dtype=object)
    # Each body's stage at every window's cut-off in one pass (``water_body_stages`` per
    # window, sorted once): the last event on or before the cut-off in the ETL's order.
    events = _events_ordered(_water_body_events(bodies, observed), "water_body_code")
    latest = _latest_until(
        events, "water_body_code", codes, windows, ["stage", "recorded_on", "instance_id"]
    )
    known = pd.notna(latest["stage"])
    stage = np.where(known, latest["stage"], "screened").astype(object)
    stage_date = pd.Series(latest["recorded_on"]).where(lambda d: d > pd.Timestamp.min)
    # No event by the cut-off: no source (NaN, as a map over the latest events gives).
    source_id = np.where(known, latest["instance_id"], np.nan).astype(object)
    rebounded = np.zeros(len(windows) * len(codes), dtype=bool)
    for n, (period, cutoff) in enumerate(windows):
        in_window = rebound_visits["recorded_on"].between(period.start, cutoff)
        found = set(rebound_visits.loc[in_window, "water_body_code"])
        rebounded[n * len(codes) : (n + 1) * len(codes)] = bodies["code"].isin(found)
    repeat = len(windows)
    parts = [
        pd.DataFrame(
            {
                "period": _periods_column(windows, len(codes)),
                "record_id": _tiled(codes, repeat),
                "admin_village_code": _tiled(bodies["admin_village_code"], repeat),
                "natural_village_code": _tiled(bodies["natural_village_code"], repeat),
                "numerator": (stage == "closed").astype(float),
                "denominator": 1.0,
                "category": stage,
                "source_id": source_id,
                "stage_date": stage_date.to_numpy(),
                "rebounded_in_period": rebounded,
            }
        )
    ]
    basis = _concat(parts, ["stage_date", "rebounded_in_period"])

    def details(rows: pd.DataFrame) -> pd.DataFrame:
        return _one_hot(rows["category"], "by_stage", schemas.WATER_BODY_STAGES).assign(
            rebounds_in_period=rows["rebounded_in_period"].fillna(False).astype(int)
        )

    def town_details(period: Period, cutoff: pd.Timestamp) -> tuple[dict, dict]:
        new = observed["water_body_source"].eq("new") & observed["recorded_on"].between(
            period.start, cutoff
        )
        counts = town_of(observed.loc[new, "admin_village_code"], town_code).value_counts()
        return (
            {t: {"new_reports_unconfirmed": int(n)} for t, n in counts.items()},
            {"new_reports_unconfirmed": 0},
        )

    return _aggregate(
        INDICATORS["BLACK_WATER_ELIMINATION"],
        basis,
        windows,
        targets,
        town_code,
        details,
        town_details,
        town_codes=town_codes,
    )
