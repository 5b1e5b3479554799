"""``schemas.validate``: pandera's ``validate`` without its element-wise work when there is
nothing to coerce; the same frame, or the same ``SchemaError``, in every case."""

import numpy as np
import pandas as pd
import pandera.errors
import pandera.pandas
import pytest

from etl import schemas
from tests.etl.etl_builders import NV_A1, NV_A2, facility, village


def _villages(**changes) -> pd.DataFrame:
    rows = pd.DataFrame([village(NV_A1, mode="sewer"), village(NV_A2, households=0)])
    return rows.assign(**changes)


def _facilities(**changes) -> pd.DataFrame:
    rows = pd.DataFrame(
        [
            facility("ZQ-WS-001", NV_A1, status="normal", status_date="2020-06-30"),
            facility("ZQ-WS-002", NV_A2),
        ]
    )
    rows["status_date"] = pd.to_datetime(rows["status_date"]).astype("datetime64[ns]")
    return rows.assign(**changes)


def _same_as_pandera(schema, frame: pd.DataFrame) -> pd.DataFrame:
    expected = schema.validate(frame.copy())
    got = schemas.validate(schema, frame)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert list(got.dtypes) == list(expected.dtypes)
    assert got is not frame
    return got


@pytest.mark.parametrize(
    "frame",
    [
        _villages(),
        _villages(extra="dropped"),  # strict="filter": a column the schema does not name goes
        _villages(name=[None, "x"]),  # missing names kept as they are
        _villages(name=["x", np.nan]),
        _villages(code=["1", "2"], name=[None, "x"]),
    ],
)
def test_ready_frames_come_back_as_pandera_returns_them(frame):
    got = _same_as_pandera(schemas.NATURAL_VILLAGES, frame)
    assert schemas._passes(schemas.NATURAL_VILLAGES, frame)
    assert list(got.columns) == list(schemas.NATURAL_VILLAGES.columns)


def test_nullable_columns_and_dates():
    frame = _facilities(natural_village_code=[NV_A1, np.nan], status=["normal", None])
    assert schemas._passes(schemas.FACILITIES, frame)
    _same_as_pandera(schemas.FACILITIES, frame)


@pytest.mark.parametrize(
    "frame",
    [
        _villages(code=[320404116201001, 320404116201002]),  # numbers in a text column
        _villages(households=[10.0, 0.0]),  # floats for integers
        _villages(is_planned_relocation=[0, 1]),
        _villages(name=["a", 3]),  # one value to turn into text
    ],
)
def test_frames_to_coerce_go_through_pandera(frame):
    assert not schemas._passes(schemas.NATURAL_VILLAGES, frame)
    _same_as_pandera(schemas.NATURAL_VILLAGES, frame)


def test_missing_texts_need_no_coercion():
    villages = _villages(name=[None, None])
    assert schemas._passes(schemas.NATURAL_VILLAGES, villages)
    got = _same_as_pandera(schemas.NATURAL_VILLAGES, villages)
    assert got["name"].tolist() == [None, None]
    floats = _villages(name=[None, np.nan])  # a float column: pandera makes it text
    assert not schemas._passes(schemas.NATURAL_VILLAGES, floats)
    _same_as_pandera(schemas.NATURAL_VILLAGES, floats)


def test_objects_for_flags_go_through_pandera():
    facilities = _facilities(in_service=[True, None])  # pandera makes None False
    assert not schemas._passes(schemas.FACILITIES, facilities)
    _same_as_pandera(schemas.FACILITIES, facilities)


def test_dates_of_another_unit_are_coerced():
    frame = _facilities()
    frame["status_date"] = frame["status_date"].astype("datetime64[s]")
    assert not schemas._passes(schemas.FACILITIES, frame)
    _same_as_pandera(schemas.FACILITIES, frame)


@pytest.mark.parametrize(
    ("schema", "frame"),
    [
        (schemas.NATURAL_VILLAGES, _villages(sewage_mode=["sewer", "septic"])),  # isin
        (schemas.NATURAL_VILLAGES, _villages(households=[10, -1])),  # ge
        (schemas.NATURAL_VILLAGES, _villages(code=[NV_A1, NV_A1])),  # unique
        (schemas.NATURAL_VILLAGES, _villages(admin_village_code=[None, "x"])),  # not nullable
        (schemas.NATURAL_VILLAGES, _villages().drop(columns=["sewage_mode"])),  # required
    ],
)
def test_bad_frames_raise_as_pandera_does(schema, frame):
    assert not schemas._passes(schema, frame)
    with pytest.raises(pandera.errors.SchemaError) as expected:
        schema.validate(frame.copy())
    with pytest.raises(pandera.errors.SchemaError) as got:
        schemas.validate(schema, frame)
    assert str(got.value) == str(expected.value)


def test_limits_with_missing_values():
    entries = pd.DataFrame(
        {
            "instance_id": ["a", "a", "b"],
            "entry": [1, 2, 1],
            "film_type": ["mulch", "mulch", "shed"],
            "film_used_kg": [1.0, 2.0, 0.0],
            "film_recovered_kg": [1.0, 0.5, 0.0],
            "thickness_mm": [0.01, np.nan, 0.02],  # nullable, > 0 where given
            "thin_film": [False, False, True],
        }
    )
    assert schemas._passes(schemas.FILM_ENTRIES, entries)
    _same_as_pandera(schemas.FILM_ENTRIES, entries)
    zero = entries.assign(thickness_mm=[0.01, 0.0, 0.02])
    assert not schemas._passes(schemas.FILM_ENTRIES, zero)
    with pytest.raises(pandera.errors.SchemaError):
        schemas.validate(schemas.FILM_ENTRIES, zero)
    coefficient = schemas.STRAW_RECORDS.columns["collection_coefficient"]
    assert not schemas._column_passes(coefficient, pd.Series([0.5, 1.5]))  # le 1
    assert schemas._column_passes(coefficient, pd.Series([0.5, 1.0]))


@pytest.mark.parametrize("name", sorted(n for n in dir(schemas) if n.isupper()))
def test_empty_frames(name):
    schema = getattr(schemas, name)
    if not isinstance(schema, pandera.pandas.DataFrameSchema):
        return
    # As tidy builds them (object columns), and as schemas.empty gives them.
    _same_as_pandera(schema, pd.DataFrame([], columns=list(schema.columns)))
    _same_as_pandera(schema, schemas.empty(schema))
