"""The limits readings are judged by (black-odorous water, banned film) are parameters of
the tidy step, not constants: the server passes its editable 判定阈值 table."""

import pandas as pd
import pytest

from collect.openrosa import instance_answers, instance_parse
from etl.judgements import SEED_JUDGEMENTS, THIN_FILM_MM, WATER_DO_MGL, Judgements
from etl.tidy import tidy_submissions
from forms.samples import sample_instance

REPEATS = ["fault", "sample_point", "film", "burning_site"]
BLACK_WORKS, CLEAN_MONITORING = 0, 1  # forms.samples scenarios of black_odorous_water


def rows(form_id: str, seed: int) -> pd.DataFrame:
    instance = instance_parse(sample_instance(form_id, seed=seed).xml)
    return pd.DataFrame(
        [
            {
                "instance_id": instance.instance_id,
                "form_id": form_id,
                "form_version": instance.version,
                "submitted_at": pd.Timestamp("2025-07-10"),
                "submitter": "official",
                "answers": instance_answers(instance, repeat_paths=REPEATS),
                "is_current": True,
                "review_state": None,
            }
        ]
    )


def test_without_a_table_the_seed_limits_apply():
    assert Judgements.of() == Judgements.of(SEED_JUDGEMENTS)
    assert Judgements.of({WATER_DO_MGL: 3}).water_do_mgl == 3.0
    assert Judgements.of().fingerprint() != Judgements.of({WATER_DO_MGL: 3}).fingerprint()


def test_the_black_odorous_judgement_follows_the_limits(dictionary):
    clean = rows("black_odorous_water", CLEAN_MONITORING)
    black = rows("black_odorous_water", BLACK_WORKS)
    seeds = tidy_submissions(pd.concat([clean, black]), dictionary).water_observations
    assert seeds.set_index("instance_id")["rural_black"].tolist() == [False, True]
    # A stricter dissolved-oxygen limit than any reading: the clean water is black too.
    strict = Judgements.of({WATER_DO_MGL: 50.0})
    judged = tidy_submissions(clean, dictionary, strict).water_observations
    assert judged["rural_black"].tolist() == [True]


@pytest.mark.parametrize(("limit", "thin"), [(0.010, False), (0.015, True)])
def test_the_banned_film_judgement_follows_the_limit(dictionary, limit, thin):
    film = rows("agri_film_recovery", 0)
    entries = tidy_submissions(film, dictionary, Judgements.of({THIN_FILM_MM: limit}))
    mulch = entries.film_entries.loc[entries.film_entries["thickness_mm"].eq(0.012)]
    assert not mulch.empty
    assert mulch["thin_film"].tolist() == [thin] * len(mulch)
