"""API tokens: issued by the token endpoint, revoked by their owner or an administrator;
users come only from administrators."""

from django.test import Client
from rest_framework.authtoken.models import Token

from audit.models import AuditEntry
from tests.collect.support import PASSWORD


def _token(username: str) -> str:
    response = Client().post("/api/v1/auth/token/", {"username": username, "password": PASSWORD})
    assert response.status_code == 200
    return response.json()["token"]


def test_a_revoked_token_no_longer_opens_the_api(users):
    key = _token("worker")
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/submissions/").status_code == 200

    assert api.post("/api/v1/auth/token/revoke/").status_code == 204

    assert api.get("/api/v1/submissions/").status_code == 401
    assert AuditEntry.objects.filter(action="token_revoke", object_id=str(users["worker"].pk))


def test_a_new_token_after_revoking_is_a_different_one(users):
    first = _token("worker")
    Client(HTTP_AUTHORIZATION=f"Token {first}").post("/api/v1/auth/token/revoke/")

    assert _token("worker") != first


def test_a_district_admin_revokes_anyones_token_in_the_admin(users, client):
    _token("worker")
    client.force_login(users["district"])
    token = Token.objects.get(user=users["worker"])

    response = client.post(f"/admin/authtoken/tokenproxy/{token.user_id}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Token.objects.filter(user=users["worker"]).exists()


def test_nobody_signs_themselves_up(users):
    for path in ["/accounts/signup/", "/signup/", "/api/v1/users/", "/api-auth/signup/"]:
        assert Client().post(path, {"username": "new", "password": "x"}).status_code in (401, 404)


def test_a_town_official_cannot_create_users_in_the_admin(users, client):
    client.force_login(users["official"])

    assert client.get("/admin/accounts/user/add/").status_code == 403
