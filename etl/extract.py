"""The only reader of the ETL: the server database (through the Django ORM) and the data
dictionary file -> DataFrames checked against ``etl.schemas``.

Everything else in ``etl/`` takes DataFrames and does no I/O. ``django_setup()`` must run
before the database readers (``etl.pipeline`` does it); the dictionary reader needs no Django.
"""

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl import schemas

REPO_DIR = Path(__file__).resolve().parent.parent
SERVER_DIR = REPO_DIR / "server"
DICTIONARY_CSV = REPO_DIR / "docs" / "forms" / "data_dictionary.csv"


def django_setup() -> None:
    """Make the server's apps importable and configured (as dash_app/django_setup.py does)."""
    if str(SERVER_DIR) not in sys.path:
        sys.path.insert(0, str(SERVER_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def data_dictionary_read(path: Path = DICTIONARY_CSV) -> pd.DataFrame:
    """The questionnaires' data dictionary, every cell a string ('' when empty)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


@dataclass(frozen=True)
class Registry:
    admin_villages: pd.DataFrame  # code, name (with each town as one more row)
    natural_villages: pd.DataFrame
    facilities: pd.DataFrame
    water_bodies: pd.DataFrame

    @property
    def town_codes(self) -> list[str] | None:
        """The towns (9-digit codes among ``admin_villages``); None when none is listed."""
        codes = [c for c in self.admin_villages["code"].astype(str) if len(c) == 9]
        return sorted(codes) or None


def registry_read(
    *,
    baseline: bool = True,
    town_code: str | None = None,
    town_codes: Iterable[str] | None = None,
) -> Registry:
    """Natural villages, facilities and water bodies as the registry holds them.

    The registry follows the field: an accepted submission changes a facility's status, a
    village's sewage mode, a water body's stage (``registry.services``). The indicators
    derive those states from the submissions themselves, period by period, so by default
    (``baseline``) the fields changed by submissions are read as they were before the first
    of those changes: the registered state the submissions build on.

    ``town_code`` reads one town only (the dashboard), ``town_codes`` those towns (the
    incremental publish); by default every town.
    """
    from registry.models import (
        AdministrativeVillage,
        FacilityVillage,
        NaturalVillage,
        SewageFacility,
        Town,
        WaterBody,
    )
    from registry.selectors import registry_baseline

    towns, admins = Town.objects.all(), AdministrativeVillage.objects.all()
    naturals, links = NaturalVillage.objects.all(), FacilityVillage.objects.all()
    facility_rows, water_rows = SewageFacility.objects.all(), WaterBody.objects.all()
    if town_code is not None:
        town_codes = [town_code]
    if town_codes is not None:
        codes = sorted(set(town_codes))
        towns, admins = towns.filter(code__in=codes), admins.filter(town__code__in=codes)
        naturals = naturals.filter(admin_village__town__code__in=codes)
        links = links.filter(natural_village__admin_village__town__code__in=codes)
        served_here = links.values("facility_id")
        facility_rows = facility_rows.filter(pk__in=served_here)
        links = FacilityVillage.objects.filter(facility_id__in=served_here)
        water_rows = water_rows.filter(admin_village__town__code__in=codes)
    # Tuples (values_list), not dicts: a quarter of a million rows at province scale.
    admin_villages = pd.DataFrame.from_records(
        [*towns.values_list("code", "name"), *admins.values_list("code", "name")],
        columns=["code", "name"],
    )

    villages = pd.DataFrame.from_records(
        naturals.values_list(
            "code",
            "name",
            "households",
            "households_connected",
            "is_planned_relocation",
            "sewage_mode",
            "admin_village__code",
        ),
        columns=[
            "code",
            "name",
            "households",
            "households_connected",
            "is_planned_relocation",
            "sewage_mode",
            "admin_village_code",
        ],
    )
    # A facility belongs to the first natural village it serves (lowest code).
    served = (
        pd.DataFrame.from_records(
            links.values_list(
                "facility__code",
                "natural_village__code",
                "natural_village__admin_village__code",
            ),
            columns=["facility_code", "natural_village_code", "admin_village_code"],
        )
        .sort_values(["facility_code", "natural_village_code"])
        .drop_duplicates("facility_code")
    )
    facilities = pd.DataFrame.from_records(
        facility_rows.values_list("code", "name", "in_service", "status", "status_date"),
        columns=["code", "name", "in_service", "status", "status_date"],
    ).merge(served.rename(columns={"facility_code": "code"}), on="code", how="left")
    water_bodies = pd.DataFrame.from_records(
        water_rows.values_list(
            "code",
            "name",
            "stage",
            "stage_date",
            "is_confirmed",
            "admin_village__code",
            "natural_village__code",
        ),
        columns=[
            "code",
            "name",
            "stage",
            "stage_date",
            "is_confirmed",
            "admin_village_code",
            "natural_village_code",
        ],
    )
    if baseline:
        restored = registry_baseline()
        villages = _baseline_applied(villages, restored.get("natural_village", {}))
        facilities = _baseline_applied(facilities, restored.get("facility", {}))
        water_bodies = _baseline_applied(water_bodies, restored.get("water_body", {}))
    facilities["status_date"] = pd.to_datetime(facilities["status_date"])
    water_bodies["stage_date"] = pd.to_datetime(water_bodies["stage_date"])
    return Registry(
        admin_villages=admin_villages,
        natural_villages=schemas.validate(schemas.NATURAL_VILLAGES, villages),
        facilities=schemas.conform(schemas.FACILITIES, facilities),
        water_bodies=schemas.conform(schemas.WATER_BODIES, water_bodies),
    )


def submissions_read(*, include_history: bool = False, where=None) -> pd.DataFrame:
    """Stored submissions as ``schemas.RAW_SUBMISSIONS`` (current versions only unless
    ``include_history``). ``submitted_at`` is the server's receipt time in naive UTC.
    ``where`` (a ``Q`` on ``Submission``) narrows the rows, e.g. to one facility's.

    ``review_state`` is the review decision (``review.states``); ``approved_only`` is the
    counting rule of the submission's town (``review.models.ReviewPolicy``), by its village
    or else by its submitter's town.
    """
    from collect.models import Submission
    from review.models import CountingRule, ReviewPolicy

    approved_only_towns = set(
        ReviewPolicy.objects.filter(counting=CountingRule.APPROVED_ONLY).values_list(
            "town_id", flat=True
        )
    )

    rows = Submission.objects.all()
    if not include_history:
        rows = rows.filter(is_current=True)
    if where is not None:
        rows = rows.filter(where)
    frame = pd.DataFrame.from_records(
        rows.values(
            "instance_id",
            "answers",
            "is_current",
            form_code=models_f("form__form_id"),
            version=models_f("form_version__version"),
            received=models_f("received_at"),
            username=models_f("submitted_by__username"),
            state=models_f("review__state"),
            village_town=models_f("admin_village__town_id"),
            submitter_town=models_f("submitted_by__town_id"),
        ).iterator(chunk_size=5000),
        columns=[
            "instance_id",
            "answers",
            "is_current",
            "form_code",
            "version",
            "received",
            "username",
            "state",
            "village_town",
            "submitter_town",
        ],
    )
    town = frame["village_town"].where(frame["village_town"].notna(), frame["submitter_town"])
    frame = frame.rename(
        columns={
            "form_code": "form_id",
            "version": "form_version",
            "received": "submitted_at",
            "username": "submitter",
            "state": "review_state",
        }
    ).assign(approved_only=town.isin(approved_only_towns).astype(bool))
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True).dt.tz_localize(None)
    return schemas.validate(schemas.RAW_SUBMISSIONS, frame)


def _baseline_applied(frame: pd.DataFrame, values: dict[str, dict]) -> pd.DataFrame:
    """``frame`` with ``values`` ({code: {column: value}}) written over its rows."""
    if not values or frame.empty:
        return frame
    frame = frame.copy()
    position = {code: i for i, code in enumerate(frame["code"])}
    for code, columns in values.items():
        if code not in position:
            continue
        for column, value in columns.items():
            if column in frame.columns:
                frame.iloc[position[code], frame.columns.get_loc(column)] = value
    return frame


def models_f(path: str):
    """``F(path)`` for ``.values(alias=...)``; imported late so this module loads without Django."""
    from django.db.models import F

    return F(path)
