"""Manifests list the registry CSVs, scoped to the user, hashed by content."""

import csv
import io

from django.test import Client
from lxml import etree

from registry.models import NaturalVillage
from tests.collect.support import IN_SCOPE, OUT_OF_SCOPE, basic, md5

NS = {"m": "http://openrosa.org/xforms/xformsManifest"}


def _manifest(client: Client, form) -> dict[str, tuple[str, str]]:
    url = f"/forms/{form.form_id}/versions/{form.current_version_id}/manifest"
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-OpenRosa-Version"] == "1.0"
    assert "text/xml" in response["Content-Type"]
    root = etree.fromstring(response.content)
    return {
        m.findtext("m:filename", namespaces=NS): (
            m.findtext("m:hash", namespaces=NS),
            m.findtext("m:downloadUrl", namespaces=NS).removeprefix("http://testserver"),
        )
        for m in root.findall("m:mediaFile", NS)
    }


def test_it_lists_the_registry_csvs_the_form_uses_with_content_hashes(inspection, users):
    client = Client(**basic("worker"))

    files = _manifest(client, inspection)

    assert sorted(files) == ["facilities.csv", "villages.csv"]
    for digest, url in files.values():
        content = client.get(url).content
        assert digest == f"md5:{md5(content)}"


def test_it_scopes_the_lists_to_the_users_villages_and_facilities(inspection, users):
    worker = Client(**basic("worker"))
    contractor = Client(**basic("contractor"))
    district = Client(**basic("district"))

    def rows(client, name):
        url = _manifest(client, inspection)[name][1]
        return list(csv.DictReader(io.StringIO(client.get(url).content.decode("utf-8"))))

    assert [r["name"] for r in rows(worker, "villages.csv")] == [IN_SCOPE["natural_village"]]
    assert [r["name"] for r in rows(contractor, "facilities.csv")] == [IN_SCOPE["facility"]]
    assert {r["name"] for r in rows(district, "facilities.csv")} == {
        IN_SCOPE["facility"],
        OUT_OF_SCOPE["facility"],
    }
    village = rows(worker, "villages.csv")[0]
    assert set(village) == {"name", "label", "admin_village", "admin_village_label"}
    assert village["admin_village"] == IN_SCOPE["admin_village"]
    facility = rows(worker, "facilities.csv")[0]
    assert set(facility) == {
        "name",
        "label",
        "admin_village",
        "villages",
        "process_type",
        "admin_villages",
    }
    assert facility["villages"] == IN_SCOPE["natural_village"]
    assert facility["admin_villages"] == IN_SCOPE["admin_village"]


def test_it_changes_a_hash_only_when_the_content_changes(inspection, users, registry):
    client = Client(**basic("worker"))
    before = _manifest(client, inspection)
    assert _manifest(client, inspection) == before

    admin, *_ = registry[IN_SCOPE["admin_village"]]
    NaturalVillage.objects.create(code="320404116201002", admin_village=admin, name="新村二组")
    after = _manifest(client, inspection)

    assert after["villages.csv"][0] != before["villages.csv"][0]
    assert after["facilities.csv"] == before["facilities.csv"]


def test_it_lists_water_bodies_for_the_black_odorous_form(publish, users):
    form = publish("black_odorous_water")
    client = Client(**basic("worker"))

    files = _manifest(client, form)

    assert sorted(files) == ["villages.csv", "water_bodies.csv"]
    content = client.get(files["water_bodies.csv"][1]).content.decode("utf-8")
    header = content.splitlines()[0]
    assert header == "name,label,admin_village,village,kind,stage"
    assert IN_SCOPE["water_body"] in content and OUT_OF_SCOPE["water_body"] not in content


def test_it_serves_uploaded_media_files_of_a_version(publish, users):
    logo = b"\x89PNG fake"
    form = publish("straw_utilization", media={"logo.png": logo})
    client = Client(**basic("worker"))

    files = _manifest(client, form)

    assert files["logo.png"][0] == f"md5:{md5(logo)}"
    assert b"".join(client.get(files["logo.png"][1]).streaming_content) == logo


def test_a_facility_serving_two_administrative_villages_lists_both(
    inspection, users, registry, make_user
):
    from accounts.models import Role
    from registry.models import FacilityVillage, SewageFacility

    facility = SewageFacility.objects.create(
        code="ZQ-WS-050", name="两村共用污水站", process_type="ao", design_capacity=50
    )
    for scope in (IN_SCOPE, OUT_OF_SCOPE):
        village = NaturalVillage.objects.get(code=scope["natural_village"])
        FacilityVillage.objects.create(facility=facility, natural_village=village)
    other_admin, *_ = registry[OUT_OF_SCOPE["admin_village"]]
    make_user("other_worker", Role.VILLAGE_WORKER, villages=[other_admin])
    first, second = sorted([IN_SCOPE["admin_village"], OUT_OF_SCOPE["admin_village"]])

    for username in ("worker", "other_worker"):
        client = Client(**basic(username))
        url = _manifest(client, inspection)["facilities.csv"][1]
        rows = csv.DictReader(io.StringIO(client.get(url).content.decode("utf-8")))
        shared = next(row for row in rows if row["name"] == "ZQ-WS-050")
        # Both workers see it; the new column names both villages, the old one the first.
        assert shared["admin_villages"] == f"{first} {second}", username
        assert shared["admin_village"] == first
        assert shared["villages"].split() == sorted(
            [IN_SCOPE["natural_village"], OUT_OF_SCOPE["natural_village"]]
        )
