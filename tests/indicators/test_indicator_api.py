"""GET /api/v1/indicators/: the published values, equal to what etl/ computes."""

import math

import pytest
from django.test import Client

from etl import extract, pipeline
from etl.targets import SEED_TARGETS
from tests.indicators.conftest import AS_OF

pytestmark = pytest.mark.django_db

CODES = list(SEED_TARGETS)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows(client, **params) -> list[dict]:
    response = client.get("/api/v1/indicators/", {"page_size": 1000, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def etl_results():
    result = pipeline.compute(
        raw=extract.submissions_read(),
        dictionary=extract.data_dictionary_read(),
        registry=extract.registry_read(),
        periods=pipeline.periods_until(AS_OF, 2025),
        targets=SEED_TARGETS,
        as_of=AS_OF,
    )
    return result.results


def same(a, b) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return b is not None and abs(a - b) < 1e-9


@pytest.mark.parametrize(
    ("level", "period"),
    [
        ("town", "2025"),
        ("town", "2025-Q3"),
        ("admin_village", "2025"),
        ("natural_village", "2025-09"),
    ],
)
def test_it_serves_the_values_the_etl_computes(published, users, level, period):
    expected = etl_results().query("level == @level and period == @period")
    served = rows(client_for(users["district"]), level=level, period=period)
    assert len(served) == len(expected) > 0
    by_key = {(r["code"], r["area_code"]): r for r in served}
    for row in expected.itertuples():
        got = by_key[(row.code, row.area_code)]
        assert same(got["value"], row.value)
        assert got["numerator"] == row.numerator
        assert got["denominator"] == row.denominator
        assert got["target"] == row.target
        assert got["met"] == row.met
        assert got["records_count"] == len(row.records)
        assert got["name_zh"] == row.name_zh and got["unit"] == "%"


def test_each_value_carries_a_link_to_its_records(published, users):
    town = rows(client_for(users["official"]), code="FACILITY_OPERATION", period="2025")
    assert len(town) == 1
    link = town[0]["records"]
    assert "/api/v1/indicators/FACILITY_OPERATION/records/?" in link
    assert "level=town" in link and "period=2025" in link and "area=320404116" in link


def test_a_stopped_facility_makes_the_town_miss_the_operation_target(published, users):
    (row,) = rows(client_for(users["official"]), code="FACILITY_OPERATION", period="2025-Q3")
    # Four inspected in Q3, one of them stopped; 121 in-service facilities not inspected.
    assert row["numerator"] == 3
    assert row["denominator"] == 125
    assert row["met"] is False
    assert row["details"]["by_status"] == {
        "normal": 3,
        "defective": 0,
        "stopped": 1,
        "uninspected": 121,
    }


def test_the_default_period_is_the_latest_year_with_data(published, users):
    served = rows(client_for(users["district"]))
    assert {r["period"] for r in served} == {"2025"}
    assert sorted(r["code"] for r in served) == sorted(CODES)


def test_the_village_filter_gives_the_village_and_its_natural_villages(published, users):
    client = client_for(users["district"])
    admin = rows(client, level="admin_village", period="2025", village="320404116201")
    assert {r["area_code"] for r in admin} == {"320404116201"}
    natural = rows(client, level="natural_village", period="2025", village="320404116201")
    assert natural and all(r["area_code"].startswith("320404116201") for r in natural)
