"""End to end over real HTTP, as ODK Collect does it: publish, formList, form, manifest,
media, HEAD, a split upload with photos, an edit; then one current submission in the API."""

import hashlib

import httpx
import pytest
from lxml import etree

from tests.collect.support import DEMO_PASSWORD, live_publish, multipart, sample, sample_files

pytestmark = pytest.mark.slow

LIST = {"x": "http://openrosa.org/xforms/xformsList"}
MANIFEST = {"m": "http://openrosa.org/xforms/xformsManifest"}
FORM_ID = "sewage_facility_inspection"


def _md5(content: bytes) -> str:
    return hashlib.md5(content).hexdigest()


def test_it_runs_the_whole_collect_round_trip(live):
    live_publish(live, FORM_ID)
    phone = httpx.Client(
        base_url=live.url,
        auth=httpx.DigestAuth("worker", DEMO_PASSWORD),
        headers={"X-OpenRosa-Version": "1.0", "Date": "Thu, 01 May 2025 09:20:00 GMT+08:00"},
        timeout=30,
    )
    device = {"deviceID": "collect:e2e-device"}

    form_list = phone.get("/formList", params=device)
    assert form_list.status_code == 200
    assert form_list.headers["X-OpenRosa-Version"] == "1.0"
    entry = next(
        x
        for x in etree.fromstring(form_list.content).findall("x:xform", LIST)
        if x.findtext("x:formID", namespaces=LIST) == FORM_ID
    )
    xform = phone.get(entry.findtext("x:downloadUrl", namespaces=LIST))
    assert "text/xml" in xform.headers["Content-Type"]
    assert entry.findtext("x:hash", namespaces=LIST) == f"md5:{_md5(xform.content)}"
    manifest = phone.get(entry.findtext("x:manifestUrl", namespaces=LIST))
    media = etree.fromstring(manifest.content).findall("m:mediaFile", MANIFEST)
    assert sorted(m.findtext("m:filename", namespaces=MANIFEST) for m in media) == [
        "facilities.csv",
        "villages.csv",
    ]
    for item in media:
        content = phone.get(item.findtext("m:downloadUrl", namespaces=MANIFEST)).content
        assert item.findtext("m:hash", namespaces=MANIFEST) == f"md5:{_md5(content)}"
        assert content.startswith(b"name,label,admin_village")

    head = phone.head("/submission", params=device)
    assert head.status_code == 204
    assert int(head.headers["X-OpenRosa-Accept-Content-Length"]) >= 1_000_000

    original = sample(FORM_ID, seed=0)
    files = sample_files(original)
    names = list(files)
    first = phone.post(
        "/submission",
        params=device,
        **multipart(original.xml, {n: files[n] for n in names[:2]}, {"*isIncomplete*": "yes"}),
    )
    second = phone.post(
        "/submission", params=device, **multipart(original.xml, {n: files[n] for n in names[2:]})
    )
    assert (first.status_code, second.status_code) == (201, 201), second.text
    assert b"OpenRosaResponse" in second.content

    edit = sample(FORM_ID, seed=1, deprecated_id=original.instance_id)
    edited = phone.post("/submission", params=device, **multipart(edit.xml, sample_files(edit)))
    assert edited.status_code == 201, edited.text

    with live.api() as api:
        rows = api.get("/api/v1/submissions/", params={"form": FORM_ID}).json()["results"]
        chain = [r for r in rows if r["instance_id"] in (original.instance_id, edit.instance_id)]
        assert [r["instance_id"] for r in chain] == [edit.instance_id]
        current = chain[0]
        assert current["is_current"] and current["replaces"] == original.instance_id
        assert current["device_id"] == "collect:e2e-device"
        assert current["attachments_complete"]
        everything = api.get(
            "/api/v1/submissions/", params={"form": FORM_ID, "current": "all"}
        ).json()["results"]
        older = next(r for r in everything if r["instance_id"] == original.instance_id)
        assert sorted(a["name"] for a in older["attachments"]) == sorted(names)
        photo = current["attachments"][0]
        download = api.get(photo["download_url"])
        assert download.status_code == 200 and _md5(download.content) == photo["md5"]
