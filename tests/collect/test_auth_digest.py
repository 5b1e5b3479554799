"""Logins Collect can do: Digest on plain HTTP, Basic only where allowed; 401 and 403."""

import time
from unittest import mock

from django.contrib.auth.signals import user_login_failed
from django.test import Client

from accounts.models import User
from collect.authentication import digest_nonce
from tests.collect.support import PASSWORD, basic, digest_authorization, digest_params, md5


def _digest_get(path: str, *, username: str, password: str, challenge: str | None = None):
    client = Client()
    if challenge is None:
        first = client.get(path)
        assert first.status_code == 401
        challenge = first["WWW-Authenticate"]
    header = digest_authorization(
        challenge, method="GET", uri=path, username=username, password=password
    )
    return client.get(path, HTTP_AUTHORIZATION=header)


def test_it_logs_in_with_digest_after_a_challenge(users):
    response = _digest_get("/formList?deviceID=collect:1", username="worker", password=PASSWORD)

    assert response.status_code == 200
    assert response["X-OpenRosa-Version"] == "1.0"


def test_it_challenges_with_digest_md5_qop_auth_and_opaque(users):
    response = Client().get("/formList")

    assert response.status_code == 401
    params = digest_params(response["WWW-Authenticate"])
    assert response["WWW-Authenticate"].startswith("Digest ")
    assert params["qop"] == "auth"
    assert params["algorithm"] == "MD5"
    assert params["opaque"] and params["nonce"] and params["realm"]
    assert "OpenRosaResponse" in response.content.decode()


def test_it_refuses_a_wrong_password_with_a_new_challenge(users):
    failures = []
    user_login_failed.connect(lambda **kw: failures.append(kw["credentials"]), weak=False)

    response = _digest_get("/formList", username="worker", password="wrong")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Digest ")
    assert {"username": "worker"} in failures


def test_it_marks_an_expired_nonce_stale_so_collect_retries_silently(users, settings):
    old = digest_nonce(now=time.time() - settings.OPENROSA_DIGEST_NONCE_SECONDS - 10)
    challenge = f'Digest realm="{settings.OPENROSA_DIGEST_REALM}", nonce="{old}", opaque="x"'
    from collect.authentication import digest_opaque

    challenge = challenge.replace('opaque="x"', f'opaque="{digest_opaque()}"')

    response = _digest_get("/formList", username="worker", password=PASSWORD, challenge=challenge)

    assert response.status_code == 401
    assert "stale=true" in response["WWW-Authenticate"]


def test_it_refuses_a_forged_nonce(users, settings):
    from collect.authentication import digest_opaque

    challenge = (
        f'Digest realm="{settings.OPENROSA_DIGEST_REALM}", nonce="{int(time.time())}.forged", '
        f'opaque="{digest_opaque()}"'
    )
    response = _digest_get("/formList", username="worker", password=PASSWORD, challenge=challenge)

    assert response.status_code == 401


def test_it_keeps_the_digest_ha1_in_step_with_the_password_and_never_the_password(users, settings):
    worker = User.objects.get(username="worker")
    worker.set_password("a-new-Pass-42")
    worker.save()
    worker.refresh_from_db()

    realm = settings.OPENROSA_DIGEST_REALM
    assert worker.digest_ha1 == md5(f"worker:{realm}:a-new-Pass-42".encode())
    assert "a-new-Pass-42" not in worker.password + worker.digest_ha1
    assert _digest_get("/formList", username="worker", password=PASSWORD).status_code == 401
    ok = _digest_get("/formList", username="worker", password="a-new-Pass-42")
    assert ok.status_code == 200

    worker.set_unusable_password()
    worker.save()
    assert User.objects.get(username="worker").digest_ha1 == ""


def test_it_accepts_basic_over_http_in_development(users):
    assert Client().get("/formList", **basic("worker")).status_code == 200


def test_it_refuses_basic_over_plain_http_in_production_settings(users, settings):
    settings.OPENROSA_BASIC_OVER_HTTP = False

    plain = Client().get("/formList", **basic("worker"))
    secure = Client().get("/formList", secure=True, **basic("worker"))

    assert plain.status_code == 401
    assert "Basic" not in plain["WWW-Authenticate"]
    assert plain["WWW-Authenticate"].startswith("Digest ")
    assert secure.status_code == 200


def test_it_sends_user_login_failed_for_a_wrong_basic_password(users):
    with mock.patch("django.contrib.auth.signals.user_login_failed.send") as sent:
        response = Client().get("/formList", **basic("worker", "wrong"))

    assert response.status_code == 401
    assert sent.called


def test_it_forbids_a_known_user_a_form_they_may_not_fill_with_403(inspection, users):
    from collect.models import Form

    form = Form.objects.get()
    form.fill_roles = ["district_admin"]
    form.save()

    response = Client().get(
        f"/forms/{form.form_id}/versions/{form.current_version_id}/form.xml", **basic("worker")
    )

    assert response.status_code == 403
    assert "权限" in response.content.decode()


# --- nonce counts (RFC 7616 §3.4.5): each (nonce, nc) is accepted once -------------------


def _challenge(client: Client, path: str) -> str:
    first = client.get(path)
    assert first.status_code == 401
    return first["WWW-Authenticate"]


def _get_with(client: Client, path: str, challenge: str, nc: int, password: str = PASSWORD):
    header = digest_authorization(
        challenge, method="GET", uri=path, username="worker", password=password, nc=nc
    )
    return client.get(path, HTTP_AUTHORIZATION=header)


def test_it_refuses_a_replayed_nonce_count_with_a_fresh_stale_challenge(users):
    client, path = Client(), "/formList?deviceID=collect:1"
    challenge = _challenge(client, path)

    assert _get_with(client, path, challenge, nc=1).status_code == 200
    replay = _get_with(client, path, challenge, nc=1)

    assert replay.status_code == 401
    assert "stale=true" in replay["WWW-Authenticate"]
    fresh = digest_params(replay["WWW-Authenticate"])["nonce"]
    assert fresh != digest_params(challenge)["nonce"]
    # The next count of the same nonce still works, and so does the fresh nonce.
    assert _get_with(client, path, challenge, nc=2).status_code == 200
    assert _get_with(client, path, replay["WWW-Authenticate"], nc=1).status_code == 200


def test_it_accepts_counts_arriving_out_of_order(users):
    # Collect may send several requests at once with one nonce; they can arrive in any order.
    client, path = Client(), "/formList"
    challenge = _challenge(client, path)

    assert [_get_with(client, path, challenge, nc=n).status_code for n in (3, 1, 2)] == [200] * 3
    assert _get_with(client, path, challenge, nc=3).status_code == 401


def test_it_gives_every_challenge_its_own_nonce(users):
    # Two phones challenged in the same second must not share a nonce, or their nc=1 collide.
    client = Client()
    nonces = {digest_params(_challenge(client, "/formList"))["nonce"] for _ in range(5)}

    assert len(nonces) == 5


def test_a_wrong_password_does_not_use_up_the_nonce_count(users):
    client, path = Client(), "/formList"
    challenge = _challenge(client, path)

    assert _get_with(client, path, challenge, nc=1, password="wrong").status_code == 401
    assert _get_with(client, path, challenge, nc=1).status_code == 200


def test_it_refuses_a_malformed_nonce_count(users):
    client, path = Client(), "/formList"
    challenge = _challenge(client, path)
    header = digest_authorization(
        challenge, method="GET", uri=path, username="worker", password=PASSWORD
    )

    for bad in ("nc=zz000001", "nc=00000000", "nc=1"):
        response = client.get(path, HTTP_AUTHORIZATION=header.replace("nc=00000001", bad))
        assert response.status_code == 401
        assert "stale=true" not in response["WWW-Authenticate"]


def test_it_treats_a_nonce_of_the_older_format_as_stale(users, settings):
    from collect.authentication import _sign, digest_opaque

    stamp = str(int(time.time()))
    challenge = (
        f'Digest realm="{settings.OPENROSA_DIGEST_REALM}", nonce="{stamp}.{_sign(stamp)}", '
        f'opaque="{digest_opaque()}"'
    )
    response = _digest_get("/formList", username="worker", password=PASSWORD, challenge=challenge)

    assert response.status_code == 401
    assert "stale=true" in response["WWW-Authenticate"]


def test_it_forgets_the_counts_of_expired_nonces(users, settings):
    import datetime as dt

    from django.utils import timezone

    from collect.authentication import nonce_uses_purge
    from collect.models import DigestNonceUse

    old = timezone.now() - dt.timedelta(seconds=settings.OPENROSA_DIGEST_NONCE_SECONDS + 600)
    DigestNonceUse.objects.create(nonce="old", nc=1, used_at=old)
    DigestNonceUse.objects.create(nonce="recent", nc=1, used_at=timezone.now())

    assert nonce_uses_purge(force=True) == 1
    assert list(DigestNonceUse.objects.values_list("nonce", flat=True)) == ["recent"]
