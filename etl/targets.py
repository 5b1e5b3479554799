"""Seed values of the indicator targets, from the district plan (domain reference §1).

The server keeps the live targets in an editable table; these values only seed it and serve
the command line when no table is given. Indicator functions never read this module: they
take the targets as a parameter.
"""

from collections.abc import Mapping

import pandas as pd

from etl import schemas

# Percent. T1 ≥90 [P:L167, L297, L389]; T2 100 [P:L51, L297, L389]; T4 all remediated
# [P:L451, L309, L391]; T5 ≥90 [P:L471]; T6 ≥98 [P:L473].
SEED_TARGETS: dict[str, float] = {
    "SEWAGE_COVERAGE": 90.0,
    "FACILITY_OPERATION": 100.0,
    "BLACK_WATER_ELIMINATION": 100.0,
    "FILM_RECOVERY": 90.0,
    "STRAW_UTILIZATION": 98.0,
}


def targets_frame(targets: Mapping[str, float] = SEED_TARGETS) -> pd.DataFrame:
    """Targets as a checked ``code``/``target`` frame."""
    frame = pd.DataFrame({"code": list(targets), "target": [float(v) for v in targets.values()]})
    return schemas.TARGETS.validate(frame)
