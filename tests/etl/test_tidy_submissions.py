"""Raw submissions -> tidy frames: which versions count and what bad answers do."""

import pandas as pd
import pytest
from etl_builders import raw

from etl import schemas
from etl.tidy import submissions_that_count, tidy_submissions

CHECKS = {f"checklist/{name}": "ok" for name in schemas.CHECKLIST_CORE + schemas.CHECKLIST_AUX}


def inspection_answers(**overrides) -> dict:
    answers = {
        "today": "2025-07-03",
        "admin_village": "320404116201",
        "natural_village": "320404116201001",
        "facility": "ZQ-WS-001",
        "location": "31.75 119.85 10 5",
        **CHECKS,
        "checklist/effluent_appearance": "clear",
        "readings/effluent_lab_result": "not_tested",
        "readings/field_readings_taken": "no",
        "has_faults": "no",
    }
    answers.update(overrides)
    return answers


def tidy(rows, dictionary):
    return tidy_submissions(pd.DataFrame(rows), dictionary)


def test_it_keeps_only_the_current_version_of_an_edited_submission(dictionary):
    tables = tidy(
        [
            raw("old", "sewage_facility_inspection", inspection_answers(), is_current=False),
            raw("new", "sewage_facility_inspection", inspection_answers()),
        ],
        dictionary,
    )
    assert tables.inspections["instance_id"].tolist() == ["new"]


def test_it_drops_rejected_submissions_and_keeps_pending_ones(dictionary):
    tables = tidy(
        [
            raw(
                "rejected",
                "sewage_facility_inspection",
                inspection_answers(),
                review_state="rejected",
            ),
            raw(
                "pending",
                "sewage_facility_inspection",
                inspection_answers(),
                review_state="pending",
            ),
            raw("unreviewed", "sewage_facility_inspection", inspection_answers()),
        ],
        dictionary,
    )
    assert sorted(tables.inspections["instance_id"]) == ["pending", "unreviewed"]


def test_it_types_columns_and_names_them_after_the_fields(dictionary):
    tables = tidy([raw("a", "sewage_facility_inspection", inspection_answers())], dictionary)
    row = tables.inspections.iloc[0]
    assert row["facility_code"] == "ZQ-WS-001"
    assert row["recorded_on"] == pd.Timestamp("2025-07-03")
    assert row["latitude"] == pytest.approx(31.75)
    assert row["status"] == "normal"


def test_it_accepts_answers_keyed_by_full_path(dictionary):
    answers = {f"/data/{key}": value for key, value in inspection_answers().items()}
    tables = tidy([raw("a", "sewage_facility_inspection", answers)], dictionary)
    assert tables.inspections["facility_code"].tolist() == ["ZQ-WS-001"]


def test_it_puts_repeat_entries_on_their_own_frame_joined_by_instance_id(dictionary):
    answers = inspection_answers(
        **{"checklist/screen_ok": "fail", "has_faults": "yes"},
        fault=[
            {"fault/fault_type": "screen", "fault/fault_severity": "minor"},
            {"fault/fault_type": "pump", "fault/fault_severity": "severe"},
        ],
    )
    tables = tidy([raw("a", "sewage_facility_inspection", answers)], dictionary)
    faults = tables.inspection_faults
    assert faults[["instance_id", "entry", "fault_type"]].values.tolist() == [
        ["a", 1, "screen"],
        ["a", 2, "pump"],
    ]
    assert tables.inspections["status"].tolist() == ["defective"]


def test_it_recomputes_the_status_an_edited_instance_claims(dictionary):
    answers = inspection_answers(**{"checklist/power_ok": "fail", "status_class": "normal"})
    tables = tidy([raw("a", "sewage_facility_inspection", answers)], dictionary)
    assert tables.inspections["status"].tolist() == ["stopped"]
    issue = tables.data_quality.iloc[0]
    assert (issue["reason"], issue["action"]) == ("status_recomputed_as_stopped", "recomputed")


def test_it_excludes_a_submission_with_an_invalid_choice_in_a_key_field(dictionary):
    answers = inspection_answers(**{"checklist/power_ok": "maybe"})
    tables = tidy([raw("a", "sewage_facility_inspection", answers)], dictionary)
    assert tables.inspections.empty
    issue = tables.data_quality.iloc[0]
    assert issue[["field", "value", "reason", "action"]].tolist() == [
        "/data/checklist/power_ok",
        "maybe",
        "invalid_choice",
        "excluded",
    ]


def test_it_blanks_an_out_of_range_answer_nothing_depends_on(dictionary):
    answers = inspection_answers(**{"readings/field_readings_taken": "yes", "readings/ph": "14"})
    tables = tidy([raw("a", "sewage_facility_inspection", answers)], dictionary)
    assert tables.inspections["instance_id"].tolist() == ["a"]
    issue = tables.data_quality.iloc[0]
    assert issue[["field", "reason", "action"]].tolist() == [
        "/data/readings/ph",
        "out_of_range",
        "blanked",
    ]


def test_it_excludes_an_out_of_range_quantity(dictionary):
    answers = {
        "admin_village": "320404116201",
        "site_type": "village",
        "period_start": "2025-01-01",
        "period_end": "2025-06-30",
        "film": [
            {"film/film_type": "mulch", "film/film_used_kg": "-5", "film/film_recovered_kg": "1"}
        ],
    }
    tables = tidy([raw("a", "agri_film_recovery", answers)], dictionary)
    assert tables.film_records.empty and tables.film_entries.empty
    assert tables.data_quality[["reason", "action"]].values.tolist()[0] == [
        "out_of_range",
        "excluded",
    ]


def test_it_reports_a_missing_required_answer_of_an_old_form_version(dictionary):
    answers = inspection_answers()
    del answers["checklist/log_ok"]
    tables = tidy([raw("a", "sewage_facility_inspection", answers, version="2019")], dictionary)
    assert tables.inspections.empty
    issue = tables.data_quality.iloc[0]
    assert issue[["field", "reason", "form_version"]].tolist() == [
        "log_ok",
        "missing_required",
        "2019",
    ]


def test_it_reports_unreadable_answers_and_unknown_forms_without_crashing(dictionary):
    tables = tidy(
        [
            raw("a", "sewage_facility_inspection", "{not json"),
            raw("b", "no_such_form", {}),
        ],
        dictionary,
    )
    assert tables.inspections.empty
    assert sorted(tables.data_quality["reason"].unique()) == ["malformed_answers", "unknown_form"]


def test_it_excludes_more_connected_households_than_households(dictionary):
    answers = {
        "today": "2025-07-01",
        "admin_village": "320404116201",
        "natural_village": "320404116201001",
        "treatment_mode": "sewer",
        "households_total": "10",
        "households_connected": "12",
    }
    tables = tidy([raw("a", "village_sewage_coverage", answers)], dictionary)
    assert tables.coverage_surveys.empty
    assert "connected_exceeds_total" in set(tables.data_quality["reason"])


def test_it_returns_empty_typed_frames_for_no_submissions(dictionary):
    tables = tidy_submissions(schemas.empty(schemas.RAW_SUBMISSIONS), dictionary)
    assert tables.inspections.empty and tables.data_quality.empty
    assert tables.inspections["recorded_on"].dtype == "datetime64[ns]"


def test_it_refuses_raw_input_without_a_required_column():
    frame = pd.DataFrame([raw("a", "sewage_facility_inspection", {})]).drop(columns="is_current")
    with pytest.raises(Exception, match="is_current"):
        submissions_that_count(frame)
