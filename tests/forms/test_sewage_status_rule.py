"""The inspection's judgement follows domain reference §3.3, evaluated by ODK's engine."""

import pytest

ALL_OK = {
    "/data/admin_village": "320404116201",
    "/data/facility": "ZQ-WS-001",
    "/data/checklist/power_ok": "ok",
    "/data/checklist/pumps_ok": "ok",
    "/data/checklist/aeration_ok": "ok",
    "/data/checklist/inflow_ok": "ok",
    "/data/checklist/outflow_ok": "ok",
    "/data/checklist/effluent_appearance": "clear",
    "/data/checklist/no_overflow": "ok",
    "/data/checklist/screen_ok": "ok",
    "/data/checklist/sludge_ok": "ok",
    "/data/checklist/wetland_ok": "ok",
    "/data/checklist/signboard_ok": "ok",
    "/data/checklist/fence_ok": "ok",
    "/data/checklist/log_ok": "ok",
    "/data/has_faults": "no",
}
CORE = ["power_ok", "pumps_ok", "aeration_ok", "inflow_ok", "outflow_ok", "no_overflow"]
AUX = ["screen_ok", "sludge_ok", "wetland_ok", "signboard_ok", "fence_ok", "log_ok"]
READ = ["/data/status_class", "/data/overall_status"]


def case(**changes):
    answers = dict(ALL_OK)
    for key, value in changes.items():
        path = key if key.startswith("/") else f"/data/checklist/{key}"
        answers[path] = value
    return answers


CASES = (
    [("all items ok", case(), "normal")]
    + [
        (
            "not applicable is not a failure",
            case(
                power_ok="na",
                pumps_ok="na",
                aeration_ok="na",
                screen_ok="na",
                sludge_ok="na",
                wetland_ok="na",
            ),
            "normal",
        )
    ]
    + [(f"{item} fails", case(**{item: "fail"}), "stopped") for item in CORE]
    + [(f"{item} fails", case(**{item: "fail"}), "defective") for item in AUX]
    + [
        ("effluent slightly turbid", case(effluent_appearance="slightly_turbid"), "normal"),
        ("effluent turbid", case(effluent_appearance="turbid"), "stopped"),
        ("effluent black or odorous", case(effluent_appearance="odorous"), "stopped"),
        ("core and auxiliary items fail", case(power_ok="fail", log_ok="fail"), "stopped"),
        (
            "a severe fault with every item ok",
            case(
                **{
                    "/data/has_faults": "yes",
                    "/data/fault[1]/fault_type": "other",
                    "/data/fault[1]/fault_severity": "severe",
                }
            ),
            "defective",
        ),
        (
            "a minor fault with every item ok",
            case(
                **{
                    "/data/has_faults": "yes",
                    "/data/fault[1]/fault_type": "other",
                    "/data/fault[1]/fault_severity": "minor",
                }
            ),
            "normal",
        ),
        (
            "the second of two faults is severe",
            case(
                **{
                    "/data/has_faults": "yes",
                    "/data/fault[1]/fault_severity": "minor",
                    "/data/fault[2]/fault_severity": "severe",
                }
            ),
            "defective",
        ),
    ]
)


@pytest.fixture(scope="module")
def outcomes(fill):
    return fill("sewage_facility_inspection", [answers for _, answers, _ in CASES], READ)


@pytest.mark.parametrize("index", range(len(CASES)), ids=[name for name, _, _ in CASES])
def test_it_judges_the_facility_by_the_checklist(outcomes, index):
    _, _, expected = CASES[index]
    values = outcomes[index]["values"]
    assert values["/data/status_class"] == expected
    assert values["/data/overall_status"] == ("normal" if expected == "normal" else "abnormal")


def test_it_requires_a_fault_record_when_an_item_failed(fill, violated):
    [result] = fill("sewage_facility_inspection", [case(screen_ok="fail")], READ)
    assert violated(result)["/data/has_faults"] == "constraint"
