"""The shapes of every table the ETL passes between steps, checked with pandera.

Column names are English snake_case and come from the questionnaire field names in
``docs/forms/data_dictionary.csv`` (``/data/checklist/power_ok`` -> ``power_ok``). Codes that
point at the registry carry a ``_code`` suffix (``facility`` -> ``facility_code``), the ``today``
field becomes ``recorded_on`` and a geopoint becomes ``latitude``/``longitude``/``accuracy_m``.
Timestamps are naive UTC; dates (``recorded_on``, ``period_start`` ...) are local (China) dates
stored as midnight timestamps.

Tidy tables keep only the submissions that count (current version, not rejected) and only
answers that passed the checks in ``etl.tidy``; what failed is in ``DATA_QUALITY_ISSUES``.

Why schema objects and not ``pa.DataFrameModel`` classes: with the pinned numpy 2.4 every
``DataFrameModel.to_schema()`` of pandera 0.26 raises ``ValueError: Could not convert
pandera.typing.pandas.Series[...] to a NumPy dtype`` (unionai-oss/pandera#2190, #2192). The
``DataFrameSchema`` API checks the same things and works; switch back when pandera is upgraded.
Each schema coerces dtypes and drops columns it does not name (``strict="filter"``).
"""

import pandas as pd
import pandera.pandas as pa

# Choice codes the indicators rely on (the data dictionary holds the full lists).
OK_FAIL_NA = ["ok", "fail", "na"]
FACILITY_STATUSES = ["normal", "defective", "stopped"]
SEWAGE_MODES = ["sewer", "centralized", "decentralized", "none"]
WATER_BODY_STAGES = ["screened", "works", "completed", "monitoring", "closed", "rebound"]
LEVELS = ["town", "admin_village", "natural_village"]

DATE = "datetime64[ns]"
INT = "Int64"  # nullable integer
BOOL = "boolean"  # nullable boolean


def _col(dtype, nullable: bool = False, **checks) -> pa.Column:
    check_list = []
    if "isin" in checks:
        check_list.append(pa.Check.isin(checks.pop("isin")))
    if "ge" in checks:
        check_list.append(pa.Check.ge(checks.pop("ge")))
    if "gt" in checks:
        check_list.append(pa.Check.gt(checks.pop("gt")))
    if "le" in checks:
        check_list.append(pa.Check.le(checks.pop("le")))
    return pa.Column(dtype, checks=check_list, nullable=nullable, **checks)


def _schema(name: str, columns: dict[str, pa.Column]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(columns, name=name, coerce=True, strict="filter")


# --------------------------------------------------------------------------- raw input

RAW_SUBMISSIONS = _schema(
    "RawSubmissions",
    {
        "instance_id": _col(str),
        "form_id": _col(str),
        "form_version": _col(str, nullable=True),
        "submitted_at": _col(DATE),
        "submitter": _col(str, nullable=True),
        "answers": _col(object),
        "is_current": _col(bool),
        "review_state": _col(str, nullable=True),
        # The town counts only approved submissions (review.models.ReviewPolicy); absent = no.
        "approved_only": _col(BOOL, nullable=True, required=False),
    },
)

# --------------------------------------------------------------------------- registry

NATURAL_VILLAGES = _schema(
    "NaturalVillages",
    {
        "code": _col(str, unique=True),
        "admin_village_code": _col(str),
        "name": _col(str, nullable=True),
        "households": _col(int, ge=0),
        "households_connected": _col(int, ge=0),
        "is_planned_relocation": _col(bool),
        "sewage_mode": _col(str, isin=SEWAGE_MODES),
    },
)

# The registry's status/status_date act as one baseline inspection (see docs/indicators.md).
FACILITIES = _schema(
    "Facilities",
    {
        "code": _col(str, unique=True),
        "name": _col(str, nullable=True),
        "admin_village_code": _col(str, nullable=True),
        "natural_village_code": _col(str, nullable=True),
        "in_service": _col(bool),
        "status": _col(str, nullable=True),
        "status_date": _col(DATE, nullable=True),
    },
)

WATER_BODIES = _schema(
    "WaterBodies",
    {
        "code": _col(str, unique=True),
        "name": _col(str, nullable=True),
        "admin_village_code": _col(str),
        "natural_village_code": _col(str, nullable=True),
        "stage": _col(str, isin=WATER_BODY_STAGES),
        "stage_date": _col(DATE, nullable=True),
        "is_confirmed": _col(bool),
    },
)

# --------------------------------------------------------------------------- tidy, per form

_SUBMITTED = {
    "instance_id": _col(str, unique=True),
    "form_version": _col(str, nullable=True),
    "submitted_at": _col(DATE),
    "submitter": _col(str, nullable=True),
    "admin_village_code": _col(str, nullable=True),
    "natural_village_code": _col(str, nullable=True),
    "latitude": _col(float, nullable=True),
    "longitude": _col(float, nullable=True),
}

CHECKLIST_CORE = ["power_ok", "pumps_ok", "aeration_ok", "inflow_ok", "outflow_ok", "no_overflow"]
CHECKLIST_AUX = ["screen_ok", "sludge_ok", "wetland_ok", "signboard_ok", "fence_ok", "log_ok"]

# sewage_facility_inspection; ``status`` is the §3.3 rubric recomputed by the ETL.
INSPECTIONS = _schema(
    "Inspections",
    {
        **_SUBMITTED,
        "facility_code": _col(str),
        "recorded_on": _col(DATE),
        **{name: _col(str, isin=OK_FAIL_NA) for name in CHECKLIST_CORE + CHECKLIST_AUX},
        "effluent_appearance": _col(str, nullable=True),
        "effluent_lab_result": _col(str, nullable=True),
        "status": _col(str, isin=FACILITY_STATUSES),
    },
)

INSPECTION_FAULTS = _schema(
    "InspectionFaults",
    {
        "instance_id": _col(str),
        "entry": _col(int, ge=1),
        "fault_type": _col(str),
        "fault_severity": _col(str, isin=["minor", "severe"]),
        "fault_fixed_on_site": _col(str, nullable=True),
        "fault_action": _col(str, nullable=True),
    },
)

# village_sewage_coverage; ``sewage_mode`` maps treatment_mode onto the registry's codes.
COVERAGE_SURVEYS = _schema(
    "CoverageSurveys",
    {
        **_SUBMITTED,
        "natural_village_code": _col(str),
        "recorded_on": _col(DATE),
        "treatment_mode": _col(str),
        "sewage_mode": _col(str, isin=SEWAGE_MODES),
        "households_total": _col(INT, nullable=True),
        "households_connected": _col(INT, nullable=True),
    },
)

# black_odorous_water; ``rural_black`` is recomputed from the sample points (§4.2).
WATER_OBSERVATIONS = _schema(
    "WaterObservations",
    {
        **_SUBMITTED,
        "recorded_on": _col(DATE),
        "water_body_source": _col(str, isin=["existing", "new"]),
        "water_body_code": _col(str, nullable=True),
        "new_water_body_name": _col(str, nullable=True),
        "purpose": _col(str, isin=["screening", "progress", "post_monitoring"]),
        "stage": _col(str, nullable=True),
        "rural_black": _col(BOOL, nullable=True),
    },
)

WATER_SAMPLE_POINTS = _schema(
    "WaterSamplePoints",
    {
        "instance_id": _col(str),
        "entry": _col(int, ge=1),
        "water_depth_cm": _col(float, nullable=True),
        "transparency_cm": _col(float, nullable=True),
        "clear_to_bottom": _col(str, nullable=True),
        "do_mgl": _col(float, nullable=True),
        "nh3n_mgl": _col(float, nullable=True),
    },
)

# agri_film_recovery, one row per submission (a village or a collection point).
FILM_RECORDS = _schema(
    "FilmRecords",
    {
        **_SUBMITTED,
        "admin_village_code": _col(str),
        "site_type": _col(str, isin=["village", "point"]),
        "collection_point_name": _col(str, nullable=True),
        "period_start": _col(DATE),
        "period_end": _col(DATE),
    },
)

# The ``film`` repeat: one row per film type reported.
FILM_ENTRIES = _schema(
    "FilmEntries",
    {
        "instance_id": _col(str),
        "entry": _col(int, ge=1),
        "film_type": _col(str),
        "film_used_kg": _col(float, ge=0),
        "film_recovered_kg": _col(float, ge=0),
        "thickness_mm": _col(float, nullable=True, gt=0),
        "thin_film": _col(bool),
    },
)

STRAW_USE_COLUMNS = [
    "direct_return_t",
    "fertilizer_household_t",
    "fertilizer_market_t",
    "feed_household_t",
    "feed_market_t",
    "fuel_household_t",
    "fuel_market_t",
    "substrate_household_t",
    "substrate_market_t",
    "material_household_t",
    "material_market_t",
    "exported_t",
    "imported_t",
]
STRAW_NOT_USED_COLUMNS = ["burned_t", "dumped_t", "unused_t"]

# straw_utilization; ``collectable_t`` and ``utilised_t`` are recomputed (§6, S24).
STRAW_RECORDS = _schema(
    "StrawRecords",
    {
        **_SUBMITTED,
        "admin_village_code": _col(str),
        "survey_year": _col(int),
        "season": _col(str, isin=["summer", "autumn"]),
        "crop": _col(str),
        "straw_produced_t": _col(float, ge=0),
        "collection_coefficient": _col(float, gt=0, le=1),
        **{name: _col(float, ge=0) for name in STRAW_USE_COLUMNS + STRAW_NOT_USED_COLUMNS},
        "collectable_t": _col(float, ge=0),
        "utilised_t": _col(float),
        "open_burning_seen": _col(str, nullable=True),
    },
)

BURNING_SITES = _schema(
    "BurningSites",
    {
        "instance_id": _col(str),
        "entry": _col(int, ge=1),
        "latitude": _col(float, nullable=True),
        "longitude": _col(float, nullable=True),
        "burning_area_mu": _col(float, nullable=True),
    },
)

# One row per problem found in a submission that counts. ``action`` says what the ETL did:
# ``excluded`` (the submission is left out of every indicator) or ``blanked`` (only this
# answer is treated as missing).
DATA_QUALITY_ISSUES = _schema(
    "DataQualityIssues",
    {
        "instance_id": _col(str),
        "form_id": _col(str),
        "form_version": _col(str, nullable=True),
        "field": _col(str, nullable=True),
        "value": _col(str, nullable=True),
        "reason": _col(str),
        "action": _col(str, isin=["excluded", "blanked", "recomputed"]),
    },
)

# --------------------------------------------------------------------------- results

TARGETS = _schema(
    "Targets",
    {"code": _col(str, unique=True), "target": _col(float)},
)

# One indicator value for one area and period. ``records`` lists the ids of the units in the
# denominator (facility, village or water-body codes; submission instance ids for film and
# straw); ``details`` holds the breakdowns reported beside the value (未巡查 count, stage counts,
# uses, findings). ``met`` is True/False, or None when the value is undefined.
INDICATOR_RESULT = _schema(
    "IndicatorResult",
    {
        "code": _col(str),
        "name_zh": _col(str),
        "name_en": _col(str),
        "unit": _col(str),
        "level": _col(str, isin=LEVELS),
        "area_code": _col(str),
        "period": _col(str),
        "value": _col(float, nullable=True),
        "numerator": _col(float),
        "denominator": _col(float),
        "target": _col(float, nullable=True),
        "met": _col(object, nullable=True),
        "records": _col(object),
        "details": _col(object),
    },
)


def empty(schema: pa.DataFrameSchema) -> pd.DataFrame:
    """A zero-row frame with the schema's columns and dtypes. Built from the dtypes, not by
    ``validate`` (milliseconds per call even with no rows, many calls per incremental
    update); ``tests/etl/test_tidy_store.py`` checks both give the same frame."""
    return pd.DataFrame(
        {
            name: pd.Series([], dtype=getattr(column.dtype, "type", None) or object)
            for name, column in schema.columns.items()
        }
    )


def conform(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` checked by ``schema``, with its missing nullable columns added as missing
    (a field an older form version lacked); a missing required column still fails."""
    absent = {
        name: None
        for name, column in schema.columns.items()
        if name not in frame and column.nullable
    }
    return validate(schema, frame.assign(**absent).reset_index(drop=True))


def validate(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    """``schema.validate(frame)``, without pandera's element-wise work when ``frame`` needs
    none: if every column already has the schema's dtype (text columns: only ``str`` and
    missing values) and passes its checks, tested column by column with vectorised
    operations, the frame is returned as pandera would (a copy, only the schema's columns:
    nothing to coerce). Anything else (a value to coerce, a failed check, a check not
    known here) goes through ``schema.validate``, which coerces or raises
    ``SchemaError`` as before. Pandera checks every text value with a Python call
    (``isinstance``), seconds per million rows."""
    if _passes(schema, frame):
        extra = [name for name in frame.columns if name not in schema.columns]
        return frame.drop(columns=extra) if extra else frame.copy()
    return schema.validate(frame)


def _passes(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> bool:
    """Whether ``frame`` is already what ``schema.validate`` would return (see ``validate``)."""
    if (
        schema.strict != "filter"
        or schema.checks
        or schema.index is not None
        or schema.unique
        or not isinstance(frame, pd.DataFrame)
        or not frame.columns.is_unique
    ):
        return False
    for name, column in schema.columns.items():
        if name not in frame.columns:
            if column.required:
                return False
            continue
        if column.regex or not _column_passes(column, frame[name]):
            return False
    return True


_LIMITS = {
    "greater_than_or_equal_to": ("min_value", lambda values, limit: values >= limit),
    "greater_than": ("min_value", lambda values, limit: values > limit),
    "less_than_or_equal_to": ("max_value", lambda values, limit: values <= limit),
}


def _column_passes(column: pa.Column, values: pd.Series) -> bool:
    kind = str(column.dtype)
    if kind == "str":
        # Text or missing values only ("empty": no value at all, or all missing).
        if values.dtype != object or pd.api.types.infer_dtype(values, skipna=True) not in (
            "string",
            "empty",
        ):
            return False
    elif values.dtype != pd.api.types.pandas_dtype(kind):
        return False
    missing = values.isna()
    if not column.nullable and missing.any():
        return False
    if column.unique and values.duplicated().any():
        return False
    for check in column.checks:
        statistics = check.statistics or {}
        if not check.ignore_na:
            return False
        if check.name == "isin":
            passed = values.isin(statistics["allowed_values"])
        elif check.name in _LIMITS:
            bound, compare = _LIMITS[check.name]
            passed = compare(values, statistics[bound])
        else:
            return False
        if not (passed | missing).all():
            return False
    return True


def require(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` if it has every column of ``schema``, else a ValueError naming the missing ones.

    The cheap check for frames that already passed ``validate``/``conform`` at the boundary
    (``etl.extract``, ``etl.tidy``): pandera's element-wise dtype check of string columns costs
    seconds per million rows, too much to repeat in every indicator.
    """
    missing = [name for name in schema.columns if name not in frame.columns]
    if missing:
        raise ValueError(f"{schema.name}: missing columns {', '.join(missing)}")
    return frame
