"""Every action the issue lists leaves an audit entry: who, when, from where, what changed."""

import pytest
from django.test import Client

from audit.models import AuditEntry
from registry.models import SewageFacility
from review.services import submission_comment, submission_review
from tests.collect.support import PASSWORD, basic, post_submission, sample, sample_files


def _last(action: str) -> AuditEntry:
    entry = AuditEntry.objects.filter(action=action).order_by("-pk").first()
    assert entry is not None, f"no {action} entry"
    return entry


def test_a_received_submission_is_recorded_with_its_sender_and_address(submit):
    submission = submit()

    entry = _last("submission_received")
    assert (entry.username, entry.ip) == ("worker", "127.0.0.1")
    assert (entry.object_type, entry.object_id) == ("collect.submission", str(submission.pk))
    assert entry.changes["instance_id"] == submission.instance_id


def test_an_edit_is_recorded_with_the_version_it_replaces(submit, collect_client):
    original = submit()
    edit = sample(seed=3, deprecated_id=original.instance_id)
    post_submission(collect_client("worker"), edit.xml, sample_files(edit))

    assert _last("submission_edited").changes["replaces"] == original.instance_id


def test_a_state_change_and_a_comment_are_recorded(submit, users):
    submission = submit()

    submission_review(
        submission=submission, user=users["official"], state="has_issues", comment="缺照片"
    )
    submission_comment(submission=submission, user=users["worker"], body="明天补拍")

    state = _last("review_state")
    assert state.username == "official"
    assert state.changes == {"state": ["received", "has_issues"], "comment": "缺照片"}
    assert _last("review_comment").changes == {"comment": "明天补拍"}


def test_a_registry_save_is_recorded_with_old_and_new_values(registry):
    facility = SewageFacility.objects.get(code="ZQ-WS-001")
    facility.design_capacity = 35
    facility.save()

    entry = _last("registry_change")
    assert entry.object_id == str(facility.pk)
    assert entry.changes["design_capacity"][1] == 35


def test_an_admin_form_save_names_the_admin_and_their_address(registry, users, client):
    from registry.models import Contractor

    client.force_login(users["district"])
    response = client.post(
        "/admin/registry/contractor/add/",
        {"code": "YW-01", "name": "常州运维公司"},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    assert Contractor.objects.filter(code="YW-01").exists()
    entry = _last("registry_change")
    assert (entry.username, entry.ip) == ("district", "10.1.2.3")


def test_publishing_a_form_is_recorded(publish, users):
    publish("straw_utilization", user=users["official"])

    entry = _last("form_publish")
    assert entry.username == "official"
    assert entry.changes["form"] == "straw_utilization"


def test_role_and_village_changes_of_a_user_are_recorded(users, registry):
    worker = users["worker"]
    worker.role = "contractor"
    worker.save()
    worker.villages.clear()

    changes = [e.changes for e in AuditEntry.objects.filter(action="user_change")]
    assert {"role": ["village_worker", "contractor"]} in changes
    assert any("villages" in change for change in changes)


def test_a_password_change_is_recorded_without_the_hash(users):
    worker = users["worker"]
    worker.set_password("another-Pass-9")
    worker.save()

    entry = _last("user_change")
    assert entry.changes == {"password": "已修改"}


def test_a_failed_login_is_recorded_with_the_name_tried(users):
    Client(**basic("worker", "wrong")).get("/formList")

    entry = _last("login_failed")
    assert (entry.username, entry.user, entry.ip) == ("worker", None, "127.0.0.1")


def test_an_export_download_is_recorded(users, client):
    client.force_login(users["district"])
    response = client.get("/admin/audit/auditentry/export.csv")

    assert response.status_code == 200
    assert _last("export_download").username == "district"


def test_a_successful_login_is_not_noise(users):
    before = AuditEntry.objects.count()
    assert Client(**basic("worker", PASSWORD)).get("/formList").status_code == 200

    assert AuditEntry.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_a_registry_change_caused_by_a_submission_names_its_sender(inspection, collect_client):
    # Transactional: the registry follows the submission when its transaction commits,
    # which is then still inside the request, as in production.
    instance = sample(seed=0)
    response = post_submission(collect_client("worker"), instance.xml, sample_files(instance))
    assert response.status_code == 201

    facility = SewageFacility.objects.get(code="ZQ-WS-001")
    entries = AuditEntry.objects.filter(
        action="registry_change", object_type="registry.sewagefacility", object_id=str(facility.pk)
    )
    followed = [entry for entry in entries if "status" in entry.changes]
    assert followed
    assert {(entry.username, entry.ip) for entry in followed} == {("worker", "127.0.0.1")}
