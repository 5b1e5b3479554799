"""Who may do what, everywhere: every role × every endpoint × a record in the user's own
village (and facility) and one in another village. "own" is the worker's submission in
village 201 about facility ZQ-WS-001 (the contractor's facility); "other" is one in village
230 about ZQ-WS-009. 404 means the record is invisible to that user, not merely forbidden."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from audit.models import AuditEntry
from collect.models import Submission
from review.models import Review
from tests.collect.support import (
    IN_SCOPE,
    OUT_OF_SCOPE,
    basic,
    post_submission,
    sample,
    sample_files,
)

ROLES = ["district", "official", "worker", "contractor"]
OTHER_CODES = {
    "admin_village": OUT_OF_SCOPE["admin_village"],
    "natural_village": OUT_OF_SCOPE["natural_village"],
    "facility": OUT_OF_SCOPE["facility"],
}


@pytest.fixture
def records(submit):
    return {"own": submit("worker"), "other": submit("district", seed=1, elsewhere=True)}


def _session(users, username: str) -> Client:
    client = Client()
    client.force_login(users[username])
    return client


def _expect(table: dict, username: str, which: str) -> int:
    expected = table[username]
    return expected[which] if isinstance(expected, dict) else expected


SEES_ALL = {"own": 200, "other": 200}
SEES_OWN = {"own": 200, "other": 404}

# endpoint -> (role -> status, or role -> {own, other})
READS = {
    "submission_detail": (
        lambda r: f"/api/v1/submissions/{r.pk}/",
        {"district": SEES_ALL, "official": SEES_ALL, "worker": SEES_OWN, "contractor": SEES_OWN},
    ),
    "attachment_download": (
        lambda r: f"/api/v1/submissions/{r.pk}/attachments/{r.attachments.first().name}",
        {"district": SEES_ALL, "official": SEES_ALL, "worker": SEES_OWN, "contractor": SEES_OWN},
    ),
    "comments": (
        lambda r: f"/api/v1/submissions/{r.pk}/comments/",
        {"district": SEES_ALL, "official": SEES_ALL, "worker": SEES_OWN, "contractor": SEES_OWN},
    ),
    "review_page": (
        lambda r: f"/review/submissions/{r.pk}/",
        {"district": SEES_ALL, "official": SEES_ALL, "worker": SEES_OWN, "contractor": SEES_OWN},
    ),
    "registry_facility": (
        lambda r: f"/api/v1/facilities/{r.facility.code}/",
        {"district": SEES_ALL, "official": SEES_ALL, "worker": SEES_OWN, "contractor": SEES_OWN},
    ),
    "registry_natural_village": (
        lambda r: f"/api/v1/natural-villages/{r.natural_village.code}/",
        {"district": SEES_ALL, "official": SEES_ALL, "worker": SEES_OWN, "contractor": SEES_OWN},
    ),
    "registry_admin_village": (
        lambda r: f"/api/v1/admin-villages/{r.admin_village.code}/",
        {"district": SEES_ALL, "official": SEES_ALL, "worker": SEES_OWN, "contractor": SEES_OWN},
    ),
    "registry_water_body": (
        lambda r: "/api/v1/water-bodies/"
        + (IN_SCOPE if r.admin_village.code == IN_SCOPE["admin_village"] else OUT_OF_SCOPE)[
            "water_body"
        ]
        + "/",
        {
            "district": SEES_ALL,
            "official": SEES_ALL,
            "worker": SEES_OWN,
            "contractor": {"own": 404, "other": 404},
        },
    ),
}


@pytest.mark.parametrize("which", ["own", "other"])
@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("endpoint", sorted(READS))
def test_reads(endpoint, username, which, records, users):
    url, table = READS[endpoint]

    response = _session(users, username).get(url(records[which]))

    assert response.status_code == _expect(table, username, which), response.content[:200]


REVIEW = {
    "district": {"own": 200, "other": 200},
    "official": {"own": 200, "other": 200},
    "worker": {"own": 403, "other": 404},
    "contractor": {"own": 403, "other": 404},
}


@pytest.mark.parametrize("which", ["own", "other"])
@pytest.mark.parametrize("username", ROLES)
def test_review_state_change(username, which, records, users):
    record = records[which]

    response = _session(users, username).post(
        f"/api/v1/submissions/{record.pk}/review/",
        {"state": "approved"},
        content_type="application/json",
    )

    assert response.status_code == REVIEW[username][which]
    approved = Review.objects.get(submission=record).state == "approved"
    assert approved == (response.status_code == 200)


COMMENT = {
    "district": {"own": 201, "other": 201},
    "official": {"own": 201, "other": 201},
    "worker": {"own": 201, "other": 404},  # the worker sent "own"
    "contractor": {"own": 403, "other": 404},  # sees "own" (their facility), did not send it
}


@pytest.mark.parametrize("which", ["own", "other"])
@pytest.mark.parametrize("username", ROLES)
def test_comment(username, which, records, users):
    response = _session(users, username).post(
        f"/api/v1/submissions/{records[which].pk}/comments/",
        {"body": "意见"},
        content_type="application/json",
    )

    assert response.status_code == COMMENT[username][which]


OPENROSA_SUBMIT = {
    "district": {"own": 201, "other": 201},
    "official": {"own": 201, "other": 201},
    "worker": {"own": 201, "other": 403},
    "contractor": {"own": 201, "other": 403},
}


@pytest.mark.parametrize("which", ["own", "other"])
@pytest.mark.parametrize("username", ROLES)
def test_openrosa_submission(username, which, inspection, users):
    instance = sample(seed=11, registry=None if which == "own" else OTHER_CODES)

    response = post_submission(Client(**basic(username)), instance.xml, sample_files(instance))

    assert response.status_code == OPENROSA_SUBMIT[username][which]
    stored = Submission.objects.filter(instance_id=instance.instance_id).exists()
    assert stored == (response.status_code == 201)


@pytest.mark.parametrize("username", ROLES)
def test_openrosa_form_list_form_and_manifest(username, inspection, users):
    client = Client(**basic(username))
    version = inspection.current_version_id

    assert client.get("/formList").status_code == 200
    assert client.get(f"/forms/{inspection.form_id}/versions/{version}/form.xml").status_code == 200
    facilities = client.get(
        f"/forms/{inspection.form_id}/versions/{version}/media/facilities.csv"
    ).content.decode()
    assert IN_SCOPE["facility"] in facilities
    assert (OUT_OF_SCOPE["facility"] in facilities) == (username in ("district", "official"))


FORM_PUBLISH = {"district": 201, "official": 201, "worker": 403, "contractor": 403}


@pytest.mark.parametrize("username", ROLES)
def test_form_publish_and_list(username, users):
    from tests.collect.support import xlsform_bytes

    client = _session(users, username)

    assert client.get("/api/v1/forms/").status_code == 200
    response = client.post(
        "/api/v1/forms/",
        {"xlsform": _upload("straw_utilization.xlsx", xlsform_bytes("straw_utilization"))},
    )
    assert response.status_code == FORM_PUBLISH[username]


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


REGISTRY_WRITE = {"district": 200, "official": 200, "worker": 403, "contractor": 403}


@pytest.mark.parametrize("username", ROLES)
def test_registry_write(username, registry, users):
    response = _session(users, username).patch(
        f"/api/v1/facilities/{IN_SCOPE['facility']}/",
        {"design_capacity": 30},
        content_type="application/json",
    )

    assert response.status_code == REGISTRY_WRITE[username]


# Town officials use the admin for their town (tests/review/test_admin_matrix.py has the
# rows); field staff are not staff and are sent to the login page.
ADMIN = {
    "/admin/collect/submission/": {"district": 200, "official": 200},
    "/admin/accounts/user/": {"district": 200, "official": 200},
    "/admin/audit/auditentry/": {"district": 200, "official": 403},
    "/admin/accounts/loginlock/": {"district": 200, "official": 403},
    "/admin/indicators/indicatortarget/": {"district": 200, "official": 200},
    "/admin/authtoken/tokenproxy/": {"district": 200, "official": 403},
}


@pytest.mark.parametrize("path", sorted(ADMIN))
@pytest.mark.parametrize("username", ROLES)
def test_admin(username, path, users):
    expected = ADMIN[path].get(username, 302)

    assert _session(users, username).get(path).status_code == expected


QUEUE = {"district": 200, "official": 200, "worker": 403, "contractor": 403}


@pytest.mark.parametrize("username", ROLES)
def test_review_queue_and_bulk_approve(username, records, users):
    client = _session(users, username)

    assert client.get("/review/").status_code == QUEUE[username]
    response = client.post(
        "/api/v1/reviews/approve/",
        {"ids": [records["own"].pk, records["other"].pk]},
        content_type="application/json",
    )
    assert response.status_code == QUEUE[username]


EXPORT = {"district": 200, "official": 200, "worker": 403, "contractor": 403}


@pytest.mark.skipif("exports" not in settings.INSTALLED_APPS, reason="exports app (issue 5)")
@pytest.mark.parametrize("username", ROLES)
def test_export_download(username, records, users):
    response = _session(users, username).get(
        "/api/v1/exports/raw/", {"form": "sewage_facility_inspection"}
    )

    assert response.status_code == EXPORT[username]
    recorded = AuditEntry.objects.filter(action="export_download", username=username).exists()
    assert recorded == (response.status_code == 200)


@pytest.mark.parametrize("username", ROLES)
def test_anonymous_gets_nothing(username, records):
    client = Client()
    record = records["own"]

    assert client.get(f"/api/v1/submissions/{record.pk}/").status_code == 401
    assert (
        client.get(f"/api/v1/submissions/{record.pk}/attachments/photo_inlet-0.jpg").status_code
        == 401
    )
    assert (
        client.post(f"/api/v1/submissions/{record.pk}/review/", {"state": "approved"}).status_code
        == 401
    )
    assert client.get("/formList").status_code == 401
    assert client.get("/review/").status_code == 302


def test_staff_given_admin_access_to_submissions_see_only_their_town(records, stranger, users):
    from django.contrib.auth.models import Permission

    view = Permission.objects.get(codename="view_submission")
    for user in (users["official"], stranger):
        user.is_staff = True
        user.save()
        user.user_permissions.add(view)

    own_town = _session(users, "official").get("/admin/collect/submission/")
    stranger_client = Client()
    stranger_client.force_login(stranger)
    other_town = stranger_client.get("/admin/collect/submission/")

    assert records["own"].instance_id in own_town.content.decode()
    assert other_town.status_code == 200
    assert records["own"].instance_id not in other_town.content.decode()
    assert stranger_client.get(
        f"/admin/collect/submission/{records['own'].pk}/change/"
    ).status_code in (302, 404)


INDICATOR_VILLAGE = {
    "district": {"own": 1, "other": 1},
    "official": {"own": 1, "other": 1},
    "worker": {"own": 1, "other": 0},
    "contractor": {"own": 1, "other": 0},
}


@pytest.mark.skipif("indicators" not in settings.INSTALLED_APPS, reason="indicators (issue 5)")
@pytest.mark.parametrize("which", ["own", "other"])
@pytest.mark.parametrize("username", ROLES)
def test_indicator_values_of_a_village(username, which, registry, users):
    from indicators.models import IndicatorSnapshot

    village = (IN_SCOPE if which == "own" else OUT_OF_SCOPE)["admin_village"]
    IndicatorSnapshot.objects.create(
        code="SEWAGE_COVERAGE",
        name_zh="农村生活污水治理率",
        unit="%",
        level="admin_village",
        area_code=village,
        admin_village_code=village,
        period="2025",
        value=80.0,
        numerator=8,
        denominator=10,
        record_count=1,
        content_hash="0" * 32,
        as_of=dt.date(2025, 12, 31),
        computed_at=timezone.now(),
    )

    response = _session(users, username).get(
        "/api/v1/indicators/", {"level": "admin_village", "period": "2025"}
    )

    assert response.status_code == 200
    assert response.json()["count"] == INDICATOR_VILLAGE[username][which]
