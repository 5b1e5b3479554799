"""A believable, clearly synthetic 邹区镇 registry for demos and tests.

No public register of natural villages, facilities or water bodies exists, so
these are invented: every name carries 演示 so nobody takes it for a real one.
The administrative villages are the real ones (registry.places). The state
matches the plan's 2020 baseline: 70.2% of natural villages (those not planned
for relocation) have sewage treatment, and 92% of in-service facilities ran
normally at their last 2020 inspection.

The generator is pure and seeded (`demo_registry_build`); `demo_registry_write`
stores it idempotently by code. Later stages (2021–2025 submissions) build on
the returned DemoRegistry.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from registry.choices import (
    FacilityScale,
    FacilityStatus,
    OmMode,
    ProcessType,
    SewageMode,
    WaterBodyKind,
    WaterBodyStage,
)
from registry.models import (
    AdministrativeVillage,
    Contractor,
    FacilityVillage,
    NaturalVillage,
    SewageFacility,
    Town,
    WaterBody,
)
from registry.places import ZOUQU_BBOX, admin_village_rows, places_load

DEMO_SEED = 2020

# Baseline figures (plan.txt L51, L167): 139 / 198 = 70.2 %, 115 / 125 = 92.0 %.
NATURAL_VILLAGES_TOTAL = 208
RELOCATION_PLANNED = 10
TREATED_BASELINE = 139
PLANNED_DEVELOPMENT = 37
FACILITIES_IN_SERVICE = 125
FACILITIES_NORMAL = 115
FACILITIES_DEFECTIVE = 6
FACILITIES_RETIRED = 3
WATER_BODIES = 40

CONTRACTORS = [
    ("OM-01", "常州演示甲环境运维有限公司"),
    ("OM-02", "常州演示乙水务工程有限公司"),
    ("OM-03", "钟楼演示丙生态科技有限公司"),
]


@dataclass
class DemoVillage:
    code: str
    admin_code: str
    name: str
    households: int
    households_connected: int
    population: int
    is_planned_development: bool
    is_planned_relocation: bool
    sewage_mode: str
    latitude: float
    longitude: float


@dataclass
class DemoFacility:
    code: str
    name: str
    village_codes: list[str]
    process_type: str
    scale: str
    design_capacity: Decimal
    commissioned_on: dt.date
    contractor_code: str
    in_service: bool
    status: str
    status_date: dt.date | None
    latitude: float
    longitude: float


@dataclass
class DemoWaterBody:
    code: str
    name: str
    kind: str
    admin_code: str
    village_code: str
    area_m2: Decimal | None
    length_m: Decimal | None
    stage: str
    stage_date: dt.date
    latitude: float
    longitude: float


@dataclass
class DemoRegistry:
    villages: list[DemoVillage] = field(default_factory=list)
    facilities: list[DemoFacility] = field(default_factory=list)
    water_bodies: list[DemoWaterBody] = field(default_factory=list)


def _admin_centres(rng: random.Random) -> dict[str, tuple[float, float]]:
    """Spread the administrative villages over the town's box on a jittered grid."""
    rows = admin_village_rows()
    lat_span = ZOUQU_BBOX["lat_max"] - ZOUQU_BBOX["lat_min"]
    lon_span = ZOUQU_BBOX["lon_max"] - ZOUQU_BBOX["lon_min"]
    centres = {}
    for i, row in enumerate(rows):
        gx, gy = i % 5, i // 5
        lat = ZOUQU_BBOX["lat_min"] + lat_span * (0.15 + 0.7 * gy / 3 + rng.uniform(-0.04, 0.04))
        lon = ZOUQU_BBOX["lon_min"] + lon_span * (0.12 + 0.76 * gx / 4 + rng.uniform(-0.04, 0.04))
        centres[row["code"]] = (round(lat, 6), round(lon, 6))
    return centres


def _near(rng: random.Random, centre: tuple[float, float], spread: float) -> tuple[float, float]:
    lat = min(max(centre[0] + rng.uniform(-spread, spread), 31.681), 31.879)
    lon = min(max(centre[1] + rng.uniform(-spread, spread), 119.721), 119.939)
    return round(lat, 6), round(lon, 6)


def _villages(rng: random.Random, centres: dict[str, tuple[float, float]]) -> list[DemoVillage]:
    rows = admin_village_rows()
    communities = [r for r in rows if r["type"] == "社区"]
    villages = [r for r in rows if r["type"] != "社区"]
    # Communities are built-up: few natural villages; the rest share out the remainder.
    counts = {r["code"]: 3 for r in communities}
    remaining = NATURAL_VILLAGES_TOTAL - sum(counts.values())
    for i, r in enumerate(villages):
        counts[r["code"]] = remaining // len(villages) + (1 if i < remaining % len(villages) else 0)
    slots = [(row, serial) for row in rows for serial in range(1, counts[row["code"]] + 1)]
    order = list(range(len(slots)))
    rng.shuffle(order)
    # Relocation first (never community), then treated villages (planned-development first).
    village_slots = [i for i in order if slots[i][0]["type"] != "社区"]
    relocation = set(village_slots[:RELOCATION_PLANNED])
    rest = [i for i in order if i not in relocation]
    community_slots = [i for i in rest if slots[i][0]["type"] == "社区"]
    other = [i for i in rest if slots[i][0]["type"] != "社区"]
    treated_order = community_slots + other
    treated = set(treated_order[:TREATED_BASELINE])
    planned_dev = set(other[:PLANNED_DEVELOPMENT])
    result = []
    for i, (row, serial) in enumerate(slots):
        households = rng.randint(18, 120)
        if i in treated:
            if row["type"] == "社区" or rng.random() < 0.12:
                mode = SewageMode.SEWER
            elif rng.random() < 0.7:
                mode = SewageMode.CENTRALIZED
            else:
                mode = SewageMode.DECENTRALIZED
            connected = round(households * rng.uniform(0.82, 1.0))
        else:
            mode, connected = SewageMode.NONE, 0
        lat, lon = _near(rng, centres[row["code"]], 0.012)
        result.append(
            DemoVillage(
                code=f"{row['code']}{serial:03d}",
                admin_code=row["code"],
                name=f"{row['name_zh']}·演示{serial}组",
                households=households,
                households_connected=connected,
                population=round(households * rng.uniform(2.4, 3.3)),
                is_planned_development=i in planned_dev,
                is_planned_relocation=i in relocation,
                sewage_mode=mode,
                latitude=lat,
                longitude=lon,
            )
        )
    return result


_PROCESS_WEIGHTS = [
    (ProcessType.AO, 25),
    (ProcessType.A2O, 12),
    (ProcessType.CONTACT_OX, 15),
    (ProcessType.JINGCAO, 20),
    (ProcessType.ANAEROBIC_WETLAND, 15),
    (ProcessType.WETLAND, 8),
    (ProcessType.MBR, 5),
]


def _facilities(rng: random.Random, villages: list[DemoVillage]) -> list[DemoFacility]:
    served = [
        v for v in villages if v.sewage_mode in (SewageMode.CENTRALIZED, SewageMode.DECENTRALIZED)
    ]
    assignments: list[tuple[list[DemoVillage], bool]] = [([v], True) for v in served]
    # Dispersed villages often have a second small unit; fill up to the baseline count.
    dispersed = [v for v in served if v.sewage_mode == SewageMode.DECENTRALIZED] or served
    while len(assignments) < FACILITIES_IN_SERVICE:
        assignments.append(([rng.choice(dispersed)], True))
    assignments = assignments[:FACILITIES_IN_SERVICE]
    # Old units left behind in villages planned for relocation.
    relocation = [v for v in villages if v.is_planned_relocation]
    for v in relocation[:FACILITIES_RETIRED]:
        assignments.append(([v], False))

    in_service_idx = list(range(FACILITIES_IN_SERVICE))
    rng.shuffle(in_service_idx)
    statuses = {}
    for n, i in enumerate(in_service_idx):
        if n < FACILITIES_NORMAL:
            statuses[i] = FacilityStatus.NORMAL
        elif n < FACILITIES_NORMAL + FACILITIES_DEFECTIVE:
            statuses[i] = FacilityStatus.DEFECTIVE
        else:
            statuses[i] = FacilityStatus.STOPPED

    processes = [p for p, _ in _PROCESS_WEIGHTS]
    weights = [w for _, w in _PROCESS_WEIGHTS]
    result = []
    per_village: dict[str, int] = {}
    for i, (served_villages, in_service) in enumerate(assignments):
        first = served_villages[0]
        if first.sewage_mode == SewageMode.DECENTRALIZED:
            scale, capacity = FacilityScale.CLUSTER, rng.randint(5, 20)
        else:
            scale, capacity = FacilityScale.VILLAGE, rng.randint(20, 100)
        process = rng.choices(processes, weights)[0]
        lat, lon = _near(rng, (first.latitude, first.longitude), 0.003)
        number = i + 1
        per_village[first.code] = per_village.get(first.code, 0) + 1
        result.append(
            DemoFacility(
                code=f"ZQ-WS-{number:03d}",
                name=f"{first.name}污水处理设施{per_village[first.code]}号",
                village_codes=[v.code for v in served_villages],
                process_type=process,
                scale=scale,
                design_capacity=Decimal(capacity),
                commissioned_on=dt.date(rng.randint(2012, 2019), rng.randint(1, 12), 1),
                contractor_code=CONTRACTORS[i % len(CONTRACTORS)][0],
                in_service=in_service,
                status=statuses.get(i, FacilityStatus.UNINSPECTED),
                status_date=(
                    dt.date(2020, rng.randint(10, 12), rng.randint(1, 28)) if in_service else None
                ),
                latitude=lat,
                longitude=lon,
            )
        )
    return result


_WATER_STAGES_2020 = (
    [WaterBodyStage.SCREENED] * 18
    + [WaterBodyStage.WORKS] * 12
    + [WaterBodyStage.COMPLETED] * 6
    + [WaterBodyStage.MONITORING] * 4
)
_WATER_KINDS = [
    (WaterBodyKind.POND, "塘", 20),
    (WaterBodyKind.DITCH, "沟", 10),
    (WaterBodyKind.CREEK, "浜", 8),
    (WaterBodyKind.RIVER, "河", 2),
]


def _water_bodies(rng: random.Random, villages: list[DemoVillage]) -> list[DemoWaterBody]:
    candidates = [v for v in villages if not v.is_planned_relocation]
    chosen = rng.sample(candidates, WATER_BODIES)
    stages = list(_WATER_STAGES_2020)
    rng.shuffle(stages)
    result = []
    for i, (village, stage) in enumerate(zip(chosen, stages, strict=True)):
        kind, suffix, _ = rng.choices(_WATER_KINDS, [w for *_, w in _WATER_KINDS])[0]
        area = Decimal(rng.randint(300, 12000)) if kind in (WaterBodyKind.POND,) else None
        length = None if area is not None else Decimal(rng.randint(80, 1500))
        lat, lon = _near(rng, (village.latitude, village.longitude), 0.004)
        result.append(
            DemoWaterBody(
                code=f"ZQ-HC-{i + 1:03d}",
                name=f"{village.name.split('·')[0]}演示{i + 1}号{suffix}",
                kind=kind,
                admin_code=village.admin_code,
                village_code=village.code,
                area_m2=area,
                length_m=length,
                stage=stage,
                stage_date=dt.date(2020, rng.randint(3, 12), rng.randint(1, 28)),
                latitude=lat,
                longitude=lon,
            )
        )
    return result


def demo_registry_build(*, seed: int = DEMO_SEED) -> DemoRegistry:
    """The synthetic registry for `seed`; same seed, same registry."""
    rng = random.Random(seed)
    centres = _admin_centres(rng)
    villages = _villages(rng, centres)
    return DemoRegistry(
        villages=villages,
        facilities=_facilities(rng, villages),
        water_bodies=_water_bodies(rng, villages),
    )


@transaction.atomic
def demo_registry_write(demo: DemoRegistry) -> Town:
    """Store the demo registry, updating rows by code (running twice changes nothing)."""
    town = places_load()
    rng = random.Random(DEMO_SEED)
    centres = _admin_centres(rng)
    admins = {a.code: a for a in AdministrativeVillage.objects.filter(town=town)}
    for code, (lat, lon) in centres.items():
        admin = admins[code]
        if (admin.latitude, admin.longitude) != (lat, lon):
            admin.latitude, admin.longitude = lat, lon
            admin.save(update_fields=["latitude", "longitude"])
    for code, name in CONTRACTORS:
        Contractor.objects.update_or_create(
            code=code, defaults={"name": name, "contact_person": "演示联系人"}
        )
    contractors = {c.code: c for c in Contractor.objects.all()}
    villages = {}
    for v in demo.villages:
        villages[v.code], _ = NaturalVillage.objects.update_or_create(
            code=v.code,
            defaults={
                "admin_village": admins[v.admin_code],
                "name": v.name,
                "population": v.population,
                "is_planned_development": v.is_planned_development,
                "is_planned_relocation": v.is_planned_relocation,
                "latitude": v.latitude,
                "longitude": v.longitude,
            },
            # The fields the registry follows from the field keep what the submissions made
            # of them when the demo is loaded again (registry.services).
            create_defaults={
                "admin_village": admins[v.admin_code],
                "name": v.name,
                "households": v.households,
                "households_connected": v.households_connected,
                "population": v.population,
                "is_planned_development": v.is_planned_development,
                "is_planned_relocation": v.is_planned_relocation,
                "sewage_mode": v.sewage_mode,
                "latitude": v.latitude,
                "longitude": v.longitude,
            },
        )
    for f in demo.facilities:
        fields = {
            "name": f.name,
            "process_type": f.process_type,
            "scale": f.scale,
            "design_capacity": f.design_capacity,
            "commissioned_on": f.commissioned_on,
            "contractor": contractors[f.contractor_code],
            "om_mode": OmMode.THIRD_PARTY,
            "in_service": f.in_service,
            "latitude": f.latitude,
            "longitude": f.longitude,
        }
        facility, _ = SewageFacility.objects.update_or_create(
            code=f.code,
            defaults=fields,
            create_defaults={**fields, "status": f.status, "status_date": f.status_date},
        )
        for code in f.village_codes:
            FacilityVillage.objects.get_or_create(facility=facility, natural_village=villages[code])
    for w in demo.water_bodies:
        fields = {
            "name": w.name,
            "kind": w.kind,
            "admin_village": admins[w.admin_code],
            "natural_village": villages[w.village_code],
            "area_m2": w.area_m2,
            "length_m": w.length_m,
            "is_confirmed": True,
            "latitude": w.latitude,
            "longitude": w.longitude,
        }
        WaterBody.objects.update_or_create(
            code=w.code,
            defaults=fields,
            create_defaults={**fields, "stage": w.stage, "stage_date": w.stage_date},
        )
    return town
