"""Helpers shared by the indicator, export and registry-following tests: the demo registry
with its accounts and the five real questionnaires, and a way to send a submission through
the same ingest code the OpenRosa endpoint uses."""

import datetime as dt
import uuid
from typing import Any

from django.test import TestCase

from accounts.demo import demo_users_write
from accounts.models import User
from collect.demo_history import demo_forms_publish
from collect.models import Submission
from collect.services import submission_receive
from forms.samples import sample_instance
from registry.demo import demo_registry_build, demo_registry_write
from registry.models import SewageFacility

# forms.samples scenarios (seed % 3): inspection 0 defective, 1 normal, 2 stopped;
# water 0 heavy black under works, 1 clean monitoring, 2 new report.
DEFECTIVE, NORMAL, STOPPED = 0, 1, 2
BLACK_WORKS, CLEAN_MONITORING, NEW_REPORT = 0, 1, 2
WORKER_VILLAGE = "320404116201"  # 杨庄村, one of the demo worker's villages
OTHER_VILLAGE = "320404116230"


def field_world() -> dict[str, User]:
    """The demo registry (2020 baseline), the demo accounts and the published forms."""
    town = demo_registry_write(demo_registry_build())
    users = {user.username: user for user in demo_users_write(town=town)}
    demo_forms_publish()
    return users


def times(when: dt.date) -> dict[str, str]:
    return {
        "today": when.isoformat(),
        "start": f"{when.isoformat()}T09:00:00.000+08:00",
        "end": f"{when.isoformat()}T09:20:00.000+08:00",
    }


def send(
    form_id: str,
    *,
    user: User,
    when: dt.date,
    registry: dict[str, str],
    scenario: int = 0,
    overrides: dict[str, Any] | None = None,
    instance_id: str | None = None,
    deprecated_id: str | None = None,
) -> Submission:
    """Receive one sample submission, running the on-commit hooks (the registry follows)."""
    sample = sample_instance(
        form_id,
        seed=scenario + 6 * (uuid.uuid4().int % 1000),
        overrides={**times(when), **(overrides or {})},
        instance_id=instance_id or str(uuid.uuid4()),
        deprecated_id=deprecated_id,
        registry=registry,
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        receipt = submission_receive(xml=sample.xml, files={}, user=user)
    return receipt.submission


def facility_registry(facility: SewageFacility) -> dict[str, str]:
    village = facility.natural_villages.order_by("code").first()
    return {
        "admin_village": village.admin_village.code,
        "natural_village": village.code,
        "facility": facility.code,
        "facility_process_type": facility.process_type,
    }


def inspect(facility: SewageFacility, *, user: User, when: dt.date, scenario: int, **kwargs):
    return send(
        "sewage_facility_inspection",
        user=user,
        when=when,
        registry=facility_registry(facility),
        scenario=scenario,
        **kwargs,
    )
