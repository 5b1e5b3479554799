"""Reading the server database: the demo registry's 2020 baseline and stored submissions."""

import datetime as dt

import pytest

from accounts.models import Role
from collect.models import Form, FormVersion, Submission
from etl import extract, indicators, pipeline, tidy
from etl.targets import SEED_TARGETS
from registry.demo import demo_registry_build, demo_registry_write

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_town(db):
    return demo_registry_write(demo_registry_build())


def town_value(output, period):
    results = output.results
    return results.loc[(results["level"] == "town") & (results["period"] == period), "value"].iloc[
        0
    ]


def test_the_demo_registry_reproduces_the_2020_baselines(demo_town):
    registry = extract.registry_read()
    result = pipeline.compute(
        raw=extract.submissions_read(),
        dictionary=extract.data_dictionary_read(),
        registry=registry,
        periods=["2020"],
        targets=SEED_TARGETS,
        as_of=dt.date(2020, 12, 31),
    )
    assert round(town_value(result.outputs["SEWAGE_COVERAGE"], "2020"), 1) == 70.2
    assert round(town_value(result.outputs["FACILITY_OPERATION"], "2020"), 1) == 92.0


def test_it_reads_current_submissions_with_their_answers(make_user):
    user = make_user("worker", Role.VILLAGE_WORKER)
    form = Form.objects.create(form_id="village_sewage_coverage", title="覆盖")
    version = FormVersion.objects.create(
        form=form, version="1", title="覆盖", xlsform="x.xlsx", xform="<x/>", xform_md5="0" * 32
    )
    answers = {"today": "2025-07-01", "natural_village": "320404116201001"}
    old = Submission.objects.create(
        form=form,
        form_version=version,
        instance_id="uuid:old",
        xml="<data/>",
        xml_md5="0" * 32,
        answers=answers,
        submitted_by=user,
        is_current=False,
    )
    Submission.objects.create(
        form=form,
        form_version=version,
        instance_id="uuid:new",
        xml="<data/>",
        xml_md5="0" * 32,
        answers=answers,
        submitted_by=user,
        replaces=old,
    )
    raw = extract.submissions_read()
    assert raw[["instance_id", "form_id", "form_version", "submitter"]].values.tolist() == [
        ["uuid:new", "village_sewage_coverage", "1", "worker"]
    ]
    assert raw["answers"].iloc[0] == answers
    assert len(extract.submissions_read(include_history=True)) == 2
    assert tidy.submissions_that_count(extract.submissions_read(include_history=True))[
        "instance_id"
    ].tolist() == ["uuid:new"]


def test_the_facility_ledger_names_every_in_service_facility(demo_town):
    registry = extract.registry_read()
    output = indicators.facility_operation(
        registry.facilities,
        tidy.tidy_submissions(
            extract.submissions_read(), extract.data_dictionary_read()
        ).inspections,
        periods=["2020"],
        targets=SEED_TARGETS,
        as_of=dt.date(2020, 12, 31),
    )
    assert output.results.query("level == 'town'")["denominator"].iloc[0] == 125


def test_the_export_command_writes_the_annual_workbook(demo_town, tmp_path):
    import openpyxl

    from etl.cli import main

    out = tmp_path / "annual.xlsx"
    assert main(["export", "--year", "2020", "--as-of", "2020-12-31", "--out", str(out)]) == 0
    summary = list(openpyxl.load_workbook(out, read_only=True)["汇总"].iter_rows(values_only=True))
    assert summary[4][1] == "农村生活污水治理自然村覆盖率"
    assert round(summary[4][4], 1) == 70.2


def test_the_raw_command_writes_geojson_and_workbooks(db, tmp_path):
    import json

    from etl.cli import main

    assert main(["raw", "--format", "geojson", "--out", str(tmp_path / "all.geojson")]) == 0
    assert json.loads((tmp_path / "all.geojson").read_text())["type"] == "FeatureCollection"
    assert main(["raw", "--form", "straw_utilization", "--out", str(tmp_path / "raw")]) == 0
    assert (tmp_path / "raw" / "straw_utilization.xlsx").exists()
