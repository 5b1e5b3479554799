"""The audit log is read by district administrators, filtered and exported, and changed by
nobody: no add, change or delete in the admin, no API."""

import csv
import io

import pytest

from audit.models import AuditEntry


@pytest.fixture
def entries(submit, users):
    submit()
    AuditEntry.objects.create(action="login_failed", username="someone", ip="10.9.9.9")
    return AuditEntry.objects.all()


def test_a_district_admin_reads_and_filters_the_log(entries, users, client):
    client.force_login(users["district"])

    response = client.get("/admin/audit/auditentry/", {"action": "login_failed"})

    assert response.status_code == 200
    assert "someone" in response.content.decode()


@pytest.mark.parametrize("username", ["official", "worker", "contractor"])
def test_nobody_else_sees_the_log(username, entries, users, client):
    client.force_login(users[username])

    assert client.get("/admin/audit/auditentry/").status_code in (302, 403)
    assert client.get("/admin/audit/auditentry/export.csv").status_code in (302, 403)


def test_not_even_a_superuser_adds_changes_or_deletes_entries(entries, users, client):
    client.force_login(users["district"])
    entry = entries.first()
    before = set(entries.values_list("pk", flat=True))

    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert client.post(
        f"/admin/audit/auditentry/{entry.pk}/change/", {"username": "x"}
    ).status_code in (403, 200)
    assert (
        client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    response = client.post(
        "/admin/audit/auditentry/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302, 403)

    entry.refresh_from_db()
    assert entry.username != "x"
    assert before <= set(AuditEntry.objects.values_list("pk", flat=True))


def test_the_csv_export_follows_the_filters(entries, users, client):
    client.force_login(users["district"])

    response = client.get("/admin/audit/auditentry/export.csv", {"action": "login_failed"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["时间", "用户名", "来源IP", "操作"]
    assert [row[1] for row in rows[1:]] == ["someone"]
    assert rows[1][3] == "登录失败"


def test_there_is_no_api_for_the_log(entries, users, client):
    client.force_login(users["district"])

    assert client.get("/api/v1/audit/").status_code == 404
    assert client.delete("/api/v1/audit/1/").status_code == 404
