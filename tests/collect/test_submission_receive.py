"""A new submission of each real questionnaire is stored whole: XML, answers, files."""

import pytest

from collect.models import Submission
from tests.collect.support import (
    FORM_IDS,
    IN_SCOPE,
    md5,
    openrosa_message,
    post_submission,
    sample,
    sample_files,
)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_it_stores_a_sample_of_each_form_with_its_attachments(
    form_id, publish, users, collect_client, media_root
):
    form = publish(form_id)
    instance = sample(form_id, seed=0)
    files = sample_files(instance)
    assert files, "every sample names at least one photo"

    response = post_submission(
        collect_client("worker"),
        instance.xml,
        files,
        path="/submission?deviceID=collect:abc123",
        HTTP_DATE="Thu, 01 May 2025 09:20:00 GMT+08:00",
    )

    assert response.status_code == 201, response.content
    assert response["X-OpenRosa-Version"] == "1.0"
    assert openrosa_message(response) == "提交成功"
    submission = Submission.objects.get(instance_id=instance.instance_id)
    assert submission.form == form
    assert submission.form_version.version == instance.version
    assert submission.xml.encode() == instance.xml
    assert submission.xml_md5 == md5(instance.xml)
    assert submission.submitted_by.username == "worker"
    assert submission.device_id == "collect:abc123"
    assert submission.client_date_header.startswith("Thu, 01 May 2025")
    assert submission.client_started_at is not None and submission.client_ended_at is not None
    assert submission.answers["meta/instanceID"] == instance.instance_id
    assert submission.admin_village.code == IN_SCOPE["admin_village"]
    assert submission.is_current
    assert submission.attachments_expected == instance.attachments
    assert submission.attachments_complete
    stored = {a.name: a for a in submission.attachments.all()}
    assert set(stored) == set(files)
    for name, content in files.items():
        assert stored[name].md5 == md5(content)
        assert stored[name].size == len(content)
        with stored[name].file.open("rb") as handle:
            assert handle.read() == content


def test_it_keys_answers_by_field_path_with_repeats_as_lists(inspection, collect_client):
    instance = sample("sewage_facility_inspection", seed=0)
    post_submission(collect_client("worker"), instance.xml, sample_files(instance))

    answers = Submission.objects.get().answers
    assert answers["facility"] == IN_SCOPE["facility"]
    assert any(key.startswith("photos/") for key in answers)
    assert isinstance(answers["fault"], list) and len(answers["fault"]) >= 2
    assert all(key.startswith("fault/") for entry in answers["fault"] for key in entry)


def test_it_links_the_submission_to_the_registry_rows_it_is_about(inspection, collect_client):
    instance = sample("sewage_facility_inspection", seed=0)
    post_submission(collect_client("contractor"), instance.xml, sample_files(instance))

    submission = Submission.objects.get()
    assert submission.facility.code == IN_SCOPE["facility"]
    assert submission.natural_village.code == IN_SCOPE["natural_village"]
    assert submission.admin_village.code == IN_SCOPE["admin_village"]
