"""Data migrations of review: submissions stored before the review app get a review row;
the per-town notices become notices per person."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def latest_schema_afterwards():
    """Each test migrates review backwards; the tests after it need the latest schema."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_existing_submissions_get_received_or_edited(submit):
    original = submit()
    from collect.models import Submission
    from review.models import Review

    edit = Submission.objects.create(
        form=original.form,
        form_version=original.form_version,
        instance_id="uuid:edit",
        xml="<data/>",
        xml_md5="0" * 32,
        submitted_by=original.submitted_by,
        replaces=original,
    )
    Review.objects.all().delete()

    _migrate([("review", "0001_initial")])
    _migrate([("review", "0002_reviews_for_existing_submissions")])

    assert dict(Review.objects.values_list("submission_id", "state")) == {
        original.pk: "received",
        edit.pk: "edited",
    }


def test_town_notices_become_notices_per_person_and_open_send_backs_notify_the_sender(
    submit, users
):
    from review.models import Notice
    from review.services import submission_review

    redone = submit()
    submission_review(submission=redone, user=users["district"], state="has_issues", comment="补拍")
    redo = submit(seed=5)
    open_loop = submit("district", seed=1, elsewhere=True)
    submission_review(
        submission=open_loop, user=users["official"], state="rejected", comment="重做"
    )

    old = _migrate([("review", "0002_reviews_for_existing_submissions")])
    old.get_model("review", "ReviewNotice").objects.create(
        town_id=users["official"].town_id, submission_id=redone.pk, redone_by_id=redo.pk
    )
    _migrate([("review", "0003_notice")])

    rows = set(Notice.objects.values_list("recipient__username", "kind", "submission_id"))
    assert rows == {
        ("official", "redone", redone.pk),
        ("district", "redone", redone.pk),  # sent it back
        ("district", "sent_back", open_loop.pk),
    }
    assert Notice.objects.get(kind="sent_back").comment == "重做"
