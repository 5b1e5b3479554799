"""Reads of indicators: the published snapshots a user may see. Selectors never write."""

from django.db.models import Q, QuerySet

from accounts.models import Role, User
from accounts.scopes import admin_villages_for_user, is_district_admin, towns_for_user
from indicators.models import IndicatorSnapshot, IndicatorTarget, JudgementThreshold, Level


def snapshot_list_for_user(*, user: User) -> QuerySet[IndicatorSnapshot]:
    """Snapshots in the user's scope (accounts.scopes): district admins all; town officials
    their town's row and its villages; village workers and contractors the rows of their
    administrative villages and the natural villages in them, not the town total."""
    snapshots = IndicatorSnapshot.objects.all()
    if is_district_admin(user):
        return snapshots
    if not user.is_authenticated:
        return snapshots.none()
    villages = list(admin_villages_for_user(user=user).values_list("code", flat=True))
    visible = Q(level__in=[Level.ADMIN_VILLAGE, Level.NATURAL_VILLAGE]) & Q(
        admin_village_code__in=villages
    )
    if user.role == Role.TOWN_OFFICIAL:
        towns = list(towns_for_user(user=user).values_list("code", flat=True))
        visible |= Q(level=Level.TOWN, area_code__in=towns)
    return snapshots.filter(visible)


def snapshot_list(
    *,
    user: User,
    level: str,
    period: str,
    code: str | None = None,
    village: str | None = None,
) -> QuerySet[IndicatorSnapshot]:
    """The user's snapshots of one level and period, optionally of one indicator and of one
    administrative or natural village (and, for an administrative village, its natural
    villages)."""
    snapshots = snapshot_list_for_user(user=user).filter(level=level, period=period)
    if code:
        snapshots = snapshots.filter(code=code)
    if village:
        snapshots = snapshots.filter(Q(area_code=village) | Q(admin_village_code=village))
    return snapshots.order_by("code", "area_code")


def snapshot_get(
    *, user: User, code: str, level: str, period: str, area: str
) -> IndicatorSnapshot | None:
    return (
        snapshot_list_for_user(user=user)
        .filter(code=code, level=level, period=period, area_code=area)
        .first()
    )


def snapshot_basis(*, snapshot: IndicatorSnapshot) -> list[dict]:
    """The records behind a snapshot's value: one dict per counted unit with its id, natural
    village, numerator, denominator, category and deciding submission (``source_id``).

    Stored once, on the administrative-village rows; a town's are the union of its villages'
    (plus its own rows without a village), a natural village's a filter of its village's."""
    same = IndicatorSnapshot.objects.filter(code=snapshot.code, period=snapshot.period)
    if snapshot.level == Level.TOWN:
        rows = list(snapshot.basis)
        for basis in same.filter(level=Level.ADMIN_VILLAGE).values_list("basis", flat=True):
            rows += basis
    elif snapshot.level == Level.ADMIN_VILLAGE:
        rows = snapshot.basis
    else:
        parent = same.filter(
            level=Level.ADMIN_VILLAGE, area_code=snapshot.admin_village_code
        ).first()
        rows = [r for r in (parent.basis if parent else []) if r[1] == snapshot.area_code]
    keys = ["id", "natural_village_code", "numerator", "denominator", "category", "source_id"]
    return [dict(zip(keys, row, strict=True)) for row in rows]


def snapshot_default_period() -> str | None:
    """The period the API shows when none is asked for: the latest year in which every
    indicator has data at town level (a year just begun has no film or straw report yet),
    else the latest year published."""
    years = (
        IndicatorSnapshot.objects.filter(level=Level.TOWN, period__regex=r"^\d{4}$")
        .values_list("period", "code", "denominator")
        .order_by("-period")
    )
    by_year: dict[str, list[float]] = {}
    for period, _code, denominator in years:
        by_year.setdefault(period, []).append(denominator)
    complete = [year for year, values in by_year.items() if all(v > 0 for v in values)]
    return max(complete, default=max(by_year, default=None))


def indicator_codes() -> list[str]:
    from etl.indicators import INDICATORS

    return sorted(set(INDICATORS) | set(IndicatorTarget.objects.values_list("code", flat=True)))


def data_fingerprint() -> tuple:
    """A cheap summary of everything the indicators are computed from; when it changes, the
    published results may be stale. One aggregate query per table."""
    import datetime as dt

    from django.db.models import Count, Max

    from collect.models import Submission
    from registry.models import NaturalVillage, RegistryChange, SewageFacility, WaterBody

    return (
        dt.date.today(),
        tuple(
            Submission.objects.aggregate(
                n=Count("pk"), last=Max("pk"), at=Max("updated_at")
            ).values()
        ),
        tuple(RegistryChange.objects.aggregate(n=Count("pk"), last=Max("pk")).values()),
        IndicatorTarget.objects.aggregate(at=Max("updated_at"))["at"],
        JudgementThreshold.objects.aggregate(at=Max("updated_at"))["at"],
        NaturalVillage.objects.count(),
        SewageFacility.objects.count(),
        WaterBody.objects.count(),
    )
