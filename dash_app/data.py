"""What the dashboard shows, as DataFrames: read through the server's models and scoping
functions, and the indicator values the server published. No Dash imports.

- Who may look and what they see: ``login_check`` and ``viewer_for`` ask Django's auth and
  ``accounts.scopes`` (the same functions the API uses), for one town at a time (a district
  administrator picks it, a town official has theirs).
- ``dataset(town_code)`` reads that town only: its registry, its submissions (tidied by the
  ETL, for the ledgers, lists, maps and findings) and the indicator values published by
  ``manage.py publish_indicators`` (``indicators.IndicatorSnapshot``, what the indicator API
  serves), so the dashboard and the API cannot disagree. Kept per process until the data
  change (a fingerprint of the town's submissions, registry, published values and alert
  thresholds, checked in the background at most every ``RECHECK_SECONDS``). Nothing here
  re-implements an indicator rule.

What each page shows of a ``Dataset`` is selected in ``dash_app.tables``.
"""

import datetime as dt
import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

ALLOWED_ROLES = ("district_admin", "town_official")
FIRST_YEAR = 2020  # the plan's baseline year
DEADLINE = pd.Timestamp(2025, 12, 31)  # the plan's 2025 targets
RECHECK_SECONDS = 10.0
CACHED_TOWNS = 8  # datasets kept per process (a district administrator may switch towns)
INDICATOR_CODES = (
    "SEWAGE_COVERAGE",
    "FACILITY_OPERATION",
    "BLACK_WATER_ELIMINATION",
    "FILM_RECOVERY",
    "STRAW_UTILIZATION",
)
LEVELS = ("town", "admin_village", "natural_village")
RESULT_COLUMNS = [
    "code",
    "level",
    "area_code",
    "period",
    "value",
    "numerator",
    "denominator",
    "target",
    "met",
    "record_count",
    "details",
]
# Alert thresholds (days): the admin's AlertThreshold table (indicators.thresholds); these
# codes name its rows.
WARN_DAYS = "FACILITY_NOT_INSPECTED_WARN"
SEVERE_DAYS = "FACILITY_NOT_INSPECTED_SEVERE"
OVERDUE_DAYS = "WATER_MONITORING_OVERDUE"
ABNORMAL_STATUSES = ("defective", "stopped")
WATER_STAGES = ("screened", "works", "completed", "monitoring", "closed", "rebound")


def seed_thresholds() -> dict[str, int]:
    from indicators.thresholds import SEED_THRESHOLDS

    return {code: seed.value for code, seed in SEED_THRESHOLDS.items()}


# --------------------------------------------------------------------------- who is looking


@dataclass(frozen=True)
class Viewer:
    user_id: int
    username: str
    display_name: str
    role: str
    role_label: str
    town_code: str | None  # the town being looked at
    admin_village_codes: frozenset[str]  # of that town, in the viewer's scope
    facility_codes: frozenset[str]
    water_body_codes: frozenset[str]
    towns: tuple[tuple[str, str], ...] = ()  # (code, name) of every town the viewer sees
    town_name: str = ""


def _allowed(user) -> bool:
    from accounts.scopes import is_district_admin

    return bool(user.is_active) and (is_district_admin(user) or user.role in ALLOWED_ROLES)


def _towns(user) -> list[tuple[str, str]]:
    """(code, name) of the towns the user sees (accounts.scopes), the default town first."""
    from django.conf import settings

    from accounts import scopes

    towns = list(scopes.towns_for_user(user=user).order_by("code").values_list("code", "name"))
    towns.sort(key=lambda t: t[0] != settings.DEFAULT_TOWN_CODE)
    return towns


def login_check(username: str, password: str) -> tuple[int | None, str, str]:
    """(user id, session auth hash, "") for a dashboard user, else (None, "", error key)."""
    from django.contrib.auth import authenticate

    user = authenticate(username=username, password=password)
    if user is None:
        return None, "", "login_failed"
    if not _allowed(user) or not _towns(user):
        return None, "", "login_forbidden"
    return user.pk, user.get_session_auth_hash(), ""


def viewer_for(
    user_id: int | None, auth_hash: str | None, town: str | None = None
) -> Viewer | None:
    """The logged-in viewer looking at ``town`` (if they see it; else the default town, or
    their first), or None if the user is gone, inactive, no longer allowed or has changed
    password since logging in (Django's session auth hash).

    What they see in that town is what ``accounts.scopes`` gives the API: administrative
    villages, facilities and water bodies, each narrowed to the town."""
    if not user_id or not auth_hash:
        return None
    from django.utils.crypto import constant_time_compare

    from accounts import scopes
    from accounts.models import User
    from registry.models import SewageFacility

    user = User.objects.filter(pk=user_id).select_related("town").first()
    if user is None or not _allowed(user):
        return None
    if not constant_time_compare(user.get_session_auth_hash(), auth_hash):
        return None
    towns = _towns(user)
    if not towns:
        return None
    names = dict(towns)
    town_code = town if town in names else towns[0][0]
    admin = scopes.admin_villages_for_user(user=user).filter(town__code=town_code)
    in_town = SewageFacility.objects.filter(
        natural_villages__admin_village__town__code=town_code
    ).values("pk")
    facilities = scopes.facilities_for_user(user=user).filter(pk__in=in_town)
    water = scopes.water_bodies_for_user(user=user).filter(admin_village__town__code=town_code)
    return Viewer(
        user_id=user.pk,
        username=user.username,
        display_name=user.get_full_name() or user.username,
        role=user.role,
        role_label=user.get_role_display() if user.role else "",
        town_code=town_code,
        admin_village_codes=frozenset(admin.values_list("code", flat=True)),
        facility_codes=frozenset(facilities.values_list("code", flat=True)),
        water_body_codes=frozenset(water.values_list("code", flat=True)),
        towns=tuple(towns),
        town_name=names[town_code],
    )


def village_names(viewer: Viewer) -> list[tuple[str, str]]:
    """(code, name) of the administrative villages the viewer sees, in code order."""
    from registry.models import AdministrativeVillage

    villages = AdministrativeVillage.objects.filter(code__in=viewer.admin_village_codes)
    return list(villages.order_by("code").values_list("code", "name"))


# --------------------------------------------------------------------------- the dataset


@dataclass(frozen=True)
class Dataset:
    town_code: str
    town_name: str
    as_of: dt.date
    fingerprint: str
    registry: object  # etl.extract.Registry of the town
    tables: object  # etl.tidy.TidyTables of the town's submissions
    results: pd.DataFrame  # published values (RESULT_COLUMNS), every level, dashboard periods
    area_results: pd.DataFrame  # the town and administrative-village rows of ``results``
    coverage_modes: pd.DataFrame  # period, natural_village_code, category: what was counted
    admin_villages: pd.DataFrame  # code, name, kind, latitude, longitude
    natural_villages: pd.DataFrame  # etl registry columns + latitude, longitude
    facilities: pd.DataFrame  # etl registry columns + latitude, longitude, process_type
    water_bodies: pd.DataFrame  # etl registry columns + latitude, longitude, kind
    targets: dict[str, float] = field(default_factory=dict)
    thresholds: dict[str, int] = field(default_factory=seed_thresholds)
    judgements: dict[str, float] = field(default_factory=dict)  # etl.judgements codes
    published_as_of: dt.date | None = None  # the cut-off of the published values; None: none

    @property
    def published(self) -> bool:
        return not self.area_results.empty


_CACHE: OrderedDict[str, tuple[float, Dataset]] = OrderedDict()  # town -> (checked, dataset)
_LOCK = threading.Lock()  # guards _CACHE and _REFRESHING; never held while reading data
_BUILD_LOCK = threading.Lock()  # one read of the data at a time
_REFRESHING: set[str] = set()


def today() -> dt.date:
    """The data cut-off: today, or DASH_AS_OF (YYYY-MM-DD) for demos and tests."""
    fixed = os.environ.get("DASH_AS_OF")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


def dashboard_periods(as_of: dt.date, first_year: int = FIRST_YEAR) -> list[str]:
    """Every year and quarter from ``first_year`` to ``as_of`` (months are not shown)."""
    last_quarter = (as_of.month - 1) // 3 + 1
    periods = []
    for year in range(first_year, as_of.year + 1):
        periods.append(str(year))
        quarters = last_quarter if year == as_of.year else 4
        periods.extend(f"{year}-Q{q}" for q in range(1, quarters + 1))
    return periods


def dataset(town_code: str) -> Dataset:
    """The town's dataset. Read once per process and date; after that, a page never waits
    for the check whether the data changed: when the last check is older than
    ``RECHECK_SECONDS`` the cached dataset is returned at once and a background thread checks
    the fingerprint and, if it changed, reads the data again (a change shows on the next
    page view after that, within seconds)."""
    as_of = today()
    with _LOCK:
        entry = _CACHE.get(town_code)
        if entry is not None and entry[1].as_of == as_of:
            _CACHE.move_to_end(town_code)
            if time.monotonic() - entry[0] >= RECHECK_SECONDS:
                _refresh_later(town_code)
            return entry[1]
    with _BUILD_LOCK:
        with _LOCK:
            entry = _CACHE.get(town_code)
        if entry is not None and entry[1].as_of == as_of:  # built while we waited
            return entry[1]
        fresh = _load(town_code, as_of, entry[1] if entry is not None else None)
        _store(town_code, fresh)
        return fresh


def _store(town_code: str, ds: Dataset) -> None:
    with _LOCK:
        _CACHE[town_code] = (time.monotonic(), ds)
        _CACHE.move_to_end(town_code)
        while len(_CACHE) > CACHED_TOWNS:
            _CACHE.popitem(last=False)


def _refresh_later(town_code: str) -> None:
    """Check (and if needed re-read) the town's data in a background thread; called with
    ``_LOCK`` held. One refresh per town at a time."""
    if town_code in _REFRESHING:
        return
    _REFRESHING.add(town_code)

    def work() -> None:
        from django.db import connection

        try:
            with _BUILD_LOCK:
                with _LOCK:
                    entry = _CACHE.get(town_code)
                cached = entry[1] if entry is not None else None
                _store(town_code, _load(town_code, today(), cached))
        except Exception:  # the cached dataset stays; the next page view tries again
            logging.getLogger(__name__).exception("refreshing the dashboard data failed")
        finally:
            with _LOCK:
                _REFRESHING.discard(town_code)
            connection.close()

    threading.Thread(target=work, name=f"dash-refresh-{town_code}", daemon=True).start()


def _load(town_code: str, as_of: dt.date, cached: Dataset | None) -> Dataset:
    """Read the town's data; ``cached`` itself when nothing it was read from has changed."""
    registry, places = _read_registry(town_code)
    area_codes = _area_codes(town_code, places)
    periods = dashboard_periods(as_of)
    targets, thresholds, judgements = targets_read(), thresholds_read(), judgements_read()
    fingerprint = _fingerprint(
        [
            _submissions_state(town_code),
            _published_state(town_code, area_codes, periods),
            pd.DataFrame([targets]),
            pd.DataFrame([thresholds]),
            pd.DataFrame([judgements]),
        ],
        registry,
        places,
    )
    if cached is not None and cached.as_of == as_of and cached.fingerprint == fingerprint:
        return cached
    from etl import extract
    from registry.models import Town

    results, published_as_of = published_read(town_code, area_codes, periods)
    return dataset_compute(
        town_code=town_code,
        town_name=Town.objects.get(code=town_code).name,
        as_of=as_of,
        raw=extract.submissions_read(where=_town_submissions(town_code)),
        dictionary=extract.data_dictionary_read(),
        registry=registry,
        places=places,
        results=results,
        coverage_modes=coverage_modes_read(places["admin_villages"]["code"], periods),
        targets=targets,
        thresholds=thresholds,
        judgements=judgements,
        fingerprint=fingerprint,
        published_as_of=published_as_of,
    )


def warm(town_code: str, *, then: Callable[[], object] | None = None) -> threading.Thread:
    """Read the dataset in the background so the first page view does not wait; ``then``
    runs after it (the app preloads plotly's figure classes there)."""

    def work() -> None:
        from django.db import connection

        try:
            dataset(town_code)
            if then is not None:
                then()
        except Exception:  # the first page view reads again and reports the error
            logging.getLogger(__name__).exception("warming the dashboard data failed")
        finally:
            connection.close()

    thread = threading.Thread(target=work, name="dash-warm", daemon=True)
    thread.start()
    return thread


def targets_read() -> dict[str, float]:
    """The plan's targets: the server's editable targets table where it exists, else the
    ETL's seed values (etl.targets). Used for the workbook and the findings' ETL runs."""
    from django.db import DatabaseError

    from etl.targets import SEED_TARGETS
    from indicators.models import IndicatorTarget

    try:
        stored = dict(IndicatorTarget.objects.values_list("code", "target"))
    except DatabaseError:  # not migrated yet
        return dict(SEED_TARGETS)
    return {**SEED_TARGETS, **{code: float(value) for code, value in stored.items()}}


def thresholds_read() -> dict[str, int]:
    """The alert thresholds from the admin's table (indicators.thresholds)."""
    from django.db import DatabaseError

    from indicators.thresholds import alert_thresholds

    try:
        return alert_thresholds()
    except DatabaseError:  # not migrated yet
        return seed_thresholds()


def judgements_read() -> dict[str, float]:
    """The limits readings are judged by, from the admin's 判定阈值 table."""
    from django.db import DatabaseError

    from etl.judgements import SEED_JUDGEMENTS
    from indicators.thresholds import judgement_thresholds

    try:
        return judgement_thresholds()
    except DatabaseError:  # not migrated yet
        return dict(SEED_JUDGEMENTS)


def _town_submissions(town_code: str):
    """The town's submissions: by their village, else (no village) by their sender's town;
    the same attribution ``etl.extract`` uses for a town's counting rule."""
    from django.db.models import Q

    from accounts.models import User
    from registry.models import AdministrativeVillage

    # Ids as literal lists on the submission's own indexed columns, so PostgreSQL combines
    # two index scans; with subqueries under OR it reads every submission of the province.
    villages = list(
        AdministrativeVillage.objects.filter(town__code=town_code).values_list("pk", flat=True)
    )
    senders = list(User.objects.filter(town__code=town_code).values_list("pk", flat=True))
    return Q(admin_village_id__in=villages) | Q(
        admin_village__isnull=True, submitted_by_id__in=senders
    )


def _submissions_state(town_code: str) -> pd.DataFrame:
    """A cheap summary that changes whenever one of the town's submissions is added,
    edited or reviewed."""
    from django.db.models import Count, Max, Q

    from collect.models import Submission

    summary = Submission.objects.filter(_town_submissions(town_code)).aggregate(
        rows=Count("id"),
        current=Count("id", filter=Q(is_current=True)),
        last_id=Max("id"),
        last_update=Max("updated_at"),
    )
    return pd.DataFrame([summary])


def _area_codes(town_code: str, places: dict[str, pd.DataFrame]) -> list[str]:
    return [
        town_code,
        *places["admin_villages"]["code"],
        *places["natural_villages"]["code"],
    ]


def _published(town_code: str, area_codes: list[str], periods: list[str]):
    """The town's published rows of these periods: by the snapshots' indexed town code, or,
    for values published before snapshots carried it, by the town's area codes."""
    from indicators.models import IndicatorSnapshot

    rows = IndicatorSnapshot.objects.filter(
        code__in=INDICATOR_CODES, level__in=LEVELS, period__in=periods
    )
    by_town = rows.filter(town_code=town_code)
    if by_town.exists():
        return by_town
    return rows.filter(town_code="", area_code__in=area_codes)


def _published_state(town_code: str, area_codes: list[str], periods: list[str]) -> pd.DataFrame:
    from django.db.models import Count, Max

    return pd.DataFrame(
        [
            _published(town_code, area_codes, periods).aggregate(
                rows=Count("id"), last=Max("computed_at"), as_of=Max("as_of")
            )
        ]
    )


def published_read(town_code: str, area_codes: list[str], periods: list[str]):
    """The published values of the town's areas and these periods (``RESULT_COLUMNS``;
    empty when nothing is published yet) and their cut-off date. The breakdowns
    (``details``) are read for the town and its administrative villages only."""
    columns = [c for c in RESULT_COLUMNS if c != "details"]
    published = _published(town_code, area_codes, periods)
    areas = published.exclude(level="natural_village").values_list(*columns, "details", "as_of")
    natural = published.filter(level="natural_village").values_list(*columns, "as_of")
    parts = [
        pd.DataFrame.from_records(list(areas), columns=[*columns, "details", "as_of"]),
        pd.DataFrame.from_records(list(natural), columns=[*columns, "as_of"]).assign(details=None),
    ]
    filled = [part for part in parts if not part.empty]
    frame = pd.concat(filled, ignore_index=True) if filled else parts[0]
    as_of = frame["as_of"].max() if not frame.empty else None
    frame = frame.drop(columns="as_of").loc[:, RESULT_COLUMNS]
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    frame["target"] = pd.to_numeric(frame["target"], errors="coerce").astype(float)
    frame["met"] = frame["met"].astype(object).where(frame["met"].notna(), None)
    return frame, as_of


def coverage_modes_read(admin_codes: Iterable[str], periods: list[str]) -> pd.DataFrame:
    """For each period, the sewage mode each natural village was counted with (the basis of
    the published coverage values of the administrative villages)."""
    from indicators.models import IndicatorSnapshot

    rows = IndicatorSnapshot.objects.filter(
        code="SEWAGE_COVERAGE",
        level="admin_village",
        area_code__in=list(admin_codes),
        period__in=periods,
    ).values_list("period", "basis")
    # basis rows: [id, natural village, numerator, denominator, category, source id]
    records = [(period, row[0], row[4]) for period, basis in rows for row in basis]
    return pd.DataFrame.from_records(
        records, columns=["period", "natural_village_code", "category"]
    )


def _read_registry(town_code: str):
    from etl import extract
    from registry.models import AdministrativeVillage, NaturalVillage, SewageFacility, WaterBody

    registry = extract.registry_read(town_code=town_code)
    in_town = SewageFacility.objects.filter(
        natural_villages__admin_village__town__code=town_code
    ).values("pk")
    places = {
        "admin_villages": pd.DataFrame.from_records(
            AdministrativeVillage.objects.filter(town__code=town_code).values(
                "code", "name", "kind", "latitude", "longitude"
            ),
            columns=["code", "name", "kind", "latitude", "longitude"],
        ),
        "natural_villages": pd.DataFrame.from_records(
            NaturalVillage.objects.filter(admin_village__town__code=town_code).values(
                "code", "latitude", "longitude"
            ),
            columns=["code", "latitude", "longitude"],
        ),
        "facilities": pd.DataFrame.from_records(
            SewageFacility.objects.filter(pk__in=in_town).values(
                "code", "latitude", "longitude", "process_type"
            ),
            columns=["code", "latitude", "longitude", "process_type"],
        ),
        "water_bodies": pd.DataFrame.from_records(
            WaterBody.objects.filter(admin_village__town__code=town_code).values(
                "code", "latitude", "longitude", "kind"
            ),
            columns=["code", "latitude", "longitude", "kind"],
        ),
    }
    return registry, places


def _fingerprint(frames: list[pd.DataFrame], registry, places: dict[str, pd.DataFrame]) -> str:
    digest = hashlib.sha256()
    frames = [
        *frames,
        registry.natural_villages,
        registry.facilities,
        registry.water_bodies,
        *places.values(),
    ]
    for frame in frames:
        digest.update(str(frame.shape).encode())
        hashed = pd.util.hash_pandas_object(frame.astype(str), index=False)
        digest.update(hashed.to_numpy().tobytes())
    return digest.hexdigest()


def _in_town(frame: pd.DataFrame, admin_codes: set[str]) -> pd.DataFrame:
    if "admin_village_code" not in frame.columns:
        return frame
    return frame.loc[frame["admin_village_code"].isin(admin_codes)].reset_index(drop=True)


def dataset_compute(
    *,
    town_code: str,
    town_name: str,
    as_of: dt.date,
    raw: pd.DataFrame,
    dictionary: pd.DataFrame,
    registry,
    places: dict[str, pd.DataFrame],
    results: pd.DataFrame,
    coverage_modes: pd.DataFrame | None = None,
    targets: dict[str, float] | None = None,
    thresholds: dict[str, int] | None = None,
    judgements: dict[str, float] | None = None,
    fingerprint: str = "",
    published_as_of: dt.date | None = None,
) -> Dataset:
    """Tidy the town's submissions (for the ledgers and findings) and put them beside the
    published ``results`` (``RESULT_COLUMNS``). Pure: DataFrames in, a Dataset out."""
    from dataclasses import fields, replace

    from etl import extract, tidy
    from etl.judgements import Judgements
    from etl.targets import SEED_TARGETS

    judgements = dict(judgements or {})  # Judgements.of adds the seeds of missing codes
    admin_codes = set(places["admin_villages"]["code"])
    tables = tidy.tidy_submissions(raw, dictionary, Judgements.of(judgements))
    tables = replace(
        tables,
        **{
            f.name: _in_town(getattr(tables, f.name), admin_codes)
            for f in fields(tables)
            if f.name != "data_quality"
        },
    )
    town_registry = extract.Registry(
        admin_villages=registry.admin_villages,
        natural_villages=_in_town(registry.natural_villages, admin_codes),
        facilities=_in_town(registry.facilities, admin_codes),
        water_bodies=_in_town(registry.water_bodies, admin_codes),
    )
    results = results.loc[:, RESULT_COLUMNS].reset_index(drop=True)
    if coverage_modes is None:
        coverage_modes = pd.DataFrame(columns=["period", "natural_village_code", "category"])
    return Dataset(
        town_code=town_code,
        town_name=town_name,
        as_of=as_of,
        fingerprint=fingerprint,
        registry=town_registry,
        tables=tables,
        results=results,
        area_results=results.loc[results["level"].isin(["town", "admin_village"])].reset_index(
            drop=True
        ),
        coverage_modes=coverage_modes,
        admin_villages=places["admin_villages"].sort_values("code", ignore_index=True),
        natural_villages=town_registry.natural_villages.merge(
            places["natural_villages"], on="code", how="left"
        ),
        facilities=town_registry.facilities.merge(places["facilities"], on="code", how="left"),
        water_bodies=town_registry.water_bodies.merge(
            places["water_bodies"], on="code", how="left"
        ),
        targets=dict(SEED_TARGETS) if targets is None else dict(targets),
        thresholds=seed_thresholds() if thresholds is None else dict(thresholds),
        judgements=judgements,
        published_as_of=published_as_of,
    )


def etl_results(outputs: dict) -> pd.DataFrame:
    """ETL indicator outputs in the published form (``RESULT_COLUMNS``), as
    ``publish_indicators`` stores them; for tests and tools that compute instead of reading."""
    frame = pd.concat([o.results for o in outputs.values()], ignore_index=True)
    frame = frame.assign(record_count=frame["records"].map(len))
    frame["met"] = frame["met"].astype(object).where(frame["met"].notna(), None)
    return frame.loc[:, RESULT_COLUMNS]
