"""Bad query parameters answer 400 with a message saying what is expected, never 500."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(published, users):
    client = Client()
    client.force_login(users["district"])
    return client


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "county"}, "level"),
        ({"period": "2025-13"}, "period"),
        ({"period": "2025-Q5"}, "period"),
        ({"period": "last year"}, "period"),
        ({"code": "NOPE"}, "code"),
        ({"village": "abc"}, "village"),
        ({"village": "3204041162011"}, "village"),
    ],
)
def test_the_list_refuses_bad_parameters(client, params, field):
    response = client.get("/api/v1/indicators/", params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("code", "params", "field"),
    [
        ("NOPE", {}, "code"),
        ("SEWAGE_COVERAGE", {"level": "admin_village"}, "area"),
        ("SEWAGE_COVERAGE", {"area": "x"}, "area"),
        ("SEWAGE_COVERAGE", {"period": "2025/07"}, "period"),
    ],
)
def test_the_records_refuse_bad_parameters(client, code, params, field):
    response = client.get(f"/api/v1/indicators/{code}/records/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_an_unpublished_period_is_empty_not_an_error(client):
    assert client.get("/api/v1/indicators/", {"period": "2019"}).json()["results"] == []
    response = client.get("/api/v1/indicators/SEWAGE_COVERAGE/records/", {"period": "2019"})
    assert response.status_code == 404
