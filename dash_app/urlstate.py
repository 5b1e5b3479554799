"""The filter state in the URL query string, so a link can be shared. Pure."""

import datetime as dt
from dataclasses import asdict, dataclass, replace
from urllib.parse import parse_qs, urlencode

from dash_app.data import FIRST_YEAR


@dataclass(frozen=True)
class State:
    year: int
    quarter: int | None = None  # None: the whole year
    village: str | None = None  # administrative village code; None: the whole town
    facility: str | None = None  # a selected facility (links from alerts)
    water: str | None = None  # a selected water body

    @property
    def period(self) -> str:
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "State":
        return cls(**{k: data.get(k) for k in ("year", "quarter", "village", "facility", "water")})


def parse(search: str | None, as_of: dt.date) -> State:
    """``?year=2025&quarter=3&village=320404116201`` -> State; bad values fall back to the
    defaults (this year, whole year, whole town)."""
    query = parse_qs((search or "").lstrip("?"))

    def one(name: str) -> str | None:
        values = query.get(name)
        return values[0].strip() if values and values[0].strip() else None

    year = as_of.year
    raw_year = one("year")
    if raw_year and raw_year.isdigit() and FIRST_YEAR <= int(raw_year) <= as_of.year:
        year = int(raw_year)
    raw_quarter = one("quarter")
    quarter = int(raw_quarter) if raw_quarter in {"1", "2", "3", "4"} else None
    village = one("village")
    if village and not (village.isdigit() and len(village) == 12):
        village = None
    return State(
        year=year,
        quarter=quarter,
        village=village,
        facility=one("facility"),
        water=one("water"),
    )


def build(state: State, *, keep_selection: bool = True) -> str:
    """State -> ``?year=...`` (only the parameters that are set)."""
    params: dict[str, str] = {"year": str(state.year)}
    if state.quarter:
        params["quarter"] = str(state.quarter)
    if state.village:
        params["village"] = state.village
    if keep_selection and state.facility:
        params["facility"] = state.facility
    if keep_selection and state.water:
        params["water"] = state.water
    return "?" + urlencode(params)


def with_filters(state: State, year: int, quarter: int | None, village: str | None) -> State:
    return replace(state, year=year, quarter=quarter or None, village=village or None)
