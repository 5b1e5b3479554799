"""判定阈值: the black-odorous and banned-film limits live in an admin table (their sources
are unverified); editing one re-tidies the stored submissions, so indicators follow."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from support import CLEAN_MONITORING, send

from etl import store
from etl.judgements import SEED_JUDGEMENTS, WATER_DO_MGL, WATER_SD_CM
from indicators.models import JudgementThreshold
from indicators.thresholds import judgement_thresholds
from registry.models import WaterBody

pytestmark = pytest.mark.django_db


def test_the_migration_seeds_every_limit_and_load_targets_keeps_edits():
    assert judgement_thresholds() == SEED_JUDGEMENTS
    assert JudgementThreshold.objects.count() == len(SEED_JUDGEMENTS)
    JudgementThreshold.objects.filter(code=WATER_SD_CM).update(value=Decimal("30"))
    JudgementThreshold.objects.filter(code=WATER_DO_MGL).delete()
    call_command("load_targets", verbosity=0)
    assert judgement_thresholds() == {**SEED_JUDGEMENTS, WATER_SD_CM: 30.0}


@pytest.mark.parametrize(("code", "value"), [(WATER_SD_CM, "0"), (WATER_DO_MGL, "80")])
def test_an_implausible_limit_is_refused_with_a_reason(code, value):
    row = JudgementThreshold.objects.get(code=code)
    row.value = Decimal(value)
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert "应在" in str(refused.value)


def test_editing_a_limit_re_tidies_the_stored_submissions(users):
    body = WaterBody.objects.filter(is_confirmed=True).order_by("code").first()
    send(
        "black_odorous_water",
        user=users["official"],
        when=dt.date(2025, 8, 1),
        registry={
            "admin_village": body.admin_village.code,
            "natural_village": body.natural_village.code,
            "water_body": body.code,
            "water_body_kind": body.kind,
        },
        scenario=CLEAN_MONITORING,
    )
    store.refresh()
    assert store.tables_read().water_observations["rural_black"].tolist() == [False]
    assert not store.refresh().rebuilt  # nothing changed

    row = JudgementThreshold.objects.get(code=WATER_DO_MGL)
    row.value = Decimal("9.5")  # stricter than the clean sample's dissolved oxygen
    row.full_clean()
    row.save()
    changes = store.refresh()
    assert changes.rebuilt and changes.tidied == 1
    assert store.tables_read().water_observations["rural_black"].tolist() == [True]


def test_the_publisher_notices_an_edited_limit_and_republishes_everything(users):
    from indicators.selectors import data_fingerprint
    from indicators.services import indicator_targets_load, indicators_publish_changes

    indicator_targets_load()
    as_of = dt.date(2025, 12, 31)
    indicators_publish_changes(as_of=as_of, first_year=2025)
    assert indicators_publish_changes(as_of=as_of, first_year=2025) is None  # nothing new
    before = data_fingerprint()
    row = JudgementThreshold.objects.get(code=WATER_SD_CM)
    row.value = Decimal("30")
    row.save()
    assert data_fingerprint() != before
    summary = indicators_publish_changes(as_of=as_of, first_year=2025)
    assert summary is not None and summary.snapshots > 0
