"""The officials' review screens: queue with filters, a submission's page, state buttons,
bulk approval of a filtered list."""

import re

import pytest

from review.models import Review


@pytest.fixture
def official(users, client):
    client.force_login(users["official"])
    return client


def test_the_queue_lists_new_submissions_and_filters_them(submit, official):
    mine = submit()
    elsewhere = submit("district", seed=1, elsewhere=True)

    everything = official.get("/review/").content.decode()
    by_village = official.get("/review/", {"village": "320404116230"}).content.decode()
    approved = official.get("/review/", {"state": "approved"}).content.decode()
    other_form = official.get("/review/", {"form": "straw_utilization"}).content.decode()
    future = official.get("/review/", {"from": "2999-01-01"}).content.decode()

    assert f'href="/review/submissions/{mine.pk}/"' in everything
    assert f'href="/review/submissions/{elsewhere.pk}/"' in everything
    assert f'href="/review/submissions/{mine.pk}/"' not in by_village
    assert f'href="/review/submissions/{elsewhere.pk}/"' in by_village
    assert "没有符合条件的提交" in approved
    assert "没有符合条件的提交" in other_form
    assert "没有符合条件的提交" in future


def test_a_submission_page_shows_chinese_labels_photos_gps_and_versions(submit, official):
    submission = submit()

    page = official.get(f"/review/submissions/{submission.pk}/").content.decode()

    assert "处理设施" in page  # the facility question's label
    assert "格栅堵塞" in page  # a choice label of the fault repeat
    assert f"/api/v1/submissions/{submission.pk}/attachments/photo_inlet-0.jpg" in page
    assert "纬度 31.735157" in page
    assert submission.instance_id in page
    assert 'value="approved"' in page and 'value="rejected"' in page


def test_the_state_buttons_change_the_state_with_a_comment(submit, official):
    submission = submit()

    response = official.post(
        f"/review/submissions/{submission.pk}/", {"state": "has_issues", "comment": "缺少照片"}
    )

    assert response.status_code == 302
    assert Review.objects.get(submission=submission).state == "has_issues"
    page = official.get(f"/review/submissions/{submission.pk}/").content.decode()
    assert "缺少照片" in page


def test_an_invalid_move_on_the_page_is_a_409_and_changes_nothing(submit, official):
    submission = submit()

    response = official.post(f"/review/submissions/{submission.pk}/", {"state": "edited"})

    assert response.status_code == 409
    assert "不能从" in response.content.decode()
    assert Review.objects.get(submission=submission).state == "received"


def _upto(page: str) -> str:
    return re.search(r'name="upto" value="(\d+)"', page).group(1)


def test_bulk_approval_acts_on_the_filtered_list_only(submit, official):
    mine = submit()
    elsewhere = submit("district", seed=1, elsewhere=True)
    filters = {"state": "awaiting", "village": "320404116230"}
    upto = _upto(official.get("/review/", filters).content.decode())

    response = official.post("/review/approve/", {**filters, "upto": upto})

    assert response.status_code == 302
    assert "village=320404116230" in response["Location"]
    assert Review.objects.get(submission=elsewhere).state == "approved"
    assert Review.objects.get(submission=mine).state == "received"


@pytest.fixture
def small_pages(monkeypatch):
    from review import views

    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 2)


def _listed(page: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/review/submissions/(\d+)/"', page)}


def test_the_queue_pages_through_the_filtered_list_and_keeps_the_filters(
    submit, official, small_pages
):
    sent = [submit(seed=seed) for seed in range(5)]
    elsewhere = submit("district", seed=9, elsewhere=True)
    filters = {"village": "320404116201"}

    first = official.get("/review/", filters).content.decode()
    pages = [first] + [
        official.get("/review/", {**filters, "page": n}).content.decode() for n in (2, 3)
    ]

    assert "第 1 / 3 页" in first
    assert "page=2" in first and "village=320404116201" in first
    assert [len(_listed(page)) for page in pages] == [2, 2, 1]
    assert set().union(*map(_listed, pages)) == {s.pk for s in sent}
    assert elsewhere.pk not in set().union(*map(_listed, pages))
    # A page number out of range or not a number shows the last or first page, not a 500.
    assert _listed(official.get("/review/", {**filters, "page": 99}).content.decode()) == _listed(
        pages[2]
    )
    assert official.get("/review/", {**filters, "page": "x"}).status_code == 200


def test_bulk_approval_covers_every_page_of_the_filter_and_says_so(submit, official, small_pages):
    sent = [submit(seed=seed) for seed in range(5)]
    elsewhere = submit("district", seed=9, elsewhere=True)
    page = official.get("/review/", {"village": "320404116201"}).content.decode()
    assert "核准筛选结果全部 5 条（含全部 3 页）" in page

    official.post("/review/approve/", {"village": "320404116201", "upto": _upto(page)})

    assert {Review.objects.get(submission=s).state for s in sent} == {"approved"}
    assert Review.objects.get(submission=elsewhere).state == "received"


def test_bulk_approval_leaves_what_arrived_after_the_page_was_shown(submit, official):
    seen = submit()
    upto = _upto(official.get("/review/").content.decode())
    later = submit(seed=3)

    official.post("/review/approve/", {"state": "awaiting", "upto": upto})

    assert Review.objects.get(submission=seen).state == "approved"
    assert Review.objects.get(submission=later).state == "received"


@pytest.mark.parametrize("upto", ["", "abc", "-1"])
def test_bulk_approval_without_the_pages_cut_off_is_a_400(submit, official, upto):
    submission = submit()

    response = official.post("/review/approve/", {"state": "awaiting", "upto": upto})

    assert response.status_code == 400
    assert Review.objects.get(submission=submission).state == "received"


@pytest.mark.parametrize("username", ["worker", "contractor"])
def test_field_staff_have_no_review_queue(username, submit, users, client):
    submission = submit()
    client.force_login(users[username])

    assert client.get("/review/").status_code == 403
    assert client.post("/review/approve/", {"state": ""}).status_code == 403
    assert Review.objects.get(submission=submission).state == "received"


def test_the_worker_sees_their_submission_but_cannot_change_its_state(submit, users, client):
    submission = submit()
    client.force_login(users["worker"])

    page = client.get(f"/review/submissions/{submission.pk}/")
    refused = client.post(f"/review/submissions/{submission.pk}/", {"state": "approved"})

    assert page.status_code == 200
    assert 'value="approved"' not in page.content.decode()
    assert refused.status_code == 403
    assert Review.objects.get(submission=submission).state == "received"


def test_a_tampered_id_is_a_404(submit, users, client):
    elsewhere = submit("district", seed=1, elsewhere=True)
    client.force_login(users["worker"])

    assert client.get(f"/review/submissions/{elsewhere.pk}/").status_code == 404
    assert client.get("/review/submissions/999999/").status_code == 404
    assert (
        client.post(f"/review/submissions/{elsewhere.pk}/", {"state": "approved"}).status_code
        == 404
    )


def test_an_official_sets_the_towns_counting_rule(official, town):
    from review.models import ReviewPolicy

    assert official.post("/review/policy/", {"counting": "approved_only"}).status_code == 302
    assert ReviewPolicy.objects.get(town=town).counting == "approved_only"
    assert official.post("/review/policy/", {"counting": "nonsense"}).status_code == 400
