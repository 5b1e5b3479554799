"""Every built form loads in ODK's own form engine, @getodk/xforms-engine, headless."""

import re

from forms.build import FORM_IDS


def test_it_loads_every_form_in_odks_engine_with_the_instance_we_built(engine, instance_paths):
    for form_id in FORM_IDS:
        [result] = engine(form_id, [{"kind": "load"}])
        assert result["status"] == "success", (form_id, result["error"])
        references = {re.sub(r"\[\d+\]", "", r) for r in result["references"]}
        # The engine leaves out empty repeats and pyxform's repeat template, nothing else.
        assert references <= instance_paths[form_id], form_id
        assert {p for p in instance_paths[form_id] if "/" not in p[6:]} <= references, form_id


def test_it_filters_natural_villages_and_facilities_by_the_chosen_village(engine):
    [result] = engine(
        "sewage_facility_inspection",
        [
            {
                "kind": "fill",
                "answers": [
                    ["/data/admin_village", "320404116201"],
                    ["/data/natural_village", "320404116201003"],
                    ["/data/facility", "ZQ-WS-002"],
                ],
                "read": ["/data/natural_village", "/data/facility", "/data/facility_process_type"],
            }
        ],
    )
    assert result["values"] == {
        "/data/natural_village": "320404116201003",
        "/data/facility": "ZQ-WS-002",
        "/data/facility_process_type": "wetland",
    }


def test_it_refuses_a_facility_of_another_village(engine):
    [result] = engine(
        "sewage_facility_inspection",
        [
            {
                "kind": "fill",
                "answers": [
                    ["/data/admin_village", "320404116201"],
                    ["/data/facility", "ZQ-WS-003"],
                ],
                "read": ["/data/facility"],
            }
        ],
    )
    # ZQ-WS-003 belongs to 殷村, so it is not among the options and cannot be chosen.
    assert result["values"]["/data/facility"] == ""
