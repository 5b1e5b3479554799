"""What each role may see: the one place every entry point asks.

District administrators see every town; town officials their town; village
workers their assigned administrative villages; contractors their assigned
facilities (and the villages those serve).
"""

from django.db.models import QuerySet

from accounts.models import Role, User
from registry.models import (
    AdministrativeVillage,
    FacilityVillage,
    NaturalVillage,
    SewageFacility,
    Town,
    WaterBody,
)


def is_district_admin(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == Role.DISTRICT_ADMIN)


def towns_for_user(*, user: User) -> QuerySet[Town]:
    if not user.is_authenticated:
        return Town.objects.none()
    if is_district_admin(user):
        return Town.objects.all()
    if user.town_id is None:
        return Town.objects.none()
    return Town.objects.filter(pk=user.town_id)


def admin_villages_for_user(*, user: User) -> QuerySet[AdministrativeVillage]:
    if not user.is_authenticated:
        return AdministrativeVillage.objects.none()
    qs = AdministrativeVillage.objects.all()
    if is_district_admin(user):
        return qs
    if user.role == Role.TOWN_OFFICIAL:
        return qs.filter(town_id=user.town_id)
    if user.role == Role.VILLAGE_WORKER:
        return qs.filter(pk__in=user.villages.values("pk"))
    if user.role == Role.CONTRACTOR:
        served = NaturalVillage.objects.filter(pk__in=_served_by_own_facilities(user))
        return qs.filter(pk__in=served.values("admin_village_id"))
    return qs.none()


# Scopes are semi-joins (pk IN subquery), never joins through the facility–village table
# with DISTINCT: a join multiplies rows, and DISTINCT over every column (the JSON ones too)
# under a paginator's COUNT gave PostgreSQL plans that ran for minutes.


def _served_by_own_facilities(user: User) -> QuerySet:
    """Ids of the natural villages the contractor's facilities serve."""
    return FacilityVillage.objects.filter(facility__in=user.facilities.values("pk")).values(
        "natural_village_id"
    )


def natural_villages_for_user(*, user: User) -> QuerySet[NaturalVillage]:
    if not user.is_authenticated:
        return NaturalVillage.objects.none()
    qs = NaturalVillage.objects.select_related("admin_village")
    if is_district_admin(user):
        return qs
    if user.role == Role.CONTRACTOR:
        return qs.filter(pk__in=_served_by_own_facilities(user))
    return qs.filter(admin_village__in=admin_villages_for_user(user=user))


def facilities_for_user(*, user: User) -> QuerySet[SewageFacility]:
    if not user.is_authenticated:
        return SewageFacility.objects.none()
    qs = SewageFacility.objects.all()
    if is_district_admin(user):
        return qs
    if user.role == Role.CONTRACTOR:
        return qs.filter(pk__in=user.facilities.values("pk"))
    villages = natural_villages_for_user(user=user).values("pk")
    return qs.filter(
        pk__in=FacilityVillage.objects.filter(natural_village__in=villages).values("facility_id")
    )


def water_bodies_for_user(*, user: User) -> QuerySet[WaterBody]:
    if not user.is_authenticated:
        return WaterBody.objects.none()
    qs = WaterBody.objects.select_related("admin_village", "natural_village")
    if is_district_admin(user):
        return qs
    if user.role == Role.CONTRACTOR:
        return qs.none()
    return qs.filter(admin_village__in=admin_villages_for_user(user=user))


def can_manage_registry(user: User) -> bool:
    """Town officials and district administrators edit the registry."""
    return is_district_admin(user) or (user.is_authenticated and user.role == Role.TOWN_OFFICIAL)


# --- point checks for the submission path ---------------------------------------------
# The querysets above nest subqueries, which Django compiles anew on every call (several
# milliseconds each). Receiving a submission only asks "may this user report on the one
# village or facility it names?": these answer with one flat join each, the same rules.


def natural_village_for_user(*, user: User, code: str) -> NaturalVillage | None:
    """The natural village with this code, with its administrative village, if the user may
    report on it (same rule as natural_villages_for_user)."""
    qs = NaturalVillage.objects.select_related("admin_village").filter(code=code)
    if not user.is_authenticated:
        return None
    if is_district_admin(user):
        return qs.first()
    if user.role == Role.TOWN_OFFICIAL:
        return qs.filter(admin_village__town_id=user.town_id).first() if user.town_id else None
    if user.role == Role.VILLAGE_WORKER:
        return qs.filter(admin_village__workers=user).first()
    if user.role == Role.CONTRACTOR:
        return qs.filter(facilities__operators=user).first()
    return None


def facility_for_user(*, user: User, code: str) -> SewageFacility | None:
    """The facility with this code if the user may report on it (rule of facilities_for_user)."""
    qs = SewageFacility.objects.filter(code=code)
    if not user.is_authenticated:
        return None
    if is_district_admin(user):
        return qs.first()
    if user.role == Role.CONTRACTOR:
        return qs.filter(operators=user).first()
    if user.role == Role.TOWN_OFFICIAL:
        if not user.town_id:
            return None
        return qs.filter(natural_villages__admin_village__town_id=user.town_id).first()
    if user.role == Role.VILLAGE_WORKER:
        return qs.filter(natural_villages__admin_village__workers=user).first()
    return None


def admin_village_reportable(*, user: User, admin_village: AdministrativeVillage) -> bool:
    """Whether the user may report about this administrative village: a natural village of
    it is in the user's scope (contractors: one their facilities serve)."""
    if not user.is_authenticated:
        return False
    if is_district_admin(user):
        return True
    qs = NaturalVillage.objects.filter(admin_village=admin_village)
    if user.role == Role.TOWN_OFFICIAL:
        return bool(user.town_id) and qs.filter(admin_village__town_id=user.town_id).exists()
    if user.role == Role.VILLAGE_WORKER:
        return qs.filter(admin_village__workers=user).exists()
    if user.role == Role.CONTRACTOR:
        return qs.filter(facilities__operators=user).exists()
    return False


def water_body_reportable(*, user: User, water_body: WaterBody) -> bool:
    """Whether the user may report on this water body (rule of water_bodies_for_user)."""
    if not user.is_authenticated:
        return False
    if is_district_admin(user):
        return True
    if user.role == Role.TOWN_OFFICIAL:
        return bool(user.town_id) and water_body.admin_village.town_id == user.town_id
    if user.role == Role.VILLAGE_WORKER:
        return user.villages.filter(pk=water_body.admin_village_id).exists()
    return False
