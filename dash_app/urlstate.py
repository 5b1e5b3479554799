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
    town: str | None = None  # the town (district administrators pick it); None: the default

    @property
    def period(self) -> str:
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "State":
        keys = ("year", "quarter", "village", "facility", "water", "town")
        return cls(**{k: data.get(k) for k in keys})


def parse(search: str | None, as_of: dt.date) -> State:
    """``?year=2025&quarter=3&village=320404116201&town=320404116`` -> State; bad values fall
    back to the defaults (this year, whole year, whole town, the viewer's default town).
    Whether the viewer may see the town and village is checked where they are used."""
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
    town = one("town")
    if town and not (town.isdigit() and len(town) == 9):
        town = None
    return State(
        year=year,
        quarter=quarter,
        village=village,
        facility=one("facility"),
        water=one("water"),
        town=town,
    )


def build(state: State, *, keep_selection: bool = True) -> str:
    """State -> ``?year=...`` (only the parameters that are set)."""
    params: dict[str, str] = {"year": str(state.year)}
    if state.town:
        params["town"] = state.town
    if state.quarter:
        params["quarter"] = str(state.quarter)
    if state.village:
        params["village"] = state.village
    if keep_selection and state.facility:
        params["facility"] = state.facility
    if keep_selection and state.water:
        params["water"] = state.water
    return "?" + urlencode(params)


def with_filters(
    state: State, year: int, quarter: int | None, village: str | None, town: str | None = None
) -> State:
    """The state after a filter changed; another town starts with the whole town."""
    town = town or state.town
    if town != state.town:
        village = None
    return replace(state, year=year, quarter=quarter or None, village=village or None, town=town)
