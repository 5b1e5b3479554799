"""The Django admin by role: every role × every scoped admin × a row of the user's own town
and one of another town (changelist, change view, tampered POST). District administrators
see and change everything; a town official only their town's rows, and cannot move a row
to another town; village workers and contractors have no admin access."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from openpyxl import Workbook

from accounts.models import Role, User
from accounts.roles import DISTRICT_GROUP, ROLE_GROUPS, TOWN_GROUP, permission_query
from collect.models import Submission
from registry.models import (
    AdministrativeVillage,
    Contractor,
    FacilityVillage,
    NaturalVillage,
    SewageFacility,
    Town,
    WaterBody,
)
from review.models import Review, ReviewPolicy
from tests.collect.support import IN_SCOPE

ROLES = ["district", "official", "worker", "contractor"]


@pytest.fixture
def towns(registry, users):
    """Rows of 邹区镇 (the users' town) and of another town, one of each registry model."""
    own_village = AdministrativeVillage.objects.get(code=IN_SCOPE["admin_village"])
    own_natural = NaturalVillage.objects.get(code=IN_SCOPE["natural_village"])
    own_facility = SewageFacility.objects.get(code=IN_SCOPE["facility"])
    own_contractor = Contractor.objects.create(code="OM-01", name="本镇运维公司")
    own_facility.contractor = own_contractor
    own_facility.save()

    other_town = Town.objects.create(code="320404999", name="别的镇")
    other_village = AdministrativeVillage.objects.create(
        code="320404999201", town=other_town, name="别的村", kind="village"
    )
    other_natural = NaturalVillage.objects.create(
        code="320404999201001", admin_village=other_village, name="别的村一组"
    )
    other_contractor = Contractor.objects.create(code="OM-90", name="外镇运维公司")
    other_facility = SewageFacility.objects.create(
        code="ZQ-WS-090",
        name="别的村污水站",
        process_type="ao",
        design_capacity=10,
        contractor=other_contractor,
    )
    FacilityVillage.objects.create(facility=other_facility, natural_village=other_natural)
    other_water = WaterBody.objects.create(
        code="ZQ-HC-090", name="别的村西塘", kind="pond", admin_village=other_village
    )
    return {
        "own": {
            "town": own_village.town,
            "administrativevillage": own_village,
            "naturalvillage": own_natural,
            "sewagefacility": own_facility,
            "waterbody": WaterBody.objects.get(code=IN_SCOPE["water_body"]),
            "contractor": own_contractor,
        },
        "other": {
            "town": other_town,
            "administrativevillage": other_village,
            "naturalvillage": other_natural,
            "sewagefacility": other_facility,
            "waterbody": other_water,
            "contractor": other_contractor,
        },
    }


def _session(users, username: str) -> Client:
    client = Client()
    client.force_login(users[username])
    return client


def _marker(row) -> str:
    return f"/{row.pk}/change/"


MODELS = ["town", "administrativevillage", "naturalvillage", "sewagefacility", "waterbody"]
MODELS += ["contractor"]

# Status of the changelist / change view; field staff are sent to the admin's login page.
SEES = {
    "district": {"own": 200, "other": 200},
    "official": {"own": 200, "other": 302},  # another town's row "does not exist"
    "worker": {"own": 302, "other": 302},
    "contractor": {"own": 302, "other": 302},
}


@pytest.mark.parametrize("which", ["own", "other"])
@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("model", MODELS)
def test_changelist_and_change_view(model, username, which, towns, users):
    client = _session(users, username)
    row = towns[which][model]

    changelist = client.get(f"/admin/registry/{model}/")
    change = client.get(f"/admin/registry/{model}/{row.pk}/change/")

    listed = changelist.status_code == 200 and _marker(row) in changelist.content.decode()
    assert listed == (SEES[username][which] == 200)
    assert change.status_code == SEES[username][which]
    if username in ("worker", "contractor"):
        assert changelist.status_code == 302
        assert "/admin/login/" in changelist["Location"]


def _admin_form_data(response) -> dict:
    """The POST the admin's change form would send, from its own bound form and inlines."""
    data = {}

    def put(form, name):
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        else:
            data[key] = "" if value is None else str(value)

    form = response.context["adminform"].form
    for name in form.fields:
        put(form, name)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            put(formset.management_form, name)
        for inline_form in formset.forms:
            for name in inline_form.fields:
                put(inline_form, name)
    return data


def _change(client: Client, model: str, row, **changed):
    url = f"/admin/registry/{model}/{row.pk}/change/"
    data = {**_admin_form_data(client.get(url)), **changed}
    return client.post(url, data)


@pytest.mark.parametrize("username", ["district", "official"])
def test_an_own_town_row_is_changed_through_the_admin(username, towns, users):
    village = towns["own"]["naturalvillage"]

    response = _change(_session(users, username), "naturalvillage", village, name="改过的名字")

    assert response.status_code == 302
    village.refresh_from_db()
    assert village.name == "改过的名字"


MOVES = [
    ("naturalvillage", "admin_village", "administrativevillage"),
    ("waterbody", "admin_village", "administrativevillage"),
    ("sewagefacility", "contractor", "contractor"),
    ("administrativevillage", "town", "town"),
]


@pytest.mark.parametrize(("model", "field", "target"), MOVES)
def test_a_town_official_cannot_move_a_row_to_another_town(model, field, target, towns, users):
    row = towns["own"][model]
    before = getattr(row, f"{field}_id")

    response = _change(
        _session(users, "official"), model, row, **{field: str(towns["other"][target].pk)}
    )

    assert response.status_code in (200, 403)  # the form again with an error, or no change
    row.refresh_from_db()
    assert getattr(row, f"{field}_id") == before


@pytest.mark.parametrize(("model", "field", "target"), MOVES[:2])
def test_a_district_administrator_may_move_a_row(model, field, target, towns, users):
    row = towns["own"][model]
    destination = towns["other"][target]

    response = _change(_session(users, "district"), model, row, **{field: str(destination.pk)})

    assert response.status_code == 302
    row.refresh_from_db()
    assert getattr(row, f"{field}_id") == destination.pk


def test_a_facility_cannot_be_given_another_towns_village(towns, users):
    client = _session(users, "official")
    facility = towns["own"]["sewagefacility"]
    url = f"/admin/registry/sewagefacility/{facility.pk}/change/"
    data = _admin_form_data(client.get(url))
    data["facilityvillage_set-0-natural_village"] = str(towns["other"]["naturalvillage"].pk)

    response = client.post(url, data)

    assert response.status_code == 200
    assert set(facility.natural_villages.values_list("code", flat=True)) == {
        IN_SCOPE["natural_village"]
    }


def test_a_facility_must_keep_a_village_of_the_officials_town(towns, users):
    client = _session(users, "official")
    facility = towns["own"]["sewagefacility"]
    url = f"/admin/registry/sewagefacility/{facility.pk}/change/"
    data = _admin_form_data(client.get(url))
    data["facilityvillage_set-0-DELETE"] = "on"

    response = client.post(url, data)

    assert response.status_code == 200
    assert facility.natural_villages.count() == 1


def test_another_towns_link_of_a_shared_facility_is_neither_shown_nor_removed(towns, users):
    facility = towns["own"]["sewagefacility"]
    FacilityVillage.objects.create(
        facility=facility, natural_village=towns["other"]["naturalvillage"]
    )

    response = _change(_session(users, "official"), "sewagefacility", facility, name="共用站")

    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.name == "共用站"
    assert facility.natural_villages.count() == 2


@pytest.mark.parametrize("model", ["naturalvillage", "waterbody", "sewagefacility"])
def test_a_tampered_post_on_another_towns_row_changes_nothing(model, towns, users):
    row = towns["other"][model]
    client = _session(users, "official")

    response = client.post(f"/admin/registry/{model}/{row.pk}/change/", {"name": "偷改"})
    deleted = client.post(f"/admin/registry/{model}/{row.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302 and deleted.status_code == 302
    assert type(row).objects.get(pk=row.pk).name == row.name


def test_a_town_official_cannot_add_a_village_in_another_town(towns, users):
    client = _session(users, "official")

    response = client.post(
        "/admin/registry/naturalvillage/add/",
        {
            "code": "320404999201009",
            "admin_village": str(towns["other"]["administrativevillage"].pk),
            "name": "偷加的组",
            "households": "0",
            "households_connected": "0",
            "population": "0",
            "sewage_mode": "none",
        },
    )

    assert response.status_code == 200
    assert not NaturalVillage.objects.filter(code="320404999201009").exists()


def test_the_autocomplete_offers_only_the_officials_town(towns, users):
    response = _session(users, "official").get(
        "/admin/autocomplete/",
        {"app_label": "registry", "model_name": "naturalvillage", "field_name": "admin_village"},
    )

    codes = {row["text"] for row in response.json()["results"]}
    assert towns["own"]["administrativevillage"].name in codes
    assert towns["other"]["administrativevillage"].name not in codes


def test_the_village_filter_lists_only_the_officials_town(towns, users):
    page = _session(users, "official").get("/admin/registry/waterbody/").content.decode()

    assert towns["own"]["administrativevillage"].name in page
    assert towns["other"]["administrativevillage"].name not in page


def _workbook(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "自然村"
    sheet.append(["自然村编码", "行政村代码", "自然村名称", "总户数", "污水治理模式"])
    for row in rows:
        sheet.append([*row, 10, "集中式处理设施"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _import(client: Client, rows: list[list]):
    upload = io.BytesIO(_workbook(rows))
    upload.name = "自然村.xlsx"
    return client.post("/admin/registry/naturalvillage/import/", {"file": upload})


@pytest.mark.parametrize(
    "row",
    [
        ["320404999201001", "320404999201", "改别镇的组"],  # another town's row
        ["320404999201005", "320404999201", "加到别镇"],  # a new row in another town
        [IN_SCOPE["natural_village"], "320404999201", "搬到别镇"],  # own row moved away
    ],
)
def test_a_town_officials_import_about_another_town_writes_nothing(row, towns, users):
    before = list(NaturalVillage.objects.order_by("pk").values())

    response = _import(
        _session(users, "official"), [["320404116201002", "320404116201", "新组"], row]
    )

    assert response.status_code == 200
    assert "不属于本镇" in response.content.decode()
    assert list(NaturalVillage.objects.order_by("pk").values()) == before


def test_a_town_officials_import_of_their_own_town_works(towns, users):
    response = _import(_session(users, "official"), [["320404116201002", "320404116201", "新组"]])

    assert response.status_code == 302
    assert NaturalVillage.objects.filter(code="320404116201002").exists()


# --- review and users in the admin --------------------------------------------------


@pytest.fixture
def reviews(submit, towns, users):
    own = submit()
    other_town_official = User.objects.create_user(
        username="stranger",
        password="s3cret-Pass!",
        role=Role.TOWN_OFFICIAL,
        town=towns["other"]["town"],
    )
    other = Submission.objects.create(
        form=own.form,
        form_version=own.form_version,
        instance_id="uuid:other-town",
        xml="<data/>",
        xml_md5="0" * 32,
        submitted_by=other_town_official,
        admin_village=towns["other"]["administrativevillage"],
    )
    ReviewPolicy.objects.create(town=towns["own"]["town"])
    ReviewPolicy.objects.create(town=towns["other"]["town"])
    return {"own": own, "other": other, "stranger": other_town_official}


@pytest.mark.parametrize("which", ["own", "other"])
@pytest.mark.parametrize("username", ROLES)
def test_review_rows_in_the_admin(username, which, reviews, users):
    client = _session(users, username)
    submission = reviews[which]

    review_page = client.get(f"/admin/review/review/{submission.pk}/change/")
    policy = ReviewPolicy.objects.get(town=submission.admin_village.town)
    policy_page = client.get(f"/admin/review/reviewpolicy/{policy.pk}/change/")

    assert review_page.status_code == SEES[username][which]
    assert policy_page.status_code == SEES[username][which]
    assert Review.objects.get(submission=submission).state == "received"


USERS = {
    "district": {"own": 200, "other": 200},
    "official": {"own": 200, "other": 302},
    "worker": {"own": 302, "other": 302},
    "contractor": {"own": 302, "other": 302},
}


@pytest.mark.parametrize("which", ["own", "other"])
@pytest.mark.parametrize("username", ROLES)
def test_users_in_the_admin(username, which, reviews, users):
    person = users["worker"] if which == "own" else reviews["stranger"]

    page = _session(users, username).get(f"/admin/accounts/user/{person.pk}/change/")

    assert page.status_code == USERS[username][which]


def test_a_town_official_only_reads_users_and_cannot_raise_anyones_role(reviews, users):
    client = _session(users, "official")
    worker = users["worker"]

    response = client.post(
        f"/admin/accounts/user/{worker.pk}/change/",
        {"username": "worker", "role": Role.DISTRICT_ADMIN, "town": str(worker.town_id)},
    )

    assert response.status_code == 403
    worker.refresh_from_db()
    assert worker.role == Role.VILLAGE_WORKER and not worker.is_staff
    assert client.get("/admin/accounts/user/add/").status_code == 403


def test_a_district_administrator_changes_a_role_and_the_group_follows(reviews, users):
    client = _session(users, "district")
    worker = users["worker"]
    url = f"/admin/accounts/user/{worker.pk}/change/"
    data = _admin_form_data(client.get(url))
    data["role"] = Role.TOWN_OFFICIAL

    assert client.post(url, data).status_code == 302

    worker.refresh_from_db()
    assert worker.is_staff
    assert set(worker.groups.values_list("name", flat=True)) == {TOWN_GROUP}
    assert _session(users, "worker").get("/admin/registry/naturalvillage/").status_code == 200


# --- the role groups ------------------------------------------------------------------


def test_each_role_has_its_group_and_field_staff_none(users):
    groups = {
        username: set(user.groups.values_list("name", flat=True))
        for username, user in users.items()
    }

    assert groups == {
        "district": {DISTRICT_GROUP},
        "official": {TOWN_GROUP},
        "worker": set(),
        "contractor": set(),
    }
    assert [users[name].is_staff for name in ROLES] == [True, True, False, False]


def test_a_role_change_moves_the_user_between_groups_and_out_of_the_admin(users):
    official = users["official"]

    official.role = Role.CONTRACTOR
    official.save()

    assert not official.groups.exists()
    assert not User.objects.get(pk=official.pk).is_staff


def test_every_permission_the_roles_name_exists_and_the_groups_hold_exactly_those(db):
    for name, grants in ROLE_GROUPS.values():
        wanted = sum(len(actions) for actions in grants.values())
        found = Permission.objects.filter(permission_query(grants))
        assert found.count() == wanted, name
        assert set(Group.objects.get(name=name).permissions.all()) == set(found)


def test_a_group_edited_by_hand_is_put_back_by_migrate(db):
    from django.core.management import call_command

    town = Group.objects.get(name=TOWN_GROUP)
    town.permissions.add(Permission.objects.get(codename="delete_user"))

    call_command("migrate", verbosity=0)

    assert not town.permissions.filter(codename="delete_user").exists()


# --- a district administrator who is not a superuser: the group's permissions --------


@pytest.fixture
def district_staff(make_user, towns):
    """A district administrator made in the admin: staff and in 区级管理员 by role only."""
    return make_user("district2", Role.DISTRICT_ADMIN)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/accounts/user/add/",
        "/admin/accounts/loginlock/",
        "/admin/audit/auditentry/",
        "/admin/authtoken/tokenproxy/",
        "/admin/indicators/indicatortarget/",
        "/admin/registry/town/add/",
        "/admin/registry/naturalvillage/add/",
        "/admin/review/notice/",
    ],
)
def test_a_district_administrator_by_role_alone_manages_users_targets_and_registry(
    path, district_staff
):
    client = Client()
    client.force_login(district_staff)

    assert district_staff.is_staff and not district_staff.is_superuser
    assert client.get(path).status_code == 200


def test_a_district_administrator_by_role_changes_another_towns_row_and_a_target(
    district_staff, towns
):
    from indicators.models import IndicatorTarget
    from indicators.services import indicator_targets_load

    indicator_targets_load()
    client = Client()
    client.force_login(district_staff)
    village = towns["other"]["naturalvillage"]

    response = _change(client, "naturalvillage", village, name="区里改的")
    target = IndicatorTarget.objects.get(code="SEWAGE_COVERAGE")
    target_url = f"/admin/indicators/indicatortarget/{target.pk}/change/"
    target_response = client.post(
        target_url, {**_admin_form_data(client.get(target_url)), "target": "95"}
    )

    assert response.status_code == 302 and target_response.status_code == 302
    village.refresh_from_db()
    target.refresh_from_db()
    assert (village.name, target.target) == ("区里改的", 95.0)


def test_only_a_superuser_changes_a_superuser(district_staff, users):
    client = Client()
    client.force_login(district_staff)
    superuser = users["district"]

    response = client.post(
        f"/admin/accounts/user/{superuser.pk}/change/",
        {"username": "district", "role": Role.DISTRICT_ADMIN},
    )

    assert response.status_code == 403
    assert User.objects.get(pk=superuser.pk).is_superuser
