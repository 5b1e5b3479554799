"""What server and ETL tests rely on from forms.samples."""

from lxml import etree

from forms.build import FORM_IDS
from forms.samples import TINY_JPEG, attachment_files, sample_instance, tiny_jpeg


def test_it_is_deterministic_per_seed_and_differs_between_seeds():
    for form_id in FORM_IDS:
        assert sample_instance(form_id, seed=4).xml == sample_instance(form_id, seed=4).xml
        assert (
            sample_instance(form_id, seed=4).instance_id
            != sample_instance(form_id, seed=5).instance_id
        )


def test_it_refers_to_the_registry_rows_it_is_given():
    registry = {
        "admin_village": "320404116219",
        "natural_village": "320404116219001",
        "facility": "ZQ-WS-003",
        "water_body": "ZQ-HC-003",
    }
    inspection = etree.fromstring(
        sample_instance("sewage_facility_inspection", registry=registry).xml
    )
    assert inspection.findtext("admin_village") == "320404116219"
    assert inspection.findtext("natural_village") == "320404116219001"
    assert inspection.findtext("facility") == "ZQ-WS-003"
    water = etree.fromstring(sample_instance("black_odorous_water", registry=registry).xml)
    assert water.findtext("water_body") == "ZQ-HC-003"


def test_it_applies_overrides_by_path_and_replaces_repeats():
    sample = sample_instance(
        "sewage_facility_inspection",
        overrides={
            "checklist/power_ok": "fail",
            "/data/remarks": "停电",
            "fault": [{"fault_type": "power", "fault_severity": "severe"}],
        },
    )
    root = etree.fromstring(sample.xml)
    assert root.findtext("checklist/power_ok") == "fail"
    assert root.findtext("remarks") == "停电"
    assert [f.findtext("fault_type") for f in root.findall("fault")] == ["power"]


def test_it_uses_the_given_instance_id_and_marks_edits_with_deprecated_id():
    original = sample_instance(
        "village_sewage_coverage", instance_id="1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    )
    assert original.instance_id == "uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    edit = sample_instance("village_sewage_coverage", deprecated_id=original.instance_id)
    meta = etree.fromstring(edit.xml).find("meta")
    assert [child.tag for child in meta] == ["instanceID", "deprecatedID", "instanceName"]
    assert meta.findtext("deprecatedID") == original.instance_id
    assert edit.instance_id != original.instance_id


def test_it_lists_every_attachment_the_xml_names_and_supplies_jpeg_bytes():
    sample = sample_instance("sewage_facility_inspection")
    assert len(sample.attachments) == 5
    for name in sample.attachments:
        assert f">{name}<".encode() in sample.xml
    files = attachment_files(sample)
    assert set(files) == set(sample.attachments)
    assert all(content == tiny_jpeg() for content in files.values())


def test_its_jpeg_is_a_well_formed_jfif_file():
    assert TINY_JPEG[:2] == b"\xff\xd8" and TINY_JPEG[-2:] == b"\xff\xd9"
    assert TINY_JPEG[6:10] == b"JFIF"
    # Walk the marker segments up to the start of scan: each length must fit.
    position, markers = 2, []
    while TINY_JPEG[position] == 0xFF and TINY_JPEG[position + 1] != 0xDA:
        markers.append(TINY_JPEG[position + 1])
        position += 2 + int.from_bytes(TINY_JPEG[position + 2 : position + 4], "big")
    assert {0xE0, 0xDB, 0xC0, 0xC4} <= set(markers)  # JFIF, quantisation, baseline frame, Huffman


def test_it_reports_the_form_version():
    for form_id in FORM_IDS:
        sample = sample_instance(form_id)
        assert etree.fromstring(sample.xml).get("version") == sample.version
