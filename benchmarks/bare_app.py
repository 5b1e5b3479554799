"""The baseline of bench_submissions: a bare WSGI endpoint that writes what a submission
writes (one submission row, one attachment row, the photo file) with no framework, no
authentication, no XML parsing and no checks. It only finds the parts of the multipart
body by their boundary. Run by gunicorn with the same worker settings as the server."""

import hashlib
import os
import uuid
from pathlib import Path

import psycopg

DATABASE_URL = os.environ["DATABASE_URL"]
MEDIA_ROOT = Path(os.environ["MEDIA_ROOT"])
FORM_PK = int(os.environ["BARE_FORM_PK"])
VERSION_PK = int(os.environ["BARE_VERSION_PK"])
USER_PK = int(os.environ["BARE_USER_PK"])
_connection = None


def _db():
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(DATABASE_URL, autocommit=False)
    return _connection


def _parts(body: bytes, boundary: bytes) -> list[tuple[bytes, bytes]]:
    parts = []
    for chunk in body.split(b"--" + boundary)[1:-1]:
        head, _, content = chunk.partition(b"\r\n\r\n")
        parts.append((head, content[:-2]))
    return parts


def application(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length)
    boundary = environ["CONTENT_TYPE"].split("boundary=", 1)[1].encode()
    parts = _parts(body, boundary)
    xml = parts[0][1]
    photo = parts[1][1]
    folder = MEDIA_ROOT / "bare" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    path = folder / "photo.jpg"
    path.write_bytes(photo)
    conn = _db()
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO collect_submission (form_id, form_version_id, instance_id, xml, xml_md5,"
            " answers, submitted_by_id, device_id, received_at, updated_at, client_date_header,"
            " is_current, attachments_expected, attachments_complete)"
            " VALUES (%s, %s, %s, %s, %s, '{}', %s, '', now(), now(), '', true, '[]', true)"
            " RETURNING id",
            (
                FORM_PK,
                VERSION_PK,
                f"bare:{uuid.uuid4()}",
                xml.decode(),
                hashlib.md5(xml).hexdigest(),
                USER_PK,
            ),
        )
        submission_id = cur.fetchone()[0]
        cur.execute(
            "INSERT INTO collect_attachment (submission_id, name, file, md5, size, content_type,"
            " received_at) VALUES (%s, 'photo.jpg', %s, %s, %s, 'image/jpeg', now())",
            (submission_id, str(path), hashlib.md5(photo).hexdigest(), len(photo)),
        )
    conn.commit()
    start_response("201 Created", [("Content-Type", "text/xml"), ("Content-Length", "2")])
    return [b"ok"]
