"""The review API: state changes, comments, bulk approval, the collector's list; bad input
is a 4xx and changes nothing."""

import pytest

from review.models import Review, ReviewComment


@pytest.fixture
def api(users, client):
    def login(username: str):
        client.force_login(users[username])
        return client

    return login


def _review(client, pk, **body):
    return client.post(f"/api/v1/submissions/{pk}/review/", body, content_type="application/json")


def test_an_official_approves_through_the_api(submit, api):
    submission = submit()

    response = _review(api("official"), submission.pk, state="approved", comment="好")

    assert response.status_code == 200
    assert response.json()["state"] == "approved"
    assert response.json()["state_label"] == "已核准"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"state": "edited"}, 409),
        ({"state": "received"}, 409),
        ({"state": "bogus"}, 400),
        ({}, 400),
        ({"state": "has_issues"}, 400),  # sending back needs a comment
        ({"state": "approved", "comment": "x" * 5000}, 400),
    ],
)
def test_bad_review_input_is_refused_and_changes_nothing(body, status, submit, api):
    submission = submit()

    response = _review(api("official"), submission.pk, **body)

    assert response.status_code == status
    assert Review.objects.get(submission=submission).state == "received"
    assert not ReviewComment.objects.exists()


def test_approving_twice_is_a_conflict(submit, api):
    submission = submit()
    client = api("official")
    _review(client, submission.pk, state="approved")

    assert _review(client, submission.pk, state="approved").status_code == 409


@pytest.mark.parametrize("username", ["worker", "contractor"])
def test_field_staff_cannot_review_through_the_api(username, submit, api):
    submission = submit()

    assert _review(api(username), submission.pk, state="approved").status_code in (403, 404)
    assert Review.objects.get(submission=submission).state == "received"


def test_an_official_of_another_town_gets_404_for_review_and_comments(submit, stranger, client):
    submission = submit()
    client.force_login(stranger)

    assert _review(client, submission.pk, state="approved").status_code == 404
    comment = client.post(
        f"/api/v1/submissions/{submission.pk}/comments/",
        {"body": "hi"},
        content_type="application/json",
    )
    assert comment.status_code == 404
    assert not ReviewComment.objects.exists()


@pytest.mark.parametrize("pk", ["999999", "0"])
def test_unknown_ids_are_404(pk, api, users):
    client = api("official")

    assert (
        client.post(f"/api/v1/submissions/{pk}/review/", {"state": "approved"}).status_code == 404
    )
    assert client.get(f"/api/v1/submissions/{pk}/comments/").status_code == 404


def test_comments_are_a_thread_the_sender_can_answer(submit, api):
    submission = submit()
    _review(api("official"), submission.pk, state="has_issues", comment="缺照片")
    worker = api("worker")

    posted = worker.post(
        f"/api/v1/submissions/{submission.pk}/comments/",
        {"body": "已补拍"},
        content_type="application/json",
    )
    thread = worker.get(f"/api/v1/submissions/{submission.pk}/comments/").json()

    assert posted.status_code == 201
    assert [(c["author"], c["body"], c["state_to"]) for c in thread] == [
        ("official", "缺照片", "has_issues"),
        ("worker", "已补拍", ""),
    ]


def test_an_empty_comment_is_a_400(submit, api):
    submission = submit()
    response = api("official").post(
        f"/api/v1/submissions/{submission.pk}/comments/",
        {"body": "  "},
        content_type="application/json",
    )

    assert response.status_code == 400


def test_bulk_approve_skips_what_the_user_may_not_review(submit, api, stranger, client):
    mine = submit()
    elsewhere = submit("district", seed=1, elsewhere=True)

    client.force_login(stranger)
    nothing = client.post(
        "/api/v1/reviews/approve/",
        {"ids": [mine.pk, elsewhere.pk]},
        content_type="application/json",
    )
    assert nothing.json() == {"approved": 0}
    official = api("official")
    response = official.post(
        "/api/v1/reviews/approve/", {"ids": [mine.pk, 999999]}, content_type="application/json"
    )

    assert response.json() == {"approved": 1}
    assert Review.objects.get(submission=mine).state == "approved"
    assert Review.objects.get(submission=elsewhere).state == "received"


@pytest.mark.parametrize("body", [{"ids": []}, {"ids": ["x"]}, {}, {"ids": [-1]}])
def test_bulk_approve_refuses_malformed_lists(body, api):
    response = api("official").post(
        "/api/v1/reviews/approve/", body, content_type="application/json"
    )

    assert response.status_code == 400


def test_the_rework_list_has_the_officials_comment(submit, api):
    submission = submit()
    _review(api("official"), submission.pk, state="rejected", comment="不是本设施")

    rows = api("worker").get("/api/v1/reviews/rework/").json()

    assert [(row["id"], row["state"]) for row in rows] == [(submission.pk, "rejected")]
    assert rows[0]["comments"][0]["body"] == "不是本设施"
