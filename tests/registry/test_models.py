from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from registry.models import (
    AdministrativeVillage,
    FacilityVillage,
    NaturalVillage,
    SewageFacility,
    WaterBody,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def village(town):
    return NaturalVillage.objects.create(
        code="320404116201001",
        admin_village=AdministrativeVillage.objects.get(code="320404116201"),
        name="杨庄村·演示1组",
        households=40,
        households_connected=30,
        sewage_mode="centralized",
    )


@pytest.fixture
def facility(village):
    facility = SewageFacility.objects.create(
        code="ZQ-WS-001", name="演示设施", process_type="ao", design_capacity=Decimal("20")
    )
    FacilityVillage.objects.create(facility=facility, natural_village=village)
    return facility


def test_it_loads_the_real_administrative_villages(town):
    assert town.code == "320404116"
    assert town.admin_villages.count() == 19
    assert town.admin_villages.filter(kind="community").count() == 4
    assert AdministrativeVillage.objects.get(code="320404116219").name == "殷村"


def test_it_refuses_to_delete_a_village_that_a_facility_serves(facility, village):
    with pytest.raises(ProtectedError):
        village.delete()
    assert NaturalVillage.objects.filter(pk=village.pk).exists()


def test_it_refuses_to_delete_an_administrative_village_with_natural_villages(village):
    with pytest.raises(ProtectedError):
        village.admin_village.delete()


def test_it_deletes_a_facility_without_touching_its_villages(facility, village):
    facility.delete()
    assert NaturalVillage.objects.filter(pk=village.pk).exists()


def test_it_rejects_more_connected_households_than_households(village):
    village.households_connected = 41
    with pytest.raises(ValidationError) as info:
        village.full_clean()
    assert "已接入户数不能大于总户数" in str(info.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        village.save()


def test_it_keeps_codes_unique(village):
    with pytest.raises(IntegrityError), transaction.atomic():
        NaturalVillage.objects.create(
            code=village.code, admin_village=village.admin_village, name="重复"
        )


@pytest.mark.parametrize("code", ["ZQ-WS-1", "zq-ws-001", "ZQ-HC-001", "ZQWS001"])
def test_it_validates_the_facility_code_format(code):
    facility = SewageFacility(code=code, name="x", process_type="ao", design_capacity=1)
    with pytest.raises(ValidationError) as info:
        facility.full_clean()
    assert "code" in info.value.message_dict


def test_it_validates_water_body_locations_in_china(town):
    body = WaterBody(
        code="ZQ-HC-001",
        name="演示塘",
        kind="pond",
        admin_village=AdministrativeVillage.objects.get(code="320404116201"),
        latitude=91,
        longitude=119.8,
    )
    with pytest.raises(ValidationError) as info:
        body.full_clean()
    assert "latitude" in info.value.message_dict
