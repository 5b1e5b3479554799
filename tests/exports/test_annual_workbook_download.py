"""GET /api/v1/exports/annual/?year=: the assessment workbook, as python -m etl export."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def download(client, year="2025"):
    response = client.get("/api/v1/exports/annual/", {"year": year})
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response, body


def test_the_workbook_summary_equals_the_indicator_api(published, users):
    client = client_for(users["official"])
    response, body = download(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(body), read_only=True)
    assert workbook.sheetnames[0] == "汇总"
    for sheet in ("设施台账", "黑臭水体台账", "农膜台账", "秸秆台账", "数据质量"):
        assert sheet in workbook.sheetnames
    rows = [
        [cell for cell in row]
        for row in workbook["汇总"].iter_rows(values_only=True)
        if any(cell is not None for cell in row)
    ]
    header_index = next(i for i, row in enumerate(rows) if "指标" in row and "目标值" in row)
    header = rows[header_index]
    for column in ("类别", "指标", "单位", "目标值", "现状值", "完成情况"):
        assert column in header
    summary = {
        row[header.index("指标")]: row
        for row in rows[header_index + 1 :]
        if row[header.index("指标")]
    }
    api = client.get("/api/v1/indicators/", {"period": "2025"}).json()["results"]
    assert len(api) == 5
    for indicator in api:
        row = summary[indicator["name_zh"]]
        value = row[header.index("现状值")]
        if indicator["value"] is None:
            assert value in (None, "", "无数据")
        else:
            assert value == pytest.approx(indicator["value"], abs=0.05)
        target = str(row[header.index("目标值")]).lstrip("≥").rstrip("%")
        assert float(target) == pytest.approx(indicator["target"])


def test_only_town_officials_and_district_admins_may_download(published, users):
    for username in ("worker", "contractor"):
        response, _ = download(client_for(users[username]))
        assert response.status_code == 403
        assert "镇级管理人员" in response.json()["detail"]
    assert Client().get("/api/v1/exports/annual/", {"year": "2025"}).status_code in (401, 403)
    response, _ = download(client_for(users["district"]))
    assert response.status_code == 200


@pytest.mark.parametrize("year", ["", "twenty", "2019", "2999"])
def test_a_bad_year_is_refused(published, users, year):
    response = client_for(users["official"]).get("/api/v1/exports/annual/", {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()
