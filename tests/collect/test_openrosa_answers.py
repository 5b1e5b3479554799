"""Answers looked up by field name, as the submission path reads the registry codes."""

from collect.openrosa import answer_by_name, answers_by_name


def test_the_shallowest_answer_of_a_name_wins_and_repeats_are_not_looked_into():
    answers = {
        "group/facility": "ZQ-WS-002",
        "facility": "ZQ-WS-001",
        "other/deeper/facility": "ZQ-WS-003",
        "a/admin_village": "320404116201",
        "b/admin_village": "320404116230",
        "visits": [{"visits/water_body": "ZQ-HC-009"}],
        "natural_village": "",
    }

    found = answers_by_name(
        answers, ("facility", "admin_village", "water_body", "natural_village", "absent")
    )

    assert found == {
        "facility": "ZQ-WS-001",
        "admin_village": "320404116201",  # same depth: the first one
        "water_body": "",
        "natural_village": "",
        "absent": "",
    }
    assert {name: answer_by_name(answers, name) for name in found} == found
