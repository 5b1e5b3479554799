"""Straw form: produced = grain × 草谷比 (editable), collectable = produced × 0.8 (editable)."""

BASE = {
    "/data/admin_village": "320404116201",
    "/data/survey_year": "2026",
    "/data/season": "summer",
    "/data/crop": "wheat",
    "/data/sown_area_mu": "1000",
    "/data/yield_kg_per_mu": "400",
    "/data/open_burning_seen": "no",
}
READ = [
    "/data/grain_output_t",
    "/data/straw_grain_ratio",
    "/data/straw_produced_t",
    "/data/straw_produced_estimate_t",
    "/data/collection_coefficient",
    "/data/collectable_t",
]


def values(result):
    return {k.rsplit("/", 1)[1]: v for k, v in result["values"].items()}


def test_it_prefills_the_straw_to_grain_ratio_per_crop(fill):
    crops = [
        ("summer", "wheat", "1.2"),
        ("autumn", "middle_rice", "1"),
        ("summer", "rape", "2.75"),
        ("autumn", "corn", ""),
    ]
    results = fill(
        "straw_utilization",
        [{**BASE, "/data/season": season, "/data/crop": crop} for season, crop, _ in crops],
        ["/data/straw_grain_ratio"],
    )
    assert [values(r)["straw_grain_ratio"] for r in results] == [c[2] for c in crops]


def test_it_computes_produced_and_collectable_straw(fill):
    [result] = fill("straw_utilization", [BASE], READ)
    assert values(result) == {
        "grain_output_t": "400",
        "straw_grain_ratio": "1.2",
        "straw_produced_t": "480",
        "straw_produced_estimate_t": "480",
        "collection_coefficient": "0.8",
        "collectable_t": "384",
    }


def test_it_lets_the_worker_override_ratio_produced_and_coefficient(fill):
    ratio, produced = fill(
        "straw_utilization",
        [
            {**BASE, "/data/straw_grain_ratio": "1.1"},
            {**BASE, "/data/straw_produced_t": "450", "/data/collection_coefficient": "0.9"},
        ],
        READ,
    )
    assert values(ratio)["straw_produced_t"] == "440"
    assert values(ratio)["straw_produced_estimate_t"] == "440"
    assert values(produced)["straw_produced_t"] == "450"
    assert values(produced)["straw_produced_estimate_t"] == "480"
    assert values(produced)["collectable_t"] == "405"


def test_it_keeps_ratios_within_the_ledger_limits(fill, violated):
    wheat_high, rape_ok, rape_high = fill(
        "straw_utilization",
        [
            {**BASE, "/data/straw_grain_ratio": "2.6"},
            {**BASE, "/data/crop": "rape", "/data/straw_grain_ratio": "2.9"},
            {**BASE, "/data/crop": "rape", "/data/straw_grain_ratio": "3.1"},
        ],
        [],
    )
    assert violated(wheat_high).get("/data/straw_grain_ratio") == "constraint"
    assert "/data/straw_grain_ratio" not in violated(rape_ok)
    assert violated(rape_high).get("/data/straw_grain_ratio") == "constraint"


def test_it_computes_the_utilisation_rate_against_collectable_straw(fill):
    uses = {
        "/data/uses/direct_return_t": "300",
        "/data/uses/feed_market_t": "50",
        "/data/uses/exported_t": "10",
        "/data/uses/imported_t": "4",
    }
    [result] = fill(
        "straw_utilization", [{**BASE, **uses}], ["/data/utilised_t", "/data/utilisation_rate"]
    )
    assert result["values"] == {"/data/utilised_t": "356", "/data/utilisation_rate": "0.9271"}


def test_it_refuses_uses_beyond_the_straw_produced(fill, violated):
    [result] = fill("straw_utilization", [{**BASE, "/data/uses/direct_return_t": "500"}], [])
    assert violated(result).get("/data/uses/imported_t") == "constraint"


def test_it_asks_for_gps_and_photo_of_each_burning_site(fill, violated):
    [result] = fill(
        "straw_utilization",
        [{**BASE, "/data/open_burning_seen": "yes", "/data/burning_site[2]/burning_area_mu": "1"}],
        [],
    )
    assert {
        "/data/burning_site[1]/burning_location": "required",
        "/data/burning_site[1]/burning_photo": "required",
        "/data/burning_site[2]/burning_location": "required",
        "/data/burning_site[2]/burning_photo": "required",
    }.items() <= violated(result).items()
