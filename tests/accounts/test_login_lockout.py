"""Lock-out on every login path: five different failed attempts from one address lock that
user there for 15 minutes; the same wrong password resent (a phone's queue) counts once."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import LoginFailure, LoginLock
from audit.models import AuditEntry
from tests.collect.support import PASSWORD, basic, digest_authorization


def _web_login(path: str, username: str, password: str, ip: str = "10.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=ip)
    client.post(path, {"username": username, "password": password})
    return client


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _token(username: str, password: str, ip: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=ip).post(
        "/api/v1/auth/token/", {"username": username, "password": password}
    )


def _basic_form_list(username: str, password: str, ip: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=ip, **basic(username, password)).get("/formList")


def _digest_form_list(username: str, password: str, *, agent: str = "Collect/2024.3"):
    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_USER_AGENT=agent)
    path = "/formList?deviceID=collect:ABC"
    challenge = client.get(path)["WWW-Authenticate"]
    header = digest_authorization(
        challenge, method="GET", uri=path, username=username, password=password
    )
    return client.get(path, HTTP_AUTHORIZATION=header)


@pytest.mark.parametrize("path", ["/admin/login/", "/api-auth/login/"])
def test_web_logins_lock_after_five_different_wrong_passwords(path, users):
    for attempt in range(5):
        assert not _logged_in(_web_login(path, "official", f"wrong-{attempt}"))

    assert not _logged_in(_web_login(path, "official", PASSWORD))
    assert LoginLock.objects.filter(username="official", ip="10.0.0.1").exists()


@pytest.mark.parametrize("path", ["/admin/login/", "/api-auth/login/"])
def test_four_wrong_passwords_do_not_lock_and_a_success_forgets_them(path, users):
    for attempt in range(4):
        _web_login(path, "official", f"wrong-{attempt}")

    assert _logged_in(_web_login(path, "official", PASSWORD))
    assert not LoginFailure.objects.filter(username="official").exists()


def test_the_api_token_endpoint_locks_too(users):
    for attempt in range(5):
        assert _token("worker", f"wrong-{attempt}").status_code == 400

    assert _token("worker", PASSWORD).status_code == 400
    assert _token("worker", PASSWORD, ip="10.0.0.2").status_code == 200


def test_a_phone_resending_the_same_wrong_basic_password_is_not_locked(users):
    for _ in range(12):
        assert _basic_form_list("worker", "typo-Pass!").status_code == 401

    assert _basic_form_list("worker", PASSWORD).status_code == 200


def test_basic_locks_after_five_different_wrong_passwords_and_says_so(users):
    for attempt in range(5):
        _basic_form_list("worker", f"wrong-{attempt}")

    response = _basic_form_list("worker", PASSWORD)

    assert response.status_code == 401
    assert "锁定" in response.content.decode()


def test_a_phone_retrying_digest_with_a_wrong_password_is_not_locked(users):
    for _ in range(8):
        assert _digest_form_list("worker", "typo-Pass!").status_code == 401

    assert _digest_form_list("worker", PASSWORD).status_code == 200


def test_digest_locks_after_five_devices_fail(users):
    for device in range(5):
        _digest_form_list("worker", "wrong", agent=f"Collect/{device}")

    response = _digest_form_list("worker", PASSWORD)

    assert response.status_code == 401
    assert "锁定" in response.content.decode()


def test_digest_from_one_device_locks_after_twenty_failures(users):
    for _ in range(20):
        _digest_form_list("worker", "wrong")

    assert _digest_form_list("worker", PASSWORD).status_code == 401


def test_the_lock_is_per_address_and_ends_after_fifteen_minutes(users):
    for attempt in range(5):
        _basic_form_list("worker", f"wrong-{attempt}")
    assert _basic_form_list("worker", PASSWORD, ip="10.0.0.9").status_code == 200

    LoginLock.objects.update(until=timezone.now() - dt.timedelta(seconds=1))

    assert _basic_form_list("worker", PASSWORD).status_code == 200


def test_failures_older_than_the_window_do_not_count(users):
    for attempt in range(4):
        _basic_form_list("worker", f"wrong-{attempt}")
    LoginFailure.objects.update(at=timezone.now() - dt.timedelta(minutes=16))

    _basic_form_list("worker", "wrong-again")

    assert _basic_form_list("worker", PASSWORD).status_code == 200


def test_a_lock_out_is_in_the_audit_log(users):
    for attempt in range(5):
        _basic_form_list("worker", f"wrong-{attempt}")

    entry = AuditEntry.objects.get(action="locked_out")
    assert (entry.username, entry.ip) == ("worker", "10.0.0.1")
    assert AuditEntry.objects.filter(action="login_failed", username="worker").count() == 5


def test_an_administrator_lifts_a_lock_by_deleting_it(users, client):
    for attempt in range(5):
        _basic_form_list("worker", f"wrong-{attempt}")
    client.force_login(users["district"])
    lock = LoginLock.objects.get()

    response = client.post(f"/admin/accounts/loginlock/{lock.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert _basic_form_list("worker", PASSWORD).status_code == 200
