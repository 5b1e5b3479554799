"""An edit (meta/deprecatedID) becomes the current version; the earlier one is history."""

from collect.models import Submission
from tests.collect.support import openrosa_message, post_submission, sample, sample_files


def _submit(client, instance):
    return post_submission(client, instance.xml, sample_files(instance))


def test_it_makes_an_edit_the_current_version_and_keeps_the_original(inspection, collect_client):
    client = collect_client("worker")
    original = sample(seed=0)
    _submit(client, original)
    edit = sample(seed=1, deprecated_id=original.instance_id)

    response = _submit(client, edit)

    assert response.status_code == 201
    kept = Submission.objects.get(instance_id=original.instance_id)
    current = Submission.objects.get(instance_id=edit.instance_id)
    assert not kept.is_current
    assert current.is_current
    assert current.replaces == kept
    assert Submission.objects.filter(is_current=True).count() == 1


def test_it_refuses_an_edit_of_an_unknown_instance_with_404(inspection, collect_client):
    edit = sample(seed=1, deprecated_id="uuid:00000000-0000-4000-8000-000000000000")

    response = _submit(collect_client("worker"), edit)

    assert response.status_code == 404
    assert "原始数据" in openrosa_message(response)
    assert not Submission.objects.exists()


def test_it_refuses_an_edit_of_a_version_that_was_already_edited_with_409(
    inspection, collect_client
):
    client = collect_client("worker")
    original = sample(seed=0)
    _submit(client, original)
    _submit(client, sample(seed=1, deprecated_id=original.instance_id))

    late = _submit(client, sample(seed=2, deprecated_id=original.instance_id))

    assert late.status_code == 409
    assert "已被修改" in openrosa_message(late)
    assert Submission.objects.count() == 2


def test_it_answers_202_when_the_same_edit_is_sent_again(inspection, collect_client):
    client = collect_client("worker")
    original = sample(seed=0)
    _submit(client, original)
    edit = sample(seed=1, deprecated_id=original.instance_id)
    _submit(client, edit)

    assert _submit(client, edit).status_code == 202
    assert Submission.objects.count() == 2
