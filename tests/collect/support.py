"""Helpers of the collect tests: constants, clients' requests and response checks."""

import base64
import hashlib
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from lxml import etree

from forms.build import FORMS_DIR
from forms.samples import attachment_files, sample_instance

PASSWORD = "s3cret-Pass!"
FORM_IDS = [
    "sewage_facility_inspection",
    "village_sewage_coverage",
    "black_odorous_water",
    "agri_film_recovery",
    "straw_utilization",
]
# Codes forms.samples uses by default, all inside the worker's villages.
IN_SCOPE = {
    "admin_village": "320404116201",
    "natural_village": "320404116201001",
    "facility": "ZQ-WS-001",
    "water_body": "ZQ-HC-001",
}
# A village, natural village and facility outside the worker's and contractor's scope.
OUT_OF_SCOPE = {
    "admin_village": "320404116230",
    "natural_village": "320404116230001",
    "facility": "ZQ-WS-009",
    "water_body": "ZQ-HC-009",
}


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


_XLSFORMS: dict[str, bytes] = {}


def xlsform_bytes(form_id: str) -> bytes:
    if form_id not in _XLSFORMS:
        _XLSFORMS[form_id] = (FORMS_DIR / f"{form_id}.xlsx").read_bytes()
    return _XLSFORMS[form_id]


def basic(username: str, password: str = PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def submission_files(xml: bytes, attachments: dict[str, bytes] | None = None) -> dict:
    files = {"xml_submission_file": SimpleUploadedFile("submission.xml", xml, "text/xml")}
    for name, content in (attachments or {}).items():
        files[name] = SimpleUploadedFile(name, content, "image/jpeg")
    return files


def post_submission(client: Client, xml: bytes, attachments=None, *, path="/submission", **extra):
    return client.post(path, data=submission_files(xml, attachments), **extra)


def sample(form_id: str = "sewage_facility_inspection", **kwargs):
    return sample_instance(form_id, **kwargs)


def sample_files(sample_) -> dict[str, bytes]:
    return attachment_files(sample_)


def md5(content: bytes) -> str:
    return hashlib.md5(content).hexdigest()


def openrosa_message(response) -> str:
    root = etree.fromstring(response.content)
    assert root.tag == "{http://openrosa.org/http/response}OpenRosaResponse"
    return root.findtext("{http://openrosa.org/http/response}message")


def digest_params(header: str) -> dict[str, str]:
    import re

    digest = header.split("Basic ")[0]
    return dict(re.findall(r'(\w+)="?([^",]*)"?', digest.removeprefix("Digest ")))


def digest_authorization(
    challenge: str, *, method: str, uri: str, username: str, password: str, nc: int = 1
) -> str:
    """The Authorization header ODK Collect (okhttp-digest) sends for a Digest challenge."""
    params = digest_params(challenge)
    cnonce = "0a4f113b"
    ha1 = md5(f"{username}:{params['realm']}:{password}".encode())
    ha2 = md5(f"{method}:{uri}".encode())
    response = md5(f"{ha1}:{params['nonce']}:{nc:08x}:{cnonce}:auth:{ha2}".encode())
    return (
        f'Digest username="{username}", realm="{params["realm"]}", nonce="{params["nonce"]}", '
        f'uri="{uri}", algorithm=MD5, response="{response}", opaque="{params["opaque"]}", '
        f'qop=auth, nc={nc:08x}, cnonce="{cnonce}"'
    )


DEMO_PASSWORD = "zouqu-demo"


def live_publish(live, form_id: str) -> int:
    """Publish a real questionnaire through the API of a live server; returns the status."""
    with live.api() as api:
        response = api.post(
            "/api/v1/forms/",
            files={"xlsform": (f"{form_id}.xlsx", xlsform_bytes(form_id))},
        )
    assert response.status_code in (200, 201), response.text
    return response.status_code


def multipart(xml: bytes, attachments: dict[str, bytes], fields: dict | None = None) -> dict:
    """httpx `files=` for a submission: the XML part first, then one part per file."""
    parts = [("xml_submission_file", ("submission.xml", xml, "text/xml"))]
    parts += [(name, (name, content, "image/jpeg")) for name, content in attachments.items()]
    return {"files": parts, "data": fields or {}}
