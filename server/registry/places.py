"""The real places of 邹区镇: the town and its 19 village-level units.

Copied from the domain reference (2023 statistical codes, source S1) into
registry/data/villages.csv so the product does not depend on ../shared.
"""

import csv
from pathlib import Path

from django.db import transaction

from registry.choices import VillageKind
from registry.models import AdministrativeVillage, Town

DATA_DIR = Path(__file__).resolve().parent / "data"
ZOUQU_CODE = "320404116"
# Approximate town centre (WGS-84) and a generous box for sanity checks; not a boundary.
ZOUQU_CENTRE = (31.78, 119.86)
ZOUQU_BBOX = {"lat_min": 31.68, "lat_max": 31.88, "lon_min": 119.72, "lon_max": 119.94}


def admin_village_rows() -> list[dict[str, str]]:
    with open(DATA_DIR / "villages.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def places_load() -> Town:
    """Create or update 邹区镇 and its administrative villages; idempotent."""
    town, _ = Town.objects.update_or_create(
        code=ZOUQU_CODE,
        defaults={
            "name": "邹区镇",
            "name_en": "Zouqu Town",
            "district": "钟楼区",
            "latitude": ZOUQU_CENTRE[0],
            "longitude": ZOUQU_CENTRE[1],
        },
    )
    for row in admin_village_rows():
        AdministrativeVillage.objects.update_or_create(
            code=row["code"],
            defaults={
                "town": town,
                "name": row["name_zh"],
                "name_en": row["name_en"],
                "kind": VillageKind.COMMUNITY if row["type"] == "社区" else VillageKind.VILLAGE,
                "note": row["note"],
            },
        )
    return town
