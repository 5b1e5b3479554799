"""GET /formList: the xformsList document Collect reads, with only the forms the user may fill."""

from django.test import Client
from lxml import etree

from collect.services import form_open_set
from tests.collect.support import FORM_IDS, basic, md5

NS = {"x": "http://openrosa.org/xforms/xformsList"}


def _entries(response) -> dict[str, etree._Element]:
    root = etree.fromstring(response.content)
    assert root.tag == "{http://openrosa.org/xforms/xformsList}xforms"
    return {x.findtext("x:formID", namespaces=NS): x for x in root.findall("x:xform", NS)}


def test_it_lists_the_five_forms_with_version_hash_and_urls(publish, users):
    for form_id in FORM_IDS:
        publish(form_id)
    client = Client(**basic("worker"))

    response = client.get("/formList?deviceID=collect:abc&formID=&verbose=true")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response["X-OpenRosa-Version"] == "1.0"
    entries = _entries(response)
    assert sorted(entries) == sorted(FORM_IDS)
    for entry in entries.values():
        for tag in ("formID", "name", "version", "hash", "downloadUrl"):
            assert len(entry.findall(f"x:{tag}", NS)) == 1
        download = entry.findtext("x:downloadUrl", namespaces=NS)
        assert download.startswith("http://testserver/")
        form = client.get(download.removeprefix("http://testserver"))
        assert "text/xml" in form["Content-Type"]
        assert entry.findtext("x:hash", namespaces=NS) == f"md5:{md5(form.content)}"
        # Every real form picks villages from a registry CSV, so each has a manifest.
        assert entry.findtext("x:manifestUrl", namespaces=NS).startswith("http://testserver/")


def test_it_lists_only_the_forms_the_role_may_fill(publish, users):
    for form_id in FORM_IDS:
        publish(form_id)

    response = Client(**basic("contractor")).get("/formList")

    assert list(_entries(response)) == ["sewage_facility_inspection"]


def test_it_leaves_closed_forms_out(publish, users):
    form = publish("straw_utilization")
    publish("agri_film_recovery")
    form_open_set(form=form, is_open=False)

    response = Client(**basic("worker")).get("/formList")

    assert list(_entries(response)) == ["agri_film_recovery"]


def test_it_filters_by_form_id(publish, users):
    publish("straw_utilization")
    publish("agri_film_recovery")

    response = Client(**basic("worker")).get("/formList?formID=straw_utilization")

    assert list(_entries(response)) == ["straw_utilization"]


def test_it_requires_a_login(users):
    assert Client().get("/formList").status_code == 401
