"""Synthetic field work for the demo, sent through the ingest code the OpenRosa endpoint uses
(``collect.services.submission_receive``), never written into tables directly: the plan's
five years (2021–2025) and, after them, the routine work of every later year up to the day
the demo is loaded, so the dashboard's current year has data whenever the demo runs.

From the 2020 baseline of the demo registry (registry.demo: coverage 139/198 = 70.2%,
operation 115/125 = 92%) the town moves toward the plan's 2025 targets, with a few villages
and facilities lagging behind:

- quarterly inspections of every in-service facility, normal more often each year; three
  facilities keep failing; a few inspections are corrected by an edit;
- coverage surveys as untreated natural villages get treatment (≈ 91% by 2025; the rest lag),
  and yearly re-checks of some treated ones;
- black-odorous water bodies move through works, completion, acceptance monitoring and
  closing; two rebound and are remediated again, three stay open; three new bodies are
  reported in the field (unconfirmed);
- half-yearly film reports and seasonal straw reports of every administrative village,
  recovery and utilisation rising toward 90% and 98%, two villages behind.

After 2025 the town holds the 2025 level: quarterly inspections (the same facilities lag),
yearly coverage re-checks with a few more villages treated, film and straw reports.

Everything follows from ``seed``: the same seed gives the same instance IDs, so a second run
finds them stored and sends nothing (a run on a later day sends only the newer work). The
years after 2025 draw from their own random sequence, so the 2021–2025 history is the same
whatever the day. The registry is recomputed once at the end rather than
after each submission.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile

from accounts.demo import WORKER_VILLAGES
from accounts.models import User
from collect.exceptions import DuplicateSubmission
from collect.models import Form, Submission
from collect.services import form_publish, submission_receive
from forms.build import FORM_IDS, FORMS_DIR
from forms.samples import attachment_files, sample_instance
from registry.models import NaturalVillage, SewageFacility, WaterBody
from registry.selectors import registry_baseline
from registry.services import registry_following_paused, registry_state_recompute

YEARS = range(2021, 2026)  # the plan's period
NAMESPACE = uuid.UUID("5b0c6f4e-2d1c-4f4b-9a55-3f0e2a1d7c11")
# Share of in-service facilities found normal at an inspection, per year (2020: 92%).
NORMAL_SHARE = {2021: 0.935, 2022: 0.95, 2023: 0.965, 2024: 0.975, 2025: 0.985}
# Untreated natural villages that get treatment each year (59 untreated in 2020; 18 lag).
NEWLY_TREATED = {2021: 6, 2022: 8, 2023: 9, 2024: 9, 2025: 9}
FILM_RATE = {2021: 0.82, 2022: 0.85, 2023: 0.88, 2024: 0.905, 2025: 0.925}
STRAW_RATE = {2021: 0.94, 2022: 0.953, 2023: 0.964, 2024: 0.975, 2025: 0.986}
LAGGING_FACILITIES = 3
LAGGING_VILLAGES = 2  # administrative villages behind on film and straw
REBOUNDS = 2
OPEN_WATER_BODIES = 3
NEW_REPORTS = [(2024, 5, 14), (2025, 4, 9), (2025, 8, 21)]
NEWLY_TREATED_LATER = 2  # untreated natural villages treated each year after 2025


@dataclass
class Planned:
    """One submission to send: what to fill in and who sends it."""

    form_id: str
    key: str
    username: str
    when: dt.date
    scenario_seed: int
    registry: dict[str, str]
    overrides: dict[str, Any]
    edit_of: str | None = None  # key of the submission this one corrects
    instance_id: str = field(default="")


@dataclass(frozen=True)
class HistoryResult:
    sent: int
    skipped: int
    registry_changes: int


def _instance_id(seed: int, key: str) -> str:
    return f"uuid:{uuid.uuid5(NAMESPACE, f'{seed}:{key}')}"


def _times(when: dt.date, rng: random.Random) -> dict[str, str]:
    start = dt.datetime.combine(when, dt.time(8, 30)) + dt.timedelta(minutes=rng.randrange(8 * 60))
    end = start + dt.timedelta(minutes=rng.randint(12, 40))
    zone = "+08:00"
    return {
        "start": start.isoformat(timespec="milliseconds") + zone,
        "end": end.isoformat(timespec="milliseconds") + zone,
        "today": when.isoformat(),
    }


def _day(rng: random.Random, year: int, month: int) -> dt.date:
    return dt.date(year, month, rng.randint(3, 26))


# --------------------------------------------------------------------------- inspections

_DEFECTIVE = {"checklist/screen_ok": "fail", "checklist/log_ok": "fail"}
_STOPPED_FAULT = [
    {
        "fault_type": "power",
        "fault_severity": "severe",
        "fault_photo": "",
        "fault_action": "已报修",
        "fault_fixed_on_site": "no",
    }
]


def _inspection_overrides(status: str, when: dt.date) -> tuple[int, dict[str, Any]]:
    """The sample scenario (seed % 3: 0 defective, 1 normal, 2 stopped) and overrides that
    make the answers say ``status``."""
    desludged = (when - dt.timedelta(days=120)).isoformat()
    common = {"checklist/last_desludging_date": desludged}
    if status == "normal":
        return 1, common
    if status == "defective":
        return 0, common
    return 2, common


def _inspections(
    rng, facilities, contractor_codes, plan: list[Planned], years: range, lagging=None, edits=5
) -> set[str]:
    """Quarterly inspections of every in-service facility in ``years``; the lagging
    facilities (drawn unless given), which the years after 2025 keep."""
    in_service = [f for f in facilities if f.in_service]
    # After 2025 each facility keeps its month in the quarter (a contractor's round), so the
    # days since the last inspection stay under the 90-day alert unless it lags.
    rounds = {f.code: rng.randint(1, 3) for f in in_service} if lagging is not None else {}
    if lagging is None:
        lagging = {f.code for f in rng.sample(in_service, LAGGING_FACILITIES)}
    for year in years:
        for quarter in range(4):
            for facility in in_service:
                month = rounds.get(facility.code) or rng.randint(1, 3)
                when = _day(rng, year, 3 * quarter + month)
                if facility.code in lagging:
                    status = rng.choice(["defective", "stopped", "defective", "normal"])
                    if quarter == 3:
                        status = rng.choice(["defective", "stopped"])
                elif rng.random() < NORMAL_SHARE.get(year, NORMAL_SHARE[YEARS[-1]]):
                    status = "normal"
                else:
                    status = rng.choice(["defective", "defective", "stopped"])
                scenario, overrides = _inspection_overrides(status, when)
                village = facility.natural_villages.all()[0]
                username = "contractor" if facility.code in contractor_codes else "official"
                plan.append(
                    Planned(
                        form_id="sewage_facility_inspection",
                        key=f"inspection:{facility.code}:{year}Q{quarter + 1}",
                        username=username,
                        when=when,
                        scenario_seed=scenario,
                        registry={
                            "admin_village": village.admin_village.code,
                            "natural_village": village.code,
                            "facility": facility.code,
                            "facility_process_type": facility.process_type,
                            "username": username,
                        },
                        overrides=overrides,
                    )
                )
    # A few inspections corrected afterwards: recorded as stopped, edited to normal.
    candidates = [p for p in plan if p.form_id == "sewage_facility_inspection"]
    for original in rng.sample(candidates, edits):
        _, overrides = _inspection_overrides("stopped", original.when)
        original.scenario_seed, original.overrides = 2, overrides
        plan.append(
            Planned(
                form_id=original.form_id,
                key=f"{original.key}:edit",
                username=original.username,
                when=original.when,
                scenario_seed=1,
                registry=original.registry,
                overrides=_inspection_overrides("normal", original.when)[1],
                edit_of=original.key,
            )
        )
    return lagging


# --------------------------------------------------------------------------- coverage


def _coverage(rng, villages, plan: list[Planned], years: range, untreated=None) -> list:
    """Coverage surveys of ``years``: villages getting treatment, in the order of
    ``untreated`` (drawn unless given), and re-checks; the villages still untreated."""
    counted = [v for v in villages if not v.is_planned_relocation]
    if untreated is None:
        untreated = [v for v in counted if v.sewage_mode == "none"]
        rng.shuffle(untreated)
    start = 0
    for year in years:
        treated_now = untreated[start : start + NEWLY_TREATED.get(year, NEWLY_TREATED_LATER)]
        start += len(treated_now)
        rechecked = rng.sample([v for v in counted if v.sewage_mode != "none"], 12)
        for village, mode in [
            *(
                (v, rng.choice(["sewer", "centralized", "centralized", "decentralized"]))
                for v in treated_now
            ),
            *((v, v.sewage_mode) for v in rechecked),
        ]:
            households = village.households
            connected = min(households, max(1, round(households * rng.uniform(0.85, 1.0))))
            username = "worker" if village.admin_village.code in WORKER_VILLAGES else "official"
            plan.append(
                Planned(
                    form_id="village_sewage_coverage",
                    key=f"coverage:{village.code}:{year}",
                    username=username,
                    when=_day(rng, year, rng.randint(6, 11)),
                    scenario_seed={"centralized": 0, "sewer": 1}.get(mode, 0),
                    registry={
                        "admin_village": village.admin_village.code,
                        "natural_village": village.code,
                        "username": username,
                    },
                    overrides={
                        "treatment_mode": mode,
                        "households_total": str(households),
                        "households_connected": str(connected),
                        "household_coverage": f"{connected / households:.3f}",
                        "facilities_serving": "",
                        "remarks": "",
                    },
                )
            )
    return untreated[start:]


# --------------------------------------------------------------------------- water bodies

_STEPS = ["works", "completed", "acceptance", "closed"]
_STAGE_INDEX = {"screened": -1, "works": 0, "completed": 1, "monitoring": 2}


def _water_visit(body, stage: str, when: dt.date, black: bool, key: str) -> Planned:
    """A visit ticking ``stage``; sample scenario 0 measures heavily black water, scenario 1
    clean water. Visits after completion are post-remediation monitoring, so a black one
    is a rebound."""
    purpose = "progress" if stage in ("works", "completed") else "post_monitoring"
    return Planned(
        form_id="black_odorous_water",
        key=key,
        username="official",
        when=when,
        scenario_seed=0 if black else 1,
        registry={
            "admin_village": body.admin_village.code,
            "natural_village": body.natural_village.code,
            "water_body": body.code,
            "water_body_kind": body.kind,
            "username": "official",
        },
        overrides={"purpose": purpose, "remediation/stage": stage},
    )


def _water(rng, bodies, plan: list[Planned]) -> None:
    bodies = list(bodies)
    open_codes = {b.code for b in rng.sample(bodies, OPEN_WATER_BODIES)}
    rebound_codes = {
        b.code for b in rng.sample([b for b in bodies if b.code not in open_codes], REBOUNDS)
    }
    for body in bodies:
        done = _STAGE_INDEX.get(body.stage, -1)
        steps = _STEPS[done + 1 :]
        if body.code in open_codes:
            steps = steps[: max(1, len(steps) - 2)]
        # Spread the remaining steps over 2021–2025, one visit at least half a year apart.
        months = sorted(rng.sample(range(0, 54), len(steps))) if steps else []
        when = None
        for n, (step, offset) in enumerate(zip(steps, months, strict=True)):
            when = dt.date(2021 + offset // 12, offset % 12 + 1, rng.randint(3, 26))
            black = step == "works"
            plan.append(_water_visit(body, step, when, black, f"water:{body.code}:{n}"))
        if body.code in rebound_codes and when is not None:
            # Monitoring after closing finds it black again; remediated and closed again.
            base = max(when, dt.date(2023, 1, 1))
            for n, (stage, black, days) in enumerate(
                [("maintenance", True, 90), ("works", True, 200), ("closed", False, 420)]
            ):
                visit = base + dt.timedelta(days=days)
                if visit.year > 2025:
                    visit = dt.date(2025, 11, 20 + n)
                plan.append(
                    _water_visit(body, stage, visit, black, f"water:{body.code}:rebound{n}")
                )
    for n, (year, month, day) in enumerate(NEW_REPORTS):
        body = rng.choice(bodies)
        plan.append(
            Planned(
                form_id="black_odorous_water",
                key=f"water:new:{n}",
                username="official",
                when=dt.date(year, month, day),
                scenario_seed=2,
                registry={
                    "admin_village": body.admin_village.code,
                    "natural_village": body.natural_village.code,
                    "username": "official",
                },
                overrides={
                    "new_water_body_name": f"{body.admin_village.name}演示新报告沟渠{n + 1}"
                },
            )
        )


# --------------------------------------------------------------------------- film, straw


def _film(rng, admins, lagging, plan: list[Planned], years: range, scales=None) -> dict:
    """Half-yearly film reports of ``years``; each village's farm size (drawn unless
    given)."""
    scales = dict(scales or {})
    for admin in admins:
        scale = scales[admin.code] if admin.code in scales else rng.uniform(0.6, 1.6)
        scales[admin.code] = scale
        for year in years:
            for half, (start, end, report_month) in enumerate(
                [((1, 1), (6, 30), 7), ((7, 1), (12, 31), 12)]
            ):
                rate = FILM_RATE.get(year, FILM_RATE[YEARS[-1]])
                rate -= 0.09 if admin.code in lagging else 0.0
                entries = []
                for film_type, base in (("mulch", 1200), ("greenhouse", 800)):
                    used = round(base * scale * rng.uniform(0.85, 1.15), 1)
                    recovered = round(used * min(1.0, rate + rng.uniform(-0.02, 0.02)), 1)
                    thin = film_type == "mulch" and rng.random() < 0.08
                    entries.append(
                        {
                            "film_type": film_type,
                            "film_used_kg": f"{used:g}",
                            "film_recovered_kg": f"{recovered:g}",
                            "recovered_over_used_confirmed": "",
                            "recovery_channel": "point trade_in",
                            "thickness_mm": ("0.008" if thin else "0.012")
                            if film_type == "mulch"
                            else "",
                            "thin_film": "yes" if thin else "no",
                            "thin_film_photo": "",
                            "film_recovery_rate": f"{recovered / used:.3f}",
                        }
                    )
                period_end = dt.date(year, *end)
                report_day = min(
                    dt.date(year, report_month, 28) if half == 0 else dt.date(year, 12, 31),
                    dt.date(year, 12, 31),
                )
                username = "worker" if admin.code in WORKER_VILLAGES else "official"
                plan.append(
                    Planned(
                        form_id="agri_film_recovery",
                        key=f"film:{admin.code}:{year}H{half + 1}",
                        username=username,
                        when=report_day,
                        scenario_seed=0,
                        registry={
                            "admin_village": admin.code,
                            "natural_village": f"{admin.code}001",
                            "username": username,
                        },
                        overrides={
                            "period_start": dt.date(year, *start).isoformat(),
                            "period_end": period_end.isoformat(),
                            "film": entries,
                            "meta/instanceName": f"{admin.name} {year}年{'上下'[half]}半年",
                        },
                    )
                )
    return scales


def _straw(rng, admins, lagging, plan: list[Planned], years: range, scales=None) -> dict:
    """Seasonal straw reports of ``years``; each village's farm size (drawn unless given)."""
    scales = dict(scales or {})
    for admin in admins:
        scale = scales[admin.code] if admin.code in scales else rng.uniform(0.5, 1.5)
        scales[admin.code] = scale
        for year in years:
            for scenario, season, month, base in (
                (0, "summer", 7, 576.0),
                (1, "autumn", 11, 1302.3),
            ):
                produced = round(base * scale * rng.uniform(0.9, 1.1), 1)
                collectable = produced * 0.8
                rate = STRAW_RATE.get(year, STRAW_RATE[YEARS[-1]])
                rate -= 0.025 if admin.code in lagging else 0.0
                used = collectable * min(1.0, rate + rng.uniform(-0.004, 0.004))
                uses = {
                    "direct_return_t": used * 0.62,
                    "fertilizer_household_t": 0,
                    "fertilizer_market_t": used * 0.1,
                    "feed_household_t": used * 0.03,
                    "feed_market_t": used * 0.08,
                    "fuel_household_t": used * 0.02,
                    "fuel_market_t": used * 0.08,
                    "substrate_household_t": 0,
                    "substrate_market_t": used * 0.04,
                    "material_household_t": 0,
                    "material_market_t": used * 0.03,
                    "exported_t": 0,
                    "imported_t": 0,
                }
                left = collectable - used
                burning = rng.random() < (0.25 if year <= 2022 else 0.06)
                overrides: dict[str, Any] = {
                    "survey_year": str(year),
                    "straw_produced_t": f"{produced:g}",
                    "uses": {k: f"{v:.1f}" for k, v in uses.items()},
                    "not_used": {
                        "burned_t": f"{left * 0.2:.1f}" if burning else "0",
                        "dumped_t": "0",
                        "unused_t": f"{left * (0.8 if burning else 1.0):.1f}",
                    },
                }
                if not burning:
                    overrides.update(open_burning_seen="no", burning_site=[])
                username = "worker" if admin.code in WORKER_VILLAGES else "official"
                plan.append(
                    Planned(
                        form_id="straw_utilization",
                        key=f"straw:{admin.code}:{year}:{season}",
                        username=username,
                        when=_day(rng, year, month),
                        scenario_seed=scenario,
                        registry={
                            "admin_village": admin.code,
                            "natural_village": f"{admin.code}001",
                            "username": username,
                        },
                        overrides=overrides,
                    )
                )
    return scales


# --------------------------------------------------------------------------- sending


def demo_forms_publish() -> list[str]:
    """Publish the five questionnaires of forms/ (unchanged versions are left alone)."""
    published = []
    for form_id in FORM_IDS:
        path = FORMS_DIR / f"{form_id}.xlsx"
        result = form_publish(xlsform_name=path.name, xlsform=path.read_bytes())
        published.append(f"{result.version.form.form_id} {result.version.version}")
    return published


def demo_history_plan(*, seed: int, until: dt.date) -> list[Planned]:
    """Every submission from 2021 to ``until`` (inclusive) for the demo registry in the
    database, in send order."""
    rng = random.Random(seed)
    facilities = list(
        SewageFacility.objects.prefetch_related("natural_villages__admin_village").order_by("code")
    )
    contractor = User.objects.filter(username="contractor").first()
    contractor_codes = (
        set(contractor.facilities.values_list("code", flat=True)) if contractor else set()
    )
    # Planned from the registered state, not from what earlier runs made the registry follow,
    # so a second run plans the same submissions.
    baseline = registry_baseline()
    villages = list(NaturalVillage.objects.select_related("admin_village").order_by("code"))
    for village in villages:
        for name, value in baseline.get("natural_village", {}).get(village.code, {}).items():
            setattr(village, name, value)
    bodies = WaterBody.objects.filter(is_confirmed=True, natural_village__isnull=False)
    bodies = list(bodies.select_related("admin_village", "natural_village").order_by("code"))
    for body in bodies:
        for name, value in baseline.get("water_body", {}).get(body.code, {}).items():
            setattr(body, name, value)
    admins = sorted({v.admin_village for v in villages}, key=lambda a: a.code)
    farming = [a for a in admins if a.kind != "community"] or admins
    lagging = {a.code for a in rng.sample(farming, LAGGING_VILLAGES)}
    plan: list[Planned] = []
    lagging_facilities = _inspections(rng, facilities, contractor_codes, plan, YEARS)
    untreated = _coverage(rng, villages, plan, YEARS)
    _water(rng, bodies, plan)
    film_scales = _film(rng, farming, lagging, plan, YEARS)
    straw_scales = _straw(rng, farming, lagging, plan, YEARS)
    later_years = range(YEARS.stop, until.year + 1)
    if later_years:  # their own sequence: the 2021–2025 plan does not depend on ``until``
        later = random.Random(seed + YEARS.stop)
        _inspections(
            later, facilities, contractor_codes, plan, later_years, lagging_facilities, edits=0
        )
        _coverage(later, villages, plan, later_years, untreated)
        _film(later, farming, lagging, plan, later_years, film_scales)
        _straw(later, farming, lagging, plan, later_years, straw_scales)
    plan = [p for p in plan if p.when <= until]
    for planned in plan:
        planned.instance_id = _instance_id(seed, planned.key)
    # Oldest first, as the phones would have sent them; an edit after what it corrects.
    plan.sort(key=lambda p: (p.when, p.edit_of is not None, p.key))
    return plan


def demo_history_load(
    *, seed: int, until: dt.date, progress: Callable[[int, int], None] | None = None
) -> HistoryResult:
    """Send the demo history up to ``until`` that is not stored yet, then recompute the
    registry once."""
    plan = demo_history_plan(seed=seed, until=until)
    stored = set(
        Submission.objects.filter(instance_id__in=[p.instance_id for p in plan]).values_list(
            "instance_id", flat=True
        )
    )
    users = {u.username: u for u in User.objects.filter(username__in={p.username for p in plan})}
    forms_open = set(Form.objects.filter(is_open=True).values_list("form_id", flat=True))
    by_key = {p.key: p for p in plan}
    rng = random.Random(seed + 1)
    sent = skipped = 0
    with registry_following_paused():
        for n, planned in enumerate(plan):
            times = _times(planned.when, rng)  # drawn for every row: same times on a rerun
            if planned.instance_id in stored or planned.form_id not in forms_open:
                skipped += 1
                continue
            sample = sample_instance(
                planned.form_id,
                seed=planned.scenario_seed + 6 * (n % 1000),
                overrides={**times, **planned.overrides},
                instance_id=planned.instance_id,
                deprecated_id=by_key[planned.edit_of].instance_id if planned.edit_of else None,
                registry=planned.registry,
            )
            files = {
                name: ContentFile(content, name=name)
                for name, content in attachment_files(sample).items()
            }
            try:
                submission_receive(
                    xml=sample.xml,
                    files=files,
                    user=users[planned.username],
                    device_id=f"collect:DEMO{seed % 10000:04d}",
                )
                sent += 1
            except DuplicateSubmission:
                skipped += 1
            if progress and (sent + skipped) % 250 == 0:
                progress(sent + skipped, len(plan))
    changes = registry_state_recompute(everything=True) if sent else []
    return HistoryResult(sent=sent, skipped=skipped, registry_changes=len(changes))
