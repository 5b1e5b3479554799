"""Alert thresholds: the limits behind the dashboard's 预警 (alerts), kept in the
``AlertThreshold`` table so town officials can change them in the admin.

The rules themselves live with their users (``dash_app.data.alerts``); this module holds the
seed values, the consistency check and the reader. No other copy of these numbers exists.
"""

from dataclasses import dataclass

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
