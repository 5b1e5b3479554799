"""Send back to the collector: a submission marked 有问题 or 已驳回 shows on its sender's page
with the comment, marks its facility 【待整改】 in the phone's list, and an edit or a new
submission about the same facility closes the loop with a notice to the officials."""

import csv
import io

from django.test import Client

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
