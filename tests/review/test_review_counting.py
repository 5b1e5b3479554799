"""What counts towards the indicators after review: rejected never, and in a town that
counts only approved submissions, nothing else either. Read through etl/ as the indicators are."""

import pandas as pd
import pytest

from collect.models import Submission
from etl import extract, tidy
from review.models import CountingRule
from review.services import review_policy_set, submission_review


def _row(instance_id: str, state: str | None, approved_only: bool | None) -> dict:
    return {
        "instance_id": instance_id,
        "form_id": "sewage_facility_inspection",
        "form_version": "1",
        "submitted_at": pd.Timestamp("2025-07-10 02:00"),
        "submitter": "worker",
        "answers": {},
        "is_current": True,
        "review_state": state,
        "approved_only": approved_only,
    }


def test_it_keeps_all_but_rejected_by_default():
    frame = pd.DataFrame(
        [
            _row("a", None, False),
            _row("b", "received", False),
            _row("c", "rejected", False),
            _row("d", "has_issues", False),
            _row("e", "approved", None),
        ]
    )

    assert tidy.submissions_that_count(frame)["instance_id"].tolist() == ["a", "b", "d", "e"]


def test_it_keeps_only_approved_rows_where_the_town_counts_only_approved():
    frame = pd.DataFrame(
        [
            _row("a", "received", True),
            _row("b", "approved", True),
            _row("c", "edited", True),
            _row("d", "received", False),
        ]
    )

    assert tidy.submissions_that_count(frame)["instance_id"].tolist() == ["b", "d"]


def test_it_treats_input_without_the_rule_column_as_all_but_rejected():
    frame = pd.DataFrame([_row("a", "received", False), _row("b", "rejected", False)]).drop(
        columns="approved_only"
    )

    assert tidy.submissions_that_count(frame)["instance_id"].tolist() == ["a"]


def _inspections() -> pd.DataFrame:
    raw = extract.submissions_read()
    return tidy.tidy_submissions(raw, extract.data_dictionary_read()).inspections


def test_a_rejection_removes_the_inspection_from_the_indicator_inputs(submit, users):
    submission = submit()
    assert len(_inspections()) == 1

    submission_review(
        submission=submission, user=users["official"], state="rejected", comment="照片不清楚"
    )

    assert extract.submissions_read()["review_state"].tolist() == ["rejected"]
    assert _inspections().empty


def test_approved_only_counts_nothing_until_an_official_approves(submit, users, town):
    submission = submit()
    review_policy_set(town=town, counting=CountingRule.APPROVED_ONLY, user=users["official"])
    assert extract.submissions_read()["approved_only"].tolist() == [True]
    assert _inspections().empty

    submission_review(submission=submission, user=users["official"], state="approved")

    assert len(_inspections()) == 1


def test_a_state_change_marks_the_indicator_inputs_as_changed(submit, users):
    submission = submit()
    before = Submission.objects.get(pk=submission.pk).updated_at

    submission_review(submission=submission, user=users["official"], state="approved")

    assert Submission.objects.get(pk=submission.pk).updated_at > before


@pytest.mark.parametrize("username", ["worker", "contractor"])
def test_only_reviewers_change_the_counting_rule(username, users, town):
    from review.exceptions import ReviewForbidden

    with pytest.raises(ReviewForbidden):
        review_policy_set(town=town, counting=CountingRule.APPROVED_ONLY, user=users[username])
