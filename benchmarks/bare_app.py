"""The baseline of bench_submissions: a bare WSGI endpoint that writes what a submission
writes (the Digest nonce-count row, committed on its own as the server does; the submission
row, its review row, its audit entry, the attachment row and the photo file) with no
framework, no authentication, no XML parsing and no checks. It only
finds the parts of the multipart body by their boundary and the photo's name in its part
header. The rows' contents (answers, registry links, client times, expected attachments,
the audit entry's fields) are those the Django run stored for the same template
(``BARE_ROWS``, written by bench_submissions), with a new instanceID. Run by gunicorn with
the same worker settings as the server."""

import hashlib
import itertools
import json
import os
import time
import uuid
from pathlib import Path

import psycopg

DATABASE_URL = os.environ["DATABASE_URL"]
MEDIA_ROOT = Path(os.environ["MEDIA_ROOT"])
FORM_ID = os.environ["BARE_FORM_ID"]
FORM_PK = int(os.environ["BARE_FORM_PK"])
VERSION_PK = int(os.environ["BARE_VERSION_PK"])
USER_PK = int(os.environ["BARE_USER_PK"])
ROWS = json.loads(Path(os.environ["BARE_ROWS"]).read_text())
DEVICE_ID = "bare:bench"
# The nonce-count rows: one nonce per worker process, its count going up, as a Collect
# client's requests record them (collect.authentication._nonce_count_first_use).
NONCE = f"{int(time.time())}.{os.urandom(8).hex()}.{os.urandom(16).hex()}"
_counts = itertools.count(1)
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


def _filename(head: bytes) -> str:
    start = head.index(b'filename="') + 10
    return head[start : head.index(b'"', start)].decode()


def application(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length)
    boundary = environ["CONTENT_TYPE"].split("boundary=", 1)[1].encode()
    parts = _parts(body, boundary)
    xml = parts[0][1]
    photo_head, photo = parts[1]
    photo_name = _filename(photo_head)
    row = ROWS[photo_name]
    instance_id = f"uuid:{uuid.uuid4()}"
    relative = f"submissions/{FORM_ID}/{instance_id.removeprefix('uuid:')}/{photo_name}"
    path = MEDIA_ROOT / relative
    path.parent.mkdir(parents=True)
    path.write_bytes(photo)
    conn = _db()
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO collect_digestnonceuse (nonce, nc, used_at) VALUES (%s, %s, now())"
            " ON CONFLICT (nonce, nc) DO NOTHING",
            (NONCE, next(_counts)),
        )
    conn.commit()
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO collect_submission (form_id, form_version_id, instance_id, xml, xml_md5,"
            " answers, submitted_by_id, device_id, received_at, updated_at, client_started_at,"
            " client_ended_at, client_date_header, admin_village_id, natural_village_id,"
            " facility_id, water_body_id, is_current, attachments_expected,"
            " attachments_complete)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, now(), now(), %s, %s, '', %s, %s, %s, %s,"
            " true, %s, %s) RETURNING id",
            (
                FORM_PK,
                VERSION_PK,
                instance_id,
                xml.decode(),
                hashlib.md5(xml).hexdigest(),
                row["answers"].replace("{instance_id}", instance_id),
                USER_PK,
                DEVICE_ID,
                row["client_started_at"],
                row["client_ended_at"],
                row["admin_village_id"],
                row["natural_village_id"],
                row["facility_id"],
                row["water_body_id"],
                row["attachments_expected"],
                row["attachments_complete"],
            ),
        )
        submission_id = cur.fetchone()[0]
        cur.execute(
            "INSERT INTO review_review (submission_id, state, changed_at)"
            " VALUES (%s, 'received', now())",
            (submission_id,),
        )
        audit = row["audit"]
        cur.execute(
            "INSERT INTO audit_auditentry (at, user_id, username, ip, action, object_type,"
            " object_id, object_repr, changes) VALUES (now(), %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                USER_PK,
                audit["username"],
                audit["ip"],
                audit["action"],
                audit["object_type"],
                str(submission_id),
                f"{FORM_ID} {instance_id}",
                audit["changes"].replace("{instance_id}", instance_id),
            ),
        )
        cur.execute(
            "INSERT INTO collect_attachment (submission_id, name, file, md5, size, content_type,"
            " received_at) VALUES (%s, %s, %s, %s, %s, 'image/jpeg', now())",
            (submission_id, photo_name, relative, hashlib.md5(photo).hexdigest(), len(photo)),
        )
    conn.commit()
    start_response("201 Created", [("Content-Type", "text/xml"), ("Content-Length", "2")])
    return [b"ok"]
