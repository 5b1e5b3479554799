"""Valid sample submissions for the five questionnaires, for server and ETL tests.

    from forms.samples import sample_instance, attachment_files

    sample = sample_instance("sewage_facility_inspection", seed=0)
    sample.xml            # bytes: <data id="sewage_facility_inspection" version="..."> ... </data>
    sample.instance_id    # "uuid:..." (also in meta/instanceID)
    sample.attachments    # ["photo_inlet-0.jpg", ...]: the file names the XML refers to
    attachment_files(sample)  # {name: tiny JPEG bytes} to post with the XML

The XML follows the built XForm's primary instance: same element order, repeats with
several entries, meta/instanceID, meta/instanceName. What each ``seed`` gives:

- ``seed`` picks one of a few realistic scenarios (``seed % 3``, or ``% 2`` for film and
  straw) and varies the instance ID, GPS point, times and attachment names. Scenario 0 of
  each form has a repeat with two or more entries and several photos.
- Calculated fields carry the values ODK's engine computes for the scenario's answers
  (tests check this with @getodk/xforms-engine).
- ``registry`` names the registry rows the sample refers to: keys ``admin_village``,
  ``natural_village``, ``facility``, ``water_body``, and optionally ``facility_process_type``
  and ``water_body_kind`` (what the form looks up in facilities.csv / water_bodies.csv; empty
  when you pass a facility or water body without them) and ``username``. Missing keys take
  :data:`DEFAULT_REGISTRY` values, except that an ``admin_village`` given without a
  ``natural_village`` gets natural village ``<admin_village>001``. Pass every code your test
  relies on: the defaults belong to 杨庄村 (320404116201).
- ``overrides`` replaces answers after the scenario is built. Keys are paths below the root,
  with or without ``/data/``: ``"checklist/power_ok"``, ``"/data/facility"``; a repeat's name
  (``"fault"``) takes a list of dicts, one per entry. Values are written verbatim and
  calculated fields are NOT recomputed, so overrides can make deliberately bad submissions.
- ``instance_id`` fixes meta/instanceID (``uuid:`` is added when missing);
  ``deprecated_id`` adds meta/deprecatedID, making the sample an edit of that instance.
"""

from __future__ import annotations

import copy
import random
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import Any

from lxml import etree

from forms.build import FORM_IDS, FORMS_DIR, build_form

XF = "{http://www.w3.org/2002/xforms}"
JR_TEMPLATE = "{http://openrosa.org/javarosa}template"
CHINA_TIME = timezone(timedelta(hours=8))

DEFAULT_REGISTRY: dict[str, str] = {
    "admin_village": "320404116201",
    "natural_village": "320404116201001",
    "facility": "ZQ-WS-001",
    "facility_process_type": "ao",
    "water_body": "ZQ-HC-001",
    "water_body_kind": "pond",
    "username": "demo_worker",
}

# A complete 1x1 pixel baseline JPEG (JFIF, 614 bytes), made once with jpeg-js; any
# decoder opens it.
TINY_JPEG: bytes = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb008400100b0c0e0c0a100e0d0e1211101318281a1816"
    "16183123251d283a333d3c3933383740485c4e404457453738506d51575f626768673e4d71797064785c6567"
    "63011112121815182f1a1a2f6342384263636363636363636363636363636363636363636363636363636363"
    "63636363636363636363636363636363636363636363ffc00011080001000103011100021101031101ffc401"
    "a20000010501010101010100000000000000000102030405060708090a0b1000020103030204030505040400"
    "00017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a1617"
    "18191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a73747576"
    "7778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6"
    "c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa0100030101010101010101"
    "010000000000000102030405060708090a0b1100020102040403040705040400010277000102031104052131"
    "061241510761711322328108144291a1b1c109233352f0156272d10a162434e125f11718191a262728292a35"
    "363738393a434445464748494a535455565758595a636465666768696a737475767778797a82838485868788"
    "898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7"
    "d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9faffda000c03010002110311003f0092bc63d63fffd9"
)


@dataclass(frozen=True)
class SampleInstance:
    """A submission's XML and what goes with it."""

    form_id: str
    version: str
    instance_id: str
    xml: bytes
    attachments: list[str] = field(default_factory=list)


def tiny_jpeg() -> bytes:
    """A valid, minimal JPEG to post as any photo attachment."""
    return TINY_JPEG


def attachment_files(sample: SampleInstance) -> dict[str, bytes]:
    """``{file name: JPEG bytes}`` for every attachment the sample names."""
    return {name: TINY_JPEG for name in sample.attachments}


@dataclass(frozen=True)
class _Template:
    version: str
    root: etree._Element
    repeats: frozenset[str]
    binary_paths: frozenset[str]


@cache
def _template(form_id: str) -> _Template:
    if form_id not in FORM_IDS:
        raise KeyError(f"unknown form_id {form_id!r}; expected one of {FORM_IDS}")
    built = build_form(FORMS_DIR / f"{form_id}.xlsx")
    doc = etree.fromstring(built.xml.encode("utf-8"))
    instance = doc.find(f".//{XF}model/{XF}instance")
    root = next(iter(instance))
    repeats = frozenset(r.get("nodeset") for r in doc.iter(f"{XF}repeat"))
    binary = frozenset(b.get("nodeset") for b in doc.iter(f"{XF}bind") if b.get("type") == "binary")
    return _Template(built.version, root, repeats, binary)


def _num(value: float) -> str:
    """Format a number the way XPath's string() does (1.0 -> "1", 0.25 -> "0.25")."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _xpath_round(value: float, digits: int) -> float:
    # XPath/ODK round() rounds half away from zero; Python's round() rounds half to even.
    factor = 10**digits
    scaled = abs(value) * factor
    rounded = int(scaled + 0.5) / factor
    return rounded if value >= 0 else -rounded


class _Context:
    """Seed-dependent values shared by every scenario."""

    def __init__(self, form_id: str, seed: int, registry: dict[str, str]) -> None:
        self.form_id = form_id
        self.seed = seed
        self.rng = random.Random(f"{form_id}:{seed}")
        self.registry = registry
        self.start = datetime(2026, 11, 20, 9, 0, tzinfo=CHINA_TIME) + timedelta(
            hours=seed % 240, minutes=self.rng.randrange(60)
        )
        self.attachments: list[str] = []

    def photo(self, name: str, index: int | None = None) -> str:
        suffix = f"-{index}" if index is not None else ""
        file_name = f"{name}-{self.seed}{suffix}.jpg"
        self.attachments.append(file_name)
        return file_name

    def geopoint(self) -> tuple[str, dict[str, str]]:
        """A point near the town centre, and the location_* calculates for it."""
        lat = 31.78 + self.rng.uniform(-0.05, 0.05)
        lon = 119.86 + self.rng.uniform(-0.06, 0.06)
        accuracy = self.rng.choice(["3.5", "4.8", "6.2", "8"])
        return f"{lat:.6f} {lon:.6f} {self.rng.randint(3, 12)} {accuracy}", {
            "accuracy": accuracy,
            "outside": "no",
        }

    def meta(self) -> dict[str, str]:
        return {
            "start": self.start.isoformat(timespec="milliseconds"),
            "end": (self.start + timedelta(minutes=17)).isoformat(timespec="milliseconds"),
            "today": self.start.date().isoformat(),
            "username": self.registry["username"],
            "deviceid": f"collect:SAMPLE{self.seed:06d}",
        }

    def located(self, name: str = "location") -> dict[str, str]:
        point, calcs = self.geopoint()
        return {
            name: point,
            f"{name}_accuracy_m": calcs["accuracy"],
            f"{name}_outside_town": calcs["outside"],
        }


# --------------------------------------------------------------------------------------------
# One function per form: the answers of a realistic submission, as nested dicts.
# --------------------------------------------------------------------------------------------


def _sewage_facility_inspection(ctx: _Context) -> dict[str, Any]:
    reg = ctx.registry
    scenario = ctx.seed % 3  # 0: defective with two faults, 1: normal, 2: stopped
    checklist = {
        "power_ok": "ok",
        "pumps_ok": "ok",
        "aeration_ok": "ok",
        "inflow_ok": "ok",
        "outflow_ok": "ok",
        "effluent_appearance": "clear",
        "no_overflow": "ok",
        "screen_ok": "ok",
        "sludge_ok": "ok",
        "last_desludging_date": "2026-06-15",
        "wetland_ok": "na",
        "signboard_ok": "ok",
        "fence_ok": "ok",
        "log_ok": "ok",
    }
    faults: list[dict[str, str]] = []
    if scenario == 0:
        checklist.update(screen_ok="fail", log_ok="fail", effluent_appearance="slightly_turbid")
        faults = [
            {
                "fault_type": "screen",
                "fault_severity": "minor",
                "fault_photo": ctx.photo("fault_photo", 1),
                "fault_action": "现场清理格栅栅渣",
                "fault_fixed_on_site": "yes",
            },
            {
                "fault_type": "no_log",
                "fault_severity": "minor",
                "fault_photo": ctx.photo("fault_photo", 2),
                "fault_action": "通知运维单位补记台账",
                "fault_fixed_on_site": "no",
            },
        ]
    elif scenario == 2:
        checklist.update(power_ok="fail", pumps_ok="fail", aeration_ok="fail", outflow_ok="fail")
        checklist.pop("effluent_appearance")
        faults = [
            {
                "fault_type": "power",
                "fault_severity": "severe",
                "fault_photo": ctx.photo("fault_photo", 1),
                "fault_action": "已报供电所抢修",
                "fault_fixed_on_site": "no",
            }
        ]
    core = sum(checklist.get(k) == "fail" for k in ("power_ok", "pumps_ok", "aeration_ok"))
    core += sum(checklist[k] == "fail" for k in ("inflow_ok", "outflow_ok", "no_overflow"))
    core += checklist["outflow_ok"] == "ok" and checklist.get("effluent_appearance") not in (
        "clear",
        "slightly_turbid",
    )
    aux = sum(
        checklist[k] == "fail"
        for k in ("screen_ok", "sludge_ok", "wetland_ok", "signboard_ok", "fence_ok", "log_ok")
    )
    severe = sum(f["fault_severity"] == "severe" for f in faults)
    status = "stopped" if core else ("defective" if aux or severe else "normal")
    readings = {"effluent_lab_result": "compliant", "field_readings_taken": "no"}
    if scenario == 1:
        readings = {
            "effluent_lab_result": "compliant",
            "field_readings_taken": "yes",
            "cod_mgl": "42.5",
            "nh3n_mgl": "3.1",
            "tp_mgl": "0.42",
            "ph": "7.2",
        }
    meta = ctx.meta()
    return {
        **meta,
        "admin_village": reg["admin_village"],
        "natural_village": reg["natural_village"],
        "facility": reg["facility"],
        "facility_process_type": reg.get("facility_process_type", ""),
        **ctx.located(),
        "photos": {
            "photo_inlet": ctx.photo("photo_inlet"),
            "photo_outlet": ctx.photo("photo_outlet"),
            "photo_equipment": ctx.photo("photo_equipment"),
        },
        "checklist": checklist,
        "readings": readings,
        "core_fail_count": str(core),
        "aux_fail_count": str(aux),
        "has_faults": "yes" if faults else "no",
        "fault": faults,
        "severe_fault_count": str(severe),
        "status_class": status,
        "overall_status": "normal" if status == "normal" else "abnormal",
        "meta": {"instanceName": f"{reg['facility']} {meta['today']}"},
    }


def _village_sewage_coverage(ctx: _Context) -> dict[str, Any]:
    reg = ctx.registry
    scenario = ctx.seed % 3  # 0: centralised facility, 1: town sewer, 2: not treated
    mode, total, connected = [("centralized", 86, 74), ("sewer", 120, 120), ("none", 40, None)][
        scenario
    ]
    answers: dict[str, Any] = {
        **ctx.meta(),
        "admin_village": reg["admin_village"],
        "natural_village": reg["natural_village"],
        "treatment_mode": mode,
        "households_total": str(total),
        "households_connected": "" if connected is None else str(connected),
        "household_coverage": "0" if mode == "none" else _num(_xpath_round(connected / total, 3)),
        "facilities_serving": reg["facility"] if mode == "centralized" else "",
        "om_mode": {"centralized": "third_party", "sewer": "urban_wwtp"}.get(mode, ""),
        **ctx.located(),
        "photo_village": ctx.photo("photo_village"),
        "remarks": "样例数据" if scenario == 0 else "",
    }
    answers["meta"] = {"instanceName": f"{reg['natural_village']} {answers['today']}"}
    return answers


def _point_classes(depth: float, sd: float, clear: bool, do: float, nh3n: float, orp):
    light = _xpath_round(0.4 * depth, 2) if depth < 25 else 25
    heavy = _xpath_round(0.4 * light, 2)
    sd_class = 0 if clear or sd >= depth else (2 if sd < heavy else (1 if sd < light else 0))
    do_class = 2 if do < 0.2 else (1 if do < 2 else 0)
    nh3n_class = 2 if nh3n > 15 else (1 if nh3n >= 8 else 0)
    orp_class = 0 if orp is None else (2 if orp < -200 else (1 if orp < 50 else 0))
    classes = (sd_class, do_class, nh3n_class, orp_class)
    point = 2 if 2 in classes else (1 if 1 in classes else 0)
    rural = sd_class > 0 or do_class > 0 or nh3n_class == 2
    return {
        "water_depth_cm": _num(depth),
        "transparency_cm": _num(sd),
        "clear_to_bottom": "yes" if clear else "no",
        "do_mgl": _num(do),
        "nh3n_mgl": _num(nh3n),
        "orp_mv": "" if orp is None else _num(orp),
        "sd_light_limit_cm": _num(light),
        "sd_heavy_limit_cm": _num(heavy),
        "sd_class": str(sd_class),
        "do_class": str(do_class),
        "nh3n_class": str(nh3n_class),
        "orp_class": str(orp_class),
        "point_class_num": str(point),
        "point_rural_black": "yes" if rural else "no",
    }


def _black_odorous_water(ctx: _Context) -> dict[str, Any]:
    reg = ctx.registry
    scenario = ctx.seed % 3  # 0: heavy, under works; 1: not black, monitoring; 2: light, new
    body: dict[str, str] = {
        "water_body_source": "existing",
        "water_body": reg["water_body"],
        "water_body_kind_registered": reg.get("water_body_kind", ""),
    }
    remediation: dict[str, str] = {}
    if scenario == 0:
        purpose = "progress"
        sensory = {"colour": "black", "odour": "strong", "floating_garbage": "yes"}
        causes = "sewage garbage"
        points = [
            _point_classes(50, 8, False, 0.1, 18.2, -250),
            _point_classes(100, 30, False, 2.5, 3, 100),
            _point_classes(20, 5, False, 1.8, 9, None),
        ]
        remediation = {
            "stage": "works",
            "measures": "intercept dredge other",
            "measures_other": "临时围隔",
            "residents_surveyed": "10",
            "residents_satisfied": "4",
            "satisfaction_rate": "0.4",
        }
    elif scenario == 1:
        purpose = "post_monitoring"
        sensory = {"colour": "normal", "odour": "none", "floating_garbage": "no"}
        causes = ""
        points = [
            _point_classes(80, 45, False, 6.5, 0.8, 150),
            _point_classes(20, 20, True, 5.2, 1.2, None),
        ]
        remediation = {
            "stage": "maintenance",
            "measures": "intercept dredge eco_restore",
            "residents_surveyed": "20",
            "residents_satisfied": "19",
            "satisfaction_rate": "0.95",
        }
    else:
        purpose = "screening"
        body = {
            "water_body_source": "new",
            "new_water_body_name": "样例新发现沟渠",
            "new_water_body_kind": "ditch",
            "new_water_body_area_m2": "350",
        }
        sensory = {"colour": "grey", "odour": "slight", "floating_garbage": "no"}
        causes = "stagnant farmland"
        points = [
            _point_classes(60, 18, False, 1.5, 9.5, 20),
            _point_classes(15, 5, False, 3, 2, None),
        ]
    sensory["villager_complaint"] = "yes" if scenario != 1 else "no"
    worst = max(int(p["point_class_num"]) for p in points)
    meta = ctx.meta()
    name = body.get("water_body") or body["new_water_body_name"]
    return {
        **meta,
        "admin_village": reg["admin_village"],
        "natural_village": reg["natural_village"],
        **body,
        "purpose": purpose,
        **ctx.located(),
        "sensory": sensory,
        "causes": causes,
        "measured": "yes",
        "sample_point": points,
        "bo_class_num": str(worst),
        "bo_class": ["not_black", "light", "heavy"][worst],
        "rural_black": "yes" if any(p["point_rural_black"] == "yes" for p in points) else "no",
        "remediation": remediation,
        "photos": {
            "photo_overview": ctx.photo("photo_overview"),
            "photo_detail": ctx.photo("photo_detail") if scenario != 1 else "",
        },
        "meta": {"instanceName": f"{name} {meta['today']}"},
    }


def _agri_film_recovery(ctx: _Context) -> dict[str, Any]:
    reg = ctx.registry
    scenario = ctx.seed % 2  # 0: two film types, recovered > used confirmed; 1: thin film found
    if scenario == 0:
        films = [("mulch", 1200, 1100, 0.012), ("greenhouse", 800, 820, None)]
    else:
        films = [("mulch", 950.5, 870, 0.008), ("biodeg", 300, 0, None)]
    entries = []
    for index, (film_type, used, recovered, thickness) in enumerate(films, start=1):
        thin = thickness is not None and thickness < 0.010
        entries.append(
            {
                "film_type": film_type,
                "film_used_kg": _num(used),
                "film_recovered_kg": _num(recovered),
                "recovered_over_used_confirmed": "yes" if recovered > used else "",
                "recovery_channel": "point trade_in" if recovered > 0 else "",
                "thickness_mm": "" if thickness is None else _num(thickness),
                "thin_film": "yes" if thin else "no",
                "thin_film_photo": ctx.photo("thin_film_photo", index) if thin else "",
                "film_recovery_rate": _num(_xpath_round(recovered / used, 3)),
            }
        )
    used_total = sum(f[1] for f in films)
    recovered_total = sum(f[2] for f in films)
    meta = ctx.meta()
    answers = {
        **meta,
        "admin_village": reg["admin_village"],
        "natural_village": reg["natural_village"] if scenario == 0 else "",
        "site_type": "village" if scenario == 0 else "point",
        "collection_point_name": "" if scenario == 0 else "杨庄村农膜回收网点",
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "film": entries,
        "film_used_total_kg": _num(used_total),
        "film_recovered_total_kg": _num(recovered_total),
        "recovery_rate": _num(_xpath_round(recovered_total / used_total, 3)),
        "thin_film_found": "yes" if any(e["thin_film"] == "yes" for e in entries) else "no",
        "pesticide": {"pesticide_pack_pieces": "1530", "pesticide_pack_kg": "86.4"},
        "photo_weigh_slip": ctx.photo("photo_weigh_slip"),
        **ctx.located(),
    }
    answers["meta"] = {"instanceName": f"{reg['admin_village']} 2026-01-01~2026-06-30"}
    return answers


def _straw_utilization(ctx: _Context) -> dict[str, Any]:
    reg = ctx.registry
    scenario = ctx.seed % 2  # 0: wheat with two burning sites; 1: rice, no burning
    if scenario == 0:
        season, crop, area, crop_yield, ratio = "summer", "wheat", 1200, 400, 1.2
        uses = {
            "direct_return_t": 300,
            "fertilizer_household_t": 10,
            "fertilizer_market_t": 20,
            "feed_household_t": 5,
            "feed_market_t": 40,
            "fuel_household_t": 8,
            "fuel_market_t": 30,
            "substrate_household_t": 0,
            "substrate_market_t": 12,
            "material_household_t": 0,
            "material_market_t": 15,
            "exported_t": 10,
            "imported_t": 0,
        }
        not_used = {"burned_t": 2, "dumped_t": 0, "unused_t": 4}
    else:
        season, crop, area, crop_yield, ratio = "autumn", "middle_rice", 2100.5, 620, 1.0
        uses = {
            "direct_return_t": 900,
            "fertilizer_household_t": 0,
            "fertilizer_market_t": 60,
            "feed_household_t": 0,
            "feed_market_t": 25,
            "fuel_household_t": 0,
            "fuel_market_t": 0,
            "substrate_household_t": 10,
            "substrate_market_t": 30,
            "material_household_t": 0,
            "material_market_t": 0,
            "exported_t": 0,
            "imported_t": 5,
        }
        not_used = {"burned_t": 0, "dumped_t": 0, "unused_t": 6}
    grain = _xpath_round(area * crop_yield / 1000, 3)
    produced = _xpath_round(area * crop_yield / 1000 * ratio, 3)
    estimate = _xpath_round(grain * ratio, 3)
    coefficient = 0.8
    collectable = _xpath_round(produced * coefficient, 3)
    utilised = _xpath_round(
        sum(v for k, v in uses.items() if k != "imported_t") - uses["imported_t"], 3
    )
    sites = []
    if scenario == 0:
        for index in (1, 2):
            sites.append(
                {
                    **ctx.located("burning_location"),
                    "burning_photo": ctx.photo("burning_photo", index),
                    "burning_area_mu": _num(1.5 * index),
                }
            )
            # Calculates exist only at the top level; drop the per-site ones.
            sites[-1].pop("burning_location_accuracy_m")
            sites[-1].pop("burning_location_outside_town")
    meta = ctx.meta()
    answers = {
        **meta,
        "admin_village": reg["admin_village"],
        "natural_village": reg["natural_village"],
        "survey_year": "2026",
        "season": season,
        "crop": crop,
        "sown_area_mu": _num(area),
        "yield_kg_per_mu": _num(crop_yield),
        "grain_output_t": _num(grain),
        "straw_grain_ratio": _num(ratio),
        "straw_produced_estimate_t": _num(estimate),
        "straw_produced_t": _num(produced),
        "collection_coefficient": _num(coefficient),
        "collectable_t": _num(collectable),
        "uses": {k: _num(v) for k, v in uses.items()},
        "not_used": {k: _num(v) for k, v in not_used.items()},
        "utilised_t": _num(utilised),
        "utilisation_rate": _num(_xpath_round(utilised / collectable, 4)),
        "offfield_buyer": "常州市样例秸秆收储中心",
        "open_burning_seen": "yes" if sites else "no",
        "burning_site": sites,
        **ctx.located(),
    }
    answers["meta"] = {
        "instanceName": f"{reg['admin_village']} 2026 {season} {crop}",
    }
    return answers


_SCENARIOS = {
    "sewage_facility_inspection": _sewage_facility_inspection,
    "village_sewage_coverage": _village_sewage_coverage,
    "black_odorous_water": _black_odorous_water,
    "agri_film_recovery": _agri_film_recovery,
    "straw_utilization": _straw_utilization,
}


def _apply_overrides(answers: dict[str, Any], overrides: dict[str, Any]) -> None:
    for key, value in overrides.items():
        steps = [s for s in key.split("/") if s]
        if steps and steps[0] == "data":
            steps = steps[1:]
        target = answers
        for step in steps[:-1]:
            target = target.setdefault(step, {})
        target[steps[-1]] = value


def _indexless_path(element: etree._Element) -> str:
    return re.sub(r"\[\d+\]", "", element.getroottree().getpath(element))


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _fill(
    template: etree._Element, answers: dict[str, Any], path: str, repeats: frozenset[str]
) -> etree._Element:
    # Submissions carry no namespace on their elements (the XForm's instance does).
    attrib = {k: v for k, v in template.attrib.items() if k != JR_TEMPLATE}
    element = etree.Element(_local(template), attrib=attrib)
    seen: set[str] = set()
    for child in template:
        if not isinstance(child.tag, str):
            continue
        name = _local(child)
        if name in seen:
            continue  # pyxform writes a repeat's template entry and then a default entry
        seen.add(name)
        child_path = f"{path}/{name}"
        value = answers.get(name)
        if child_path in repeats:
            for entry in value or []:
                element.append(_fill(child, entry, child_path, repeats))
        elif len(child):
            element.append(_fill(child, value or {}, child_path, repeats))
        else:
            leaf = etree.SubElement(element, name)
            if value not in (None, ""):
                leaf.text = str(value)
    return element


def _registry(given: dict[str, str]) -> dict[str, str]:
    merged = {**DEFAULT_REGISTRY, **given}
    # Lookups the form makes from the media files: unknown for rows we did not make up.
    if "facility" in given and "facility_process_type" not in given:
        merged["facility_process_type"] = ""
    if "water_body" in given and "water_body_kind" not in given:
        merged["water_body_kind"] = ""
    if "admin_village" in given and "natural_village" not in given:
        merged["natural_village"] = f"{given['admin_village']}001"
    return merged


def sample_instance(
    form_id: str,
    *,
    seed: int = 0,
    overrides: dict[str, Any] | None = None,
    instance_id: str | None = None,
    deprecated_id: str | None = None,
    registry: dict[str, str] | None = None,
) -> SampleInstance:
    """Make a valid submission for ``form_id`` (see the module docstring for the options)."""
    template = _template(form_id)
    ctx = _Context(form_id, seed, _registry(registry or {}))
    answers = _SCENARIOS[form_id](ctx)
    if instance_id is None:
        instance_id = f"uuid:{uuid.UUID(int=ctx.rng.getrandbits(128), version=4)}"
    elif not instance_id.startswith("uuid:"):
        instance_id = f"uuid:{instance_id}"
    answers.setdefault("meta", {})["instanceID"] = instance_id
    if overrides:
        _apply_overrides(answers, copy.deepcopy(overrides))
    root = _fill(template.root, answers, f"/{_local(template.root)}", template.repeats)
    if deprecated_id is not None:
        meta = root.find("meta")
        if not deprecated_id.startswith("uuid:"):
            deprecated_id = f"uuid:{deprecated_id}"
        deprecated = etree.Element("deprecatedID")
        deprecated.text = deprecated_id
        meta.insert(meta.index(meta.find("instanceID")) + 1, deprecated)
    attachments = [
        element.text
        for element in root.iter()
        if element.text and _indexless_path(element) in template.binary_paths
    ]
    xml = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    return SampleInstance(
        form_id=form_id,
        version=template.version,
        instance_id=instance_id,
        xml=xml,
        attachments=attachments,
    )
