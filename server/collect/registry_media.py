"""The registry lists the questionnaires choose from, as CSV media for ODK Collect.

Each file holds only what the user may see (accounts.scopes) and is built in
code order, so the same registry gives the same bytes and the same md5: Collect
then re-downloads a list only when its content changed, without a new form version.
A facility or water body whose submission was sent back to the user (review) carries
【待整改】 in its label until it is redone, which changes the md5 both times.
"""

import csv
import io
from collections.abc import Callable

from accounts.models import User
from accounts.scopes import facilities_for_user, natural_villages_for_user, water_bodies_for_user


def _villages_rows(user: User) -> list[list[str]]:
    rows = [["name", "label", "admin_village", "admin_village_label"]]
    for village in natural_villages_for_user(user=user).order_by("code"):
        admin = village.admin_village
        rows.append([village.code, village.name, admin.code, admin.name])
    return rows


REWORK_MARK = "【待整改】"


def _rework_codes(user: User) -> tuple[set[str], set[str]]:
    # Imported here: review builds on collect, not the other way round.
    from review.selectors import rework_codes_for_user

    return rework_codes_for_user(user=user)


def _facilities_rows(user: User) -> list[list[str]]:
    rework, _ = _rework_codes(user)
    rows = [["name", "label", "admin_village", "villages", "process_type", "admin_villages"]]
    facilities = (
        facilities_for_user(user=user)
        .filter(in_service=True)
        .prefetch_related("natural_villages__admin_village")
        .order_by("code")
    )
    for facility in facilities:
        villages = sorted(facility.natural_villages.all(), key=lambda v: v.code)
        admin_codes = list(dict.fromkeys(v.admin_village.code for v in villages))
        rows.append(
            [
                facility.code,
                # A submission sent back to this user is marked, so redoing it is one tap away.
                f"{REWORK_MARK if facility.code in rework else ''}{facility.code} {facility.name}",
                # The first administrative village served: what form versions whose filter
                # is `admin_village=${admin_village}` can match (one value per row).
                admin_codes[0] if admin_codes else "",
                " ".join(v.code for v in villages),
                facility.process_type,
                # Every administrative village served, space-separated, for a filter
                # `selected(admin_villages, ${admin_village})`: a facility serving natural
                # villages of two administrative villages can be chosen from either. (One
                # row per village would not do: the form's process-type lookup by name
                # would then find two rows, which ODK Collect refuses.)
                " ".join(admin_codes),
            ]
        )
    return rows


def _water_bodies_rows(user: User) -> list[list[str]]:
    _, rework = _rework_codes(user)
    rows = [["name", "label", "admin_village", "village", "kind", "stage"]]
    for water_body in water_bodies_for_user(user=user).order_by("code"):
        mark = REWORK_MARK if water_body.code in rework else ""
        rows.append(
            [
                water_body.code,
                f"{mark}{water_body.code} {water_body.name}",
                water_body.admin_village.code,
                water_body.natural_village.code if water_body.natural_village else "",
                water_body.kind,
                water_body.stage,
            ]
        )
    return rows


REGISTRY_MEDIA: dict[str, Callable[[User], list[list[str]]]] = {
    "villages.csv": _villages_rows,
    "facilities.csv": _facilities_rows,
    "water_bodies.csv": _water_bodies_rows,
}


def registry_media_content(*, filename: str, user: User) -> bytes:
    """The CSV bytes of one registry list for this user (UTF-8, no BOM, LF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(REGISTRY_MEDIA[filename](user))
    return buffer.getvalue().encode("utf-8")
