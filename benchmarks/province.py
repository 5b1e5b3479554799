"""Province-scale synthetic data for the indicator, export and dashboard benchmarks.

    .venv/bin/python benchmarks/province.py --database-url URL [--scale 1.0] [--seed 2025]

(URL e.g. ``postgres://postgres@127.0.0.1:55434/NAME``.)

Fills a **migrated** database (``manage.py migrate`` first; the script refuses a database
that already holds its towns) with, at ``--scale 1.0``:

- 500 towns (镇): codes ``32ccnnsss``, names ``基准001镇`` … (基准 marks the data synthetic);
- 9,000 administrative villages, 18 per town (one in six a community), codes town + ``2nn``;
- 150,000 natural villages, ≈ 16–17 per administrative village, 5 % planned for relocation,
  ≈ 70 % with sewage treatment in the registered baseline;
- 100,000 sewage facilities, ≈ 200 per town, codes ``AB-WS-00001`` (two letters per town),
  each serving one natural village, 97 % in service, registered status dated 2020-12;
- 20,000 water bodies, codes ``AB-HC-00001``, registered stages spread over the lifecycle;
- 501 users: ``bench_district`` (区级管理员) and one town official per town,
  ``town_<town code>`` (e.g. ``town_320102100``); password ``zouqu-bench`` for all;
- 1,180,200 submissions dated 2024–2025: 1,000,000 ``sewage_facility_inspection``
  (≈ 10 per in-service facility, spread evenly over the two years), 60,000
  ``village_sewage_coverage``, 60,000 ``black_odorous_water`` visits moving the bodies along
  the lifecycle (a few rebound) plus 200 reports of new bodies, 30,000 ``agri_film_recovery``
  (half-yearly per farming village) and 30,000 ``straw_utilization`` (summer and autumn).

Every count scales linearly with ``--scale`` (``0.01`` for a quick test: 5 towns, 1,500
natural villages, 10,000 inspections, about 12,000 submissions in all).

The submissions belong to the real questionnaires of ``forms/`` (published here if they are
not yet) and their ``answers`` are shaped exactly as ``collect.services.submission_receive``
stores them (what ``etl.extract`` reads): the JSON of each form is built from a
``forms.samples`` instance parsed by ``collect.openrosa``, with the ids, dates, places and
quantities of each row written in. Each submission gets its ``review.Review`` row (state
``received``), as ingest gives it. Two things differ from data sent by phones: the ``xml``
column holds only the instance's root and ``meta/instanceID`` (the full XML of a million
instances would be several GB and nothing reads it back), and no photo files are stored (the
photo answers keep the sample's file names; ``attachments_expected`` is empty). The registry
is left at its registered state: the followed fields (facility status, village mode,
water-body stage) are not recomputed from the submissions here; ``manage.py
registry_recompute`` does that when wanted.

Deterministic: the same ``--seed`` and ``--scale`` give the same rows, instance IDs included.
On PostgreSQL the rows go in with ``COPY`` (about a minute at scale 1); on SQLite (tests)
with ``executemany``.

``province_generate()`` is the function the benchmarks and tests call once Django is set up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import random
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "zouqu-bench"
DISTRICT_USERNAME = "bench_district"
TOWN_OFFICIAL_PREFIX = "town_"
FULL_SCALE = {
    "towns": 500,
    "admin_villages": 9_000,
    "natural_villages": 150_000,
    "facilities": 100_000,
    "water_bodies": 20_000,
    "inspections": 1_000_000,
    "coverage_surveys": 60_000,
    "water_observations": 60_000,
    "new_water_reports": 200,
}
YEARS = (2024, 2025)
FORM_IDS = (
    "sewage_facility_inspection",
    "village_sewage_coverage",
    "black_odorous_water",
    "agri_film_recovery",
    "straw_utilization",
)
UTC = dt.UTC
CHINA = dt.timezone(dt.timedelta(hours=8))
PROCESS_TYPES = ["ao", "a2o", "mbr", "contact_ox", "biofilter", "wetland", "jingcao", "septic"]
WATER_KINDS = ["pond", "ditch", "creek", "river"]
BASELINE_STAGES = ["screened"] * 4 + ["works"] * 3 + ["completed"] * 2 + ["monitoring", "closed"]
STAGE_STEPS = ["screened", "works", "completed", "acceptance", "closed"]
REGISTRY_STAGE_STEP = {"screened": 0, "works": 1, "completed": 2, "monitoring": 3, "closed": 4}


@dataclass(frozen=True)
class Counts:
    towns: int
    admin_villages: int
    natural_villages: int
    facilities: int
    water_bodies: int
    inspections: int
    coverage_surveys: int
    water_observations: int
    new_water_reports: int

    @classmethod
    def at(cls, scale: float) -> Counts:
        if not 0 < scale <= 4:
            raise ValueError("scale must be in (0, 4]")
        counts = {k: max(1, round(v * scale)) for k, v in FULL_SCALE.items()}
        counts["towns"] = max(2, counts["towns"])
        counts["admin_villages"] = max(counts["towns"], counts["admin_villages"])
        counts["natural_villages"] = max(counts["admin_villages"], counts["natural_villages"])
        return cls(**counts)


@dataclass
class Result:
    counts: Counts
    submissions: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    town_codes: list[str] = field(default_factory=list)

    @property
    def total_submissions(self) -> int:
        return sum(self.submissions.values())


# --------------------------------------------------------------------------- answers templates


class JsonTemplate:
    """The stored answers JSON of one form scenario with some values left open.

    Built from a real sample instance parsed by the ingest code; ``render`` writes the open
    values (plain strings without quotes or backslashes) into the serialised JSON, which is
    much faster than building and dumping a dict per row.
    """

    _MARK = re.compile(r'"\\u0000(\w+)\\u0000"')

    def __init__(self, answers: dict, open_paths: Iterable[str]):
        answers = json.loads(json.dumps(answers))
        for path in open_paths:
            _set_path(answers, path, f"\x00{_slot(path)}\x00")
        text = json.dumps(answers, ensure_ascii=False)
        pieces = self._MARK.split(text)
        self.literals = pieces[0::2]
        self.slots = pieces[1::2]

    def render(self, values: dict[str, str]) -> str:
        out = [self.literals[0]]
        for slot, literal in zip(self.slots, self.literals[1:], strict=True):
            out.append('"')
            out.append(values[slot])
            out.append('"')
            out.append(literal)
        return "".join(out)


def _slot(path: str) -> str:
    return re.sub(r"\W", "_", path)


def _set_path(answers: dict, path: str, value: str) -> None:
    """``"fault.0.fault/fault_type"`` addresses a repeat entry's answer."""
    parts = path.split(".")
    target = answers
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if parts[-1] not in target:
        raise KeyError(f"sample answers have no {path}")
    target[parts[-1]] = value


COMMON_OPEN = [
    "start",
    "end",
    "today",
    "username",
    "deviceid",
    "admin_village",
    "natural_village",
    "location",
    "meta/instanceID",
    "meta/instanceName",
]


def _sample_answers(form_id: str, seed: int, repeat_paths: list[str]) -> dict:
    from collect import openrosa
    from forms.samples import sample_instance

    sample = sample_instance(form_id, seed=seed)
    return openrosa.instance_answers(openrosa.instance_parse(sample.xml), repeat_paths=repeat_paths)


def _templates(versions: dict) -> dict[str, JsonTemplate]:
    """Templates by name: ``inspection_<status>``, ``coverage``, ``water_<purpose>``, ...,
    each a real sample scenario with the row's values left open."""
    out: dict[str, JsonTemplate] = {}
    repeat = {form_id: versions[form_id].repeat_paths for form_id in FORM_IDS}
    inspection_open = [*COMMON_OPEN, "facility", "facility_process_type"]
    for status, seed in (("normal", 1), ("defective", 0), ("stopped", 2)):
        answers = _sample_answers(
            "sewage_facility_inspection", seed, repeat["sewage_facility_inspection"]
        )
        out[f"inspection_{status}"] = JsonTemplate(answers, inspection_open)
    coverage = _sample_answers("village_sewage_coverage", 0, repeat["village_sewage_coverage"])
    coverage["facilities_serving"] = ""
    out["coverage"] = JsonTemplate(
        coverage,
        [
            *COMMON_OPEN,
            "treatment_mode",
            "households_total",
            "households_connected",
            "household_coverage",
        ],
    )
    water_open = [
        *COMMON_OPEN,
        "water_body",
        "water_body_kind_registered",
        "purpose",
        "remediation/stage",
    ]
    # Scenario 0 measures black water at its sample points, scenario 1 clean water.
    for name, seed in (("water_black", 0), ("water_clean", 1)):
        answers = _sample_answers("black_odorous_water", seed, repeat["black_odorous_water"])
        out[name] = JsonTemplate(answers, water_open)
    new = _sample_answers("black_odorous_water", 2, repeat["black_odorous_water"])
    out["water_new"] = JsonTemplate(new, [*COMMON_OPEN, "new_water_body_name"])
    film = _sample_answers("agri_film_recovery", 0, repeat["agri_film_recovery"])
    film_open = [*COMMON_OPEN, "site_type", "period_start", "period_end"]
    for n in range(2):
        film_open += [
            f"film.{n}.film/film_used_kg",
            f"film.{n}.film/film_recovered_kg",
            f"film.{n}.film/film_recovery_rate",
        ]
    film_open += [
        "film.0.film/thickness_mm",
        "film.0.film/thin_film",
        "film_used_total_kg",
        "film_recovered_total_kg",
        "recovery_rate",
        "thin_film_found",
    ]
    film["film"][1]["film/recovered_over_used_confirmed"] = ""
    out["film"] = JsonTemplate(film, film_open)
    straw_uses = [
        "uses/direct_return_t",
        "uses/fertilizer_market_t",
        "uses/feed_household_t",
        "uses/feed_market_t",
        "uses/fuel_market_t",
        "uses/substrate_market_t",
        "uses/material_market_t",
    ]
    straw_open = [
        *COMMON_OPEN,
        "survey_year",
        "straw_produced_estimate_t",
        "straw_produced_t",
        "collectable_t",
        *straw_uses,
        "not_used/burned_t",
        "not_used/unused_t",
        "utilised_t",
        "utilisation_rate",
    ]
    # Scenario 0 is a summer wheat report with two mapped burning sites, 1 an autumn rice
    # report without burning; the variants without/with burning are derived from them.
    summer = _sample_answers("straw_utilization", 0, repeat["straw_utilization"])
    autumn = _sample_answers("straw_utilization", 1, repeat["straw_utilization"])
    summer_clean = {k: v for k, v in summer.items() if k != "burning_site"}
    summer_clean["open_burning_seen"] = "no"
    autumn_burning = {**autumn, "open_burning_seen": "yes", "burning_site": summer["burning_site"]}
    for name, answers in (
        ("straw_summer", summer_clean),
        ("straw_summer_burning", summer),
        ("straw_autumn", autumn),
        ("straw_autumn_burning", autumn_burning),
    ):
        answers = dict(answers)
        for key in (
            "uses/fertilizer_household_t",
            "uses/fuel_household_t",
            "uses/substrate_household_t",
            "uses/material_household_t",
            "uses/exported_t",
            "uses/imported_t",
            "not_used/dumped_t",
        ):
            answers[key] = "0"
        out[name] = JsonTemplate(answers, straw_open)
    return out


# --------------------------------------------------------------------------- writing


class Writer:
    """Rows into tables: ``COPY`` on PostgreSQL, ``executemany`` elsewhere."""

    def __init__(self, connection):
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"

    def ts(self, value: dt.datetime):
        """A timestamp as the backend stores it (aware on PostgreSQL, naive UTC on SQLite)."""
        value = value.astimezone(UTC)
        return value if self.postgres else value.replace(tzinfo=None)

    def write(self, table: str, columns: list[str], rows: Iterable[tuple]) -> int:
        count = 0
        quoted = ", ".join(f'"{c}"' for c in columns)
        with self.connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
                return count
            sql = f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join(["%s"] * len(columns))})'
            batch: list[tuple] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= 5000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count

    def next_id(self, model) -> int:
        from django.db.models import Max

        return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def sequences_reset(self, models: Iterable) -> None:
        if not self.postgres:
            return  # SQLite's rowid picks up after the largest id by itself
        from django.core.management.color import no_style

        statements = self.connection.ops.sequence_reset_sql(no_style(), list(models))
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


# --------------------------------------------------------------------------- registry


@dataclass
class Place:
    """The registry rows the generator refers to while writing submissions."""

    town_codes: list[str]
    town_ids: list[int]
    admin_codes: list[str]
    admin_ids: list[int]
    admin_town: list[int]  # index into towns
    admin_names: list[str]
    admin_farming: list[bool]
    village_codes: list[str]
    village_ids: list[int]
    village_admin: list[int]  # index into admin villages
    village_households: list[int]
    village_mode: list[str]
    village_relocation: list[bool]
    village_points: list[tuple[float, float]]
    facility_codes: list[str]
    facility_ids: list[int]
    facility_village: list[int]
    facility_process: list[str]
    facility_in_service: list[bool]
    water_codes: list[str]
    water_ids: list[int]
    water_village: list[int]
    water_kind: list[str]
    water_stage: list[str]
    user_ids: list[int]  # town official per town
    first_village: list[int] = field(default_factory=list)  # per admin village


def _town_code(i: int) -> str:
    city, rest = divmod(i, 100)
    county, serial = divmod(rest, 10)
    return f"32{city + 1:02d}{county + 2:02d}{100 + serial:03d}"


def _prefix(i: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[i // 26 % 26] + letters[i % 26]


def _spread(total: int, parts: int) -> list[int]:
    """``total`` items over ``parts`` owners as evenly as possible: the owner of each item."""
    return [i * parts // total for i in range(total)]


def _registry_write(writer: Writer, counts: Counts, rng: random.Random) -> Place:
    from django.contrib.auth.hashers import make_password

    from accounts.models import Role, User, digest_ha1
    from registry.models import (
        AdministrativeVillage,
        FacilityVillage,
        NaturalVillage,
        SewageFacility,
        Town,
        WaterBody,
    )

    town_codes = [_town_code(i) for i in range(counts.towns)]
    if Town.objects.filter(code__in=town_codes[:50]).exists():
        raise SystemExit("this database already holds the benchmark towns; use a fresh one")
    first = writer.next_id(Town)
    town_ids = list(range(first, first + counts.towns))
    centres = [(rng.uniform(31.0, 34.8), rng.uniform(116.6, 121.4)) for _ in town_ids]
    writer.write(
        Town._meta.db_table,
        ["id", "code", "name", "name_en", "district", "latitude", "longitude"],
        (
            (
                town_ids[i],
                town_codes[i],
                f"基准{i + 1:03d}镇",
                f"Bench town {i + 1}",
                "基准区",
                *centres[i],
            )
            for i in range(counts.towns)
        ),
    )

    admin_town = _spread(counts.admin_villages, counts.towns)
    first = writer.next_id(AdministrativeVillage)
    admin_ids = list(range(first, first + counts.admin_villages))
    admin_codes, admin_names, admin_farming = [], [], []
    serial: dict[int, int] = {}
    for town in admin_town:
        n = serial[town] = serial.get(town, 0) + 1
        admin_codes.append(f"{town_codes[town]}{200 + n:03d}")
        admin_names.append(f"基准{town + 1:03d}镇{n}村")
        admin_farming.append(n % 6 != 1)  # one in six is a community
    writer.write(
        AdministrativeVillage._meta.db_table,
        ["id", "code", "town_id", "name", "name_en", "kind", "note"],
        (
            (
                admin_ids[i],
                admin_codes[i],
                town_ids[admin_town[i]],
                admin_names[i],
                "",
                "village" if admin_farming[i] else "community",
                "基准测试合成数据",
            )
            for i in range(counts.admin_villages)
        ),
    )

    village_admin = _spread(counts.natural_villages, counts.admin_villages)
    first = writer.next_id(NaturalVillage)
    village_ids = list(range(first, first + counts.natural_villages))
    village_codes, households, connected, modes, relocation, points = [], [], [], [], [], []
    serial = {}
    for admin in village_admin:
        n = serial[admin] = serial.get(admin, 0) + 1
        village_codes.append(f"{admin_codes[admin]}{n:03d}")
        total = rng.randint(20, 220)
        moving = rng.random() < 0.05
        mode = (
            "none"
            if moving or rng.random() < 0.3
            else rng.choice(["sewer", "centralized", "centralized", "decentralized"])
        )
        households.append(total)
        connected.append(0 if mode == "none" else round(total * rng.uniform(0.8, 1.0)))
        modes.append(mode)
        relocation.append(moving)
        lat, lon = centres[admin_town[admin]]
        points.append(
            (round(lat + rng.uniform(-0.05, 0.05), 6), round(lon + rng.uniform(-0.05, 0.05), 6))
        )
    writer.write(
        NaturalVillage._meta.db_table,
        [
            "id",
            "code",
            "admin_village_id",
            "name",
            "households",
            "households_connected",
            "population",
            "is_planned_development",
            "is_planned_relocation",
            "sewage_mode",
            "latitude",
            "longitude",
        ],
        (
            (
                village_ids[i],
                village_codes[i],
                admin_ids[village_admin[i]],
                f"{admin_names[village_admin[i]]}·{village_codes[i][-3:]}组",
                households[i],
                connected[i],
                households[i] * 3,
                not relocation[i],
                relocation[i],
                modes[i],
                *points[i],
            )
            for i in range(counts.natural_villages)
        ),
    )

    facility_village = _spread(counts.facilities, counts.natural_villages)
    first = writer.next_id(SewageFacility)
    facility_ids = list(range(first, first + counts.facilities))
    facility_codes, process, in_service, statuses = [], [], [], []
    serial = {}
    for village in facility_village:
        town = admin_town[village_admin[village]]
        n = serial[town] = serial.get(town, 0) + 1
        facility_codes.append(f"{_prefix(town)}-WS-{n:05d}")
        process.append(rng.choice(PROCESS_TYPES))
        in_service.append(rng.random() < 0.97)
        statuses.append(rng.choices(["normal", "defective", "stopped"], [92, 5, 3])[0])
    writer.write(
        SewageFacility._meta.db_table,
        [
            "id",
            "code",
            "name",
            "process_type",
            "scale",
            "design_capacity",
            "commissioned_on",
            "contractor_id",
            "om_mode",
            "in_service",
            "status",
            "status_date",
            "faults",
            "latitude",
            "longitude",
        ],
        (
            (
                facility_ids[i],
                facility_codes[i],
                f"{admin_names[village_admin[facility_village[i]]]}污水处理设施{facility_codes[i][-5:]}",
                process[i],
                "village",
                f"{rng.choice([5, 10, 20, 30, 50])}.0",
                dt.date(2015 + i % 6, 1 + i % 12, 1),
                None,
                "third_party",
                in_service[i],
                statuses[i],
                dt.date(2020, 12, 1 + i % 28),
                "[]",
                *points[facility_village[i]],
            )
            for i in range(counts.facilities)
        ),
    )
    first = writer.next_id(FacilityVillage)
    writer.write(
        FacilityVillage._meta.db_table,
        ["id", "facility_id", "natural_village_id"],
        (
            (first + i, facility_ids[i], village_ids[facility_village[i]])
            for i in range(counts.facilities)
        ),
    )

    water_village = _spread(counts.water_bodies, counts.natural_villages)
    first = writer.next_id(WaterBody)
    water_ids = list(range(first, first + counts.water_bodies))
    water_codes, kinds, stages = [], [], []
    serial = {}
    for village in water_village:
        town = admin_town[village_admin[village]]
        n = serial[town] = serial.get(town, 0) + 1
        water_codes.append(f"{_prefix(town)}-HC-{n:05d}")
        kinds.append(rng.choice(WATER_KINDS))
        stages.append(rng.choice(BASELINE_STAGES))
    writer.write(
        WaterBody._meta.db_table,
        [
            "id",
            "code",
            "name",
            "kind",
            "admin_village_id",
            "natural_village_id",
            "length_m",
            "area_m2",
            "stage",
            "stage_date",
            "is_confirmed",
            "latitude",
            "longitude",
        ],
        (
            (
                water_ids[i],
                water_codes[i],
                f"{admin_names[village_admin[water_village[i]]]}基准水体{water_codes[i][-5:]}",
                kinds[i],
                admin_ids[village_admin[water_village[i]]],
                village_ids[water_village[i]],
                None,
                f"{rng.randint(200, 5000)}.0",
                stages[i],
                dt.date(2020, 10, 1 + i % 28),
                True,
                *points[water_village[i]],
            )
            for i in range(counts.water_bodies)
        ),
    )

    # One password hash for every account (hashing is deliberately slow); HA1 per user.
    password = make_password(PASSWORD)
    first = writer.next_id(User)
    now = writer.ts(dt.datetime(2025, 1, 1, tzinfo=UTC))
    users = [(DISTRICT_USERNAME, Role.DISTRICT_ADMIN.value, None, "基准区管理员")]
    users += [
        (
            f"{TOWN_OFFICIAL_PREFIX}{code}",
            Role.TOWN_OFFICIAL.value,
            town_ids[i],
            f"基准{i + 1:03d}镇管理员",
        )
        for i, code in enumerate(town_codes)
    ]
    writer.write(
        User._meta.db_table,
        [
            "id",
            "password",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "role",
            "town_id",
            "phone",
            "digest_ha1",
        ],
        (
            (
                first + i,
                password,
                False,
                username,
                name,
                "",
                "",
                role == Role.DISTRICT_ADMIN.value,
                True,
                now,
                role,
                town,
                "",
                digest_ha1(username, PASSWORD),
            )
            for i, (username, role, town, name) in enumerate(users)
        ),
    )
    writer.sequences_reset(
        [
            Town,
            AdministrativeVillage,
            NaturalVillage,
            SewageFacility,
            FacilityVillage,
            WaterBody,
            User,
        ]
    )
    return Place(
        town_codes=town_codes,
        town_ids=town_ids,
        admin_codes=admin_codes,
        admin_ids=admin_ids,
        admin_town=admin_town,
        admin_names=admin_names,
        admin_farming=admin_farming,
        village_codes=village_codes,
        village_ids=village_ids,
        village_admin=village_admin,
        village_households=households,
        village_mode=modes,
        village_relocation=relocation,
        village_points=points,
        facility_codes=facility_codes,
        facility_ids=facility_ids,
        facility_village=facility_village,
        facility_process=process,
        facility_in_service=in_service,
        water_codes=water_codes,
        water_ids=water_ids,
        water_village=water_village,
        water_kind=kinds,
        water_stage=stages,
        user_ids=list(range(first + 1, first + 1 + counts.towns)),
        first_village=_first_per_owner(village_admin, counts.admin_villages),
    )


def _first_per_owner(owners: list[int], count: int) -> list[int]:
    first: list[int] = [-1] * count
    for i, owner in enumerate(owners):
        if first[owner] < 0:
            first[owner] = i
    return first


# --------------------------------------------------------------------------- submissions


@dataclass
class Planned:
    """One submission: its template, open values and what it is about."""

    kind: str  # form id
    template: str
    when: dt.date
    town: int
    admin: int | None
    village: int | None
    facility: int | None = None
    water: int | None = None
    values: dict[str, str] = field(default_factory=dict)
    name: str = ""


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _inspections(place: Place, counts: Counts, rng: random.Random) -> Iterator[Planned]:
    serving = [i for i, ok in enumerate(place.facility_in_service) if ok]
    if not serving:
        return
    rounds = math.ceil(counts.inspections / len(serving))
    first, last = dt.date(YEARS[0], 1, 1), dt.date(YEARS[-1], 12, 31)
    span = (last - first).days + 1
    lagging = {f for f in serving if rng.random() < 0.02}
    for n in range(counts.inspections):
        facility = serving[n % len(serving)]
        round_no = n // len(serving)
        lo = first + dt.timedelta(days=span * round_no // rounds)
        hi = first + dt.timedelta(days=span * (round_no + 1) // rounds - 1)
        weights = [60, 25, 15] if facility in lagging else [93, 5, 2]
        status = rng.choices(["normal", "defective", "stopped"], weights)[0]
        village = place.facility_village[facility]
        admin = place.village_admin[village]
        yield Planned(
            "sewage_facility_inspection",
            f"inspection_{status}",
            _day(rng, lo, hi),
            place.admin_town[admin],
            admin,
            village,
            facility=facility,
            values={
                "facility": place.facility_codes[facility],
                "facility_process_type": place.facility_process[facility],
            },
            name=place.facility_codes[facility],
        )


def _coverage(place: Place, counts: Counts, rng: random.Random) -> Iterator[Planned]:
    kept = [i for i, moving in enumerate(place.village_relocation) if not moving]
    for _ in range(counts.coverage_surveys):
        village = kept[rng.randrange(len(kept))]
        mode = place.village_mode[village]
        if mode == "none" and rng.random() < 0.6:
            mode = rng.choice(["sewer", "centralized", "decentralized"])
        total = place.village_households[village]
        connected = 0 if mode == "none" else max(1, round(total * rng.uniform(0.82, 1.0)))
        admin = place.village_admin[village]
        yield Planned(
            "village_sewage_coverage",
            "coverage",
            _day(rng, dt.date(YEARS[0], 3, 1), dt.date(YEARS[-1], 11, 30)),
            place.admin_town[admin],
            admin,
            village,
            values={
                "treatment_mode": mode,
                "households_total": str(total),
                "households_connected": str(connected) if connected else "",
                "household_coverage": f"{connected / total:.3f}".rstrip("0").rstrip(".") or "0",
            },
            name=place.village_codes[village],
        )


def _water(place: Place, counts: Counts, rng: random.Random) -> Iterator[Planned]:
    bodies = len(place.water_codes)
    visits_each = max(1, round(counts.water_observations / bodies))
    made = 0
    for body in range(bodies):
        step = REGISTRY_STAGE_STEP.get(place.water_stage[body], 0)
        days = sorted(
            _day(rng, dt.date(YEARS[0], 1, 10), dt.date(YEARS[-1], 12, 20))
            for _ in range(visits_each)
        )
        for when in days:
            if made >= counts.water_observations:
                break
            step = min(step + rng.choice([0, 1, 1, 2]), len(STAGE_STEPS) - 1)
            stage = STAGE_STEPS[step]
            monitoring = stage in ("acceptance", "closed")
            black = stage in ("screened", "works") or (monitoring and rng.random() < 0.04)
            village = place.water_village[body]
            admin = place.village_admin[village]
            made += 1
            yield Planned(
                "black_odorous_water",
                "water_black" if black else "water_clean",
                when,
                place.admin_town[admin],
                admin,
                village,
                water=body,
                values={
                    "water_body": place.water_codes[body],
                    "water_body_kind_registered": place.water_kind[body],
                    "purpose": "post_monitoring" if monitoring else "progress",
                    "remediation/stage": stage,
                },
                name=place.water_codes[body],
            )
    for n in range(counts.new_water_reports):
        village = rng.randrange(len(place.village_codes))
        admin = place.village_admin[village]
        yield Planned(
            "black_odorous_water",
            "water_new",
            _day(rng, dt.date(YEARS[0], 1, 10), dt.date(YEARS[-1], 12, 20)),
            place.admin_town[admin],
            admin,
            village,
            values={"new_water_body_name": f"{place.admin_names[admin]}基准新报告水体{n + 1}"},
            name=f"新报告{n + 1}",
        )


def _film(place: Place, rng: random.Random) -> Iterator[Planned]:
    for admin, farming in enumerate(place.admin_farming):
        if not farming:
            continue
        scale = rng.uniform(0.5, 1.6)
        village = place.first_village[admin]
        for year in YEARS:
            for start, end in (((1, 1), (6, 30)), ((7, 1), (12, 31))):
                rate = min(0.99, rng.uniform(0.84, 0.96) + (year - YEARS[0]) * 0.01)
                values = {"site_type": "point" if rng.random() < 0.05 else "village"}
                total_used = total_recovered = 0.0
                for n, base in ((0, 1200), (1, 800)):
                    used = round(base * scale * rng.uniform(0.85, 1.15), 1)
                    recovered = round(used * rate, 1)
                    total_used += used
                    total_recovered += recovered
                    values[f"film_{n}_film_film_used_kg"] = f"{used:g}"
                    values[f"film_{n}_film_film_recovered_kg"] = f"{recovered:g}"
                    values[f"film_{n}_film_film_recovery_rate"] = f"{recovered / used:.3f}"
                thin = rng.random() < 0.05
                values.update(
                    {
                        "period_start": dt.date(year, *start).isoformat(),
                        "period_end": dt.date(year, *end).isoformat(),
                        "film_0_film_thickness_mm": "0.008" if thin else "0.012",
                        "film_0_film_thin_film": "yes" if thin else "no",
                        "film_used_total_kg": f"{total_used:g}",
                        "film_recovered_total_kg": f"{total_recovered:g}",
                        "recovery_rate": f"{total_recovered / total_used:.3f}",
                        "thin_film_found": "yes" if thin else "no",
                    }
                )
                yield Planned(
                    "agri_film_recovery",
                    "film",
                    dt.date(year, *end),
                    place.admin_town[admin],
                    admin,
                    village,
                    values=values,
                    name=f"{place.admin_codes[admin]} {values['period_start']}~"
                    f"{values['period_end']}",
                )


def _straw(place: Place, rng: random.Random) -> Iterator[Planned]:
    uses_share = {
        "uses_direct_return_t": 0.62,
        "uses_fertilizer_market_t": 0.1,
        "uses_feed_household_t": 0.03,
        "uses_feed_market_t": 0.08,
        "uses_fuel_market_t": 0.08,
        "uses_substrate_market_t": 0.05,
        "uses_material_market_t": 0.04,
    }
    for admin, farming in enumerate(place.admin_farming):
        if not farming:
            continue
        scale = rng.uniform(0.5, 1.5)
        village = place.first_village[admin]
        for year in YEARS:
            for season, base, month in (("summer", 576.0, 7), ("autumn", 1302.31, 11)):
                burning = rng.random() < 0.08
                template = f"straw_{season}" + ("_burning" if burning else "")
                produced = round(base * scale * rng.uniform(0.9, 1.1), 1)
                collectable = produced * 0.8
                used = collectable * min(1.0, rng.uniform(0.955, 0.995))
                parts = {k: round(used * share, 1) for k, share in uses_share.items()}
                utilised = sum(parts.values())
                left = max(0.0, round(collectable - utilised, 1))
                burned = round(left * 0.2, 1) if burning else 0.0
                values = {k: f"{v:g}" for k, v in parts.items()}
                values.update(
                    {
                        "survey_year": str(year),
                        "straw_produced_estimate_t": f"{produced:g}",
                        "straw_produced_t": f"{produced:g}",
                        "collectable_t": f"{collectable:g}",
                        "not_used_burned_t": f"{burned:g}",
                        "not_used_unused_t": f"{round(left - burned, 1):g}",
                        "utilised_t": f"{utilised:g}",
                        "utilisation_rate": f"{utilised / collectable:.4f}",
                    }
                )
                yield Planned(
                    "straw_utilization",
                    template,
                    _day(rng, dt.date(year, month, 1), dt.date(year, month, 28)),
                    place.admin_town[admin],
                    admin,
                    village,
                    values=values,
                    name=f"{place.admin_codes[admin]} {year}",
                )


def _plan(place: Place, counts: Counts, rng: random.Random) -> Iterator[Planned]:
    yield from _inspections(place, counts, rng)
    yield from _coverage(place, counts, rng)
    yield from _water(place, counts, rng)
    yield from _film(place, rng)
    yield from _straw(place, rng)


def _submission_rows(
    plan: Iterable[Planned],
    place: Place,
    templates: dict[str, JsonTemplate],
    versions: dict,
    writer: Writer,
    rng: random.Random,
    first_id: int,
    tally: dict[str, int],
) -> Iterator[tuple]:
    usernames = [f"{TOWN_OFFICIAL_PREFIX}{code}" for code in place.town_codes]
    for n, planned in enumerate(plan):
        instance_id = f"uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}"
        start = dt.datetime.combine(planned.when, dt.time(8, 0), CHINA) + dt.timedelta(
            minutes=rng.randrange(540)
        )
        end = start + dt.timedelta(minutes=rng.randint(8, 40))
        received = end + dt.timedelta(minutes=rng.randint(1, 3000))
        village = planned.village
        lat, lon = place.village_points[village] if village is not None else (32.0, 119.0)
        values = {
            "start": start.isoformat(timespec="milliseconds"),
            "end": end.isoformat(timespec="milliseconds"),
            "today": planned.when.isoformat(),
            "username": usernames[planned.town],
            "deviceid": f"collect:BENCH{planned.town:06d}",
            "admin_village": place.admin_codes[planned.admin] if planned.admin is not None else "",
            "natural_village": place.village_codes[village] if village is not None else "",
            "location": f"{lat + rng.uniform(-0.004, 0.004):.6f} "
            f"{lon + rng.uniform(-0.004, 0.004):.6f} 5 4.8",
            "meta_instanceID": instance_id,
            "meta_instanceName": f"{planned.name} {planned.when.isoformat()}",
            **{_slot(k): v for k, v in planned.values.items()},
        }
        version = versions[planned.kind]
        xml = (
            f'<data id="{planned.kind}" version="{version.version}">'
            f"<meta><instanceID>{instance_id}</instanceID></meta></data>"
        )
        tally[planned.kind] = tally.get(planned.kind, 0) + 1
        yield (
            first_id + n,
            version.form_id,
            version.pk,
            instance_id,
            xml,
            hashlib.md5(xml.encode()).hexdigest(),
            templates[planned.template].render(values),
            place.user_ids[planned.town],
            values["deviceid"],
            writer.ts(received),
            writer.ts(received),
            writer.ts(start),
            writer.ts(end),
            "",
            place.admin_ids[planned.admin] if planned.admin is not None else None,
            place.village_ids[village] if village is not None else None,
            place.facility_ids[planned.facility] if planned.facility is not None else None,
            place.water_ids[planned.water] if planned.water is not None else None,
            None,
            True,
            "[]",
            True,
        )


SUBMISSION_COLUMNS = [
    "id",
    "form_id",
    "form_version_id",
    "instance_id",
    "xml",
    "xml_md5",
    "answers",
    "submitted_by_id",
    "device_id",
    "received_at",
    "updated_at",
    "client_started_at",
    "client_ended_at",
    "client_date_header",
    "admin_village_id",
    "natural_village_id",
    "facility_id",
    "water_body_id",
    "replaces_id",
    "is_current",
    "attachments_expected",
    "attachments_complete",
]


def forms_published() -> dict:
    """The current version of each of the five forms, publishing ``forms/`` when missing."""
    from collect.models import Form

    forms = {
        f.form_id: f
        for f in Form.objects.filter(form_id__in=FORM_IDS, current_version__isnull=False)
    }
    if len(forms) < len(FORM_IDS):
        from collect.demo_history import demo_forms_publish

        demo_forms_publish()
        forms = {f.form_id: f for f in Form.objects.filter(form_id__in=FORM_IDS)}
    return {form_id: forms[form_id].current_version for form_id in FORM_IDS}


def province_generate(
    *, scale: float = 1.0, seed: int = 2025, log: Callable[[str], None] | None = None
) -> Result:
    """Fill the configured (migrated) database with province-scale data; see the module."""
    from django.db import connection, transaction

    from collect.models import Submission
    from review.models import Review

    log = log or (lambda _message: None)
    counts = Counts.at(scale)
    rng = random.Random(seed)
    writer = Writer(connection)
    began = time.perf_counter()
    versions = forms_published()
    templates = _templates(versions)
    result = Result(counts=counts)
    with transaction.atomic():
        place = _registry_write(writer, counts, rng)
        log(
            f"registry: {counts.towns} towns, {counts.natural_villages} natural villages, "
            f"{counts.facilities} facilities, {counts.water_bodies} water bodies "
            f"({time.perf_counter() - began:.1f} s)"
        )
        first = writer.next_id(Submission)
        rows = _submission_rows(
            _plan(place, counts, rng),
            place,
            templates,
            versions,
            writer,
            rng,
            first,
            result.submissions,
        )
        written = writer.write(Submission._meta.db_table, SUBMISSION_COLUMNS, rows)
        log(f"submissions: {written} ({time.perf_counter() - began:.1f} s)")
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{Review._meta.db_table}" (submission_id, state, changed_at) '
                f'SELECT id, %s, received_at FROM "{Submission._meta.db_table}" WHERE id >= %s',
                ["received", first],
            )
        writer.sequences_reset([Submission])
    if writer.postgres:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    result.seconds = time.perf_counter() - began
    result.town_codes = place.town_codes
    log(f"done in {result.seconds:.1f} s")
    return result


def inspections_add(
    *, count: int, town_codes: list[str], when: dt.date, seed: int = 7
) -> list[str]:
    """``count`` new inspections (instance IDs returned) of facilities of ``town_codes``, dated
    ``when``, written as ingest stores them (with their review rows): the benchmarks' "new
    submissions arrive" step. Most are normal; every fifth one finds the facility stopped."""
    from django.db import connection, transaction

    from accounts.models import User
    from collect.models import Submission
    from registry.models import FacilityVillage
    from review.models import Review

    rng = random.Random(seed)
    writer = Writer(connection)
    versions = forms_published()
    templates = _templates(versions)
    links = list(
        FacilityVillage.objects.filter(
            natural_village__admin_village__town__code__in=town_codes,
            facility__in_service=True,
        )
        .order_by("facility__code")
        .values_list(
            "facility_id",
            "facility__code",
            "facility__process_type",
            "natural_village_id",
            "natural_village__code",
            "natural_village__latitude",
            "natural_village__longitude",
            "natural_village__admin_village_id",
            "natural_village__admin_village__code",
            "natural_village__admin_village__town__code",
        )
    )
    picked = [links[n * len(links) // count] for n in range(count)] if links else []
    officials = dict(
        User.objects.filter(
            username__in=[f"{TOWN_OFFICIAL_PREFIX}{t}" for t in town_codes]
        ).values_list("username", "pk")
    )
    towns = sorted({row[9] for row in picked})
    place = Place(
        town_codes=towns,
        town_ids=[],
        admin_codes=[row[8] for row in picked],
        admin_ids=[row[7] for row in picked],
        admin_town=[],
        admin_names=[],
        admin_farming=[],
        village_codes=[row[4] for row in picked],
        village_ids=[row[3] for row in picked],
        village_admin=[],
        village_households=[],
        village_mode=[],
        village_relocation=[],
        village_points=[(row[5] or 32.0, row[6] or 119.0) for row in picked],
        facility_codes=[row[1] for row in picked],
        facility_ids=[row[0] for row in picked],
        facility_village=[],
        facility_process=[row[2] for row in picked],
        facility_in_service=[],
        water_codes=[],
        water_ids=[],
        water_village=[],
        water_kind=[],
        water_stage=[],
        user_ids=[officials[f"{TOWN_OFFICIAL_PREFIX}{t}"] for t in towns],
    )
    plan = [
        Planned(
            "sewage_facility_inspection",
            "inspection_stopped" if n % 5 == 4 else "inspection_normal",
            when,
            towns.index(row[9]),
            n,
            n,
            facility=n,
            values={"facility": row[1], "facility_process_type": row[2]},
            name=row[1],
        )
        for n, row in enumerate(picked)
    ]
    tally: dict[str, int] = {}
    with transaction.atomic():
        first = writer.next_id(Submission)
        rows = list(_submission_rows(plan, place, templates, versions, writer, rng, first, tally))
        now = writer.ts(dt.datetime.now(UTC))
        rows = [(*row[:9], now, now, *row[11:]) for row in rows]  # received now
        writer.write(Submission._meta.db_table, SUBMISSION_COLUMNS, rows)
        writer.write(
            Review._meta.db_table,
            ["submission_id", "state", "changed_at"],
            [(row[0], "received", now) for row in rows],
        )
        writer.sequences_reset([Submission])
    return [row[3] for row in rows]


def django_setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    for path in (REPO, REPO / "server"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a migrated database")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = province scale")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    django_setup(args.database_url)
    result = province_generate(scale=args.scale, seed=args.seed, log=lambda m: print(m, flush=True))
    for form_id, count in sorted(result.submissions.items()):
        print(f"{form_id:<28} {count:>9}")
    print(
        f"users: {DISTRICT_USERNAME} and {TOWN_OFFICIAL_PREFIX}<town code> "
        f"({result.counts.towns}, e.g. {TOWN_OFFICIAL_PREFIX}{result.town_codes[0]}), "
        f"password {PASSWORD}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
