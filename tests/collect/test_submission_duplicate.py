"""Identical XML again: new files are added (201), nothing new is 202; never a second record."""

from collect.models import Attachment, Submission
from tests.collect.support import openrosa_message, post_submission, sample, sample_files


def test_it_answers_202_and_keeps_one_record_for_an_identical_resubmission(
    inspection, collect_client
):
    instance = sample()
    client = collect_client("worker")
    files = sample_files(instance)
    assert post_submission(client, instance.xml, files).status_code == 201

    again = post_submission(client, instance.xml, files)

    assert again.status_code == 202
    assert again["X-OpenRosa-Version"] == "1.0"
    assert "无需重复发送" in openrosa_message(again)
    assert Submission.objects.count() == 1
    assert Attachment.objects.count() == len(files)


def test_it_adds_attachments_that_arrive_with_a_repeated_xml(inspection, collect_client):
    instance = sample()
    files = sample_files(instance)
    first_name = instance.attachments[0]
    client = collect_client("worker")
    post_submission(client, instance.xml, {first_name: files[first_name]})

    response = post_submission(client, instance.xml, files)

    assert response.status_code == 201
    submission = Submission.objects.get()
    assert submission.attachments.count() == len(files)
    assert submission.attachments_complete


def test_it_answers_202_when_only_already_stored_files_come_again(inspection, collect_client):
    instance = sample()
    files = sample_files(instance)
    client = collect_client("worker")
    post_submission(client, instance.xml, files)

    response = post_submission(client, instance.xml, {instance.attachments[0]: b"other bytes"})

    assert response.status_code == 202
    stored = Submission.objects.get().attachments.get(name=instance.attachments[0])
    with stored.file.open("rb") as handle:
        assert handle.read() == files[instance.attachments[0]]
