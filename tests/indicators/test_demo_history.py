"""The demo's history: sent through the ingest code, a believable path from the 2020 baseline
toward the plan's 2025 targets with some villages and facilities lagging, routine work after
2025 up to the day it is loaded, and idempotent.

Loading the history takes a minute, so these tests read the session's demo database (built
once by ``load_demo``, see tests/demo_database.py) through a ``manage.py shell`` on a clone.
"""

import datetime as dt
import json
import re

import pytest

from collect.demo_history import demo_history_plan
from registry.demo import DEMO_SEED
from tests.demo_database import DEMO_UNTIL, PYTHON, REPO, manage_env, run

pytestmark = pytest.mark.slow

FACTS = """
import json
from django.db.models import Count
from collect.models import Submission
from indicators.models import IndicatorSnapshot
from registry.models import RegistryChange, WaterBody

snapshots = IndicatorSnapshot.objects.filter(level__in=["town", "admin_village"])
print(json.dumps({
    "town": {
        f"{s.code}/{s.period}": s.value
        for s in snapshots.filter(level="town", period__regex=r"^[0-9]{4}$")
    },
    "town_met": {
        f"{s.code}/{s.period}": s.met
        for s in snapshots.filter(level="town", period="2025")
    },
    "villages_behind": sorted(set(
        snapshots.filter(level="admin_village", period="2025", met=False)
        .values_list("code", flat=True)
    )),
    "submissions": Submission.objects.count(),
    "forms": Submission.objects.values("form__form_id").distinct().count(),
    "edits": Submission.objects.filter(replaces__isnull=False).count(),
    "changes_by_submissions": RegistryChange.objects.filter(submission__isnull=False).count(),
    "unconfirmed_water_bodies": WaterBody.objects.filter(is_confirmed=False).count(),
    "closed_water_bodies": WaterBody.objects.filter(stage="closed").count(),
}))
"""


def facts(database_url: str) -> dict:
    shell = [PYTHON, str(REPO / "server" / "manage.py"), "shell", "-c", FACTS]
    return json.loads(run(shell, manage_env(database_url)).strip().splitlines()[-1])


@pytest.fixture(scope="module")
def demo(demo_database):
    url, drop = demo_database.clone()
    yield url
    drop()


def test_the_history_moves_from_the_baseline_toward_the_targets(demo):
    found = facts(demo)
    town = found["town"]
    assert 2500 <= found["submissions"] <= 4000

    # From the 2020 baseline toward the 2025 targets.
    assert round(town["SEWAGE_COVERAGE/2020"], 1) == 70.2
    assert round(town["FACILITY_OPERATION/2020"], 1) == 92.0
    coverage = [town[f"SEWAGE_COVERAGE/{y}"] for y in range(2020, 2026)]
    assert coverage == sorted(coverage) and coverage[-1] >= 90
    for code in ("BLACK_WATER_ELIMINATION", "FILM_RECOVERY", "STRAW_UTILIZATION"):
        values = [town[f"{code}/{y}"] for y in range(2021, 2026)]
        assert values[-1] > values[0]
    assert found["town_met"]["FILM_RECOVERY/2025"] and found["town_met"]["STRAW_UTILIZATION/2025"]

    # Some facilities, water bodies and villages lag behind.
    assert 95 <= town["FACILITY_OPERATION/2025"] < 100
    assert town["BLACK_WATER_ELIMINATION/2025"] < 100
    assert {"SEWAGE_COVERAGE", "FILM_RECOVERY", "STRAW_UTILIZATION"} <= set(
        found["villages_behind"]
    )

    # Every form, a few edits, and the registry followed.
    assert found["forms"] == 5
    assert found["edits"] == 5
    assert found["changes_by_submissions"] > 0
    assert found["unconfirmed_water_bodies"] == 3
    assert found["closed_water_bodies"] >= 30


def test_a_second_load_finds_everything_stored(demo):
    before = facts(demo)
    output = run(
        [PYTHON, str(REPO / "server" / "manage.py"), "load_demo", "--until", DEMO_UNTIL],
        manage_env(demo),
        timeout=300,
    )
    added = re.search(r"新增 (\d+) 份，已存在 (\d+) 份，名录变更 (\d+) 项", output)
    assert added, output
    assert (int(added[1]), int(added[3])) == (0, 0)
    assert int(added[2]) == before["submissions"]
    after = facts(demo)
    assert after["submissions"] == before["submissions"]
    assert after["town"] == before["town"]


def _plan(until: dt.date) -> list[tuple]:
    plan = demo_history_plan(seed=DEMO_SEED, until=until)
    return [(p.key, p.instance_id, p.when, p.overrides) for p in plan]


@pytest.mark.django_db
def test_the_plan_is_deterministic(users):
    assert _plan(dt.date(2025, 12, 31)) == _plan(dt.date(2025, 12, 31))


@pytest.mark.django_db
def test_after_2025_the_routine_work_goes_on_up_to_the_day_of_loading(users):
    plan_2025 = _plan(dt.date(2025, 12, 31))
    later = _plan(dt.date(2026, 11, 30))
    # The plan's five years do not depend on the day; after them, nothing in the future.
    assert later[: len(plan_2025)] == plan_2025
    added = later[len(plan_2025) :]
    assert added and all(
        dt.date(2026, 1, 1) <= when <= dt.date(2026, 11, 30) for *_, when, _ in added
    )
    kinds = {key.split(":")[0] for key, *_ in added}
    assert kinds == {"inspection", "coverage", "film", "straw"}
    # Every in-service facility inspected in each quarter that has passed; Q4 only partly.
    inspections = [key for key, *_ in added if key.startswith("inspection:")]
    per_quarter = {q: sum(k.endswith(f"2026Q{q}") for k in inspections) for q in range(1, 5)}
    assert per_quarter[1] == per_quarter[2] == per_quarter[3] > 0
    assert 0 < per_quarter[4] < per_quarter[1]
    # The first half year's film report and the summer straw survey; not the year-end ones.
    assert {k.rsplit(":", 1)[-1] for k, *_ in added if k.startswith("film:")} == {"2026H1"}
    assert {k.rsplit(":", 1)[-1] for k, *_ in added if k.startswith("straw:")} == {
        "summer",
        "autumn",
    }
