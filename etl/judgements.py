"""Seed values of the limits the ETL judges raw readings by (domain reference §4.1, §5).

Their sources are unverified ([K] in the domain reference), so the server keeps the live
values in an editable table (判定阈值, ``indicators.JudgementThreshold``); these values only
seed it and serve the command line and tests when no table is given. ``etl.tidy`` takes
the values as a parameter and never reads this module's numbers directly.
"""

from collections.abc import Mapping
from dataclasses import dataclass

WATER_SD_CM = "WATER_SD_CM"
WATER_DO_MGL = "WATER_DO_MGL"
WATER_NH3N_MGL = "WATER_NH3N_MGL"
THIN_FILM_MM = "THIN_FILM_MM"

# Rural guide 《农村黑臭水体治理工作指南》: black-odorous if SD < 25 cm (40 % of the depth
# when shallower), DO < 2 mg/L or NH₃-N > 15 mg/L [K, verify against S14]. Mulch film
# thinner than 0.010 mm is banned (GB 13735-2017) [P:L469-471; K].
SEED_JUDGEMENTS: dict[str, float] = {
    WATER_SD_CM: 25.0,
    WATER_DO_MGL: 2.0,
    WATER_NH3N_MGL: 15.0,
    THIN_FILM_MM: 0.010,
}


@dataclass(frozen=True)
class Judgements:
    """The limits one tidy run applies."""

    water_sd_cm: float
    water_do_mgl: float
    water_nh3n_mgl: float
    thin_film_mm: float

    @classmethod
    def of(cls, values: Mapping[str, float] | None = None) -> "Judgements":
        """From a code -> value mapping (the table's rows); seeds for codes it lacks."""
        merged = {**SEED_JUDGEMENTS, **(values or {})}
        return cls(
            water_sd_cm=float(merged[WATER_SD_CM]),
            water_do_mgl=float(merged[WATER_DO_MGL]),
            water_nh3n_mgl=float(merged[WATER_NH3N_MGL]),
            thin_film_mm=float(merged[THIN_FILM_MM]),
        )

    def fingerprint(self) -> str:
        """The values as text, for the tidy store's rules version."""
        return (
            f"{self.water_sd_cm!r}|{self.water_do_mgl!r}|{self.water_nh3n_mgl!r}"
            f"|{self.thin_film_mm!r}"
        )
