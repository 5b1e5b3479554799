"""Send back to the collector: a submission marked 有问题 or 已驳回 shows on its sender's page
with the comment, marks its facility 【待整改】 in the phone's list, and an edit or a new
submission about the same facility closes the loop with a notice to the officials."""

import csv
import io

from django.test import Client

from collect.models import Submission
from review.models import Notice, Review
from review.services import submission_review
from tests.collect.support import IN_SCOPE, basic, post_submission, sample, sample_files


def _facility_labels(inspection, username: str = "worker") -> dict[str, str]:
    client = Client(**basic(username))
    url = (
        f"/forms/{inspection.form_id}/versions/{inspection.current_version_id}/media/facilities.csv"
    )
    response = client.get(url)
    assert response.status_code == 200
    return {
        row["name"]: row["label"]
        for row in csv.DictReader(io.StringIO(response.content.decode("utf-8")))
    }


def _send_back(submission, users, state="has_issues", comment="出水口照片模糊，请重拍"):
    return submission_review(
        submission=submission, user=users["official"], state=state, comment=comment
    )


def test_a_sent_back_submission_is_on_its_senders_page_with_the_comment(submit, users, client):
    submission = submit()
    _send_back(submission, users)
    client.force_login(users["worker"])

    page = client.get("/review/mine/").content.decode()

    assert f"/review/submissions/{submission.pk}/" in page
    assert "出水口照片模糊，请重拍" in page
    assert "有问题" in page


def test_the_page_asks_for_a_login_and_shows_others_nothing(submit, users, client):
    _send_back(submit(), users)

    assert client.get("/review/mine/").status_code == 302
    client.force_login(users["contractor"])
    assert "出水口照片模糊" not in client.get("/review/mine/").content.decode()


def test_the_facility_is_marked_to_redo_in_the_phones_list(submit, users, inspection):
    before = _facility_labels(inspection)
    _send_back(submit(), users, state="rejected")

    labels = _facility_labels(inspection)

    assert labels[IN_SCOPE["facility"]] == f"【待整改】{before[IN_SCOPE['facility']]}"
    assert "【待整改】" not in _facility_labels(inspection, "district")[IN_SCOPE["facility"]]


def test_a_new_submission_for_the_facility_closes_the_loop(submit, users, inspection):
    original = submit()
    _send_back(original, users)

    redo = submit(seed=7)

    assert Review.objects.get(submission=original).redone_by == redo
    assert redo.review.state == "received"
    assert "【待整改】" not in _facility_labels(inspection)[IN_SCOPE["facility"]]
    notice = Notice.objects.get(kind="redone", recipient=users["official"])
    assert (notice.submission, notice.redone_by) == (original, redo)


def test_an_edit_closes_the_loop_and_waits_for_review_as_edited(
    submit, users, collect_client, client
):
    original = submit()
    _send_back(original, users)
    edit = sample(seed=9, deprecated_id=original.instance_id)

    post_submission(collect_client("worker"), edit.xml, sample_files(edit))

    assert Review.objects.get(submission=original).redone_by.instance_id == edit.instance_id
    client.force_login(users["official"])
    queue = client.get("/review/").content.decode()
    assert "整改已提交" in queue
    assert "已编辑" in queue


def test_an_approved_submission_is_not_sent_back(submit, users, inspection, client):
    submission_review(submission=submit(), user=users["official"], state="approved")
    client.force_login(users["worker"])

    assert "没有待整改的提交" in client.get("/review/mine/").content.decode()
    assert "【待整改】" not in _facility_labels(inspection)[IN_SCOPE["facility"]]


def test_a_submission_about_another_facility_leaves_the_send_back_open(submit, users):
    original = submit()
    _send_back(original, users)

    submit("district", seed=7, elsewhere=True)

    assert Review.objects.get(submission=original).redone_by is None
    assert not Notice.objects.filter(kind="redone").exists()


def test_a_redone_send_back_is_not_redone_again(submit, users):
    original = submit()
    _send_back(original, users)
    first_redo = submit(seed=7)

    submit(seed=8)

    assert Review.objects.get(submission=original).redone_by == first_redo
    assert Notice.objects.filter(kind="redone", recipient=users["official"]).count() == 1


def test_a_send_back_of_history_is_closed_by_no_new_submission(
    submit, users, collect_client, inspection
):
    # Sent back, then edited twice over: the send-back of the first version is closed by
    # the edit; a later new submission about the facility finds nothing open to close.
    original = submit()
    _send_back(original, users)
    edit = sample(seed=9, deprecated_id=original.instance_id)
    post_submission(collect_client("worker"), edit.xml, sample_files(edit))

    submit(seed=10)

    assert Review.objects.get(submission=original).redone_by.instance_id == edit.instance_id
    assert Notice.objects.filter(kind="redone", recipient=users["official"]).count() == 1


def test_a_new_report_on_the_water_body_closes_its_send_back(publish, users, collect_client):
    publish("black_odorous_water")

    def report(seed: int):
        instance = sample("black_odorous_water", seed=seed)
        response = post_submission(collect_client("worker"), instance.xml, sample_files(instance))
        assert response.status_code == 201, response.content
        return Submission.objects.get(instance_id=instance.instance_id)

    original = report(0)
    assert original.water_body_id is not None
    _send_back(original, users)

    redo = report(7)

    assert Review.objects.get(submission=original).redone_by == redo
