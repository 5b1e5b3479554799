"""403 when the user may not fill the form or report on that village or facility."""

import pytest

from collect.models import Submission
from tests.collect.support import (
    OUT_OF_SCOPE,
    openrosa_message,
    post_submission,
    sample,
    sample_files,
)


def _post(client, instance):
    return post_submission(client, instance.xml, sample_files(instance))


def test_it_forbids_a_form_the_role_may_not_fill(publish, users, collect_client):
    publish("straw_utilization")
    instance = sample("straw_utilization")

    response = _post(collect_client("contractor"), instance)

    assert response.status_code == 403
    assert "权限" in openrosa_message(response)
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("form_id", "codes"),
    [
        ("straw_utilization", {"admin_village": OUT_OF_SCOPE["admin_village"]}),
        (
            "village_sewage_coverage",
            {
                "admin_village": OUT_OF_SCOPE["admin_village"],
                "natural_village": OUT_OF_SCOPE["natural_village"],
            },
        ),
        ("sewage_facility_inspection", {"facility": OUT_OF_SCOPE["facility"]}),
        ("black_odorous_water", {"water_body": OUT_OF_SCOPE["water_body"]}),
    ],
)
def test_it_forbids_reports_outside_the_workers_villages(
    form_id, codes, publish, users, collect_client
):
    publish(form_id)
    instance = sample(form_id, registry=codes)

    response = _post(collect_client("worker"), instance)

    assert response.status_code == 403
    assert "负责范围" in openrosa_message(response)
    assert not Submission.objects.exists()


def test_it_forbids_a_contractor_reporting_on_another_facility(inspection, collect_client):
    instance = sample(
        registry={
            "admin_village": OUT_OF_SCOPE["admin_village"],
            "natural_village": OUT_OF_SCOPE["natural_village"],
            "facility": OUT_OF_SCOPE["facility"],
        }
    )

    response = _post(collect_client("contractor"), instance)

    assert response.status_code == 403


def test_it_lets_the_district_admin_report_anywhere(inspection, collect_client):
    instance = sample(
        registry={
            "admin_village": OUT_OF_SCOPE["admin_village"],
            "natural_village": OUT_OF_SCOPE["natural_village"],
            "facility": OUT_OF_SCOPE["facility"],
        }
    )

    assert _post(collect_client("district"), instance).status_code == 201
