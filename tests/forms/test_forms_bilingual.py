"""Every text field staff or workers read exists in Chinese (default) and English."""

from lxml import etree

XF = "{http://www.w3.org/2002/xforms}"
ZH = "中文 (zh)"
EN = "English (en)"


def translations(form):
    doc = etree.fromstring(form.xml.encode("utf-8"))
    result = {}
    for translation in doc.iter(f"{XF}translation"):
        texts = {}
        for text in translation.iter(f"{XF}text"):
            texts[text.get("id")] = "".join(text.itertext()).strip()
        result[translation.get("lang")] = (translation.get("default"), texts)
    return doc, result


def test_it_has_chinese_as_default_and_english(built_forms):
    for form in built_forms.values():
        _, langs = translations(form)
        assert set(langs) == {ZH, EN}, form.form_id
        assert langs[ZH][0] == "true()", form.form_id


def test_it_fills_every_text_in_both_languages(built_forms):
    # pyxform writes "-" where a language column is empty.
    for form in built_forms.values():
        _, langs = translations(form)
        zh, en = langs[ZH][1], langs[EN][1]
        assert zh.keys() == en.keys(), form.form_id
        for text_id in zh:
            assert zh[text_id] not in ("", "-"), (form.form_id, text_id, "zh")
            assert en[text_id] not in ("", "-"), (form.form_id, text_id, "en")


def test_it_writes_chinese_in_chinese_and_not_in_english(built_forms):
    for form in built_forms.values():
        _, langs = translations(form)
        for text_id, text in langs[EN][1].items():
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), (form.form_id, text_id)
        for text_id, text in langs[ZH][1].items():
            if text_id.endswith(":label") or text_id.endswith(":hint"):
                # Labels and hints are Chinese sentences; codes like "pH" are the exception.
                assert any("\u4e00" <= ch <= "\u9fff" for ch in text) or text in ("pH",), (
                    form.form_id,
                    text_id,
                )


def test_it_labels_every_control_through_the_translations(built_forms):
    for form in built_forms.values():
        doc, _ = translations(form)
        body = doc.find("{http://www.w3.org/1999/xhtml}body")
        for control in body.iter():
            if etree.QName(control).localname not in (
                "input",
                "select",
                "select1",
                "upload",
                "group",
                "repeat",
            ):
                continue
            if etree.QName(control).localname == "repeat":
                continue  # labelled by its enclosing group
            label = control.find(f"{XF}label")
            ref = control.get("ref")
            assert label is not None and label.get("ref", "").startswith("jr:itext("), (
                form.form_id,
                ref,
            )


def test_it_gives_every_required_question_and_constraint_a_bilingual_message(built_forms):
    for form in built_forms.values():
        doc, langs = translations(form)
        zh = langs[ZH][1]
        for bind in doc.iter(f"{XF}bind"):
            nodeset = bind.get("nodeset")
            if bind.get("required") == "true()":
                assert f"{nodeset}:jr:requiredMsg" in zh, (form.form_id, nodeset)
            if bind.get("constraint"):
                assert f"{nodeset}:jr:constraintMsg" in zh, (form.form_id, nodeset)
