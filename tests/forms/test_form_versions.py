"""A form whose content changed must carry a new, larger version (forms/versions.json)."""

import shutil

from openpyxl import load_workbook

from forms.build import (
    FORMS_DIR,
    build_form,
    content_digest,
    read_versions,
    version_problems,
)


def copy_form(tmp_path, form_id="village_sewage_coverage"):
    target = tmp_path / f"{form_id}.xlsx"
    shutil.copy(FORMS_DIR / f"{form_id}.xlsx", target)
    return target


def edit(path, *, label=None, version=None):
    workbook = load_workbook(path)
    if label is not None:
        survey = workbook["survey"]
        header = [c.value for c in survey[1]]
        survey.cell(row=7, column=header.index("label::中文 (zh)") + 1, value=label)
    if version is not None:
        settings = workbook["settings"]
        header = [c.value for c in settings[1]]
        settings.cell(row=2, column=header.index("version") + 1, value=version)
    workbook.save(path)


def test_it_has_recorded_the_current_version_and_content_of_every_form(built_forms):
    recorded = read_versions()
    for form in built_forms.values():
        assert recorded[form.form_id] == {
            "version": form.version,
            "content_md5": content_digest(form.source),
        }, f"{form.form_id}: run `make forms` and commit forms/versions.json"


def test_it_rejects_an_edit_that_keeps_the_old_version(tmp_path):
    path = copy_form(tmp_path)
    recorded = {"village_sewage_coverage": read_versions()["village_sewage_coverage"]}
    edit(path, label="生活污水治理方式（改）")
    problems, _ = version_problems([build_form(path)], recorded)
    assert len(problems) == 1 and "version" in problems[0]


def test_it_accepts_an_edit_with_a_new_version_and_records_it(tmp_path):
    path = copy_form(tmp_path)
    recorded = {"village_sewage_coverage": read_versions()["village_sewage_coverage"]}
    new_version = str(int(recorded["village_sewage_coverage"]["version"]) + 1)
    edit(path, label="生活污水治理方式（改）", version=new_version)
    problems, updated = version_problems([build_form(path)], recorded)
    assert problems == []
    assert updated["village_sewage_coverage"]["version"] == new_version


def test_it_rejects_a_version_that_goes_backwards(tmp_path):
    path = copy_form(tmp_path)
    recorded = {"village_sewage_coverage": read_versions()["village_sewage_coverage"]}
    edit(path, label="改", version="2020010101")
    problems, _ = version_problems([build_form(path)], recorded)
    assert len(problems) == 1 and "older" in problems[0]


def test_it_ignores_a_resave_without_edits(tmp_path):
    path = copy_form(tmp_path)
    before = content_digest(path)
    load_workbook(path).save(path)
    assert content_digest(path) == before
