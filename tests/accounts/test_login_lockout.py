"""Lock-out on every login path: five different failed attempts from one address lock that
user there for 15 minutes, twenty from all addresses together lock the user everywhere; the
same wrong password resent (a phone's queue) counts once."""

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


def _digest_form_list(
    username: str, password: str, *, agent: str = "Collect/2024.3", ip: str = "10.0.0.1"
):
    client = Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)
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


# --- one username guessed from many addresses --------------------------------------------


def _basic_from(ip: str, password: str, username: str = "worker"):
    return _basic_form_list(username, password, ip=ip)


def _guess_from_many_addresses(count: int, username: str = "worker") -> None:
    """``count`` different wrong passwords, two from each address: no address reaches five."""
    for n in range(count):
        _basic_from(f"10.1.0.{n // 2}", f"guess-{n}", username)


def test_guesses_from_many_addresses_lock_the_username_everywhere(users):
    _guess_from_many_addresses(19)
    assert not LoginLock.objects.exists()
    assert _basic_from("10.9.9.9", PASSWORD).status_code == 200

    _guess_from_many_addresses(20)

    response = _basic_from("10.9.9.8", PASSWORD)
    assert response.status_code == 401
    assert "锁定" in response.content.decode()
    lock = LoginLock.objects.get()
    assert lock.all_addresses and lock.ip is None
    assert _basic_from("10.9.9.8", PASSWORD, username="official").status_code == 200


def test_the_lock_of_a_username_everywhere_is_audited_with_the_addresses(users):
    _guess_from_many_addresses(20)

    entry = AuditEntry.objects.get(action="locked_out")
    assert entry.username == "worker"
    assert entry.changes["scope"] == "所有地址"
    assert entry.changes["addresses"] == 10


def test_a_phone_repeating_one_wrong_password_while_changing_address_is_not_locked(users):
    for n in range(30):
        assert _basic_from(f"10.2.0.{n % 5}", "typo-Pass!").status_code == 401

    assert not LoginLock.objects.exists()
    assert _basic_from("10.2.0.1", PASSWORD).status_code == 200


def test_every_login_path_counts_towards_and_obeys_the_lock_everywhere(users):
    # Four paths, five different failures each, each from its own addresses.
    for n in range(5):
        _web_login("/admin/login/", "worker", f"web-{n}", ip=f"10.3.0.{n}")
        _token("worker", f"token-{n}", ip=f"10.3.1.{n}")
        _basic_from(f"10.3.2.{n}", f"basic-{n}")
        _digest_form_list("worker", "wrong", agent=f"Collect/{n}", ip=f"10.3.3.{n}")

    assert LoginLock.objects.get().all_addresses
    fresh = "10.4.0.1"
    assert not _logged_in(_web_login("/api-auth/login/", "worker", PASSWORD, ip=fresh))
    assert _token("worker", PASSWORD, ip=fresh).status_code == 400
    assert _basic_from(fresh, PASSWORD).status_code == 401
    assert _digest_form_list("worker", PASSWORD, ip=fresh).status_code == 401


def test_the_lock_everywhere_ends_after_fifteen_minutes(users):
    _guess_from_many_addresses(20)

    LoginLock.objects.update(until=timezone.now() - dt.timedelta(seconds=1))

    assert _basic_from("10.9.9.9", PASSWORD).status_code == 200


def test_lifting_a_lock_everywhere_forgets_its_failures(users, client):
    _guess_from_many_addresses(20)
    client.force_login(users["district"])
    lock = LoginLock.objects.get()

    client.post(f"/admin/accounts/loginlock/{lock.pk}/delete/", {"post": "yes"})
    _basic_from("10.1.0.0", "one-more-typo")

    assert not LoginLock.objects.exists()
    assert _basic_from("10.9.9.9", PASSWORD).status_code == 200


@pytest.mark.parametrize("path", ["/admin/login/", "/api-auth/login/"])
def test_a_locked_web_login_says_so(path, users):
    for attempt in range(5):
        _web_login(path, "official", f"wrong-{attempt}")

    response = Client(REMOTE_ADDR="10.0.0.1").post(
        path, {"username": "official", "password": PASSWORD}
    )

    assert "账号已临时锁定" in response.content.decode()


def test_a_locked_token_request_says_so(users):
    for attempt in range(5):
        _token("worker", f"wrong-{attempt}")

    response = _token("worker", PASSWORD)

    assert response.status_code == 400
    assert "账号已临时锁定" in str(response.json())
    assert "账号已临时锁定" not in str(_token("worker", "wrong", ip="10.0.0.2").json())


def test_a_phone_resending_one_wrong_basic_password_many_times_is_not_locked(users):
    for _ in range(25):
        assert _basic_form_list("worker", "typo-Pass!").status_code == 401

    assert not LoginLock.objects.exists()


def test_failures_older_than_the_window_are_dropped(users):
    _basic_form_list("worker", "old-typo")
    LoginFailure.objects.update(at=timezone.now() - dt.timedelta(minutes=16))

    _basic_form_list("worker", "new-typo")

    assert LoginFailure.objects.filter(username="worker").count() == 1


@pytest.mark.parametrize("ip", ["10.0.0.1", "2001:db8::1", None])
def test_the_digest_lookup_of_user_and_lock_agrees_with_login_locked(users, ip):
    # Digest asks for the user and the lock in one statement (login_user_and_lock); it must
    # answer as login_locked() and the user query do, for every kind of lock.
    from accounts.lockout import login_locked, login_user_and_lock
    from accounts.models import User

    now = timezone.now()
    past = now - dt.timedelta(minutes=1)
    future = now + dt.timedelta(minutes=10)
    cases = [
        ("worker", []),
        ("worker", [dict(ip=ip, until=future)]),
        ("worker", [dict(ip=ip, until=past)]),
        ("worker", [dict(ip="10.9.9.9", until=future)]),
        ("worker", [dict(ip=None, all_addresses=True, until=future)]),
        ("worker", [dict(ip=None, all_addresses=True, until=past)]),
        ("nobody", []),
        ("nobody", [dict(ip=ip, until=future)]),
        ("official", [dict(ip=ip, until=future, username="worker")]),
    ]
    for username, locks in cases:
        LoginLock.objects.all().delete()
        for lock in locks:
            LoginLock.objects.create(**{"username": username, **lock})

        user, locked = login_user_and_lock(username=username, ip=ip)

        assert locked == login_locked(username=username, ip=ip), (username, locks)
        assert user == User.objects.filter(username=username).first()
        if user is not None:
            assert (user.digest_ha1, user.is_active, user.role) == (
                users[username].digest_ha1,
                users[username].is_active,
                users[username].role,
            )
