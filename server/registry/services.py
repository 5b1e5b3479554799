"""The registry follows the field (issue 5 item 1).

After a submission is accepted or edited, the registry objects it is about are recomputed
from the submissions that count (current versions, not rejected), never patched:

- a facility's latest status, status date and fault list from its latest inspection
  (status by the §3.3 rubric, ``etl.tidy.inspection_status``);
- a natural village's sewage mode and households from its latest coverage survey;
- a water body's lifecycle stage from its observations (``etl.indicators.water_body_stages``:
  the form's finer stages mapped, a black-odorous post-remediation visit is a rebound);
  a new water body reported in the field is created unconfirmed.

With no counting submission left (an edit moved it elsewhere, a rejection), a field goes
back to its registered baseline. Every change is written to ``RegistryChange`` with the
submission that decided it. The rules are the ETL's, so the registry and the indicators
cannot disagree.
"""

import contextvars
import datetime as dt
import functools
import logging
import math
import re
from collections.abc import Iterable
from contextlib import contextmanager

import pandas as pd
from django.db import IntegrityError, transaction
from django.db.models import Q

from etl import extract, indicators, schemas, store, tidy
from registry.choices import WaterBodyKind, WaterBodyStage
from registry.models import (
    NaturalVillage,
    RegistryChange,
    RegistryObject,
    SewageFacility,
    WaterBody,
)
from registry.selectors import registry_baseline

logger = logging.getLogger(__name__)

FOLLOWED_FORMS = ["sewage_facility_inspection", "village_sewage_coverage", "black_odorous_water"]
NEW_WATER_BODY_PREFIX = "ZQ-HC-"
# Far enough ahead that every observation is before it (pandas' dates end in 2262).
_NO_CUTOFF = dt.date(2200, 1, 1)

_paused = contextvars.ContextVar("registry_following_paused", default=False)


@contextmanager
def registry_following_paused():
    """Within the block, accepted submissions do not update the registry one by one; the
    caller runs ``registry_state_recompute(everything=True)`` after a bulk load."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


@functools.cache
def _dictionary() -> pd.DataFrame:
    return extract.data_dictionary_read()


def _json(value):
    """A field value as stored in RegistryChange (dates as ISO strings)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _latest(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """The latest row per ``key``: latest date, then latest submitted (the ETL's order)."""
    if frame.empty:
        return frame.set_index(key)
    ordered = frame.sort_values(["recorded_on", "submitted_at", "instance_id"], kind="stable")
    return ordered.drop_duplicates(key, keep="last").set_index(key)


class _Writer:
    """Applies new field values to registry objects and records each change."""

    def __init__(self, cause) -> None:
        from collect.models import Submission

        self.cause = cause
        self.submission_model = Submission
        self.baseline = registry_baseline()
        self.changes: list[RegistryChange] = []
        self._submissions: dict[str, object] = {}

    def prefetch(self, instance_ids: Iterable[str]) -> None:
        ids = {i for i in instance_ids if isinstance(i, str)}
        rows = self.submission_model.objects.filter(instance_id__in=ids, is_current=True)
        rows = rows.only("pk", "instance_id", "submitted_by_id")
        self._submissions.update({s.instance_id: s for s in rows})

    def source(self, instance_id):
        if isinstance(instance_id, str) and instance_id in self._submissions:
            return self._submissions[instance_id]
        return self.cause

    def base(self, object_type: str, code: str, field: str, current):
        return self.baseline.get(object_type, {}).get(code, {}).get(field, current)

    def apply(self, obj, object_type: str, values: dict, submission) -> None:
        changed = []
        for field, new in values.items():
            old = getattr(obj, field)
            if _json(old) == _json(new):
                continue
            setattr(obj, field, new)
            changed.append(field)
            self.changes.append(
                RegistryChange(
                    object_type=object_type,
                    code=obj.code,
                    field=field,
                    old_value=_json(old),
                    new_value=_json(new),
                    submission=submission,
                    changed_by_id=getattr(submission, "submitted_by_id", None),
                )
            )
        if changed:
            obj.save(update_fields=changed)


def _facilities_recompute(writer: _Writer, facilities: list[SewageFacility], tables) -> None:
    inspections = tables.inspections
    latest = _latest(inspections, "facility_code")
    faults = tables.inspection_faults
    if not latest.empty:
        writer.prefetch(latest["instance_id"])
    for facility in facilities:
        kind = RegistryObject.FACILITY
        if facility.code in latest.index:
            row = latest.loc[facility.code]
            entries = faults.loc[faults["instance_id"] == row["instance_id"]]
            values = {
                "status": row["status"],
                "status_date": row["recorded_on"].date(),
                "faults": [
                    {"type": e.fault_type, "severity": e.fault_severity}
                    for e in entries.sort_values("entry").itertuples()
                ],
            }
            submission = writer.source(row["instance_id"])
        else:
            values = {
                field: writer.base(kind, facility.code, field, getattr(facility, field))
                for field in ("status", "status_date", "faults")
            }
            submission = writer.cause
        writer.apply(facility, kind, values, submission)


def _villages_recompute(writer: _Writer, villages: list[NaturalVillage], tables) -> None:
    latest = _latest(tables.coverage_surveys, "natural_village_code")
    if not latest.empty:
        writer.prefetch(latest["instance_id"])
    for village in villages:
        kind = RegistryObject.NATURAL_VILLAGE
        fields = ("sewage_mode", "households", "households_connected")
        base = {f: writer.base(kind, village.code, f, getattr(village, f)) for f in fields}
        if village.code in latest.index:
            row = latest.loc[village.code]
            households = row["households_total"]
            households = base["households"] if pd.isna(households) else int(households)
            connected = row["households_connected"]
            if pd.isna(connected):
                connected = 0 if row["sewage_mode"] == "none" else base["households_connected"]
            values = {
                "sewage_mode": row["sewage_mode"],
                "households": households,
                "households_connected": min(int(connected), households),
            }
            submission = writer.source(row["instance_id"])
        else:
            values, submission = base, writer.cause
        writer.apply(village, kind, values, submission)


def _water_bodies_recompute(writer: _Writer, bodies: list[WaterBody], tables) -> None:
    if not bodies:
        return
    kind = RegistryObject.WATER_BODY
    baseline = pd.DataFrame(
        [
            {
                "code": body.code,
                "name": body.name,
                "admin_village_code": body.admin_village.code,
                "natural_village_code": body.natural_village.code
                if body.natural_village_id
                else None,
                "stage": writer.base(kind, body.code, "stage", body.stage),
                "stage_date": writer.base(kind, body.code, "stage_date", body.stage_date),
                "is_confirmed": True,  # followed whether or not an official confirmed it
            }
            for body in bodies
        ]
    )
    baseline["stage_date"] = pd.to_datetime(baseline["stage_date"])
    states = indicators.water_body_stages(
        schemas.conform(schemas.WATER_BODIES, baseline),
        tables.water_observations,
        cutoff=_NO_CUTOFF,
    ).set_index("code")
    writer.prefetch(states["source_id"])
    for body in bodies:
        state = states.loc[body.code]
        stage_date = state["stage_date"]
        values = {
            "stage": state["stage"],
            "stage_date": None if pd.isna(stage_date) else pd.Timestamp(stage_date).date(),
        }
        writer.apply(body, kind, values, writer.source(state["source_id"]))


class WaterBodyConfirmError(Exception):
    """A confirmation the registry refuses; ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


def water_body_confirm(*, body: WaterBody, user) -> WaterBody:
    """A town official confirms a water body reported in the field (``is_confirmed``), so it
    enters the black-odorous list and the indicator; only officials of the body's town may.
    The save is audited by the audit app's registry receivers, like every registry edit."""
    from accounts.models import Role

    if not (user.is_authenticated and user.role == Role.TOWN_OFFICIAL):
        raise WaterBodyConfirmError("只有镇级管理人员可以确认新报告的水体", status=403)
    with transaction.atomic():
        body = WaterBody.objects.select_for_update().select_related("admin_village").get(pk=body.pk)
        if body.admin_village.town_id != user.town_id:
            raise WaterBodyConfirmError("只能确认本镇的水体", status=403)
        if body.is_confirmed:
            raise WaterBodyConfirmError(f"水体 {body.code} 已经确认，无需重复确认", status=409)
        body.is_confirmed = True
        body.save(update_fields=["is_confirmed"])
    return body


def _next_water_body_code() -> str:
    numbers = [
        int(match.group(1))
        for code in WaterBody.objects.filter(code__startswith=NEW_WATER_BODY_PREFIX).values_list(
            "code", flat=True
        )
        if (match := re.fullmatch(rf"{NEW_WATER_BODY_PREFIX}(\d+)", code))
    ]
    return f"{NEW_WATER_BODY_PREFIX}{max(numbers, default=0) + 1:03d}"


def _edit_chain(submission) -> list:
    chain = [submission]
    while chain[-1].replaces_id is not None:
        chain.append(chain[-1].replaces)
    return chain


def _number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def water_body_from_report(*, submission) -> WaterBody | None:
    """The water body a ``new`` black-odorous report created, creating it (unconfirmed,
    stage screened on the report's date) the first time. An edit of the report finds the
    body its earlier version created."""
    from collect.openrosa import answer_by_name

    answers = submission.answers or {}
    if (
        submission.form.form_id != "black_odorous_water"
        or answer_by_name(answers, "water_body_source") != "new"
        or submission.admin_village_id is None
    ):
        return None
    earlier = RegistryChange.objects.filter(
        field="created", submission__in=_edit_chain(submission)
    ).first()
    if earlier is not None:
        return WaterBody.objects.filter(code=earlier.code).first()
    name = answer_by_name(answers, "new_water_body_name") or "现场新报告水体"
    kind = answer_by_name(answers, "new_water_body_kind")
    recorded = answer_by_name(answers, "today")
    try:
        stage_date = dt.date.fromisoformat(recorded)
    except ValueError:
        stage_date = submission.received_at.date()
    location = answer_by_name(answers, "location").split()
    latitude = _number(location[0]) if len(location) >= 2 else None
    longitude = _number(location[1]) if len(location) >= 2 else None
    area = _number(answer_by_name(answers, "new_water_body_area_m2"))
    for _ in range(5):  # two reports at once may pick the same code; the second retries
        try:
            with transaction.atomic():
                body = WaterBody.objects.create(
                    code=_next_water_body_code(),
                    name=name[:100],
                    kind=kind if kind in WaterBodyKind.values else WaterBodyKind.OTHER,
                    admin_village_id=submission.admin_village_id,
                    natural_village_id=submission.natural_village_id,
                    area_m2=area,
                    stage=WaterBodyStage.SCREENED,
                    stage_date=stage_date,
                    is_confirmed=False,
                    latitude=latitude,
                    longitude=longitude,
                )
                RegistryChange.objects.create(
                    object_type=RegistryObject.WATER_BODY,
                    code=body.code,
                    field="created",
                    old_value=None,
                    new_value={"name": body.name, "kind": body.kind, "is_confirmed": False},
                    submission=submission,
                    changed_by_id=submission.submitted_by_id,
                )
            return body
        except IntegrityError:
            continue
    raise RuntimeError("could not allocate a water body code")


@transaction.atomic
def registry_state_recompute(
    *,
    facilities: Iterable[SewageFacility] = (),
    villages: Iterable[NaturalVillage] = (),
    water_bodies: Iterable[WaterBody] = (),
    everything: bool = False,
    cause=None,
) -> list[RegistryChange]:
    """Recompute the followed fields of these registry objects (or of all, ``everything``)
    from the submissions that count; ``cause`` is the submission that triggered it,
    recorded on changes no submission decided (a return to the baseline)."""
    if everything:
        from collect.models import Submission

        reports = Submission.objects.filter(
            form__form_id="black_odorous_water", is_current=True, water_body__isnull=True
        ).select_related("form", "replaces")
        for report in reports.order_by("pk"):
            water_body_from_report(submission=report)
        facilities = list(SewageFacility.objects.all())
        villages = list(NaturalVillage.objects.all())
        water_bodies = list(WaterBody.objects.select_related("admin_village", "natural_village"))
        where = Q(form__form_id__in=FOLLOWED_FORMS)
    else:
        facilities, villages, water_bodies = list(facilities), list(villages), list(water_bodies)
        where = Q(form__form_id="sewage_facility_inspection", facility__in=facilities)
        where |= Q(form__form_id="village_sewage_coverage", natural_village__in=villages)
        where |= Q(form__form_id="black_odorous_water", water_body__in=water_bodies)
    if not (facilities or villages or water_bodies):
        return []
    raw = extract.submissions_read(where=where)
    tables = tidy.tidy_submissions(raw, _dictionary(), store.judgements_read())
    writer = _Writer(cause)
    _facilities_recompute(writer, facilities, tables)
    _villages_recompute(writer, villages, tables)
    _water_bodies_recompute(writer, water_bodies, tables)
    RegistryChange.objects.bulk_create(writer.changes)
    return writer.changes


def registry_follow_submission(*, submission) -> list[RegistryChange]:
    """Bring the registry in line after ``submission`` was accepted or edited: the objects
    it and the version it replaced are about are recomputed. Does nothing while paused."""
    if _paused.get() or submission.form.form_id not in FOLLOWED_FORMS:
        return []
    versions = [submission] + ([submission.replaces] if submission.replaces_id else [])
    with transaction.atomic():
        created = water_body_from_report(submission=submission)
        return registry_state_recompute(
            facilities={v.facility for v in versions if v.facility_id},
            villages={v.natural_village for v in versions if v.natural_village_id},
            water_bodies={
                *(v.water_body for v in versions if v.water_body_id),
                *([created] if created else []),
            },
            cause=submission,
        )


def registry_follow_updates(*, since: dt.datetime) -> list[RegistryChange]:
    """Recompute the registry objects of the submissions updated after ``since``, current
    or not: a review decision (a rejection) changes what counts without a new submission."""
    from collect.models import Submission

    updated = Submission.objects.filter(form__form_id__in=FOLLOWED_FORMS, updated_at__gt=since)
    # New water bodies reported since (REGISTRY_FOLLOW=worker: no request created them).
    reports = updated.filter(
        form__form_id="black_odorous_water", is_current=True, water_body__isnull=True
    ).select_related("form", "replaces")
    created = [water_body_from_report(submission=report) for report in reports.order_by("pk")]
    return registry_state_recompute(
        facilities=SewageFacility.objects.filter(
            pk__in=updated.exclude(facility=None).values("facility_id")
        ),
        villages=NaturalVillage.objects.filter(
            pk__in=updated.exclude(natural_village=None).values("natural_village_id")
        ),
        water_bodies=WaterBody.objects.filter(
            Q(pk__in=updated.exclude(water_body=None).values("water_body_id"))
            | Q(pk__in=[body.pk for body in created if body is not None])
        ).select_related("admin_village", "natural_village"),
    )
