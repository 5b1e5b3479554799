"""HEAD /submission: Collect's pre-flight wants exactly 204 and the size it may send."""

from django.test import Client

from tests.collect.support import basic


def test_it_answers_head_with_204_and_the_accepted_content_length(users, collect_client, settings):
    response = collect_client("worker").head("/submission?deviceID=collect:abc123")

    assert response.status_code == 204
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response["X-OpenRosa-Accept-Content-Length"] == str(
        settings.OPENROSA_MAX_SUBMISSION_BYTES
    )
    assert "Date" in response


def test_it_challenges_head_without_credentials(users):
    response = Client().head("/submission")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Digest ")
    assert response["X-OpenRosa-Version"] == "1.0"


def test_it_tolerates_the_java_date_header_collect_sends(users):
    response = Client().head(
        "/submission",
        HTTP_DATE="Thu, 01 May 2025 09:20:00 GMT+08:00",
        **basic("worker"),
    )

    assert response.status_code == 204
