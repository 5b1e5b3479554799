"""The facilities.csv the server generates, read by the real inspection form in ODK's own
form engine (@getodk/xforms-engine, forms/engine/drive.mjs), for a facility whose natural
villages belong to two administrative villages."""

import json
import shutil
import subprocess

import pytest

from accounts.models import Role
from collect.registry_media import registry_media_content
from forms.build import FORMS_DIR, build_form
from registry.models import FacilityVillage, NaturalVillage, SewageFacility
from tests.collect.support import IN_SCOPE, OUT_OF_SCOPE
from tests.form_engine import engine_install

ENGINE_DIR = FORMS_DIR / "engine"
FACILITY_FILTER = "instance('facilities')/root/item[selected(admin_villages,  /data/admin_village )"


def _engine(requests: list[tuple[str, list[dict]]], media: dict[str, bytes], tmp_path) -> list:
    """Run (form XML, tasks) pairs in one Node process; the results of each pair's tasks."""
    engine_install()
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run ODK's form engine")
    media_dir = tmp_path / "media"
    media_dir.mkdir()
    for name, content in media.items():
        (media_dir / name).write_bytes(content)
    lines = []
    for number, (form_xml, tasks) in enumerate(requests):
        form = tmp_path / f"form-{number}.xml"
        form.write_text(form_xml, encoding="utf-8")
        lines.append(json.dumps({"form": str(form), "media_dir": str(media_dir), "tasks": tasks}))
    done = subprocess.run(
        [node, "drive.mjs", "--lines"],
        cwd=ENGINE_DIR,
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.fixture
def shared_facility(registry):
    facility = SewageFacility.objects.create(
        code="ZQ-WS-050", name="两村共用污水站", process_type="wetland", design_capacity=50
    )
    for scope in (IN_SCOPE, OUT_OF_SCOPE):
        village = NaturalVillage.objects.get(code=scope["natural_village"])
        FacilityVillage.objects.create(facility=facility, natural_village=village)
    return facility


def test_a_shared_facility_can_be_chosen_from_either_administrative_village(
    users, registry, make_user, shared_facility, tmp_path
):
    other_admin, *_ = registry[OUT_OF_SCOPE["admin_village"]]
    other_worker = make_user("other_worker", Role.VILLAGE_WORKER, villages=[other_admin])
    media = {
        name: registry_media_content(filename=name, user=other_worker)
        for name in ("villages.csv", "facilities.csv")
    }
    form = build_form(FORMS_DIR / "sewage_facility_inspection.xlsx").xml
    # The form filters on every administrative village the facility serves.
    assert form.count(FACILITY_FILTER) == 1

    def choose(admin_code: str) -> dict:
        answers = [["/data/admin_village", admin_code], ["/data/facility", "ZQ-WS-050"]]
        read = ["/data/facility", "/data/facility_process_type"]
        return {"kind": "fill", "answers": answers, "read": read}

    first, second = sorted([IN_SCOPE["admin_village"], OUT_OF_SCOPE["admin_village"]])
    (results,) = _engine([(form, [choose(first), choose(second)])], media, tmp_path)

    assert len(results) == 2
    for result in results:
        assert result["values"] == {
            "/data/facility": "ZQ-WS-050",
            "/data/facility_process_type": "wetland",
        }
