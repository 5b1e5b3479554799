"""Data the dashboard shows, read through the server's registry models."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RegistrySummary:
    town: str
    admin_villages: int
    natural_villages: int
    treated_villages: int
    counted_villages: int
    facilities_in_service: int
    facilities_normal: int
    water_bodies: int

    @property
    def coverage(self) -> float | None:
        if not self.counted_villages:
            return None
        return self.treated_villages / self.counted_villages

    @property
    def operation(self) -> float | None:
        if not self.facilities_in_service:
            return None
        return self.facilities_normal / self.facilities_in_service


def registry_summary(town_code: str) -> RegistrySummary | None:
    from registry.choices import FacilityStatus, SewageMode
    from registry.models import NaturalVillage, SewageFacility, Town, WaterBody

    town = Town.objects.filter(code=town_code).first()
    if town is None:
        return None
    villages = NaturalVillage.objects.filter(admin_village__town=town)
    counted = villages.filter(is_planned_relocation=False)
    facilities = SewageFacility.objects.filter(
        natural_villages__admin_village__town=town, in_service=True
    ).distinct()
    return RegistrySummary(
        town=town.name,
        admin_villages=town.admin_villages.count(),
        natural_villages=villages.count(),
        treated_villages=counted.exclude(sewage_mode=SewageMode.NONE).count(),
        counted_villages=counted.count(),
        facilities_in_service=facilities.count(),
        facilities_normal=facilities.filter(status=FacilityStatus.NORMAL).count(),
        water_bodies=WaterBody.objects.filter(admin_village__town=town).count(),
    )
