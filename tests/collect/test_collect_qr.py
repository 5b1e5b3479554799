"""The QR code page: Collect's settings for this user; the password only when asked."""

import base64
import json
import zlib

from tests.collect.support import PASSWORD


def _decode(payload: str) -> dict:
    return json.loads(zlib.decompress(base64.b64decode(payload)))


def test_it_needs_a_login(db, client):
    response = client.get("/collect/qr/")

    assert response.status_code == 302
    assert response["Location"].startswith("/api-auth/login/?next=/collect/qr/")


def test_it_lets_a_village_worker_sign_in_and_see_the_page(users, client):
    signed_in = client.post(
        "/api-auth/login/?next=/collect/qr/",
        {"username": "worker", "password": PASSWORD, "next": "/collect/qr/"},
    )

    assert signed_in.status_code == 302
    assert client.get("/collect/qr/").status_code == 200


def test_it_shows_server_url_and_username_without_the_password(users, client):
    client.force_login(users["worker"])

    response = client.get("/collect/qr/")

    assert response.status_code == 200
    assert b"<svg" in response.content
    settings = _decode(response.context["payload"])
    assert settings["general"] == {"server_url": "http://testserver", "username": "worker"}
    assert settings["admin"] == {}
    assert settings["project"]["name"]


def test_it_adds_the_password_when_the_user_types_it_correctly(users, client):
    client.force_login(users["worker"])

    wrong = client.post("/collect/qr/", {"password": "nope"})
    right = client.post("/collect/qr/", {"password": PASSWORD})

    assert "password" not in _decode(wrong.context["payload"])["general"]
    assert "密码错误" in wrong.content.decode()
    assert _decode(right.context["payload"])["general"]["password"] == PASSWORD
