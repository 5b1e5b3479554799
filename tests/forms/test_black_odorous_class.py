"""Black-odorous classification per domain reference §4.1/§4.2, evaluated by ODK's engine.

Urban guide grades (light / heavy): SD 10–25 / <10 cm, DO 0.2–2.0 / <0.2 mg/L,
NH3-N 8–15 / >15 mg/L, ORP −200–50 / <−200 mV; the worst indicator decides. Rural flag:
SD < 25 cm, DO < 2 mg/L or NH3-N > 15 mg/L. Below 25 cm depth SD is judged against 40 % of
the depth; water clear to the bottom is not black-odorous on SD.
"""

import pytest

BASE = {
    "/data/admin_village": "320404116201",
    "/data/water_body_source": "existing",
    "/data/water_body": "ZQ-HC-001",
    "/data/purpose": "screening",
    "/data/measured": "yes",
}
GOOD_POINT = {
    "water_depth_cm": "100",
    "transparency_cm": "50",
    "clear_to_bottom": "no",
    "do_mgl": "6",
    "nh3n_mgl": "1",
}
READ = ["/data/bo_class", "/data/rural_black", "/data/sample_point[1]/sd_light_limit_cm"]


def point(**changes):
    values = {**GOOD_POINT, **changes}
    return {f"/data/sample_point[1]/{k}": v for k, v in values.items()}


CASES = [
    # name, point changes, urban class, rural flag
    ("all good", {}, "not_black", "no"),
    ("SD 25 cm", {"transparency_cm": "25"}, "not_black", "no"),
    ("SD 24.9 cm", {"transparency_cm": "24.9"}, "light", "yes"),
    ("SD 10 cm", {"transparency_cm": "10"}, "light", "yes"),
    ("SD 9.9 cm", {"transparency_cm": "9.9"}, "heavy", "yes"),
    ("DO 2.0", {"do_mgl": "2.0"}, "not_black", "no"),
    ("DO 1.99", {"do_mgl": "1.99"}, "light", "yes"),
    ("DO 0.2", {"do_mgl": "0.2"}, "light", "yes"),
    ("DO 0.19", {"do_mgl": "0.19"}, "heavy", "yes"),
    ("NH3-N 7.99", {"nh3n_mgl": "7.99"}, "not_black", "no"),
    ("NH3-N 8", {"nh3n_mgl": "8"}, "light", "no"),
    ("NH3-N 15", {"nh3n_mgl": "15"}, "light", "no"),
    ("NH3-N 15.01", {"nh3n_mgl": "15.01"}, "heavy", "yes"),
    ("ORP 50", {"orp_mv": "50"}, "not_black", "no"),
    ("ORP 49", {"orp_mv": "49"}, "light", "no"),
    ("ORP -200", {"orp_mv": "-200"}, "light", "no"),
    ("ORP -201", {"orp_mv": "-201"}, "heavy", "no"),
    (
        "shallow 20 cm: SD 8 = 40% of depth",
        {"water_depth_cm": "20", "transparency_cm": "8"},
        "not_black",
        "no",
    ),
    ("shallow 20 cm: SD 7.9", {"water_depth_cm": "20", "transparency_cm": "7.9"}, "light", "yes"),
    (
        "shallow 20 cm: SD 3.2 = 40% of the limit",
        {"water_depth_cm": "20", "transparency_cm": "3.2"},
        "light",
        "yes",
    ),
    ("shallow 20 cm: SD 3.1", {"water_depth_cm": "20", "transparency_cm": "3.1"}, "heavy", "yes"),
    (
        "shallow 20 cm: SD 20, seen to the bottom",
        {"water_depth_cm": "20", "transparency_cm": "20"},
        "not_black",
        "no",
    ),
    (
        "clear to the bottom though SD is low",
        {"water_depth_cm": "12", "transparency_cm": "2", "clear_to_bottom": "yes"},
        "not_black",
        "no",
    ),
    (
        "depth exactly 25 cm is not shallow",
        {"water_depth_cm": "25", "transparency_cm": "24"},
        "light",
        "yes",
    ),
]


@pytest.fixture(scope="module")
def outcomes(fill):
    cases = [{**BASE, **point(**changes)} for _, changes, _, _ in CASES]
    return fill("black_odorous_water", cases, READ)


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c[0] for c in CASES])
def test_it_classifies_a_sampling_point_at_the_boundaries(outcomes, index):
    _, _, urban, rural = CASES[index]
    values = outcomes[index]["values"]
    assert (values["/data/bo_class"], values["/data/rural_black"]) == (urban, rural)


def test_it_judges_shallow_water_against_forty_percent_of_the_depth(outcomes):
    shallow = next(i for i, c in enumerate(CASES) if c[0].startswith("shallow 20 cm: SD 8 "))
    assert outcomes[shallow]["values"]["/data/sample_point[1]/sd_light_limit_cm"] == "8"


def test_it_takes_the_worst_sampling_point(fill):
    worst = {
        **BASE,
        **point(),
        **{
            "/data/sample_point[2]/water_depth_cm": "60",
            "/data/sample_point[2]/transparency_cm": "30",
            "/data/sample_point[2]/clear_to_bottom": "no",
            "/data/sample_point[2]/do_mgl": "0.1",
            "/data/sample_point[2]/nh3n_mgl": "2",
        },
    }
    [result] = fill("black_odorous_water", [worst], READ)
    assert result["values"]["/data/bo_class"] == "heavy"
    assert result["values"]["/data/rural_black"] == "yes"


def test_it_leaves_the_class_empty_without_readings(fill):
    [result] = fill("black_odorous_water", [{**BASE, "/data/measured": "no"}], READ)
    assert result["values"]["/data/bo_class"] == ""
    assert result["values"]["/data/rural_black"] == ""
