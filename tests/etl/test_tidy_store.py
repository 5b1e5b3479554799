"""The tidy store (``etl.store``): rows kept as CSV lines come back exactly as ``etl.tidy``
made them, through pyarrow's reader, from SQLite (fetched lines) and PostgreSQL (one
``COPY … TO STDOUT``), with the texts a phone can send (commas, quotes, line breaks,
backslashes, tabs)."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl import extract, schemas, store, tidy

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import province

AWKWARD_TEXTS = [
    'pump, "main" one',
    "line one\nline two",
    "carriage\r\nreturn",
    "back\\slash \\n not a break",
    "tab\there",
    "已报供电所抢修",
    "",
    None,
]


def stored_and_read(frame: pd.DataFrame, schema) -> pd.DataFrame:
    lines = store._lines(frame, list(schema.columns))
    data = "".join(line + "\n" for line in lines).encode()
    return store.lines_parse(data, schema, breaks=True)


def test_every_dtype_comes_back_as_written():
    frame = schemas.COVERAGE_SURVEYS.validate(
        pd.DataFrame(
            {
                "instance_id": ["uuid:a", "uuid:b", "uuid:c"],
                "form_version": ["1", "1", None],
                "submitted_at": pd.to_datetime(
                    [
                        "2025-01-02 03:04:05.123456",
                        "2025-01-02 00:00:00",
                        "2024-12-31 23:59:59.000001",
                    ],
                    format="ISO8601",
                ),
                "submitter": ["w", "w", "x"],
                "admin_village_code": ["320404116201", None, "320404116202"],
                "natural_village_code": ["320404116201001"] * 3,
                "latitude": [31.123456789012345, np.nan, 0.1 + 0.2],
                "longitude": [119.9, 1e-300, -0.0],
                "recorded_on": pd.to_datetime(["2025-01-01", "2025-02-28", "2024-02-29"]),
                "treatment_mode": ["village_plant", "household", "none"],
                "sewage_mode": ["centralized", "decentralized", "none"],
                "households_total": pd.array([10, None, 2**40], dtype="Int64"),
                "households_connected": pd.array([None, 3, 0], dtype="Int64"),
            }
        )
    )
    pd.testing.assert_frame_equal(stored_and_read(frame, schemas.COVERAGE_SURVEYS), frame)


def test_booleans_and_awkward_texts_come_back_as_written():
    faults = schemas.INSPECTION_FAULTS.validate(
        pd.DataFrame(
            {
                "instance_id": [f"uuid:{n}" for n in range(len(AWKWARD_TEXTS))],
                "entry": range(1, len(AWKWARD_TEXTS) + 1),
                "fault_type": ["power"] * len(AWKWARD_TEXTS),
                "fault_severity": ["minor"] * len(AWKWARD_TEXTS),
                "fault_fixed_on_site": ["yes", None] * (len(AWKWARD_TEXTS) // 2),
                "fault_action": AWKWARD_TEXTS,
            }
        )
    )
    expected = faults.assign(fault_action=[*AWKWARD_TEXTS[:-2], None, None])  # "" is missing
    pd.testing.assert_frame_equal(stored_and_read(faults, schemas.INSPECTION_FAULTS), expected)
    entries = schemas.FILM_ENTRIES.validate(
        pd.DataFrame(
            {
                "instance_id": ["uuid:a", "uuid:a"],
                "entry": [1, 2],
                "film_type": ["mulch", "greenhouse"],
                "film_used_kg": [514.8, 0.1],
                "film_recovered_kg": [498.2, 0.0],
                "thickness_mm": [np.nan, 0.008],
                "thin_film": [False, True],
            }
        )
    )
    pd.testing.assert_frame_equal(stored_and_read(entries, schemas.FILM_ENTRIES), entries)


def test_copy_escapes_are_undone():
    text = "a\\b\nc\td\re\x08f\x0cg\x0bh"
    escaped = (
        text.replace("\\", "\\\\")
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
        .replace("\x08", "\\b")
        .replace("\x0c", "\\f")
        .replace("\x0b", "\\v")
    )
    assert store._copy_unescape(escaped.encode()) == text.encode()
    assert store._copy_unescape(b"plain,line\n") == b"plain,line\n"


def ordered(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.sort_values(keys, kind="stable", ignore_index=True)


@pytest.mark.django_db
def test_the_store_reads_back_what_tidying_the_submissions_gives():
    """The reference: ``etl.tidy`` run directly on the submissions the store was built from
    (a small province, with awkward fault texts written into some answers)."""
    from collect.models import Submission

    province.province_generate(scale=0.001, seed=5)
    with_faults = [
        s
        for s in Submission.objects.filter(form__form_id="sewage_facility_inspection").order_by(
            "pk"
        )[:400]
        if s.answers.get("fault")
    ][: len(AWKWARD_TEXTS)]
    for submission, text in zip(with_faults, AWKWARD_TEXTS, strict=False):
        submission.answers["fault"][0]["fault/fault_action"] = text or ""
        Submission.objects.filter(pk=submission.pk).update(answers=submission.answers)
    assert store.refresh().tidied == Submission.objects.count()
    reference = tidy.tidy_submissions(extract.submissions_read(), extract.data_dictionary_read())
    stored = store.tables_read()
    for name in store.FRAMES:
        # The same rows, in the order of submission and entry either way.
        keys = [c for c in ("instance_id", "entry", "field") if c in store.FRAMES[name].columns]
        expected = getattr(reference, name)[list(store.FRAMES[name].columns)]
        pd.testing.assert_frame_equal(
            ordered(getattr(stored, name), keys), ordered(expected, keys), obj=name
        )
    actions = set(stored.inspection_faults["fault_action"].dropna())
    assert {t for t in AWKWARD_TEXTS if t} <= actions
    towns = sorted(set(stored.inspections["admin_village_code"].str[:9]))
    one_town = store.tables_read(towns[:1])
    assert (
        len(one_town.inspections)
        == (stored.inspections["admin_village_code"].str[:9] == towns[0]).sum()
    )


@pytest.mark.parametrize("name", list(store.FRAMES))
def test_an_empty_frame_is_what_validating_no_rows_gives(name):
    schema = store.FRAMES[name]
    validated = schema.validate(pd.DataFrame({column: [] for column in schema.columns}))
    pd.testing.assert_frame_equal(schemas.empty(schema), validated)
