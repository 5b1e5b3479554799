"""Bad input gets a 4xx OpenRosaResponse, never a 500, and leaves nothing behind."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from collect.models import Attachment, Submission
from collect.services import form_open_set
from tests.collect.support import (
    openrosa_message,
    post_submission,
    sample,
    sample_files,
    stored_files,
    submission_files,
)

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<data id="sewage_facility_inspection" version="1"><remark>&lol3;</remark>
<meta><instanceID>uuid:11111111-1111-4111-8111-111111111111</instanceID></meta></data>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE data [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<data id="sewage_facility_inspection" version="1"><remark>&secret;</remark>
<meta><instanceID>uuid:22222222-2222-4222-8222-222222222222</instanceID></meta></data>"""


def _assert_nothing_written(media_root):
    assert not Submission.objects.exists()
    assert not Attachment.objects.exists()
    assert [p for p in stored_files(media_root) if "submissions" in p.parts] == []


def _check(response, status, media_root, text=None):
    assert response.status_code == status, response.content
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response["Content-Type"].startswith("text/xml")
    message = openrosa_message(response)
    assert message
    if text:
        assert text in message
    _assert_nothing_written(media_root)


def test_it_refuses_a_request_without_xml_submission_file(inspection, collect_client, media_root):
    instance = sample()
    response = collect_client("worker").post(
        "/submission",
        data={n: SimpleUploadedFile(n, c) for n, c in sample_files(instance).items()},
    )
    _check(response, 400, media_root, "xml_submission_file")


def test_it_refuses_malformed_xml(inspection, collect_client, media_root):
    response = post_submission(collect_client("worker"), b"<data id='x'><unclosed></data>")
    _check(response, 400, media_root)


def test_it_refuses_xml_without_an_instance_id(inspection, collect_client, media_root):
    xml = b'<data id="sewage_facility_inspection" version="1"><meta/></data>'
    response = post_submission(collect_client("worker"), xml)
    _check(response, 400, media_root, "instanceID")


def test_it_refuses_an_unknown_form_with_404(inspection, collect_client, media_root):
    xml = sample().xml.replace(b'id="sewage_facility_inspection"', b'id="no_such_form"')
    response = post_submission(collect_client("worker"), xml)
    _check(response, 404, media_root, "no_such_form")


def test_it_refuses_an_unknown_form_version_with_404(inspection, collect_client, media_root):
    instance = sample()
    xml = instance.xml.replace(f'version="{instance.version}"'.encode(), b'version="1999010101"')
    response = post_submission(collect_client("worker"), xml, sample_files(instance))
    _check(response, 404, media_root, "1999010101")


def test_it_refuses_a_closed_form(inspection, collect_client, media_root):
    form_open_set(form=inspection, is_open=False)
    instance = sample()
    response = post_submission(collect_client("worker"), instance.xml, sample_files(instance))
    _check(response, 403, media_root, "停止接收")


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "xxe"])
def test_it_refuses_entity_declarations(xml, inspection, collect_client, media_root):
    response = post_submission(collect_client("worker"), xml)
    _check(response, 400, media_root, "DTD")


@pytest.mark.parametrize("name", ["../evil.jpg", "..\\evil.jpg", "photos/a.jpg", ".hidden"])
def test_it_refuses_attachment_names_with_paths(name, inspection, collect_client, media_root):
    instance = sample()
    files = submission_files(instance.xml)
    files[name] = SimpleUploadedFile(name, b"\xff\xd8 not really", "image/jpeg")
    response = collect_client("worker").post("/submission", data=files)
    _check(response, 400, media_root, "附件文件名")


def test_it_refuses_a_body_above_the_advertised_limit_with_413(
    inspection, collect_client, media_root, settings
):
    settings.OPENROSA_MAX_SUBMISSION_BYTES = 50_000
    settings.OPENROSA_MULTIPART_OVERHEAD_BYTES = 1_000
    instance = sample()
    response = post_submission(
        collect_client("worker"), instance.xml, {instance.attachments[0]: b"x" * 60_000}
    )
    _check(response, 413, media_root, "太大")


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/xml", b"<data/>"),
        ("application/json", b"{}"),
        ("application/x-www-form-urlencoded", b"a=1"),
    ],
)
def test_it_refuses_a_wrong_content_type_with_415(
    content_type, body, inspection, collect_client, media_root
):
    response = collect_client("worker").post("/submission", data=body, content_type=content_type)
    _check(response, 415, media_root, "multipart/form-data")


def test_it_refuses_a_multipart_body_without_a_boundary(inspection, collect_client, media_root):
    response = collect_client("worker").post(
        "/submission", data=b"garbage", content_type="multipart/form-data"
    )
    assert 400 <= response.status_code < 500
    _assert_nothing_written(media_root)
