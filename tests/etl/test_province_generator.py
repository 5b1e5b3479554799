"""benchmarks/province.py at 1/500 of province scale (2 towns, 2,000 inspections): the data
it writes is what ingest stores and the whole pipeline accepts it, so the benchmark's
generator cannot rot. (1/100 takes a minute here: the generator is quick, tidying 12,000
submissions is not.)"""

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest
from django.contrib.auth import authenticate

from accounts.models import Role, User
from collect import openrosa
from collect.models import Form, Submission
from etl import indicators, pipeline, store
from forms.samples import sample_instance
from registry.models import NaturalVillage, SewageFacility, Town, WaterBody

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import province

pytestmark = pytest.mark.django_db

SCALE = 0.002


def test_the_generated_data_is_what_ingest_stores_and_the_pipeline_takes_it_all():
    """One test, one generation (about 2,400 submissions): counts and accounts, the shape of
    the answers, a full compute with no data-quality issue, an incremental publish."""
    generated = province.province_generate(scale=SCALE, seed=11)
    counts_and_accounts(generated)
    answers_shaped_as_ingested()
    pipeline_accepts_everything(generated)
    new_submissions_republish_their_town(generated)


def counts_and_accounts(generated) -> None:
    counts = province.Counts.at(SCALE)
    assert Town.objects.count() == counts.towns == 2
    assert NaturalVillage.objects.count() == counts.natural_villages == 300
    assert SewageFacility.objects.count() == counts.facilities == 200
    assert WaterBody.objects.count() == counts.water_bodies == 40
    assert generated.submissions["sewage_facility_inspection"] == counts.inspections == 2_000
    assert Submission.objects.count() == generated.total_submissions
    official = User.objects.get(username=f"town_{generated.town_codes[0]}")
    assert official.role == Role.TOWN_OFFICIAL and official.town.code == generated.town_codes[0]
    assert authenticate(username=official.username, password=province.PASSWORD) == official
    district = authenticate(username=province.DISTRICT_USERNAME, password=province.PASSWORD)
    assert district is not None and district.role == Role.DISTRICT_ADMIN


def answers_shaped_as_ingested() -> None:
    for form_id in province.FORM_IDS:
        version = Form.objects.get(form_id=form_id).current_version
        sample = sample_instance(form_id, seed=0)
        ingested = openrosa.instance_answers(
            openrosa.instance_parse(sample.xml), repeat_paths=version.repeat_paths
        )
        stored = Submission.objects.filter(form__form_id=form_id).first().answers
        assert set(stored) <= set(ingested) | {"burning_site"}, form_id
        assert stored["meta/instanceID"].startswith("uuid:")


def pipeline_accepts_everything(generated) -> None:
    result = pipeline.database_compute(
        as_of=dt.date(2025, 12, 31), periods=["2025"], targets={"FACILITY_OPERATION": 100}
    )
    assert result.tables.data_quality.empty
    assert len(result.tables.inspections) == 2_000
    town = town_rows(result)
    for code in indicators.INDICATORS:
        rows = town.loc[town["code"] == code]
        assert sorted(rows["area_code"]) == sorted(generated.town_codes)
        assert (rows["denominator"] > 0).all(), code
    operation = town.loc[town["code"] == "FACILITY_OPERATION", "value"]
    assert operation.between(60, 100).all()


def new_submissions_republish_their_town(generated) -> None:
    from indicators.models import IndicatorSnapshot, TidyBlock
    from indicators.services import indicators_publish, indicators_publish_changes

    as_of = dt.date(2025, 12, 31)
    indicators_publish(as_of=as_of, years=[2025], since=dt.date(2025, 12, 1))
    first, second = generated.town_codes[:2]

    def snapshot(town: str) -> IndicatorSnapshot:
        return IndicatorSnapshot.objects.get(
            code="FACILITY_OPERATION", level="town", area_code=town, period="2025-12"
        )

    before, untouched = snapshot(first), snapshot(second)
    province.inspections_add(count=20, town_codes=[first], when=dt.date(2025, 12, 20))
    assert indicators_publish_changes(as_of=as_of) is not None
    assert snapshot(first).numerator > before.numerator  # 16 of the 20 are normal
    assert snapshot(second).computed_at == untouched.computed_at
    # The changed town's column blocks wait (its rows were read from the lines); the
    # publisher's next pass with nothing new builds them.
    assert TidyBlock.objects.filter(town_code=first, data__isnull=True).exists()
    assert indicators_publish_changes(as_of=as_of) is None
    assert not TidyBlock.objects.filter(data__isnull=True).exists()
    assert store.refresh().tidied == 0


def town_rows(result) -> pd.DataFrame:
    frame = pd.concat([o.table for o in result.outputs.values()], ignore_index=True)
    return frame.loc[frame["level"] == "town"]
