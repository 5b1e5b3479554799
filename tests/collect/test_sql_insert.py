"""config.sql.insert, the one-statement save() of the submission path: the same row, fields
and signals as save(); with ignore_conflicts a unique constraint decides without breaking
the transaction (PostgreSQL aborts a transaction on an error unless a savepoint was set)."""

from django.db import transaction
from django.db.models.signals import post_save, pre_save

from audit.models import AuditAction, AuditEntry
from collect.models import Submission
from config import sql
from review.models import Review
from tests.collect.support import post_submission, sample, sample_files


def test_it_writes_what_save_writes_and_sends_the_signals(users):
    sent = []

    def record(sender, instance, **kwargs):
        sent.append((kwargs.get("created"), instance))

    saved = AuditEntry(
        action=AuditAction.LOGIN_FAILED,
        user=users["worker"],
        username="worker",
        ip="10.0.0.7",
        changes={"path": "/submission", "数": [1, 2]},
    )
    pre_save.connect(record, sender=AuditEntry)
    post_save.connect(record, sender=AuditEntry)
    try:
        assert sql.insert(saved) is True
    finally:
        pre_save.disconnect(record, sender=AuditEntry)
        post_save.disconnect(record, sender=AuditEntry)

    assert sent == [(None, saved), (True, saved)]
    assert saved.pk is not None and saved.at is not None
    assert not saved._state.adding
    stored = AuditEntry.objects.get(pk=saved.pk)
    assert (stored.user, stored.ip, stored.changes, stored.at) == (
        users["worker"],
        "10.0.0.7",
        {"path": "/submission", "数": [1, 2]},
        saved.at,
    )


def test_a_conflicting_row_is_not_written_and_the_transaction_goes_on(inspection, collect_client):
    instance = sample()
    post_submission(collect_client("worker"), instance.xml, sample_files(instance))
    stored = Submission.objects.get(instance_id=instance.instance_id)
    copy = Submission.objects.get(pk=stored.pk)
    copy.pk = None
    copy._state.adding = True

    with transaction.atomic():
        assert sql.insert(copy, ignore_conflicts=True) is False
        # still usable: no savepoint was needed
        assert Submission.objects.filter(instance_id=instance.instance_id).count() == 1

    assert copy.pk is None
    assert Submission.objects.count() == 1
    assert Review.objects.count() == 1  # no post_save for the row that was not written


def test_insert_returning_writes_the_row_and_answers_the_question_in_the_same_statement(users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    entry = AuditEntry(action=AuditAction.LOGIN_FAILED, username="worker", changes={})
    question = f"SELECT COUNT(*) FROM {sql.table(AuditEntry)} WHERE username = %s"
    with CaptureQueriesContext(connection) as queries:
        before = sql.insert_returning(entry, question, ["worker"])
    assert len(queries) == 1
    assert entry.pk is not None and AuditEntry.objects.filter(pk=entry.pk).exists()
    assert before in (0, 1)  # the new row itself may or may not count (SQLite sees it)

    other = AuditEntry(action=AuditAction.LOGIN_FAILED, username="worker", changes={})
    assert sql.insert_returning(other, question, ["worker"]) >= 1  # the first one counts
    assert sql.insert_returning(
        AuditEntry(action=AuditAction.LOGIN_FAILED, username="x", changes={}), question, ["nobody"]
    ) in (0, False)
