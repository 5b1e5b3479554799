"""Farm-film form: the 0.010 mm thickness flag, the recovered > used confirmation, totals."""

BASE = {
    "/data/admin_village": "320404116201",
    "/data/site_type": "village",
    "/data/period_start": "2026-01-01",
    "/data/period_end": "2026-06-30",
    "/data/pesticide/pesticide_pack_pieces": "10",
    "/data/pesticide/pesticide_pack_kg": "1.5",
}


def entry(index, film_type="mulch", used="100", recovered="90", thickness=None):
    answers = {
        f"/data/film[{index}]/film_type": film_type,
        f"/data/film[{index}]/film_used_kg": used,
        f"/data/film[{index}]/film_recovered_kg": recovered,
        f"/data/film[{index}]/recovery_channel": "point",
    }
    if thickness is not None:
        answers[f"/data/film[{index}]/thickness_mm"] = thickness
    return answers


def test_it_flags_film_thinner_than_0_010_mm(fill):
    thicknesses = ["0.010", "0.0099", "0.008", "0.012"]
    results = fill(
        "agri_film_recovery",
        [{**BASE, **entry(1, thickness=t)} for t in thicknesses] + [{**BASE, **entry(1)}],
        ["/data/film[1]/thin_film", "/data/thin_film_found"],
    )
    flags = [r["values"]["/data/film[1]/thin_film"] for r in results]
    assert flags == ["no", "yes", "yes", "no", "no"]
    assert results[1]["values"]["/data/thin_film_found"] == "yes"


def test_it_asks_for_a_photo_of_thin_film(fill, violated):
    [result] = fill("agri_film_recovery", [{**BASE, **entry(1, thickness="0.008")}], [])
    assert violated(result) == {"/data/film[1]/thin_film_photo": "required"}


def test_it_needs_a_confirmation_when_more_film_is_recovered_than_used(fill, violated):
    confirm = "/data/film[1]/recovered_over_used_confirmed"
    unanswered, refused, confirmed, equal = fill(
        "agri_film_recovery",
        [
            {**BASE, **entry(1, used="100", recovered="120")},
            {**BASE, **entry(1, used="100", recovered="120"), confirm: "no"},
            {**BASE, **entry(1, used="100", recovered="120"), confirm: "yes"},
            {**BASE, **entry(1, used="100", recovered="100")},
        ],
        [],
    )
    assert violated(unanswered) == {confirm: "required"}
    assert violated(refused) == {confirm: "constraint"}
    assert violated(confirmed) == {}
    assert violated(equal) == {}


def test_it_totals_entries_and_computes_the_recovery_rate(fill):
    answers = {
        **BASE,
        **entry(1, used="1200", recovered="1100"),
        **entry(2, film_type="greenhouse", used="800", recovered="700"),
    }
    [result] = fill(
        "agri_film_recovery",
        [answers],
        [
            "/data/film_used_total_kg",
            "/data/film_recovered_total_kg",
            "/data/recovery_rate",
            "/data/film[1]/film_recovery_rate",
        ],
    )
    assert result["values"] == {
        "/data/film_used_total_kg": "2000",
        "/data/film_recovered_total_kg": "1800",
        "/data/recovery_rate": "0.9",
        "/data/film[1]/film_recovery_rate": "0.917",
    }
