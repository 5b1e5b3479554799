"""Small row builders for the ETL tests: each fills the columns a test does not care about.

Tests still build their 3–10 row frames inline; these only spare them the twenty checklist
columns of an inspection or the thirteen quantities of a straw record.
"""

import pandas as pd

from etl import schemas

ADMIN_A = "320404116201"
ADMIN_B = "320404116203"
NV_A1 = ADMIN_A + "001"
NV_A2 = ADMIN_A + "002"
NV_B1 = ADMIN_B + "001"


def frame(schema, rows: list[dict]) -> pd.DataFrame:
    """Rows -> a frame checked by ``schema`` (an empty list gives the empty frame)."""
    if not rows:
        return schemas.empty(schema)
    return schemas.conform(schema, pd.DataFrame(rows))


def village(code, *, relocation=False, mode="none", households=10, connected=0) -> dict:
    return {
        "code": code,
        "admin_village_code": code[:12],
        "name": f"演示{code[-3:]}",
        "households": households,
        "households_connected": connected,
        "is_planned_relocation": relocation,
        "sewage_mode": mode,
    }


def coverage(instance_id, village_code, recorded_on, mode, *, submitted_at=None) -> dict:
    return {
        "instance_id": instance_id,
        "form_version": "1",
        "submitted_at": pd.Timestamp(submitted_at or recorded_on),
        "submitter": "worker",
        "admin_village_code": village_code[:12],
        "natural_village_code": village_code,
        "recorded_on": pd.Timestamp(recorded_on),
        "treatment_mode": mode,
        "sewage_mode": mode,
        "households_total": 10,
        "households_connected": 0 if mode == "none" else 8,
    }


def facility(code, village_code, *, in_service=True, status=None, status_date=None) -> dict:
    return {
        "code": code,
        "name": f"设施{code}",
        "admin_village_code": village_code[:12],
        "natural_village_code": village_code,
        "in_service": in_service,
        "status": status,
        "status_date": pd.Timestamp(status_date) if status_date else pd.NaT,
    }


def inspection(instance_id, facility_code, recorded_on, status, *, submitted_at=None) -> dict:
    checks = {name: "ok" for name in schemas.CHECKLIST_CORE + schemas.CHECKLIST_AUX}
    return {
        "instance_id": instance_id,
        "form_version": "1",
        "submitted_at": pd.Timestamp(submitted_at or f"{recorded_on} 12:00"),
        "submitter": "worker",
        "admin_village_code": ADMIN_A,
        "natural_village_code": NV_A1,
        "facility_code": facility_code,
        "recorded_on": pd.Timestamp(recorded_on),
        **checks,
        "effluent_appearance": "clear",
        "effluent_lab_result": "not_tested",
        "status": status,
    }


def water_body(code, village_code, stage, stage_date=None, *, confirmed=True) -> dict:
    return {
        "code": code,
        "name": f"水体{code}",
        "admin_village_code": village_code[:12],
        "natural_village_code": village_code,
        "stage": stage,
        "stage_date": pd.Timestamp(stage_date) if stage_date else pd.NaT,
        "is_confirmed": confirmed,
    }


def observation(instance_id, body_code, recorded_on, purpose, stage=None, *, black=None) -> dict:
    return {
        "instance_id": instance_id,
        "form_version": "1",
        "submitted_at": pd.Timestamp(f"{recorded_on} 12:00"),
        "submitter": "worker",
        "admin_village_code": ADMIN_A,
        "natural_village_code": NV_A1,
        "recorded_on": pd.Timestamp(recorded_on),
        "water_body_source": "existing" if body_code else "new",
        "water_body_code": body_code,
        "new_water_body_name": None if body_code else "新塘",
        "purpose": purpose,
        "stage": stage,
        "rural_black": black,
    }


def film_record(instance_id, village_code, period_end, *, site_type="village") -> dict:
    return {
        "instance_id": instance_id,
        "form_version": "1",
        "submitted_at": pd.Timestamp(period_end),
        "submitter": "worker",
        "admin_village_code": village_code[:12],
        "natural_village_code": village_code,
        "site_type": site_type,
        "collection_point_name": "回收点" if site_type == "point" else None,
        "period_start": pd.Timestamp(period_end) - pd.Timedelta(days=90),
        "period_end": pd.Timestamp(period_end),
    }


def film_entry(instance_id, entry, used, recovered, *, film_type="mulch", thickness=None) -> dict:
    return {
        "instance_id": instance_id,
        "entry": entry,
        "film_type": film_type,
        "film_used_kg": used,
        "film_recovered_kg": recovered,
        "thickness_mm": thickness,
        "thin_film": thickness is not None and thickness < 0.010,
    }


def straw_record(instance_id, village_code, year, season, *, collectable, uses, **extra) -> dict:
    """``uses``: {column: t}; the others are 0. produced = collectable / 0.8."""
    quantities = {c: 0.0 for c in schemas.STRAW_USE_COLUMNS + schemas.STRAW_NOT_USED_COLUMNS}
    quantities.update(uses)
    quantities.update({k: v for k, v in extra.items() if k in quantities})
    utilised = sum(v for k, v in quantities.items() if k in schemas.STRAW_USE_COLUMNS) - (
        2 * quantities["imported_t"]
    )
    return {
        "instance_id": instance_id,
        "form_version": "1",
        "submitted_at": pd.Timestamp(f"{year}-11-01"),
        "submitter": "worker",
        "admin_village_code": village_code[:12],
        "natural_village_code": village_code,
        "survey_year": year,
        "season": season,
        "crop": "wheat" if season == "summer" else "middle_rice",
        "straw_produced_t": collectable / 0.8,
        "collection_coefficient": 0.8,
        **quantities,
        "collectable_t": collectable,
        "utilised_t": utilised,
        "open_burning_seen": extra.get("open_burning_seen", "no"),
    }


def raw(instance_id, form_id, answers, *, is_current=True, review_state=None, version="1"):
    return {
        "instance_id": instance_id,
        "form_id": form_id,
        "form_version": version,
        "submitted_at": pd.Timestamp("2025-07-10 02:00"),
        "submitter": "worker",
        "answers": answers,
        "is_current": is_current,
        "review_state": review_state,
    }
