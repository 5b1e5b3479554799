"""Publishing XLSForms: manage.py publish_form and POST /api/v1/forms/."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from collect.exceptions import FormPublishError
from collect.models import Form, FormVersion, Submission
from collect.services import form_publish
from forms.build import FORMS_DIR
from tests.collect.support import (
    FORM_IDS,
    md5,
    post_submission,
    sample,
    sample_files,
    xlsform_bytes,
)


def _with_version(form_id: str, version: str) -> bytes:
    book = load_workbook(io.BytesIO(xlsform_bytes(form_id)))
    sheet = book["settings"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("version") + 1, value=version)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_it_publishes_the_five_forms_from_the_folder_and_repeats_as_a_no_op(db, capsys):
    call_command("publish_form", str(FORMS_DIR))
    call_command("publish_form", str(FORMS_DIR))

    assert sorted(Form.objects.values_list("form_id", flat=True)) == sorted(FORM_IDS)
    assert FormVersion.objects.count() == 5
    version = FormVersion.objects.get(form__form_id="sewage_facility_inspection")
    assert version.xform_md5 == md5(version.xform.encode())
    assert version.xlsform.read() == xlsform_bytes("sewage_facility_inspection")
    assert "未变化" in capsys.readouterr().out


def test_it_stores_media_given_on_the_command_line(db, tmp_path):
    media = tmp_path / "logo.png"
    media.write_bytes(b"png")

    call_command("publish_form", str(FORMS_DIR / "straw_utilization.xlsx"), "--media", str(media))

    stored = FormVersion.objects.get().media.get()
    assert (stored.filename, stored.md5) == ("logo.png", md5(b"png"))


def test_it_keeps_old_versions_receiving_after_a_new_version(publish, users, collect_client):
    old = sample("sewage_facility_inspection")
    publish("sewage_facility_inspection")
    form_publish(
        xlsform_name="sewage_facility_inspection.xlsx",
        xlsform=_with_version("sewage_facility_inspection", "2099010101"),
    )

    form = Form.objects.get()
    assert form.current_version.version == "2099010101"
    response = post_submission(collect_client("worker"), old.xml, sample_files(old))
    assert response.status_code == 201
    assert Submission.objects.get().form_version.version == old.version


def test_it_refuses_a_changed_form_under_an_already_published_version(db):
    form_publish(xlsform_name="a.xlsx", xlsform=xlsform_bytes("straw_utilization"))
    changed = load_workbook(io.BytesIO(xlsform_bytes("straw_utilization")))
    survey = changed["survey"]
    survey.append(["note", "extra_note", "多一个说明"])
    buffer = io.BytesIO()
    changed.save(buffer)

    with pytest.raises(FormPublishError, match="version"):
        form_publish(xlsform_name="a.xlsx", xlsform=buffer.getvalue())


def test_it_reports_a_missing_file_on_the_command_line(db):
    with pytest.raises(CommandError):
        call_command("publish_form", "no/such/form.xlsx")


def test_it_publishes_through_the_api_for_managers(users, client):
    client.force_login(users["official"])

    response = client.post(
        "/api/v1/forms/",
        {
            "xlsform": SimpleUploadedFile(
                "agri_film_recovery.xlsx", xlsform_bytes("agri_film_recovery")
            ),
            "media": [SimpleUploadedFile("logo.png", b"png")],
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["form_id"] == "agri_film_recovery"
    assert body["versions"][0]["media"] == [{"filename": "logo.png", "md5": md5(b"png")}]
    again = client.post(
        "/api/v1/forms/",
        {
            "xlsform": SimpleUploadedFile(
                "agri_film_recovery.xlsx", xlsform_bytes("agri_film_recovery")
            )
        },
    )
    assert again.status_code == 200


def test_it_answers_400_with_pyxforms_message_for_a_broken_xlsform(users, client):
    book = Workbook()
    book.active.title = "survey"
    book.active.append(["type", "name", "label"])
    book.active.append(["select_one no_such_list", "q1", "问题"])
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(users["official"])

    response = client.post(
        "/api/v1/forms/", {"xlsform": SimpleUploadedFile("broken.xlsx", buffer.getvalue())}
    )

    assert response.status_code == 400
    assert "choices sheet" in response.json()["detail"]
    assert not Form.objects.exists()


def test_it_refuses_publishing_to_a_village_worker(users, client):
    client.force_login(users["worker"])

    response = client.post(
        "/api/v1/forms/",
        {"xlsform": SimpleUploadedFile("a.xlsx", xlsform_bytes("agri_film_recovery"))},
    )

    assert response.status_code == 403


def test_it_closes_a_form_through_the_api(publish, users, client):
    publish("agri_film_recovery")
    client.force_login(users["official"])

    response = client.patch(
        "/api/v1/forms/agri_film_recovery/", {"is_open": False}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["is_open"] is False
    assert not Form.objects.get().is_open


def test_it_lists_forms_and_their_versions(publish, users, client):
    publish("agri_film_recovery")
    client.force_login(users["worker"])

    body = client.get("/api/v1/forms/").json()

    rows = body["results"] if isinstance(body, dict) else body
    assert [row["form_id"] for row in rows] == ["agri_film_recovery"]
    assert rows[0]["current_version"] == rows[0]["versions"][0]["version"]
