"""The demo's 2021–2025 history: sent through the ingest code, a believable path from the
2020 baseline toward the plan's targets with some villages and facilities lagging, and
idempotent."""

import datetime as dt

import pytest

from collect.demo_history import demo_history_load, demo_history_plan
from collect.models import Submission
from indicators.models import IndicatorSnapshot
from indicators.services import indicators_publish
from registry.demo import DEMO_SEED
from registry.models import RegistryChange, WaterBody

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def town(code: str, period: str) -> IndicatorSnapshot:
    return IndicatorSnapshot.objects.get(code=code, level="town", period=period)


def test_the_history_moves_from_the_baseline_toward_the_targets_and_loads_once(users):
    result = demo_history_load(seed=DEMO_SEED)
    indicators_publish(as_of=dt.date(2025, 12, 31))
    assert 2500 <= result.sent <= 4000

    # From the 2020 baseline toward the 2025 targets.
    assert round(town("SEWAGE_COVERAGE", "2020").value, 1) == 70.2
    assert round(town("FACILITY_OPERATION", "2020").value, 1) == 92.0
    coverage = [town("SEWAGE_COVERAGE", str(y)).value for y in range(2020, 2026)]
    assert coverage == sorted(coverage) and coverage[-1] >= 90
    for code in ("BLACK_WATER_ELIMINATION", "FILM_RECOVERY", "STRAW_UTILIZATION"):
        values = [town(code, str(y)).value for y in range(2021, 2026)]
        assert values[-1] > values[0]
    assert town("FILM_RECOVERY", "2025").met and town("STRAW_UTILIZATION", "2025").met

    # Some facilities, water bodies and villages lag behind.
    assert 95 <= town("FACILITY_OPERATION", "2025").value < 100
    assert town("BLACK_WATER_ELIMINATION", "2025").value < 100
    behind = IndicatorSnapshot.objects.filter(level="admin_village", period="2025", met=False)
    for code in ("SEWAGE_COVERAGE", "FILM_RECOVERY", "STRAW_UTILIZATION"):
        assert behind.filter(code=code).exists()

    # Every form, a few edits, and the registry followed.
    assert len(set(Submission.objects.values_list("form__form_id", flat=True))) == 5
    assert Submission.objects.filter(replaces__isnull=False).count() == 5
    assert RegistryChange.objects.filter(submission__isnull=False).exists()
    assert WaterBody.objects.filter(is_confirmed=False).count() == 3
    assert WaterBody.objects.filter(stage="closed").count() >= 30

    # A second run finds everything stored.
    count = Submission.objects.count()
    again = demo_history_load(seed=DEMO_SEED)
    assert (again.sent, again.registry_changes) == (0, 0)
    assert Submission.objects.count() == count


def test_the_plan_is_deterministic(users):
    first = [(p.key, p.instance_id, p.when) for p in demo_history_plan(seed=DEMO_SEED)]
    second = [(p.key, p.instance_id, p.when) for p in demo_history_plan(seed=DEMO_SEED)]
    assert first == second
