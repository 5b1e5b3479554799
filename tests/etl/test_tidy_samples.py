"""The tidy step reads what the OpenRosa endpoint stores for real instances of every form."""

import pandas as pd
import pytest

from collect.openrosa import instance_answers, instance_parse
from etl.tidy import FORM_SPECS, tidy_submissions
from forms.samples import sample_instance

REPEATS = ["fault", "sample_point", "film", "burning_site"]


@pytest.mark.parametrize("form_id", sorted(FORM_SPECS))
def test_it_tidies_sample_instances_without_data_quality_issues(form_id, dictionary):
    rows = []
    for seed in range(3):
        instance = instance_parse(sample_instance(form_id, seed=seed).xml)
        rows.append(
            {
                "instance_id": instance.instance_id,
                "form_id": form_id,
                "form_version": instance.version,
                "submitted_at": pd.Timestamp("2025-07-10"),
                "submitter": "worker",
                "answers": instance_answers(instance, repeat_paths=REPEATS),
                "is_current": True,
                "review_state": None,
            }
        )
    tables = tidy_submissions(pd.DataFrame(rows), dictionary)
    frame = getattr(tables, FORM_SPECS[form_id].frame)
    assert len(frame) == 3
    assert tables.data_quality.empty, tables.data_quality.to_dict("records")
