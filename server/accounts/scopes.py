"""What each role may see: the one place every entry point asks.

District administrators see every town; town officials their town; village
workers their assigned administrative villages; contractors their assigned
facilities (and the villages those serve).
"""

from functools import cache

from django.db.models import QuerySet

from accounts.models import Role, User
from config import sql
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
# village or facility it names?": these answer with one statement each, the same rules,
# written as SQL (config.sql) since compiling even a flat ORM join costs ~0.7 ms.


def _villages_of_workers() -> tuple[str, str, str]:
    through = User.villages.through
    return (
        sql.table(through),
        sql.quote(through._meta.get_field("user").column),
        sql.quote(through._meta.get_field("administrativevillage").column),
    )


def _facilities_of_operators() -> tuple[str, str, str]:
    through = User.facilities.through
    return (
        sql.table(through),
        sql.quote(through._meta.get_field("user").column),
        sql.quote(through._meta.get_field("sewagefacility").column),
    )


def _served(facility: str) -> str:
    """SQL: the natural village ids the facility (an SQL expression) serves."""
    return (
        f"SELECT fv.natural_village_id FROM {sql.table(FacilityVillage)} fv"
        f" WHERE fv.facility_id = {facility}"
    )


def _rule_kind(user: User) -> str | None:
    """Which rule of the point checks applies to the user; None: nothing is in scope."""
    if not user.is_authenticated:
        return None
    if is_district_admin(user):
        return "all"
    if user.role == Role.TOWN_OFFICIAL:
        return "town" if user.town_id else None
    if user.role == Role.VILLAGE_WORKER:
        return "worker"
    if user.role == Role.CONTRACTOR:
        return "contractor"
    return None


def _rule_params(user: User, kind: str) -> list:
    return [] if kind == "all" else [user.town_id] if kind == "town" else [user.pk]


_ADMIN_VILLAGE_FIELDS = ("id", "code", "town", "name")


def _natural_village_rule(kind: str) -> str:
    """SQL: the condition on ``nv`` (a natural village joined to its administrative village
    ``av``) of natural_villages_for_user, for the rule kind; %s is its _rule_params."""
    if kind == "all":
        return ""
    if kind == "town":
        return " AND av.town_id = %s"
    if kind == "worker":
        links, user_col, village_col = _villages_of_workers()
        return (
            f" AND EXISTS (SELECT 1 FROM {links} w"
            f" WHERE w.{village_col} = av.id AND w.{user_col} = %s)"
        )
    links, user_col, facility_col = _facilities_of_operators()  # contractor
    return (
        f" AND EXISTS (SELECT 1 FROM {sql.table(FacilityVillage)} fv"
        f" JOIN {links} o ON o.{facility_col} = fv.facility_id"
        f" WHERE fv.natural_village_id = nv.id AND o.{user_col} = %s)"
    )


def _facility_rule(kind: str) -> str:
    """SQL: the condition on facility ``f`` of facilities_for_user, for the rule kind."""
    if kind == "all":
        return ""
    if kind == "contractor":
        links, user_col, facility_col = _facilities_of_operators()
        return (
            f" AND EXISTS (SELECT 1 FROM {links} o"
            f" WHERE o.{facility_col} = f.id AND o.{user_col} = %s)"
        )
    if kind == "town":
        return (
            f" AND EXISTS (SELECT 1 FROM {sql.table(NaturalVillage)} nv"
            f" JOIN {sql.table(AdministrativeVillage)} av ON av.id = nv.admin_village_id"
            f" WHERE nv.id IN ({_served('f.id')}) AND av.town_id = %s)"
        )
    links, user_col, village_col = _villages_of_workers()  # worker
    return (
        f" AND EXISTS (SELECT 1 FROM {sql.table(NaturalVillage)} nv"
        f" JOIN {links} w ON w.{village_col} = nv.admin_village_id"
        f" WHERE nv.id IN ({_served('f.id')}) AND w.{user_col} = %s)"
    )


def _village_columns() -> str:
    """SQL: the columns _natural_village_from reads, from _village_join()."""
    return (
        f"{sql.columns(NaturalVillage, 'nv')},"
        f" {sql.columns(AdministrativeVillage, 'av', _ADMIN_VILLAGE_FIELDS)}"
    )


def _village_join() -> str:
    return (
        f"{sql.table(NaturalVillage)} nv"
        f" JOIN {sql.table(AdministrativeVillage)} av ON av.id = nv.admin_village_id"
    )


@cache
def _natural_village_sql(vendor: str, kind: str) -> str:
    return (
        f"SELECT {_village_columns()} FROM {_village_join()}"
        f" WHERE nv.code = %s{_natural_village_rule(kind)}"
    )


def _natural_village_from(row: tuple, start: int = 0) -> tuple[NaturalVillage | None, int]:
    village, after = sql.instance(NaturalVillage, row, start)
    village.admin_village, after = sql.instance(
        AdministrativeVillage, row, after, _ADMIN_VILLAGE_FIELDS
    )
    return (village if village.pk is not None else None), after


def natural_village_for_user(*, user: User, code: str) -> NaturalVillage | None:
    """The natural village with this code, with its administrative village (id, code, town,
    name; the rest loads when read), if the user may report on it (same rule as
    natural_villages_for_user)."""
    kind = _rule_kind(user)
    if kind is None:
        return None
    row = sql.fetch_one(_natural_village_sql(sql.vendor(), kind), [code, *_rule_params(user, kind)])
    return _natural_village_from(row)[0] if row is not None else None


@cache
def _facility_sql(vendor: str, kind: str) -> str:
    return (
        f"SELECT {sql.columns(SewageFacility, 'f')} FROM {sql.table(SewageFacility)} f"
        f" WHERE f.code = %s{_facility_rule(kind)}"
    )


def facility_for_user(*, user: User, code: str) -> SewageFacility | None:
    """The facility with this code if the user may report on it (rule of facilities_for_user)."""
    kind = _rule_kind(user)
    if kind is None:
        return None
    row = sql.fetch_one(_facility_sql(sql.vendor(), kind), [code, *_rule_params(user, kind)])
    return sql.instance(SewageFacility, row)[0] if row is not None else None


@cache
def _village_and_facility_sql(vendor: str, kind: str) -> str:
    # One row whatever matches: each side is a LEFT JOIN whose columns are NULL without a
    # match. Codes are unique, so no side can multiply the row.
    return (
        f"SELECT {_village_columns()}, {sql.columns(SewageFacility, 'f')}"
        f" FROM (SELECT 1 AS one) o LEFT JOIN ({_village_join()})"
        f" ON nv.code = %s{_natural_village_rule(kind)}"
        f" LEFT JOIN {sql.table(SewageFacility)} f ON f.code = %s{_facility_rule(kind)}"
    )


def natural_village_and_facility_for_user(
    *, user: User, natural_code: str, facility_code: str
) -> tuple[NaturalVillage | None, SewageFacility | None]:
    """natural_village_for_user and facility_for_user in one statement, for a submission
    that names both (an empty code finds nothing)."""
    kind = _rule_kind(user)
    if kind is None:
        return None, None
    params = _rule_params(user, kind)
    row = sql.fetch_one(
        _village_and_facility_sql(sql.vendor(), kind),
        [natural_code, *params, facility_code, *params],
    )
    village, after = _natural_village_from(row)
    facility = sql.instance(SewageFacility, row, after)[0]
    return village, (facility if facility.pk is not None else None)


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
