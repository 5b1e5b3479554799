"""A review decision reaches the published indicators through the indicator publisher
(`manage.py publish_indicators --watch`, which `make demo` and docker compose run): one pass
of the real watcher after a rejection publishes the value without the rejected inspection.
No clock is involved: the watcher's pauses are replaced (one publish, the rejection, one
more pass, stop)."""

import pytest
from django.core.management import call_command

from indicators.models import IndicatorSnapshot
from review.services import submission_review


class _Passes:
    """Stands in for time.sleep in the watcher: runs ``between`` at the first pause (after
    the first publish), stops the watcher at the next one (after it has handled that)."""

    def __init__(self, between):
        self.between = between
        self.pauses = 0

    def __call__(self, seconds: float) -> None:
        self.pauses += 1
        if self.pauses == 1:
            self.between()
        else:
            raise KeyboardInterrupt  # the watcher's own way to stop


def _watch_once_around(monkeypatch, between) -> None:
    from indicators.management.commands import publish_indicators

    passes = _Passes(between)
    monkeypatch.setattr(publish_indicators.time, "sleep", passes)
    call_command(
        "publish_indicators", "--watch", "--as-of", AS_OF, "--first-year", YEAR, "--settle", "1e9"
    )
    assert passes.pauses == 2


def _town(code: str) -> IndicatorSnapshot:
    return IndicatorSnapshot.objects.get(code=code, level="town", period=YEAR)


YEAR = "2026"  # the year of the sample inspections (forms.samples)
AS_OF = "2026-11-30"


@pytest.fixture
def normal_inspection(submit):
    """A 'normal' inspection of one of the two facilities in service."""
    return submit(seed=1)


def test_a_rejection_changes_the_published_value_after_one_pass_of_the_watcher(
    normal_inspection, users, monkeypatch
):
    values = []

    def reject():
        values.append(_town("FACILITY_OPERATION").numerator)
        submission_review(
            submission=normal_inspection, user=users["official"], state="rejected", comment="假照片"
        )

    _watch_once_around(monkeypatch, reject)

    assert values == [1]
    operation = _town("FACILITY_OPERATION")
    assert (operation.numerator, operation.denominator) == (0, 2)
