"""The data dictionary: every field of every questionnaire, generated from the XLSForms.

``python -m forms.dictionary`` (also run by ``python -m forms.build``) writes
``docs/forms/data_dictionary.csv`` (the machine-readable schema the server and ETL rely on)
and ``docs/forms/data_dictionary.md`` (the same, for people).

Other code reads the committed CSV, so it needs neither pyxform nor the built forms::

    from forms import dictionary
    fields = dictionary.load("sewage_facility_inspection")
    paths = [f.path for f in fields if f.type != "group"]

``path`` is the element's XPath in a submission, e.g. ``/data/checklist/power_ok``; fields
inside a repeat carry the repeat's path in ``repeat`` (e.g. ``/data/fault``).
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any

from lxml import etree

from forms.build import FORM_IDS, BuiltForm, build_all

DOCS_DIR = Path(__file__).resolve().parent.parent / "docs" / "forms"
CSV_PATH = DOCS_DIR / "data_dictionary.csv"
MD_PATH = DOCS_DIR / "data_dictionary.md"

ZH = "中文 (zh)"
EN = "English (en)"
XF = "{http://www.w3.org/2002/xforms}"

# pyxform's internal type names -> the XLSForm type words staff see in the survey sheet.
_TYPE_NAMES = {
    "select one": "select_one",
    "select all that apply": "select_multiple",
    "photo": "image",
}


@dataclass(frozen=True)
class Field:
    """One element of a form's primary instance (a question, calculate, note, group or repeat)."""

    form_id: str
    path: str
    name: str
    type: str
    data_type: str
    repeat: str
    label_zh: str
    label_en: str
    unit: str
    required: str
    relevant: str
    constraint: str
    calculation: str
    list_name: str
    choice_values: str
    choice_labels_zh: str
    choice_labels_en: str

    @property
    def choices(self) -> list[str]:
        """The allowed codes of a select (or a coded calculate); empty for free input."""
        return self.choice_values.split()

    @property
    def is_data(self) -> bool:
        """True for elements that carry a value (not groups, repeats or notes)."""
        return self.type not in ("group", "repeat", "note")


COLUMNS = [f.name for f in dataclass_fields(Field)]


def _walk(
    node: dict[str, Any], parent_path: str, repeat: str
) -> Iterator[tuple[dict[str, Any], str, str]]:
    for child in node.get("children", []):
        path = f"{parent_path}/{child['name']}"
        yield child, path, repeat
        if child.get("type") in ("group", "repeat"):
            inner_repeat = path if child["type"] == "repeat" else repeat
            yield from _walk(child, path, inner_repeat)


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang, ""))
    return "" if value is None else str(value)


def _bind_types(xml: str) -> dict[str, str]:
    root = etree.fromstring(xml.encode("utf-8"))
    return {b.get("nodeset"): b.get("type", "") for b in root.iter(f"{XF}bind")}


def fields_from_form(form: BuiltForm) -> list[Field]:
    """Every element of one built form's primary instance, in document order."""
    survey = form.result._pyxform  # pyxform's JSON form of the XLSForm
    bind_types = _bind_types(form.xml)
    choice_lists: dict[str, list[dict[str, Any]]] = survey.get("choices", {})
    rows = []
    for element, path, repeat in _walk(survey, f"/{survey['name']}", ""):
        xls_type = element.get("type", "")
        list_name = (
            element.get("list_name") or element.get("itemset") or element.get("value_list") or ""
        )
        if isinstance(list_name, dict):  # pragma: no cover - pyxform keeps itemsets as names
            list_name = ""
        type_name = _TYPE_NAMES.get(xls_type, xls_type)
        if list_name.endswith(".csv"):
            type_name += "_from_file"
        choices = choice_lists.get(list_name, []) if not list_name.endswith(".csv") else []
        bind = element.get("bind", {})
        rows.append(
            Field(
                form_id=form.form_id,
                path=path,
                name=element["name"],
                type=type_name,
                data_type=bind_types.get(path, ""),
                repeat=repeat,
                label_zh=_text(element.get("label"), ZH),
                label_en=_text(element.get("label"), EN),
                unit=str(element.get("unit", "") or ""),
                required="yes" if bind.get("required") in ("yes", "true()", True) else "",
                relevant=str(bind.get("relevant", "")),
                constraint=str(bind.get("constraint", "")),
                calculation=str(bind.get("calculate", "")),
                list_name=list_name,
                choice_values=" ".join(c["name"] for c in choices),
                choice_labels_zh="; ".join(f"{c['name']}={_text(c['label'], ZH)}" for c in choices),
                choice_labels_en="; ".join(f"{c['name']}={_text(c['label'], EN)}" for c in choices),
            )
        )
    return rows


def fields_from_forms(forms: list[BuiltForm]) -> list[Field]:
    """All forms' fields, in the order of FORM_IDS."""
    order = {form_id: i for i, form_id in enumerate(FORM_IDS)}
    result: list[Field] = []
    for form in sorted(forms, key=lambda f: order.get(f.form_id, len(order))):
        result += fields_from_form(form)
    return result


def render_csv(fields: list[Field]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for field in fields:
        writer.writerow(asdict(field))
    return buffer.getvalue()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


MD_PREAMBLE = """# Questionnaire data dictionary

Generated by `python -m forms.dictionary` from the XLSForms in `forms/`; do not edit by hand.
The same content, one row per element, is in `data_dictionary.csv` (columns: {columns}).

- `path` is the element's XPath in a submission (root element `data`, with `id` and `version`
  attributes). Elements inside a repeat occur once per entry; `repeat` names the repeat.
- `type` is the XLSForm type; `data_type` the XForm bind type. `*_from_file` selects read the
  CSV media file in `list_name`, generated per user by the server.
- Coded calculates (status, class, flags) list their codes like a select does.
- Thresholds in calculations and constraints come from the domain reference
  (`shared/domain/README.md`) and are tagged there [K] (general knowledge, to be verified) or
  [A] (assumption): the §3.3 operation rubric, the §4.1 black-odorous grading and shallow-water
  rule, the 0.010 mm film limit, the §6 straw ratios and collection coefficient. They are
  written into the forms for now; they are meant to become server-side configuration later.
"""


def render_markdown(fields: list[Field]) -> str:
    parts = [MD_PREAMBLE.format(columns=", ".join(COLUMNS))]
    for form_id in dict.fromkeys(f.form_id for f in fields):
        parts.append(f"\n## `{form_id}`\n")
        parts.append("| path | type | 中文 | English | unit | req. | choices / calculation |")
        parts.append("|---|---|---|---|---|---|---|")
        for f in (f for f in fields if f.form_id == form_id):
            if f.choice_labels_zh:
                detail = f"`{f.list_name}`: {f.choice_labels_zh}"
            elif f.list_name:
                detail = f"`{f.list_name}`"
            else:
                detail = f"`{f.calculation}`" if f.calculation else ""
            parts.append(
                "| "
                + " | ".join(
                    _cell(x)
                    for x in (
                        f"`{f.path}`",
                        f.type,
                        f.label_zh,
                        f.label_en,
                        f.unit,
                        f.required,
                        detail,
                    )
                )
                + " |"
            )
    return "\n".join(parts) + "\n"


def write(fields: list[Field], csv_path: Path = CSV_PATH, md_path: Path = MD_PATH) -> list[Path]:
    """Write the CSV and markdown dictionaries; return their paths."""
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    csv_path.write_text(render_csv(fields), encoding="utf-8")
    md_path.write_text(render_markdown(fields), encoding="utf-8")
    return [csv_path, md_path]


def is_current(fields: list[Field], csv_path: Path = CSV_PATH, md_path: Path = MD_PATH) -> bool:
    """True when the committed files equal what ``fields`` would produce."""
    return (
        csv_path.exists()
        and md_path.exists()
        and csv_path.read_text(encoding="utf-8") == render_csv(fields)
        and md_path.read_text(encoding="utf-8") == render_markdown(fields)
    )


def load(form_id: str | None = None, path: Path = CSV_PATH) -> list[Field]:
    """Read the committed dictionary, optionally for one form only."""
    with path.open(encoding="utf-8", newline="") as f:
        fields = [Field(**row) for row in csv.DictReader(f)]
    if form_id is not None:
        fields = [f for f in fields if f.form_id == form_id]
        if not fields:
            raise KeyError(f"no form {form_id!r} in {path}")
    return fields


def main(argv: list[str] | None = None) -> int:
    fields = fields_from_forms(build_all())
    for path in write(fields):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
