"""Submissions stored before the review app existed get a review row when it is installed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)


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
