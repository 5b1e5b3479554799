"""Editable limits, kept in tables so town officials can change them in the admin:

- alert thresholds (``AlertThreshold``): the limits behind the dashboard's 预警 (alerts).
  The rules live with their users (``dash_app.tables.alerts``); this module holds the seed
  values, the consistency check and the reader. No other copy of these numbers exists.
- judgement thresholds (``JudgementThreshold``, 判定阈值): the limits the ETL judges raw
  readings by (black-odorous water, banned film), whose sources are unverified. Their seed
  values are ``etl.judgements.SEED_JUDGEMENTS``; names, units and plausible ranges are here.
"""

from dataclasses import dataclass
from decimal import Decimal

from etl import judgements as judged

FACILITY_NOT_INSPECTED_WARN = "FACILITY_NOT_INSPECTED_WARN"
FACILITY_NOT_INSPECTED_SEVERE = "FACILITY_NOT_INSPECTED_SEVERE"
WATER_MONITORING_OVERDUE = "WATER_MONITORING_OVERDUE"


@dataclass(frozen=True)
class ThresholdSeed:
    name_zh: str
    value: int
    unit: str
    note: str


SEED_THRESHOLDS: dict[str, ThresholdSeed] = {
    FACILITY_NOT_INSPECTED_WARN: ThresholdSeed(
        "设施未巡查提醒", 30, "天", "在用设施距最近一次巡查超过该天数时提醒（每月至少巡查一次）"
    ),
    FACILITY_NOT_INSPECTED_SEVERE: ThresholdSeed(
        "设施长期未巡查", 90, "天", "在用设施距最近一次巡查超过该天数（或从未巡查）时预警"
    ),
    WATER_MONITORING_OVERDUE: ThresholdSeed(
        "整治后监测逾期",
        92,
        "天",
        "处于整治后监测阶段的黑臭水体，距最近一次监测（尚无监测时自进入该阶段起）超过该天数"
        "即为逾期（每季度至少监测一次）",
    ),
}


def thresholds_check(values: dict[str, int]) -> str:
    """'' when the values fit together, else the reason in Chinese (for the admin form)."""
    warn = values.get(FACILITY_NOT_INSPECTED_WARN)
    severe = values.get(FACILITY_NOT_INSPECTED_SEVERE)
    if warn is not None and severe is not None and warn >= severe:
        return f"“设施未巡查提醒”（{warn} 天）应小于“设施长期未巡查”（{severe} 天）"
    return ""


def alert_thresholds_load() -> int:
    """Create the threshold rows that are missing (existing, possibly edited, rows are left
    alone). Returns the number created."""
    from indicators.models import AlertThreshold

    created = 0
    for code, seed in SEED_THRESHOLDS.items():
        _, was_created = AlertThreshold.objects.get_or_create(
            code=code,
            defaults={
                "name_zh": seed.name_zh,
                "value": seed.value,
                "unit": seed.unit,
                "note": seed.note,
            },
        )
        created += was_created
    return created


def alert_thresholds() -> dict[str, int]:
    """The thresholds by code: the table's values, seeds for rows not (yet) in it."""
    from indicators.models import AlertThreshold

    stored = dict(AlertThreshold.objects.values_list("code", "value"))
    return {**{code: seed.value for code, seed in SEED_THRESHOLDS.items()}, **stored}


@dataclass(frozen=True)
class JudgementSeed:
    name_zh: str
    unit: str
    source: str
    note: str
    lowest: Decimal  # the plausible range an edit must stay in
    highest: Decimal


JUDGEMENT_SEEDS: dict[str, JudgementSeed] = {
    judged.WATER_SD_CM: JudgementSeed(
        "黑臭水体透明度限值",
        "cm",
        "《农村黑臭水体治理工作指南》（待核实）",
        "任一采样点透明度低于该值（水深不足该值时按水深的40%，见底的不计）即判为黑臭",
        Decimal("1"),
        Decimal("200"),
    ),
    judged.WATER_DO_MGL: JudgementSeed(
        "黑臭水体溶解氧限值",
        "mg/L",
        "《农村黑臭水体治理工作指南》（待核实）",
        "任一采样点溶解氧低于该值即判为黑臭",
        Decimal("0.1"),
        Decimal("10"),
    ),
    judged.WATER_NH3N_MGL: JudgementSeed(
        "黑臭水体氨氮限值",
        "mg/L",
        "《农村黑臭水体治理工作指南》（待核实）",
        "任一采样点氨氮高于该值即判为黑臭",
        Decimal("0.5"),
        Decimal("100"),
    ),
    judged.THIN_FILM_MM: JudgementSeed(
        "地膜最小厚度",
        "mm",
        "GB 13735-2017（待核实）",
        "地膜厚度低于该值记为超薄（禁用）地膜",
        Decimal("0.001"),
        Decimal("0.1"),
    ),
}


def judgement_check(code: str, value: Decimal | float | None) -> str:
    """'' when ``value`` is plausible for ``code``, else the reason in Chinese (admin form)."""
    seed = JUDGEMENT_SEEDS.get(code)
    if seed is None or value is None:
        return ""
    if not seed.lowest <= Decimal(str(value)) <= seed.highest:
        return f"“{seed.name_zh}”应在 {seed.lowest}–{seed.highest} {seed.unit} 之间"
    return ""


def judgement_thresholds_load(model=None) -> int:
    """Create the judgement rows that are missing (edited rows are left alone). ``model``:
    the migration's historical ``JudgementThreshold`` (default the current one)."""
    from indicators.models import JudgementThreshold

    model = model or JudgementThreshold
    created = 0
    for code, value in judged.SEED_JUDGEMENTS.items():
        seed = JUDGEMENT_SEEDS[code]
        _, was_created = model.objects.get_or_create(
            code=code,
            defaults={
                "name_zh": seed.name_zh,
                "value": Decimal(str(value)),
                "unit": seed.unit,
                "source": seed.source,
                "note": seed.note,
            },
        )
        created += was_created
    return created


def judgement_thresholds() -> dict[str, float]:
    """The judgement limits by code: the table's values, seeds for rows not (yet) in it."""
    from indicators.models import JudgementThreshold

    stored = {code: float(v) for code, v in JudgementThreshold.objects.values_list("code", "value")}
    return {**judged.SEED_JUDGEMENTS, **stored}
