"""The one-row scope checks the submission path uses (accounts.scopes) give the same answer
as the scope querysets every other entry point uses, for every role and registry row."""

import pytest

from accounts.models import Role
from accounts.scopes import (
    admin_village_reportable,
    admin_villages_for_user,
    facilities_for_user,
    facility_for_user,
    natural_village_and_facility_for_user,
    natural_village_for_user,
    natural_villages_for_user,
    water_bodies_for_user,
    water_body_reportable,
)
from registry.models import (
    AdministrativeVillage,
    FacilityVillage,
    NaturalVillage,
    SewageFacility,
    WaterBody,
)
from tests.collect.support import IN_SCOPE, OUT_OF_SCOPE


@pytest.fixture
def shared_facility(registry):
    """A facility serving natural villages of both administrative villages of the fixture."""
    facility = SewageFacility.objects.create(
        code="ZQ-WS-050", name="两村共用污水站", process_type="ao", design_capacity=50
    )
    for scope in (IN_SCOPE, OUT_OF_SCOPE):
        village = NaturalVillage.objects.get(code=scope["natural_village"])
        FacilityVillage.objects.create(facility=facility, natural_village=village)
    return facility


@pytest.fixture
def everyone(users, make_user, town, shared_facility):
    # Beyond the fixture's users: a contractor of the shared facility, a user without a role,
    # an official without a town and a worker of the other administrative village.
    other_village = AdministrativeVillage.objects.get(code=OUT_OF_SCOPE["admin_village"])
    extra = {
        "shared_contractor": make_user(
            "shared_contractor", Role.CONTRACTOR, facilities=[shared_facility]
        ),
        "no_role": make_user("no_role", ""),
        "other_worker": make_user("other_worker", Role.VILLAGE_WORKER, villages=[other_village]),
    }
    townless = make_user("townless", Role.TOWN_OFFICIAL)
    townless.town = None
    townless.save()
    extra["townless"] = townless
    return {**users, **extra}


def test_natural_village_check_agrees_with_the_queryset(everyone):
    for user in everyone.values():
        allowed = set(natural_villages_for_user(user=user).values_list("code", flat=True))
        for village in NaturalVillage.objects.all():
            found = natural_village_for_user(user=user, code=village.code)
            assert (found is not None) == (village.code in allowed), (user.username, village)
            if found is not None:
                assert found.admin_village == village.admin_village
        assert natural_village_for_user(user=user, code="999999999999999") is None


def test_facility_check_agrees_with_the_queryset(everyone):
    for user in everyone.values():
        allowed = set(facilities_for_user(user=user).values_list("code", flat=True))
        for facility in SewageFacility.objects.all():
            found = facility_for_user(user=user, code=facility.code)
            assert (found is not None) == (facility.code in allowed), (user.username, facility)
        assert facility_for_user(user=user, code="ZQ-WS-999") is None


def test_the_combined_check_answers_as_the_two_checks(everyone):
    villages = [*NaturalVillage.objects.values_list("code", flat=True), "999999999999999", ""]
    facilities = [*SewageFacility.objects.values_list("code", flat=True), "ZQ-WS-999", ""]
    for user in everyone.values():
        for village_code in villages:
            village = natural_village_for_user(user=user, code=village_code)
            for facility_code in facilities:
                facility = facility_for_user(user=user, code=facility_code)
                found = natural_village_and_facility_for_user(
                    user=user, natural_code=village_code, facility_code=facility_code
                )
                assert found == (village, facility), (user.username, village_code, facility_code)
                if village is not None:
                    assert found[0].admin_village == village.admin_village
                    assert found[0].admin_village.code == village.admin_village.code


def test_administrative_village_check_agrees_with_the_natural_village_scope(everyone):
    for user in everyone.values():
        wide = user.is_superuser or user.role == Role.DISTRICT_ADMIN
        served = set(
            natural_villages_for_user(user=user).values_list("admin_village__code", flat=True)
        )
        for admin in AdministrativeVillage.objects.all():
            expected = wide or admin.code in served
            assert admin_village_reportable(user=user, admin_village=admin) == expected, (
                user.username,
                admin.code,
            )


def test_water_body_check_agrees_with_the_queryset(everyone):
    for user in everyone.values():
        allowed = set(water_bodies_for_user(user=user).values_list("code", flat=True))
        for body in WaterBody.objects.select_related("admin_village"):
            assert water_body_reportable(user=user, water_body=body) == (body.code in allowed), (
                user.username,
                body.code,
            )


def test_a_contractor_reports_on_every_village_their_shared_facility_serves(everyone):
    contractor = everyone["shared_contractor"]

    assert {v.code for v in admin_villages_for_user(user=contractor)} == {
        IN_SCOPE["admin_village"],
        OUT_OF_SCOPE["admin_village"],
    }
    for scope in (IN_SCOPE, OUT_OF_SCOPE):
        admin = AdministrativeVillage.objects.get(code=scope["admin_village"])
        assert admin_village_reportable(user=contractor, admin_village=admin)
        assert natural_village_for_user(user=contractor, code=scope["natural_village"])
    assert facility_for_user(user=contractor, code="ZQ-WS-050") is not None
    assert facility_for_user(user=contractor, code=IN_SCOPE["facility"]) is None
