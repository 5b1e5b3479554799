"""The tidy store (``etl.store``): rows kept as CSV lines come back exactly as ``etl.tidy``
made them, through pyarrow's reader, from SQLite (fetched lines) and PostgreSQL (one
``COPY … TO STDOUT``), with the texts a phone can send (commas, quotes, line breaks,
backslashes, tabs)."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl import extract, schemas, store, store_blocks, store_lines, tidy

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
    lines = store_lines.lines_of(frame, list(schema.columns))
    data = "".join(line + "\n" for line in lines).encode()
    return store_lines.lines_parse(data, schema, breaks=True)


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
    assert store_lines.copy_unescape(escaped.encode()) == text.encode()
    assert store_lines.copy_unescape(b"plain,line\n") == b"plain,line\n"


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


def lines_and_blocks_agree(towns: list[str] | None = None) -> None:
    """Every table read from the blocks is what the CSV lines give, row for row."""
    from review.models import CountingRule, ReviewPolicy

    approved_only = set(
        ReviewPolicy.objects.filter(counting=CountingRule.APPROVED_ONLY).values_list(
            "town__code", flat=True
        )
    )
    for name, schema in store.FRAMES.items():
        pd.testing.assert_frame_equal(
            store_blocks.frame_fetch(name, schema, towns, approved_only)(),
            store_lines.frame_read(name, schema, towns, approved_only),
            obj=name,
        )


@pytest.mark.django_db
def test_the_blocks_follow_edits_review_decisions_and_deletions():
    """The typed blocks give exactly the rows the lines give, in the same order: after the
    first build, while a town's block is empty (read from its rows), and after an edit, a
    rejection, a town counting approved submissions only and a deleted submission."""
    from django.utils import timezone

    from collect.models import Submission
    from indicators.models import TidyBlock
    from registry.models import Town
    from review.models import CountingRule, Review, ReviewPolicy

    province.province_generate(scale=0.001, seed=11)
    store.refresh()
    assert store_blocks.usable()
    assert not TidyBlock.objects.filter(data__isnull=True).exists()
    towns = sorted(TidyBlock.objects.values_list("town_code", flat=True).distinct())
    lines_and_blocks_agree()
    lines_and_blocks_agree(towns[:1])
    lines_and_blocks_agree([])

    store_blocks.stale_mark(("inspections", town) for town in towns[:2])
    assert TidyBlock.objects.filter(data__isnull=True).count() == 2
    lines_and_blocks_agree()

    inspections = Submission.objects.filter(form__form_id="sewage_facility_inspection")
    first, second, fourth = inspections.order_by("pk")[:3]
    third = next(s for s in inspections.order_by("-pk") if town_of(s) != town_of(first))
    Submission.objects.filter(pk=first.pk).update(is_current=False)
    edit = Submission.objects.get(pk=first.pk)
    edit.pk, edit.instance_id, edit.replaces_id, edit.is_current = None, "uuid:edit", first.pk, True
    edit.save()
    for submission, state in ((second, "rejected"), (third, "approved")):
        Review.objects.update_or_create(
            submission=submission, defaults={"state": state, "changed_at": timezone.now()}
        )
    town = Town.objects.get(code=town_of(third))
    ReviewPolicy.objects.update_or_create(
        town=town, defaults={"counting": CountingRule.APPROVED_ONLY}
    )
    fourth.delete()
    assert TidyBlock.objects.filter(data__isnull=True).exists()  # the deleted one's
    lines_and_blocks_agree()
    changes = store.refresh()
    assert changes.tidied == 1
    assert not TidyBlock.objects.filter(data__isnull=True).exists()
    lines_and_blocks_agree()
    read = store.tables_read()
    ids = set(read.inspections["instance_id"])
    assert "uuid:edit" in ids and first.instance_id not in ids
    assert second.instance_id not in ids and fourth.instance_id not in ids
    assert third.instance_id in ids
    counted = read.inspections.loc[read.inspections["admin_village_code"].str[:9] == town.code]
    assert counted["instance_id"].tolist() == [third.instance_id]


def town_of(submission) -> str:
    from indicators.models import TidyRow

    return TidyRow.objects.filter(submission=submission).values_list("town_code", flat=True)[0]
