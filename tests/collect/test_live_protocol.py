"""Protocol details only a real server shows: chunked uploads, the double slash of a
server URL typed with a trailing slash, and HEAD answers without a body."""

import socket

import httpx
import pytest

from tests.collect.support import DEMO_PASSWORD, live_publish, sample, sample_files

pytestmark = pytest.mark.slow

FORM_ID = "sewage_facility_inspection"


def test_it_accepts_a_chunked_submission(live):
    live_publish(live, FORM_ID)
    instance = sample(FORM_ID, seed=4)
    request = httpx.Request(
        "POST",
        f"{live.url}/submission",
        files=[("xml_submission_file", ("submission.xml", instance.xml, "text/xml"))]
        + [(n, (n, c, "image/jpeg")) for n, c in sample_files(instance).items()],
    )
    body = request.read()
    headers = {"Content-Type": request.headers["Content-Type"]}

    def chunks():
        for start in range(0, len(body), 1000):
            yield body[start : start + 1000]

    with httpx.Client(auth=httpx.DigestAuth("worker", DEMO_PASSWORD), timeout=30) as phone:
        assert phone.head(f"{live.url}/submission").status_code == 204
        response = phone.post(f"{live.url}/submission", content=chunks(), headers=headers)

    assert response.status_code == 201, response.text
    with live.api() as api:
        row = api.get("/api/v1/submissions/", params={"instance_id": instance.instance_id}).json()
    assert row["results"][0]["attachments_complete"]


def test_it_answers_at_a_double_slash_path(live):
    with httpx.Client(auth=httpx.DigestAuth("worker", DEMO_PASSWORD), timeout=30) as phone:
        assert phone.get(f"{live.url}//formList").status_code == 200
        assert phone.head(f"{live.url}//submission").status_code == 204


def test_it_sends_no_body_with_a_head_challenge(live):
    host, port = live.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(b"HEAD /submission HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        received = b""
        while chunk := conn.recv(65536):
            received += chunk

    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 401")
    assert b"X-OpenRosa-Version: 1.0" in head
    assert body == b""


def test_a_replayed_digest_request_is_refused_by_every_worker(live):
    # The used nonce counts live in the database both gunicorn workers share: a captured
    # request sent again, on new connections that may reach either worker, is refused.
    from tests.collect.support import digest_authorization, digest_params

    path = "/formList?deviceID=collect:replay"
    challenge = httpx.get(f"{live.url}{path}", timeout=30).headers["WWW-Authenticate"]
    header = digest_authorization(
        challenge, method="GET", uri=path, username="worker", password=DEMO_PASSWORD
    )
    first = httpx.get(f"{live.url}{path}", headers={"Authorization": header}, timeout=30)
    replays = [
        httpx.get(f"{live.url}{path}", headers={"Authorization": header}, timeout=30)
        for _ in range(4)
    ]

    assert first.status_code == 200
    assert [r.status_code for r in replays] == [401] * 4
    assert all("stale=true" in r.headers["WWW-Authenticate"] for r in replays)
    assert len({digest_params(r.headers["WWW-Authenticate"])["nonce"] for r in replays}) == 4
