"""The OpenRosa paths skip Django's session, locale, session-user and message middleware
(config.middleware; their views are CSRF-exempt); every other path keeps them."""

import pytest
from django.test import Client

from audit.models import AuditEntry
from config.middleware import is_openrosa_path
from tests.collect.support import post_submission, sample, sample_files


@pytest.mark.parametrize(
    ("path", "openrosa"),
    [
        ("/submission", True),
        ("//submission", True),
        ("/formList", True),
        ("//formList", True),
        ("/forms/sewage_facility_inspection/versions/3/form.xml", True),
        ("/forms/sewage_facility_inspection/versions/3/manifest", True),
        ("/forms/sewage_facility_inspection/versions/3/media/villages.csv", True),
        ("/submissions", False),
        ("/formListing", False),
        ("/api/v1/forms/", False),
        ("/api/v1/submissions/", False),
        ("/collect/qr/", False),
        ("/admin/login/", False),
        ("/review/", False),
    ],
)
def test_it_knows_the_openrosa_paths(path, openrosa):
    assert is_openrosa_path(path) is openrosa


def test_a_submission_sets_no_cookie_and_is_still_audited_with_its_user(inspection, collect_client):
    instance = sample(seed=1)

    response = post_submission(collect_client("worker"), instance.xml, sample_files(instance))

    assert response.status_code == 201
    assert not response.cookies
    assert "Accept-Language" not in response.get("Vary", "")
    entry = AuditEntry.objects.get(
        object_type="collect.submission", object_id=str(inspection.submissions.get().pk)
    )
    assert entry.username == "worker"


def test_an_openrosa_challenge_sets_no_cookie(users):
    response = Client().get("/formList")

    assert response.status_code == 401
    assert not response.cookies


def test_web_pages_keep_sessions_csrf_and_login(users):
    client = Client()

    page = client.get("/collect/qr/")
    assert page.status_code == 302  # the session user is checked: anonymous → login page
    login = client.get("/api-auth/login/")
    assert "csrftoken" in login.cookies
    assert client.login(username="worker", password="s3cret-Pass!")
    assert client.get("/collect/qr/").status_code == 200
