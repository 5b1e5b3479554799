"""The forms read the server's CSV media files by their fixed names and columns."""

import csv
import re
from pathlib import Path

from forms import dictionary
from forms.build import FORM_IDS

MEDIA_DIR = Path(__file__).resolve().parent / "media"
REGISTRY_VILLAGES = (
    Path(__file__).resolve().parents[2] / "server" / "registry" / "data" / "villages.csv"
)

# Fixed with the server, which generates these files per user.
MEDIA_COLUMNS = {
    "villages.csv": ["name", "label", "admin_village", "admin_village_label"],
    "facilities.csv": [
        "name",
        "label",
        "admin_village",
        "villages",
        "process_type",
        "admin_villages",
    ],
    "water_bodies.csv": ["name", "label", "admin_village", "village", "kind", "stage"],
}
EXPECTED_MEDIA = {
    "sewage_facility_inspection": {"villages.csv", "facilities.csv"},
    "village_sewage_coverage": {"villages.csv", "facilities.csv"},
    "black_odorous_water": {"villages.csv", "water_bodies.csv"},
    "agri_film_recovery": {"villages.csv"},
    "straw_utilization": {"villages.csv"},
}


def test_it_reads_the_agreed_media_files_per_form(built_forms):
    for form_id in FORM_IDS:
        assert set(built_forms[form_id].media_files) == EXPECTED_MEDIA[form_id], form_id


def test_its_test_media_have_exactly_the_agreed_columns():
    for name, columns in MEDIA_COLUMNS.items():
        with (MEDIA_DIR / name).open(encoding="utf-8") as f:
            assert next(csv.reader(f)) == columns, name


def test_it_filters_and_looks_up_only_agreed_columns(built_forms):
    # e.g. instance('villages')/root/item[admin_village= /data/admin_village ]
    #      instance('facilities')/root/item[name= /data/facility ]/process_type
    pattern = re.compile(r"instance\('(\w+)'\)/root/item\[([^\]]*)\](?:/(\w+))?")
    for form in built_forms.values():
        found = pattern.findall(form.xml)
        assert found, form.form_id
        for instance_id, predicate, looked_up in found:
            if f"{instance_id}.csv" not in MEDIA_COLUMNS:
                continue  # an internal choice list
            columns = MEDIA_COLUMNS[f"{instance_id}.csv"]
            # Bare names in the predicate are columns; /data/... and quoted strings are not.
            without_paths = re.sub(r"/data/[\w/]+|'[^']*'", "", predicate)
            names = set(re.findall(r"[A-Za-z_][\w-]*", without_paths)) - {
                "and",
                "or",
                "selected",
                "not",
            }
            assert names <= set(columns), (form.form_id, predicate)
            if looked_up:
                assert looked_up in columns, (form.form_id, looked_up)


def test_it_offers_the_registrys_administrative_villages():
    with REGISTRY_VILLAGES.open(encoding="utf-8") as f:
        registry = [(row["code"], row["name_zh"]) for row in csv.DictReader(f)]
    for form_id in FORM_IDS:
        field = next(f for f in dictionary.load(form_id) if f.name == "admin_village")
        offered = [tuple(pair.split("=", 1)) for pair in field.choice_labels_zh.split("; ")]
        assert offered == registry, form_id
