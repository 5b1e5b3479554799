"""Review states: what arrives, the moves the table allows, and what is refused unchanged."""

import pytest

from review.exceptions import CommentEmpty, InvalidTransition, ReviewForbidden
from review.models import Review, ReviewComment
from review.services import submission_review
from review.states import TRANSITIONS, ReviewState
from tests.collect.support import post_submission, sample, sample_files


def test_it_gives_every_new_submission_the_state_received(submit):
    submission = submit()

    assert submission.review.state == ReviewState.RECEIVED


def test_it_sets_edited_when_an_edit_arrives(submit, collect_client):
    original = submit()
    edit = sample(seed=5, deprecated_id=original.instance_id)

    post_submission(collect_client("worker"), edit.xml, sample_files(edit))

    assert Review.objects.get(submission__instance_id=edit.instance_id).state == "edited"


@pytest.mark.parametrize(
    ("start", "target"),
    # Sorted: TRANSITIONS holds sets, and xdist workers must collect the same order.
    sorted((start, target) for start, targets in TRANSITIONS.items() for target in targets),
)
def test_it_allows_each_move_of_the_table(start, target, submit, users):
    submission = submit()
    Review.objects.filter(submission=submission).update(state=start)

    review = submission_review(
        submission=submission, user=users["official"], state=target, comment="理由"
    )

    assert review.state == target
    assert ReviewComment.objects.get(submission=submission).state_from == start


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (start, target)
        for start in ReviewState.values
        for target in ReviewState.values
        if target not in TRANSITIONS[start]
    ],
)
def test_it_refuses_every_other_move_and_changes_nothing(start, target, submit, users):
    submission = submit()
    Review.objects.filter(submission=submission).update(state=start)

    with pytest.raises(InvalidTransition):
        submission_review(submission=submission, user=users["official"], state=target, comment="x")

    assert Review.objects.get(submission=submission).state == start
    assert not ReviewComment.objects.exists()


def test_it_needs_a_comment_to_send_a_submission_back(submit, users):
    submission = submit()

    with pytest.raises(CommentEmpty):
        submission_review(submission=submission, user=users["official"], state="has_issues")

    assert Review.objects.get(submission=submission).state == "received"


@pytest.mark.parametrize("username", ["worker", "contractor"])
def test_it_lets_only_officials_and_admins_review(username, submit, users):
    submission = submit()

    with pytest.raises(ReviewForbidden):
        submission_review(submission=submission, user=users[username], state="approved")

    assert Review.objects.get(submission=submission).state == "received"


def test_it_refuses_to_review_a_version_that_was_edited_since(submit, collect_client, users):
    original = submit()
    edit = sample(seed=5, deprecated_id=original.instance_id)
    post_submission(collect_client("worker"), edit.xml, sample_files(edit))
    original.refresh_from_db()

    with pytest.raises(Exception, match="新版本"):
        submission_review(submission=original, user=users["official"], state="approved")


def test_it_lets_an_official_of_another_town_not_review(submit, stranger):
    submission = submit()

    with pytest.raises(ReviewForbidden):
        submission_review(submission=submission, user=stranger, state="approved")
