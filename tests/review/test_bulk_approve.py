"""Bulk approval (「核准筛选结果全部 N 条」, POST /api/v1/reviews/approve/) is done set-wise;
it must leave exactly what approving one at a time leaves: states, comments, audit entries,
settled notices, the indicators' change mark; and skip what may not be approved."""

from audit.models import AuditEntry
from collect.models import Submission
from review.models import Notice, Review, ReviewComment
from review.services import submission_review, submissions_approve
from tests.collect.support import post_submission, sample, sample_files


def _trace(submission: Submission) -> dict:
    review = Review.objects.get(submission=submission)
    comment = ReviewComment.objects.filter(submission=submission).last()
    audit = AuditEntry.objects.filter(action="review_state", object_id=str(submission.pk)).last()
    return {
        "state": review.state,
        "changed_by": review.changed_by.username,
        "comment": (comment.author.username, comment.body, comment.state_from, comment.state_to),
        "audit": (
            audit.username,
            audit.object_type,
            audit.object_repr,
            audit.changes,
        ),
        "unread_notices": Notice.objects.filter(
            submission=submission, read_at__isnull=True
        ).count(),
    }


def test_bulk_approval_leaves_what_approving_one_by_one_leaves(submit, users):
    official = users["official"]
    one_by_one = [submit(seed=1), submit("district", seed=2, elsewhere=True)]
    in_bulk = [submit(seed=3), submit("district", seed=4, elsewhere=True)]
    for submission in (one_by_one[1], in_bulk[1]):  # sent back first: a notice to settle
        submission_review(submission=submission, user=official, state="rejected", comment="重拍")
    before = {s.pk: Submission.objects.get(pk=s.pk).updated_at for s in in_bulk}

    for submission in one_by_one:
        submission_review(submission=submission, user=official, state="approved", comment="好")
    count = submissions_approve(
        submissions=Submission.objects.filter(pk__in=[s.pk for s in in_bulk]),
        user=official,
        comment="好",
    )

    assert count == 2
    for single, bulk in zip(one_by_one, in_bulk, strict=True):
        expected = _trace(single)
        expected["audit"] = (*expected["audit"][:2], str(bulk), expected["audit"][3])
        assert _trace(bulk) == expected
    assert all(Submission.objects.get(pk=pk).updated_at > at for pk, at in before.items())


def test_bulk_approval_skips_approved_and_replaced_versions(submit, users, collect_client):
    official = users["official"]
    approved = submit(seed=1)
    submission_review(submission=approved, user=official, state="approved")
    replaced = submit("district", seed=2, elsewhere=True)
    edit = sample(seed=8, deprecated_id=replaced.instance_id, registry=None)
    post_submission(collect_client("district"), edit.xml, sample_files(edit))
    waiting = submit(seed=3)
    entries = AuditEntry.objects.filter(action="review_state").count()

    count = submissions_approve(submissions=Submission.objects.all(), user=official)

    edited = Submission.objects.get(instance_id=edit.instance_id)
    assert count == 2  # the edit and the waiting one
    assert Review.objects.get(submission=replaced).state == "received"
    assert {Review.objects.get(submission=s).state for s in (approved, edited, waiting)} == {
        "approved"
    }
    assert ReviewComment.objects.filter(submission=approved).count() == 1
    assert AuditEntry.objects.filter(action="review_state").count() == entries + 2
