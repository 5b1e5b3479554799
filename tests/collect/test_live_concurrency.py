"""Uniqueness under concurrency, through a real multi-process server: retries that arrive
at the same moment never make a second record, and only one of two rival edits wins."""

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.collect.support import DEMO_PASSWORD, live_publish, multipart, sample, sample_files

pytestmark = pytest.mark.slow

FORM_ID = "sewage_facility_inspection"
PARALLEL = 8


def _post_all_at_once(live, bodies: list[dict]) -> list[int]:
    barrier = threading.Barrier(len(bodies))

    def post(body: dict) -> int:
        with httpx.Client(
            base_url=live.url, auth=httpx.DigestAuth("worker", DEMO_PASSWORD), timeout=60
        ) as phone:
            assert phone.head("/submission").status_code == 204  # login done before the race
            barrier.wait(timeout=30)
            return phone.post("/submission", **body).status_code

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(post, bodies))


def _count(live, instance_id: str) -> int:
    with live.api() as api:
        params = {"instance_id": instance_id, "current": "all"}
        return api.get("/api/v1/submissions/", params=params).json()["count"]


def test_it_keeps_one_record_when_identical_retries_race(live):
    live_publish(live, FORM_ID)
    instance = sample(FORM_ID, seed=2)
    body = multipart(instance.xml, sample_files(instance))

    statuses = _post_all_at_once(live, [body] * PARALLEL)

    assert sorted(statuses) == [201] + [202] * (PARALLEL - 1)
    assert _count(live, instance.instance_id) == 1


def test_it_lets_only_one_of_two_rival_edits_win(live):
    live_publish(live, FORM_ID)
    original = sample(FORM_ID, seed=3)
    with httpx.Client(
        base_url=live.url, auth=httpx.DigestAuth("worker", DEMO_PASSWORD), timeout=30
    ) as phone:
        response = phone.post("/submission", **multipart(original.xml, sample_files(original)))
        assert response.status_code == 201
    edits = [sample(FORM_ID, seed=10 + i, deprecated_id=original.instance_id) for i in range(4)]

    statuses = _post_all_at_once(live, [multipart(e.xml, sample_files(e)) for e in edits])

    assert sorted(statuses) == [201, 409, 409, 409]
    with live.api() as api:
        rows = api.get("/api/v1/submissions/", params={"form": FORM_ID}).json()["results"]
    winners = [r for r in rows if r["replaces"] == original.instance_id]
    assert len(winners) == 1 and winners[0]["is_current"]
