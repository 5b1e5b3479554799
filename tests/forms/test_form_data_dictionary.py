"""docs/forms/data_dictionary.csv is current and matches the built forms' instances."""

from forms import dictionary
from forms.build import FORM_IDS


def test_it_is_up_to_date_with_the_forms(built_forms):
    fields = dictionary.fields_from_forms(list(built_forms.values()))
    assert dictionary.is_current(fields), "run `make forms` and commit docs/forms/"


def test_it_lists_exactly_the_elements_of_each_built_instance(instance_paths):
    for form_id in FORM_IDS:
        listed = {f.path for f in dictionary.load(form_id)}
        # The root element itself is the form, not a field.
        assert listed == instance_paths[form_id] - {"/data"}, form_id


def test_it_loads_typed_fields_for_other_code():
    fields = dictionary.load("sewage_facility_inspection")
    by_path = {f.path: f for f in fields}
    status = by_path["/data/status_class"]
    assert status.choices == ["normal", "defective", "stopped"]
    assert by_path["/data/fault/fault_type"].repeat == "/data/fault"
    assert by_path["/data/readings/cod_mgl"].unit == "mg/L"
    assert by_path["/data/readings/cod_mgl"].data_type == "decimal"
    assert by_path["/data/facility"].list_name == "facilities.csv"
    assert by_path["/data/facility"].type == "select_one_from_file"
    assert not by_path["/data/checklist"].is_data


def test_it_keeps_the_scoping_keys_at_the_top_level():
    for form_id in FORM_IDS:
        paths = {f.path for f in dictionary.load(form_id)}
        assert {"/data/admin_village", "/data/natural_village"} <= paths, form_id
    assert "/data/facility" in {f.path for f in dictionary.load("sewage_facility_inspection")}
    water = {f.path for f in dictionary.load("black_odorous_water")}
    assert {"/data/water_body", "/data/new_water_body_name"} <= water


def test_it_describes_labels_in_both_languages():
    for field in dictionary.load():
        if field.type not in ("calculate", "start", "end", "today", "username", "deviceid"):
            if field.name in ("meta", "instanceID", "instanceName"):
                continue
            assert field.label_zh and field.label_en, (field.form_id, field.path)
