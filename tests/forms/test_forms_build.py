"""Every XLSForm builds with the server's pyxform, without warnings, under stable ids."""

from forms import build
from forms.build import FORM_IDS, INSTANCE_ROOT


def test_it_builds_the_five_forms_under_their_stable_ids(built_forms):
    assert sorted(built_forms) == sorted(FORM_IDS)


def test_it_builds_every_form_without_pyxform_warnings(built_forms):
    for form in built_forms.values():
        assert form.warnings == [], form.form_id


def test_it_gives_every_form_a_digit_version_and_a_chinese_title(built_forms):
    for form in built_forms.values():
        assert form.version.isdigit() and len(form.version) == 10, form.form_id
        assert any("\u4e00" <= ch <= "\u9fff" for ch in form.title), form.form_id


def test_it_names_the_instance_root_data_with_id_and_version(built_forms):
    for form in built_forms.values():
        assert f'<{INSTANCE_ROOT} id="{form.form_id}" version="{form.version}"' in form.xml


def test_it_records_start_end_today_username_and_deviceid(built_forms):
    for form in built_forms.values():
        for name, preload in [
            ("start", 'jr:preloadParams="start"'),
            ("end", 'jr:preloadParams="end"'),
            ("today", 'jr:preloadParams="today"'),
            ("username", 'jr:preloadParams="username"'),
            ("deviceid", 'jr:preloadParams="deviceid"'),
        ]:
            assert f'nodeset="/data/{name}"' in form.xml and preload in form.xml, (
                form.form_id,
                name,
            )
        assert 'nodeset="/data/meta/instanceID"' in form.xml
        assert 'nodeset="/data/meta/instanceName"' in form.xml


def test_it_passes_its_own_check_from_the_command_line(capsys):
    assert build.main(["--check"]) == 0
    assert "ok: 5 forms" in capsys.readouterr().out
