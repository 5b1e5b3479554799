"""indicators_publish, the targets table and manage.py publish_indicators."""

import datetime as dt

import pytest
from django.core.management import call_command

from indicators.models import IndicatorSnapshot, IndicatorTarget
from indicators.services import indicator_targets_load, indicators_publish
from tests.indicators.conftest import AS_OF

TOWN = "320404116"  # 邹区镇, the demo town

pytestmark = pytest.mark.django_db


def town(code: str, period: str = "2025") -> IndicatorSnapshot:
    return IndicatorSnapshot.objects.get(code=code, level="town", period=period)


def test_load_targets_seeds_once_and_keeps_edits(db):
    assert indicator_targets_load() == 5
    target = IndicatorTarget.objects.get(code="SEWAGE_COVERAGE")
    assert (target.target, target.comparison, target.deadline_year) == (90.0, "gte", 2025)
    assert target.name_zh == "农村生活污水治理自然村覆盖率" and target.source_note
    target.target = 70.0
    target.save()
    assert indicator_targets_load() == 0
    assert IndicatorTarget.objects.get(code="SEWAGE_COVERAGE").target == 70.0


def test_targets_come_from_the_table(published):
    assert town("SEWAGE_COVERAGE").met is False  # 140/198 = 70.7% < 90%
    IndicatorTarget.objects.filter(code="SEWAGE_COVERAGE").update(target=70.0)
    indicators_publish(as_of=AS_OF, first_year=2025)
    assert town("SEWAGE_COVERAGE").target == 70.0
    assert town("SEWAGE_COVERAGE").met is True


def test_publishing_again_rewrites_nothing_that_did_not_change(published):
    before = dict(IndicatorSnapshot.objects.values_list("pk", "content_hash"))
    summary = indicators_publish(as_of=AS_OF, first_year=2025)
    assert summary.snapshots == len(before)
    assert dict(IndicatorSnapshot.objects.values_list("pk", "content_hash")) == before


def test_a_partial_publish_keeps_the_other_years(published):
    indicators_publish(as_of=AS_OF, first_year=2024)
    assert IndicatorSnapshot.objects.filter(period="2024").exists()
    indicators_publish(as_of=AS_OF, years=[2025])
    assert IndicatorSnapshot.objects.filter(period="2024").exists()


def test_the_command_publishes_and_seeds_targets(field_data, capsys):
    call_command("publish_indicators", "--as-of", "2025-12-31", "--first-year", "2025")
    assert IndicatorTarget.objects.count() == 5
    assert town("FACILITY_OPERATION").as_of == dt.date(2025, 12, 31)
    assert "指标已发布" in capsys.readouterr().out


def test_the_command_publishes_one_town_and_refuses_unknown_ones(field_data, capsys):
    from django.core.management.base import CommandError

    from registry.models import Town

    other = Town.objects.create(code="320404117", name="演示镇")
    call_command(
        "publish_indicators", "--as-of", "2025-12-31", "--first-year", "2025", "--town", TOWN
    )
    assert set(IndicatorSnapshot.objects.values_list("town_code", flat=True)) == {TOWN}
    assert f"2025年起全部，{TOWN}" in capsys.readouterr().out
    with pytest.raises(CommandError, match="没有这些镇：320404199"):
        call_command("publish_indicators", "--town", other.code, "--town", "320404199")
    with pytest.raises(CommandError, match="--watch"):
        call_command("publish_indicators", "--town", TOWN, "--watch")


def test_the_etl_run_stores_the_snapshots_too(field_data, tmp_path):
    from etl.cli import main

    assert (
        main(
            [
                "run",
                "--as-of",
                "2025-12-31",
                "--first-year",
                "2025",
                "--quiet",
                "--out-dir",
                str(tmp_path),
            ]
        )
        == 0
    )
    assert town("SEWAGE_COVERAGE").numerator == 140
    assert (tmp_path / "indicator_results.csv").exists()
