"""Sample submissions fit the built forms: structure, types, codes; ODK's engine accepts them."""

import csv
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from lxml import etree

from forms import dictionary
from forms.build import FORM_IDS
from forms.samples import sample_instance

MEDIA_DIR = Path(__file__).resolve().parent / "media"
SEEDS = [0, 1, 2]
CASES = [(form_id, seed) for form_id in FORM_IDS for seed in SEEDS]


def media_codes(file_name):
    with (MEDIA_DIR / file_name).open(encoding="utf-8") as f:
        return {row["name"] for row in csv.DictReader(f)}


def indexless(element):
    return re.sub(r"\[\d+\]", "", element.getroottree().getpath(element))


def parse_value(field, text, attachments):
    if field.data_type == "int":
        int(text)
    elif field.data_type == "decimal":
        float(text)
    elif field.data_type == "date":
        date.fromisoformat(text)
    elif field.data_type == "dateTime":
        datetime.fromisoformat(text)
    elif field.data_type == "geopoint":
        lat, lon, _alt, accuracy = (float(x) for x in text.split())
        assert 31.68 <= lat <= 31.88 and 119.72 <= lon <= 119.94 and accuracy >= 0
    elif field.data_type == "binary":
        assert text in attachments
    if field.list_name.endswith(".csv"):
        assert set(text.split()) <= media_codes(field.list_name)
    elif field.choices and field.type != "calculate":
        assert set(text.split()) <= set(field.choices)
    elif field.choices:
        assert text in field.choices


def relevance_free(fields_by_path, path):
    """True when neither the field nor any enclosing group or repeat has a relevance rule."""
    while path != "/data":
        if fields_by_path[path].relevant:
            return False
        path = path.rsplit("/", 1)[0]
    return True


@pytest.mark.parametrize(("form_id", "seed"), CASES)
def test_it_fits_the_instance_structure_types_and_codes(form_id, seed, built_forms):
    sample = sample_instance(form_id, seed=seed)
    root = etree.fromstring(sample.xml)
    form = built_forms[form_id]
    fields = {f.path: f for f in dictionary.load(form_id)}
    assert (root.tag, root.get("id"), root.get("version")) == ("data", form_id, form.version)
    assert re.fullmatch(r"uuid:[0-9a-f-]{36}", root.findtext("meta/instanceID"))
    assert root.findtext("meta/instanceID") == sample.instance_id
    for element in root.iter():
        if element is root:
            continue
        path = indexless(element)
        assert path in fields, path
        if element.text:
            try:
                parse_value(fields[path], element.text, sample.attachments)
            except (AssertionError, ValueError) as exc:
                raise AssertionError(f"{path}={element.text!r}") from exc
    for path, field in fields.items():
        if field.required and relevance_free(fields, path) and not field.repeat:
            assert root.xpath(path)[0].text, f"required {path} is empty"


def test_its_repeats_have_several_entries():
    counts = {
        "sewage_facility_inspection": "fault",
        "black_odorous_water": "sample_point",
        "agri_film_recovery": "film",
        "straw_utilization": "burning_site",
    }
    for form_id, repeat in counts.items():
        root = etree.fromstring(sample_instance(form_id).xml)
        assert len(root.findall(repeat)) >= 2, form_id


@pytest.fixture(scope="module")
def restored(engine):
    results = {}
    for form_id in FORM_IDS:
        samples = [sample_instance(form_id, seed=seed) for seed in SEEDS]
        tasks = [{"kind": "restore", "xml": s.xml.decode("utf-8")} for s in samples]
        for seed, sample, result in zip(SEEDS, samples, engine(form_id, tasks), strict=True):
            results[form_id, seed] = (sample, result)
    return results


@pytest.mark.parametrize(("form_id", "seed"), CASES)
def test_it_passes_odks_required_and_constraint_checks(restored, form_id, seed):
    _, result = restored[form_id, seed]
    assert result.get("error") is None
    assert result["violations"] == []


def same(a, b):
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return a == b


@pytest.mark.parametrize(("form_id", "seed"), CASES)
def test_it_carries_the_values_odks_engine_calculates(restored, form_id, seed):
    sample, result = restored[form_id, seed]
    ours = etree.fromstring(sample.xml)
    theirs = etree.fromstring(result["xml"].encode("utf-8"))
    calculated = {f.path for f in dictionary.load(form_id) if f.type == "calculate"}
    calculated -= {"/data/meta/instanceID"}
    checked = 0
    for element in theirs.iter():
        if indexless(element) not in calculated:
            continue
        mine = ours.xpath(element.getroottree().getpath(element))
        assert mine, f"{indexless(element)} missing from the sample"
        assert same(mine[0].text or "", element.text or ""), (
            indexless(element),
            mine[0].text,
            element.text,
        )
        checked += 1
    assert checked >= 3
