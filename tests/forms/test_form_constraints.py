"""Constraints stop impossible input on the phone; ODK's engine reports the violations."""

import pytest

COVERAGE = {
    "/data/admin_village": "320404116201",
    "/data/natural_village": "320404116201001",
    "/data/treatment_mode": "centralized",
    "/data/households_total": "50",
}
WATER = {
    "/data/admin_village": "320404116201",
    "/data/water_body_source": "existing",
    "/data/water_body": "ZQ-HC-001",
    "/data/purpose": "progress",
    "/data/measured": "yes",
    "/data/sample_point[1]/water_depth_cm": "100",
    "/data/sample_point[1]/transparency_cm": "50",
    "/data/sample_point[1]/do_mgl": "6",
    "/data/sample_point[1]/nh3n_mgl": "1",
}
FILM = {
    "/data/admin_village": "320404116201",
    "/data/period_start": "2026-03-01",
    "/data/film[1]/film_type": "mulch",
}
INSPECTION = {"/data/admin_village": "320404116201", "/data/readings/field_readings_taken": "yes"}

# form, answers, the field, its value, whether the engine must refuse it
CASES = [
    ("village_sewage_coverage", COVERAGE, "/data/households_connected", "51", True),
    ("village_sewage_coverage", COVERAGE, "/data/households_connected", "50", False),
    ("village_sewage_coverage", COVERAGE, "/data/households_connected", "-1", True),
    ("village_sewage_coverage", COVERAGE, "/data/households_total", "0", True),
    ("black_odorous_water", WATER, "/data/sample_point[1]/do_mgl", "20.1", True),
    ("black_odorous_water", WATER, "/data/sample_point[1]/do_mgl", "20", False),
    ("black_odorous_water", WATER, "/data/sample_point[1]/do_mgl", "-0.1", True),
    ("black_odorous_water", WATER, "/data/sample_point[1]/transparency_cm", "301", True),
    ("black_odorous_water", WATER, "/data/sample_point[1]/transparency_cm", "101", True),
    ("black_odorous_water", WATER, "/data/sample_point[1]/transparency_cm", "100", False),
    ("black_odorous_water", WATER, "/data/sample_point[1]/nh3n_mgl", "250", True),
    ("black_odorous_water", WATER, "/data/sample_point[1]/water_depth_cm", "0", True),
    (
        "black_odorous_water",
        {**WATER, "/data/remediation/residents_surveyed": "10"},
        "/data/remediation/residents_satisfied",
        "11",
        True,
    ),
    ("agri_film_recovery", FILM, "/data/film[1]/film_used_kg", "-5", True),
    ("agri_film_recovery", FILM, "/data/film[1]/film_used_kg", "250000", True),
    ("agri_film_recovery", FILM, "/data/film[1]/thickness_mm", "0", True),
    ("agri_film_recovery", FILM, "/data/period_end", "2026-02-01", True),
    ("agri_film_recovery", FILM, "/data/pesticide/pesticide_pack_kg", "-1", True),
    ("sewage_facility_inspection", INSPECTION, "/data/readings/ph", "13", True),
    ("sewage_facility_inspection", INSPECTION, "/data/readings/ph", "7.5", False),
    ("sewage_facility_inspection", INSPECTION, "/data/readings/cod_mgl", "-3", True),
    (
        "straw_utilization",
        {"/data/season": "summer", "/data/crop": "wheat"},
        "/data/sown_area_mu",
        "-10",
        True,
    ),
    (
        "straw_utilization",
        {"/data/season": "summer", "/data/crop": "wheat"},
        "/data/yield_kg_per_mu",
        "5000",
        True,
    ),
]


@pytest.fixture(scope="module")
def outcomes(engine):
    by_form: dict[str, list[int]] = {}
    for index, (form_id, *_rest) in enumerate(CASES):
        by_form.setdefault(form_id, []).append(index)
    results: dict[int, dict] = {}
    for form_id, indexes in by_form.items():
        tasks = [
            {
                "kind": "fill",
                "answers": [*CASES[i][1].items(), (CASES[i][2], CASES[i][3])],
                "read": [],
            }
            for i in indexes
        ]
        for i, result in zip(indexes, engine(form_id, tasks), strict=True):
            results[i] = result
    return results


@pytest.mark.parametrize(
    "index", range(len(CASES)), ids=[f"{c[2].rsplit('/', 1)[1]}={c[3]}" for c in CASES]
)
def test_it_refuses_impossible_values(outcomes, violated, index):
    _, _, field, _, refused = CASES[index]
    assert (violated(outcomes[index]).get(field) == "constraint") is refused


def test_it_hides_questions_that_do_not_apply(fill):
    [untreated] = fill(
        "village_sewage_coverage",
        [{**COVERAGE, "/data/treatment_mode": "none"}],
        ["/data/households_connected", "/data/household_coverage"],
    )
    # Not relevant: not asked, not required, not submitted.
    assert "/data/households_connected" not in {v["reference"] for v in untreated["violations"]}
    assert "<households_connected" not in untreated["xml"]
    assert untreated["values"]["/data/household_coverage"] == "0"
