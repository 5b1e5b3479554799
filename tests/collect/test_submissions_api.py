"""/api/v1/submissions/: filters, attachments and the same visibility rules as OpenRosa."""

import pytest
from django.test import Client

from collect.models import Submission
from tests.collect.support import IN_SCOPE, OUT_OF_SCOPE, post_submission, sample, sample_files


@pytest.fixture
def two_submissions(inspection, publish, collect_client):
    """One by the worker in their village, one by the district admin elsewhere."""
    mine = sample(seed=0)
    post_submission(collect_client("worker"), mine.xml, sample_files(mine))
    elsewhere = sample(
        seed=1,
        registry={
            "admin_village": OUT_OF_SCOPE["admin_village"],
            "natural_village": OUT_OF_SCOPE["natural_village"],
            "facility": OUT_OF_SCOPE["facility"],
        },
    )
    post_submission(collect_client("district"), elsewhere.xml, sample_files(elsewhere))
    return mine, elsewhere


def _ids(client: Client, **params) -> list[str]:
    response = client.get("/api/v1/submissions/", params)
    assert response.status_code == 200, response.content
    return sorted(row["instance_id"] for row in response.json()["results"])


@pytest.mark.parametrize(
    ("username", "sees"),
    [("district", 2), ("official", 2), ("worker", 1), ("contractor", 1)],
)
def test_it_shows_each_role_its_own_part(username, sees, two_submissions, users, client):
    client.force_login(users[username])

    assert len(_ids(client)) == sees


def test_it_filters_by_every_documented_field(two_submissions, users, client):
    mine, elsewhere = two_submissions
    client.force_login(users["district"])

    assert _ids(client, form="sewage_facility_inspection") == sorted(
        [mine.instance_id, elsewhere.instance_id]
    )
    assert _ids(client, form="straw_utilization") == []
    assert _ids(client, form_version=mine.version) != []
    assert _ids(client, form_version="0") == []
    assert _ids(client, village=IN_SCOPE["admin_village"]) == [mine.instance_id]
    assert _ids(client, village=OUT_OF_SCOPE["natural_village"]) == [elsewhere.instance_id]
    assert _ids(client, facility=IN_SCOPE["facility"]) == [mine.instance_id]
    assert _ids(client, submitter="district") == [elsewhere.instance_id]
    assert _ids(client, instance_id=mine.instance_id) == [mine.instance_id]
    assert len(_ids(client, received_from="2000-01-01", received_to="2999-12-31")) == 2
    assert _ids(client, received_to="2000-01-01") == []


def test_it_lists_only_current_versions_unless_asked(inspection, collect_client, users, client):
    original = sample(seed=0)
    worker = collect_client("worker")
    post_submission(worker, original.xml, sample_files(original))
    edit = sample(seed=1, deprecated_id=original.instance_id)
    post_submission(worker, edit.xml, sample_files(edit))
    client.force_login(users["worker"])

    assert _ids(client) == [edit.instance_id]
    assert _ids(client, current="false") == [original.instance_id]
    assert len(_ids(client, current="all")) == 2
    row = client.get("/api/v1/submissions/").json()["results"][0]
    assert row["replaces"] == original.instance_id and row["is_current"] is True


def test_it_serves_attachments_only_to_users_who_may_see_them(two_submissions, users, client):
    mine, _ = two_submissions
    client.force_login(users["worker"])
    row = client.get("/api/v1/submissions/", {"instance_id": mine.instance_id}).json()["results"][0]
    attachment = row["attachments"][0]
    url = attachment["download_url"].removeprefix("http://testserver")

    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == sample_files(mine)[attachment["name"]]

    other = Client()
    other.force_login(users["contractor"])
    submission = Submission.objects.get(instance_id=mine.instance_id)
    submission.facility = None
    submission.submitted_by = users["official"]
    submission.save()
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code in (401, 403)
