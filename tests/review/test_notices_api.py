"""Notices of the send-back loop through the REST API: a sender hears that a submission was
sent back (with the comment), the town's officials that it was redone; everyone reads and
marks only their own; bad input is a 4xx and changes nothing."""

import pytest
import yaml
from django.test import Client

from review.models import Notice
from review.services import submission_review


@pytest.fixture
def api(users):
    def login(username: str) -> Client:
        client = Client()
        client.force_login(users[username])
        return client

    return login


@pytest.fixture
def sent_back(submit, users):
    submission = submit()
    submission_review(
        submission=submission, user=users["official"], state="rejected", comment="照片模糊，请重拍"
    )
    return submission


def _notices(client: Client, **params) -> list[dict]:
    response = client.get("/api/v1/notices/", params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_sender_reads_that_the_submission_was_sent_back_with_the_comment(sent_back, api):
    (notice,) = _notices(api("worker"))

    assert notice["kind"] == "sent_back"
    assert notice["kind_label"] == "提交被退回"
    assert notice["submission"] == sent_back.pk
    assert (notice["state"], notice["comment"]) == ("rejected", "照片模糊，请重拍")
    assert notice["facility"] == sent_back.facility.code
    assert notice["read"] is False
    assert _notices(api("official")) == []
    assert _notices(api("contractor")) == []


def test_a_redo_notifies_the_officials_and_settles_the_senders_notice(sent_back, submit, api):
    redo = submit(seed=7)

    (official_notice,) = _notices(api("official"), unread="true")
    assert official_notice["kind"] == "redone"
    assert (official_notice["submission"], official_notice["redone_by"]) == (sent_back.pk, redo.pk)
    assert official_notice["redone_by_user"] == "worker"
    assert official_notice["url"] == f"/review/submissions/{redo.pk}/"
    assert _notices(api("worker"), unread="true") == []
    assert len(_notices(api("worker"))) == 1


def test_unread_and_kind_filters(sent_back, api):
    worker = api("worker")

    assert len(_notices(worker, kind="sent_back")) == 1
    assert _notices(worker, kind="redone") == []
    assert worker.get("/api/v1/notices/", {"kind": "bogus"}).status_code == 400
    assert worker.get("/api/v1/notices/", {"unread": "maybe"}).status_code == 400


def test_patch_marks_ones_own_notice_read_and_unread(sent_back, api):
    worker = api("worker")
    notice = Notice.objects.get(recipient__username="worker")
    url = f"/api/v1/notices/{notice.pk}/"

    read = worker.patch(url, {"read": True}, content_type="application/json")
    assert read.status_code == 200 and read.json()["read"] is True
    assert _notices(worker, unread="true") == []

    unread = worker.patch(url, {"read": False}, content_type="application/json")
    assert unread.json()["read"] is False
    assert (
        worker.patch(url, {"read": "perhaps"}, content_type="application/json").status_code == 400
    )


@pytest.mark.parametrize("username", ["official", "contractor", "district"])
def test_another_persons_notice_is_a_404_and_stays_unread(sent_back, api, username):
    client = api(username)
    notice = Notice.objects.get(recipient__username="worker")

    assert client.get(f"/api/v1/notices/{notice.pk}/").status_code == 404
    assert (
        client.patch(
            f"/api/v1/notices/{notice.pk}/", {"read": True}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/api/v1/notices/read/", {"ids": [notice.pk]}, content_type="application/json"
        ).status_code
        == 404
    )
    notice.refresh_from_db()
    assert notice.read_at is None


def test_post_marks_the_listed_or_all_and_refuses_a_list_with_anothers_id(sent_back, users, api):
    submission_review(
        submission=sent_back, user=users["official"], state="has_issues", comment="再补一张"
    )
    worker = api("worker")
    own = list(Notice.objects.filter(recipient__username="worker").values_list("pk", flat=True))
    foreign = Notice.objects.create(
        recipient=users["official"], kind="redone", submission=sent_back
    )

    refused = worker.post(
        "/api/v1/notices/read/", {"ids": [own[0], foreign.pk]}, content_type="application/json"
    )
    assert refused.status_code == 404
    assert len(_notices(worker, unread="true")) == 2

    one = worker.post("/api/v1/notices/read/", {"ids": [own[0]]}, content_type="application/json")
    assert one.json() == {"marked": 1}
    every = worker.post("/api/v1/notices/read/", {}, content_type="application/json")
    assert every.json() == {"marked": 1}
    assert _notices(worker, unread="true") == []
    bad = worker.post("/api/v1/notices/read/", {"ids": "x"}, content_type="application/json")
    assert bad.status_code == 400


def test_approving_after_all_settles_the_senders_notice(sent_back, users, api):
    submission_review(submission=sent_back, user=users["official"], state="approved")

    assert _notices(api("worker"), unread="true") == []


def test_anonymous_gets_a_401(sent_back):
    assert Client().get("/api/v1/notices/").status_code == 401
    assert Client().post("/api/v1/notices/read/").status_code == 401


def test_the_notices_api_is_in_the_schema(db):
    schema = yaml.safe_load(Client().get("/api/schema/").content)

    assert {"get"} <= set(schema["paths"]["/api/v1/notices/"])
    assert {"get", "patch"} <= set(schema["paths"]["/api/v1/notices/{id}/"])
    assert {"post"} <= set(schema["paths"]["/api/v1/notices/read/"])
    params = {p["name"] for p in schema["paths"]["/api/v1/notices/"]["get"]["parameters"]}
    assert {"unread", "kind"} <= params
