"""Invariants of the synthetic 邹区镇 demo registry (plan baseline 2020)."""

import pytest
from django.core.management import call_command

from accounts.models import Role, User
from registry.demo import demo_registry_build
from registry.models import NaturalVillage, SewageFacility, WaterBody
from registry.places import ZOUQU_BBOX

pytestmark = pytest.mark.django_db


def _inside_town(obj) -> bool:
    return (
        ZOUQU_BBOX["lat_min"] <= obj.latitude <= ZOUQU_BBOX["lat_max"]
        and ZOUQU_BBOX["lon_min"] <= obj.longitude <= ZOUQU_BBOX["lon_max"]
    )


def test_it_has_about_the_sizes_the_town_expects(demo_town):
    assert 190 <= NaturalVillage.objects.count() <= 210
    assert 110 <= SewageFacility.objects.count() <= 130
    assert 35 <= WaterBody.objects.count() <= 45


def test_it_reproduces_the_2020_coverage_baseline_of_70_2_percent(demo_town):
    counted = NaturalVillage.objects.filter(is_planned_relocation=False)
    treated = counted.exclude(sewage_mode="none")
    assert round(100 * treated.count() / counted.count(), 1) == 70.2


def test_it_reproduces_the_2020_operation_baseline_of_92_percent(demo_town):
    in_service = SewageFacility.objects.filter(in_service=True)
    normal = in_service.filter(status="normal")
    assert round(100 * normal.count() / in_service.count(), 1) == 92.0


def test_it_treats_every_planned_development_village(demo_town):
    planned = NaturalVillage.objects.filter(is_planned_development=True)
    assert planned.count() == 37
    assert not planned.filter(sewage_mode="none").exists()


def test_it_links_every_facility_to_a_village_it_serves(demo_town):
    assert not SewageFacility.objects.filter(natural_villages=None).exists()
    for facility in SewageFacility.objects.filter(in_service=True).prefetch_related(
        "natural_villages"
    ):
        modes = {v.sewage_mode for v in facility.natural_villages.all()}
        assert modes <= {"centralized", "decentralized"}


def test_it_places_everything_inside_the_town(demo_town):
    for model in (NaturalVillage, SewageFacility, WaterBody):
        assert all(_inside_town(obj) for obj in model.objects.all()), model


def test_it_names_synthetic_rows_so_nobody_takes_them_for_real(demo_town):
    for model in (NaturalVillage, SewageFacility, WaterBody):
        assert all("演示" in obj.name for obj in model.objects.all()), model


def test_it_uses_unique_codes_with_the_agreed_formats(demo):
    codes = [v.code for v in demo.villages]
    assert len(set(codes)) == len(codes)
    assert all(len(code) == 15 and code.startswith("320404116") for code in codes)
    assert len({f.code for f in demo.facilities}) == len(demo.facilities)
    assert all(f.code.startswith("ZQ-WS-") for f in demo.facilities)
    assert len({w.code for w in demo.water_bodies}) == len(demo.water_bodies)


def test_it_is_deterministic_for_a_seed(demo):
    assert demo_registry_build() == demo
    assert demo_registry_build(seed=7) != demo


def test_it_does_not_duplicate_anything_when_loaded_twice(db, capsys):
    call_command("load_demo", "--no-history")
    counts = [m.objects.count() for m in (NaturalVillage, SewageFacility, WaterBody, User)]
    links = SewageFacility.natural_villages.through.objects.count()
    call_command("load_demo", "--no-history")
    assert [m.objects.count() for m in (NaturalVillage, SewageFacility, WaterBody, User)] == counts
    assert SewageFacility.natural_villages.through.objects.count() == links
    assert "zouqu-demo" in capsys.readouterr().out


def test_it_creates_the_four_demo_accounts_with_their_scopes(db):
    call_command("load_demo", "--no-history")
    roles = dict(User.objects.values_list("username", "role"))
    assert roles == {
        "district": Role.DISTRICT_ADMIN,
        "official": Role.TOWN_OFFICIAL,
        "worker": Role.VILLAGE_WORKER,
        "contractor": Role.CONTRACTOR,
    }
    assert all(u.check_password("zouqu-demo") for u in User.objects.all())
    assert User.objects.get(username="worker").villages.count() == 3
    assert 1 <= User.objects.get(username="contractor").facilities.count() <= 10


def test_it_creates_no_accounts_when_only_the_places_are_loaded(db):
    call_command("load_places")
    assert User.objects.count() == 0
