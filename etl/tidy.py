"""Raw submissions -> one typed DataFrame per questionnaire, repeats on their own frames.

Only submissions that count go in: the current version of each instance (an edit supersedes
the version it replaces) that has not been rejected in review. Every answer is checked against
the data dictionary (type, choice list, the numeric bounds of its constraint); a bad answer
never crashes the run. It goes to the data-quality frame with the reason, and either

- the whole submission is ``excluded`` from every table, when the answer is one an indicator
  reads (the facility, the date, a checklist item, a quantity ...), or
- only that answer is ``blanked`` (set missing), when nothing downstream depends on it.

Derived values an indicator depends on are recomputed here rather than trusted from the
instance (an edited XML can carry any calculate): the inspection status (§3.3 rubric), the
rural black-odorous flag (§4.2), the thin-film flag (§5) and the straw totals (§6).
"""

import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from etl import schemas
from etl.judgements import Judgements

ROOT = "/data/"

# Element names that become other column names.
RENAMES = {
    "today": "recorded_on",
    "admin_village": "admin_village_code",
    "natural_village": "natural_village_code",
    "facility": "facility_code",
    "water_body": "water_body_code",
}
# Answers naming a registry row: their form's choice list is a copy of the registry made when
# the form was built; registry_check decides whether the code is known.
REGISTRY_REFERENCES = {"admin_village"}
SKIP_TYPES = {"start", "end", "username", "deviceid", "image", "note", "group", "repeat"}
# Calculates are recomputed, not read; these are kept only to compare with our own result.
KEPT_CALCULATES = {"status_class": "form_status_class"}

# Coverage form treatment_mode -> registry SewageMode. The form's codes were first a finer
# list (village_plant ... mixed); later versions use the registry's four codes directly.
TREATMENT_TO_SEWAGE_MODE = {
    "sewer": "sewer",
    "centralized": "centralized",
    "decentralized": "decentralized",
    "village_plant": "centralized",
    "cluster": "centralized",
    "household": "decentralized",
    "mixed": "decentralized",
    "none": "none",
}
SHALLOW_SD_SHARE = 0.4  # §4.1: shallower water than the SD limit is judged on 40 % of its depth


@dataclass(frozen=True)
class FormSpec:
    """What the ETL needs from one questionnaire beyond the data dictionary.

    ``required``: columns that must be present, else the submission is excluded.
    ``key``: columns whose bad value excludes the submission (others are only blanked).
    ``repeats``: repeat element name -> (frame name, required columns of an entry).
    """

    form_id: str
    frame: str
    required: tuple[str, ...]
    key: frozenset[str]
    repeats: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    def excludes(self, column: str) -> bool:
        """True when a bad value in ``column`` excludes the whole submission."""
        in_repeat = any(column in required for _, required in self.repeats.values())
        return column in self.key or column in self.required or in_repeat


FORM_SPECS: dict[str, FormSpec] = {
    spec.form_id: spec
    for spec in [
        FormSpec(
            "sewage_facility_inspection",
            "inspections",
            required=(
                "facility_code",
                "recorded_on",
                *schemas.CHECKLIST_CORE,
                *schemas.CHECKLIST_AUX,
            ),
            key=frozenset({"effluent_appearance", "fault_type", "fault_severity"}),
            repeats={"fault": ("inspection_faults", ("fault_type", "fault_severity"))},
        ),
        FormSpec(
            "village_sewage_coverage",
            "coverage_surveys",
            required=("natural_village_code", "recorded_on", "treatment_mode"),
            key=frozenset({"households_total", "households_connected"}),
        ),
        FormSpec(
            "black_odorous_water",
            "water_observations",
            required=("recorded_on", "purpose", "water_body_source"),
            key=frozenset(
                {
                    "water_body_code",
                    "stage",
                    "water_depth_cm",
                    "transparency_cm",
                    "clear_to_bottom",
                    "do_mgl",
                    "nh3n_mgl",
                }
            ),
            repeats={"sample_point": ("water_sample_points", ())},
        ),
        FormSpec(
            "agri_film_recovery",
            "film_records",
            required=("admin_village_code", "site_type", "period_start", "period_end"),
            key=frozenset({"thickness_mm"}),
            repeats={"film": ("film_entries", ("film_type", "film_used_kg", "film_recovered_kg"))},
        ),
        FormSpec(
            "straw_utilization",
            "straw_records",
            required=(
                "admin_village_code",
                "survey_year",
                "season",
                "crop",
                "straw_produced_t",
                "collection_coefficient",
                *schemas.STRAW_USE_COLUMNS,
                *schemas.STRAW_NOT_USED_COLUMNS,
            ),
            key=frozenset(),
            repeats={"burning_site": ("burning_sites", ())},
        ),
    ]
}

FRAME_SCHEMAS = {
    "inspections": schemas.INSPECTIONS,
    "inspection_faults": schemas.INSPECTION_FAULTS,
    "coverage_surveys": schemas.COVERAGE_SURVEYS,
    "water_observations": schemas.WATER_OBSERVATIONS,
    "water_sample_points": schemas.WATER_SAMPLE_POINTS,
    "film_records": schemas.FILM_RECORDS,
    "film_entries": schemas.FILM_ENTRIES,
    "straw_records": schemas.STRAW_RECORDS,
    "burning_sites": schemas.BURNING_SITES,
}


@dataclass(frozen=True)
class TidyTables:
    """The tidy frames of one run; repeats are joined to their form by ``instance_id``."""

    inspections: pd.DataFrame
    inspection_faults: pd.DataFrame
    coverage_surveys: pd.DataFrame
    water_observations: pd.DataFrame
    water_sample_points: pd.DataFrame
    film_records: pd.DataFrame
    film_entries: pd.DataFrame
    straw_records: pd.DataFrame
    burning_sites: pd.DataFrame
    data_quality: pd.DataFrame


# --------------------------------------------------------------------------- public


def submissions_that_count(raw: pd.DataFrame) -> pd.DataFrame:
    """The current version of each instance that counts under its town's review rule.

    An edit is a new row that makes the version it replaces non-current, so filtering on
    ``is_current`` applies edits. By default every submission but a ``rejected`` one counts
    (pending ones too, as in ODK Central's default); rows with ``approved_only`` true (a town
    that counts only approved submissions) count only when ``approved``.
    """
    raw = schemas.validate(schemas.RAW_SUBMISSIONS, raw)
    state = raw["review_state"].fillna("")
    approved_only = (
        raw["approved_only"].fillna(False).astype(bool)
        if "approved_only" in raw
        else pd.Series(False, index=raw.index)
    )
    keep = raw["is_current"] & state.ne("rejected") & (~approved_only | state.eq("approved"))
    return raw.loc[keep].reset_index(drop=True)


def tidy_submissions(
    raw: pd.DataFrame, dictionary: pd.DataFrame, judgements: Judgements | None = None
) -> TidyTables:
    """Split raw submissions into checked, typed frames per form plus a data-quality frame.

    ``raw`` follows ``schemas.RAW_SUBMISSIONS``; ``dictionary`` is the data dictionary CSV
    (``docs/forms/data_dictionary.csv``) as a DataFrame, read by ``etl.extract``;
    ``judgements`` the limits readings are judged by (the server's 判定阈值 table; the seed
    values of ``etl.judgements`` when not given).
    """
    judgements = judgements or Judgements.of()
    counted = submissions_that_count(raw)
    dictionary = dictionary.fillna("").astype(str)
    issues: list[dict] = []
    frames: dict[str, pd.DataFrame] = {}
    unknown = counted.loc[~counted["form_id"].isin(FORM_SPECS)]
    for row in unknown.itertuples():
        issues.append(_issue(row, None, None, "unknown_form", "excluded"))
    for form_id, spec in FORM_SPECS.items():
        rows = counted.loc[counted["form_id"] == form_id].reset_index(drop=True)
        fields = dictionary.loc[dictionary["form_id"] == form_id]
        frames.update(_tidy_form(rows, fields, spec, issues, judgements))
    data_quality = schemas.validate(
        schemas.DATA_QUALITY_ISSUES,
        pd.DataFrame(issues, columns=list(schemas.DATA_QUALITY_ISSUES.columns)),
    )
    return TidyTables(**frames, data_quality=data_quality)


# --------------------------------------------------------------------------- one form


def _tidy_form(
    rows: pd.DataFrame,
    fields: pd.DataFrame,
    spec: FormSpec,
    issues: list[dict],
    judgements: Judgements,
) -> dict[str, pd.DataFrame]:
    if rows.empty:
        names = [spec.frame] + [frame for frame, _ in spec.repeats.values()]
        return {name: _empty(name) for name in names}
    answers = [_normalised(a) for a in rows["answers"]]
    meta = rows[["instance_id", "form_id", "form_version"]]
    for i in [i for i, a in enumerate(answers) if a is None]:
        issues.append(_issue(meta.iloc[i], None, None, "malformed_answers", "excluded"))
    answers = [a or {} for a in answers]

    top = fields.loc[fields["repeat"].fillna("") == ""]
    main = rows[["instance_id", "form_version", "submitted_at", "submitter"]].copy()
    excluded: set[str] = {
        m.instance_id for m, a in zip(meta.itertuples(), answers, strict=True) if not a
    }
    for f in top.itertuples():
        key = _relative(f.path)
        converted = _field_columns(f, [a.get(key) for a in answers], meta, spec, issues)
        for name, series in converted.items():
            main[name] = series.to_numpy()
    _require(main.loc[[bool(a) for a in answers]], meta, spec.required, issues)

    out: dict[str, pd.DataFrame] = {}
    for repeat_name, (frame_name, required) in spec.repeats.items():
        repeat_path = f"{ROOT}{repeat_name}"
        entry_rows, entry_meta, entry_answers = [], [], []
        for m, a in zip(meta.itertuples(index=False), answers, strict=True):
            entries = a.get(repeat_name) or []
            entries = [entries] if isinstance(entries, dict) else entries
            for n, entry in enumerate(entries, start=1):
                entry_rows.append({"instance_id": m.instance_id, "entry": n})
                entry_meta.append(m)
                entry_answers.append(_normalised(entry) or {})
        frame = pd.DataFrame(entry_rows, columns=["instance_id", "entry"])
        emeta = pd.DataFrame(entry_meta, columns=["instance_id", "form_id", "form_version"])
        for f in fields.loc[fields["repeat"] == repeat_path].itertuples():
            key = _relative(f.path)
            values = [e.get(key, e.get(f.name)) for e in entry_answers]
            for name, series in _field_columns(f, values, emeta, spec, issues).items():
                frame[name] = series.to_numpy()
        _require(frame, emeta, required, issues)
        out[frame_name] = frame

    main, out = _derive(spec.form_id, main, out, meta, issues, judgements)
    excluded |= {
        i["instance_id"]
        for i in issues
        if i["action"] == "excluded" and i["form_id"] == spec.form_id
    }
    out[spec.frame] = main
    return {
        name: schemas.conform(FRAME_SCHEMAS[name], frame.loc[~frame["instance_id"].isin(excluded)])
        for name, frame in out.items()
    }


@functools.cache
def _empty_cached(name: str) -> pd.DataFrame:
    return schemas.empty(FRAME_SCHEMAS[name])


def _empty(name: str) -> pd.DataFrame:
    return _empty_cached(name).copy()  # a copy: callers own their frames


def _normalised(answers) -> dict | None:
    """Answers keyed by the path below the root ("checklist/power_ok"); None if unreadable."""
    if isinstance(answers, str):
        try:
            answers = json.loads(answers)
        except ValueError:
            return None
    if not isinstance(answers, dict):
        return None
    if not any(k.startswith(("/", "data/")) for k in answers):
        return answers  # already relative, as ingest stores them
    return {_relative(k): v for k, v in answers.items()}


def _relative(path: str) -> str:
    return path.removeprefix(ROOT).removeprefix("data/").lstrip("/")


def _issue(meta, field_path, value, reason: str, action: str) -> dict:
    get = meta.get if isinstance(meta, dict | pd.Series) else lambda k: getattr(meta, k)
    return {
        "instance_id": get("instance_id"),
        "form_id": get("form_id"),
        "form_version": get("form_version"),
        "field": field_path,
        "value": None if value is None else str(value)[:200],
        "reason": reason,
        "action": action,
    }


def _require(frame: pd.DataFrame, meta: pd.DataFrame, required: Iterable[str], issues) -> None:
    for name in required:
        missing = frame[name].isna() if name in frame else pd.Series(True, index=frame.index)
        for label in frame.index[missing.to_numpy(dtype=bool)]:
            issues.append(_issue(meta.loc[label], name, None, "missing_required", "excluded"))


# --------------------------------------------------------------------------- conversion

_BOUND = re.compile(r"(?:^|\band\s+|\(\s*)\.\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)")


def _bounds(constraint: str) -> list[tuple[str, float]]:
    """The numeric bounds a constraint puts on the field itself (". >= 0 and . <= 200")."""
    return [(op, float(v)) for op, v in _BOUND.findall(constraint)]


def _field_columns(f, values: list, meta: pd.DataFrame, spec: FormSpec, issues) -> dict:
    """One dictionary field's raw answers -> typed column(s); bad answers become issues."""
    if f.type in SKIP_TYPES or f.name in ("instanceID", "instanceName", "deprecatedID"):
        return {}
    if f.type == "calculate" and f.name not in KEPT_CALCULATES:
        return {}
    name = KEPT_CALCULATES.get(f.name, RENAMES.get(f.name, f.name))
    raw = pd.Series(
        [None if v is None or (isinstance(v, str) and not v.strip()) else v for v in values],
        dtype=object,
    )
    present = raw.notna()
    bad = pd.Series(False, index=raw.index)
    reason = "invalid_value"
    if f.type == "geopoint":
        parts = raw.map(_geopoint)
        bad = present & parts.isna()
        reason = "invalid_geopoint"
        # Each form and repeat has one geopoint ("location", "burning_location").
        columns = {
            "latitude": parts.map(lambda p: np.nan if p is None else p[0]).astype(float),
            "longitude": parts.map(lambda p: np.nan if p is None else p[1]).astype(float),
        }
    elif f.data_type in ("int", "decimal"):
        number = pd.to_numeric(raw, errors="coerce")
        bad = present & number.isna()
        reason = "not_a_number"
        if f.data_type == "int":
            fractional = number.notna() & (number % 1 != 0)
            bad |= fractional
        out_of_range = pd.Series(False, index=raw.index)
        for op, limit in _bounds(f.constraint):
            ok = {
                ">=": number >= limit,
                "<=": number <= limit,
                ">": number > limit,
                "<": number < limit,
            }[op]
            out_of_range |= number.notna() & ~ok
        _report(out_of_range & ~bad, raw, meta, f, spec, name, "out_of_range", issues)
        number = number.mask(bad | out_of_range)
        columns = {name: number.astype("Int64") if f.data_type == "int" else number.astype(float)}
    elif f.data_type == "date":
        parsed = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")
        bad = present & parsed.isna()
        reason = "invalid_date"
        columns = {name: parsed.mask(bad)}
    else:
        text = raw.map(lambda v: None if v is None else str(v).strip())
        choices = set(str(f.choice_values or "").split())
        if f.name in REGISTRY_REFERENCES:
            choices = set()  # checked against the registry (registry_check), not the form
        if choices and f.type.startswith("select_one"):
            bad = present & ~text.isin(choices)
            reason = "invalid_choice"
        elif choices and f.type.startswith("select_multiple"):
            bad = present & text.map(lambda v: v is not None and not set(v.split()) <= choices)
            reason = "invalid_choice"
        columns = {name: text.mask(bad)}
    _report(bad, raw, meta, f, spec, name, reason, issues)
    return columns


def _report(mask: pd.Series, raw, meta, f, spec: FormSpec, name: str, reason: str, issues) -> None:
    action = "excluded" if spec.excludes(name) else "blanked"
    for i in np.flatnonzero(mask.to_numpy()):
        issues.append(_issue(meta.iloc[i], f.path, raw.iloc[i], reason, action))


def _geopoint(value) -> tuple[float, float] | None:
    if value is None:
        return None
    parts = str(value).split()
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except (IndexError, ValueError):
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


# --------------------------------------------------------------------------- derived values


def _derive(
    form_id: str,
    main: pd.DataFrame,
    repeats: dict,
    meta: pd.DataFrame,
    issues: list[dict],
    judgements: Judgements,
):
    if form_id == "sewage_facility_inspection":
        faults = repeats["inspection_faults"]
        main = main.assign(status=inspection_status(main, faults))
        mismatch = main["form_status_class"].notna() & main["form_status_class"].ne(main["status"])
        for i in np.flatnonzero(mismatch.to_numpy()):
            issues.append(
                _issue(
                    meta.iloc[i],
                    f"{ROOT}status_class",
                    main["form_status_class"].iloc[i],
                    f"status_recomputed_as_{main['status'].iloc[i]}",
                    "recomputed",
                )
            )
    elif form_id == "village_sewage_coverage":
        main = main.assign(sewage_mode=main["treatment_mode"].map(TREATMENT_TO_SEWAGE_MODE))
        over = main["households_connected"].fillna(0) > main["households_total"].fillna(np.inf)
        for i in np.flatnonzero(over.to_numpy()):
            issues.append(
                _issue(
                    meta.iloc[i],
                    f"{ROOT}households_connected",
                    main["households_connected"].iloc[i],
                    "connected_exceeds_total",
                    "excluded",
                )
            )
    elif form_id == "black_odorous_water":
        points = repeats["water_sample_points"]
        main = main.assign(rural_black=_rural_black(main, points, judgements))
        no_body = main["water_body_source"].eq("existing") & main["water_body_code"].isna()
        for i in np.flatnonzero(no_body.to_numpy()):
            issues.append(
                _issue(meta.iloc[i], f"{ROOT}water_body", None, "missing_required", "excluded")
            )
    elif form_id == "agri_film_recovery":
        entries = repeats["film_entries"]
        repeats = {
            **repeats,
            "film_entries": entries.assign(
                thin_film=entries["thickness_mm"].lt(judgements.thin_film_mm)
            ),
        }
        backwards = main["period_end"] < main["period_start"]
        for i in np.flatnonzero(backwards.to_numpy()):
            issues.append(
                _issue(
                    meta.iloc[i],
                    f"{ROOT}period_end",
                    main["period_end"].iloc[i],
                    "period_end_before_start",
                    "excluded",
                )
            )
    elif form_id == "straw_utilization":
        uses = [c for c in schemas.STRAW_USE_COLUMNS if c != "imported_t"]
        main = main.assign(
            collectable_t=main["straw_produced_t"] * main["collection_coefficient"],
            utilised_t=main[uses].sum(axis=1, min_count=1) - main["imported_t"],
        )
    return main, repeats


def inspection_status(inspections: pd.DataFrame, faults: pd.DataFrame) -> pd.Series:
    """The §3.3 rubric: ``stopped`` if a core item (1–6, or odorous/turbid effluent) fails,
    ``defective`` if an item 7–12 fails or a fault is severe, else ``normal``."""
    core = inspections[schemas.CHECKLIST_CORE].eq("fail").any(axis=1) | (
        inspections["outflow_ok"].eq("ok")
        & inspections["effluent_appearance"].isin(["turbid", "odorous"])
    )
    severe_ids = set(faults.loc[faults["fault_severity"].eq("severe"), "instance_id"])
    aux = inspections[schemas.CHECKLIST_AUX].eq("fail").any(axis=1) | inspections[
        "instance_id"
    ].isin(severe_ids)
    return pd.Series(
        np.where(core, "stopped", np.where(aux, "defective", "normal")), index=inspections.index
    )


def _rural_black(
    observations: pd.DataFrame, points: pd.DataFrame, judgements: Judgements
) -> pd.Series:
    """§4.2: black-odorous if, at any sample point, SD < 25 cm (40% of depth when the water is
    shallower than 25 cm; clear-to-bottom water passes), DO < 2 mg/L or NH₃-N > 15 mg/L (the
    limits of ``judgements``). Missing when no point was measured (a sensory-only visit)."""
    depth = points["water_depth_cm"]
    sd_cm = judgements.water_sd_cm
    sd_limit = np.where(depth.notna() & (depth < sd_cm), SHALLOW_SD_SHARE * depth, sd_cm)
    sd_black = (
        points["transparency_cm"].lt(sd_limit)
        & points["clear_to_bottom"].ne("yes")
        & ~(depth.notna() & points["transparency_cm"].ge(depth))
    )
    black = (
        sd_black
        | points["do_mgl"].lt(judgements.water_do_mgl)
        | points["nh3n_mgl"].gt(judgements.water_nh3n_mgl)
    )
    per_instance = black.groupby(points["instance_id"]).any()
    return observations["instance_id"].map(per_instance).astype("boolean")


def registry_check(
    tables: TidyTables,
    *,
    natural_villages: pd.DataFrame,
    facilities: pd.DataFrame,
    water_bodies: pd.DataFrame,
    admin_villages: pd.DataFrame | None = None,
) -> TidyTables:
    """Leave out submissions that name a facility, natural village or registered water body
    the registry does not have, and report them (``unknown_<thing>``, excluded). With
    ``admin_villages`` an unknown administrative village is reported too (``unknown_
    admin_village``): the submission is excluded where the village is required (film, straw),
    else only the code is blanked."""
    frames = {name: getattr(tables, name) for name in FRAME_SCHEMAS}
    issues = []
    if admin_villages is not None:
        known = set(admin_villages["code"])
        for spec in FORM_SPECS.values():
            frame = frames[spec.frame]
            unknown = frame["admin_village_code"].notna() & ~frame["admin_village_code"].isin(known)
            if not unknown.any():
                continue
            action = "excluded" if spec.excludes("admin_village_code") else "blanked"
            issues += [
                {
                    "instance_id": row.instance_id,
                    "form_id": spec.form_id,
                    "form_version": row.form_version,
                    "field": f"{ROOT}admin_village",
                    "value": row.admin_village_code,
                    "reason": "unknown_admin_village",
                    "action": action,
                }
                for row in frame.loc[unknown].itertuples()
            ]
            if action == "blanked":
                frame = frame.copy()
                frame.loc[unknown, "admin_village_code"] = None
                frames[spec.frame] = frame
    checks = [
        ("inspections", "facility_code", set(facilities["code"]), "facility"),
        (
            "coverage_surveys",
            "natural_village_code",
            set(natural_villages["code"]),
            "natural_village",
        ),
        ("water_observations", "water_body_code", set(water_bodies["code"]), "water_body"),
    ]
    for frame_name, column, known, thing in checks:
        frame = frames[frame_name]
        unknown = frame[column].notna() & ~frame[column].isin(known)
        form_id = next(s.form_id for s in FORM_SPECS.values() if s.frame == frame_name)
        issues += [
            {
                "instance_id": row.instance_id,
                "form_id": form_id,
                "form_version": row.form_version,
                "field": f"{ROOT}{thing}",
                "value": getattr(row, column),
                "reason": f"unknown_{thing}",
                "action": "excluded",
            }
            for row in frame.loc[unknown].itertuples()
        ]
    dropped = {issue["instance_id"] for issue in issues if issue["action"] == "excluded"}
    for name, frame in frames.items():
        if dropped:
            frame = frame.loc[~frame["instance_id"].isin(dropped)]
        if dropped or not isinstance(frame.index, pd.RangeIndex) or frame.index.start != 0:
            frame = frame.reset_index(drop=True)  # else no copy of a million rows
        frames[name] = frame
    data_quality = pd.concat(
        [tables.data_quality, pd.DataFrame(issues, columns=tables.data_quality.columns)],
        ignore_index=True,
    )
    return TidyTables(
        **frames, data_quality=schemas.validate(schemas.DATA_QUALITY_ISSUES, data_quality)
    )
