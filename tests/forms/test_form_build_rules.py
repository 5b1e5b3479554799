"""The build refuses what pyxform only warns about, shown with small markdown XLSForms."""

import pytest

from forms.build import FormBuildError, build_form

SETTINGS = """
| settings |         |      |            |                  |
|          | form_id | name | version    | default_language |
|          | tiny    | data | 2026010101 | 中文 (zh)        |
"""


def write(tmp_path, survey):
    path = tmp_path / "tiny.md"
    path.write_text(survey + SETTINGS, encoding="utf-8")
    return path


def test_it_builds_a_small_bilingual_form(tmp_path):
    path = write(
        tmp_path,
        """
| survey |         |         |                  |                      |
|        | type    | name    | label::中文 (zh) | label::English (en)  |
|        | integer | count   | 数量             | Count                |
""",
    )
    form = build_form(path)
    assert (form.form_id, form.version) == ("tiny", "2026010101")
    assert '<data id="tiny" version="2026010101">' in form.xml


def test_it_fails_on_a_pyxform_warning(tmp_path):
    path = write(
        tmp_path,
        """
| survey |         |         |                |
|        | type    | name    | label::Chinese |
|        | integer | count   | 数量           |
""",
    )
    with pytest.raises(FormBuildError, match="pyxform warnings"):
        build_form(path)


def test_it_fails_when_a_label_is_missing_in_english(tmp_path):
    path = write(
        tmp_path,
        """
| survey |         |         |                  |                      |
|        | type    | name    | label::中文 (zh) | label::English (en)  |
|        | integer | count   | 数量             |                      |
|        | integer | total   | 总数             | Total                |
""",
    )
    with pytest.raises(FormBuildError, match=r"English \(en\): /data/count:label"):
        build_form(path)


def test_it_fails_on_a_pyxform_error(tmp_path):
    path = write(
        tmp_path,
        """
| survey |         |         |                  |                      |
|        | type    | name    | label::中文 (zh) | label::English (en)  |
|        | integer | count   | 数量             | Count                |
|        | integer | count   | 数量             | Count                |
""",
    )
    with pytest.raises(FormBuildError, match=r"tiny\.md"):
        build_form(path)
