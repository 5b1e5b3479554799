"""GET /api/v1/exports/raw/: raw data per form, as python -m etl raw."""

import csv
import io
import json
import zipfile

import pytest
from django.test import Client
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(published, users):
    client = Client()
    client.force_login(users["official"])
    return client


def body(response) -> bytes:
    assert response.status_code == 200, getattr(response, "content", b"")[:300]
    return b"".join(response.streaming_content)


def test_xlsx_of_one_form_has_the_repeats_on_their_own_sheet(client):
    content = body(
        client.get("/api/v1/exports/raw/", {"form": "sewage_facility_inspection", "lang": "zh"})
    )
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    assert len(workbook.sheetnames) >= 2
    first = next(workbook[workbook.sheetnames[0]].iter_rows(values_only=True))
    assert any("设施" in str(cell) for cell in first)  # Chinese labels
    rows = list(workbook[workbook.sheetnames[0]].iter_rows(values_only=True))
    assert len(rows) == 1 + 8  # header + eight inspections


def test_csv_comes_as_a_zip_of_one_file_per_table(client):
    content = body(
        client.get(
            "/api/v1/exports/raw/",
            {"form": "agri_film_recovery", "format": "csv", "lang": "en"},
        )
    )
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    assert any(name.endswith(".csv") for name in names) and len(names) >= 2
    text = archive.read(sorted(names)[0]).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) >= 2


def test_geojson_of_every_form(client):
    collection = json.loads(body(client.get("/api/v1/exports/raw/", {"format": "geojson"})))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) >= 10


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"form": "nope"}, "form"),
        ({"form": "straw_utilization", "format": "pdf"}, "format"),
        ({"form": "straw_utilization", "lang": "fr"}, "lang"),
        ({"format": "csv"}, "form"),
    ],
)
def test_bad_parameters_are_refused(client, params, field):
    response = client.get("/api/v1/exports/raw/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_a_village_worker_may_not_export(published, users):
    client = Client()
    client.force_login(users["worker"])
    response = client.get("/api/v1/exports/raw/", {"form": "straw_utilization"})
    assert response.status_code == 403
