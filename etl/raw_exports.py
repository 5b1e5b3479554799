"""Raw data per form (CSV, XLSX) with Chinese or English labels, and GeoJSON of every located
record (issue 5, item 5).

Unlike ``etl.tidy`` this keeps every field of the questionnaire, answers as sent (choice
codes resolved to their labels), because it is the data people check the indicators against.
Only submissions that count are exported (current version, not rejected). Repeats get their
own table, joined to the form's table by the instance ID.
"""

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import xlsxwriter

from etl.tidy import ROOT, submissions_that_count

LANGS = ("zh", "en")
SKIPPED_TYPES = {"group", "repeat", "note"}
KEY_HEADERS = {
    "zh": {"instance_id": "记录ID", "entry": "序号", "submitted_at": "接收时间(UTC)",
           "submitter": "提交人", "form_version": "表单版本"},
    "en": {"instance_id": "Instance ID", "entry": "Entry", "submitted_at": "Received (UTC)",
           "submitter": "Submitted by", "form_version": "Form version"},
}  # fmt: skip


def form_tables(
    raw: pd.DataFrame, dictionary: pd.DataFrame, form_id: str, *, lang: str = "zh"
) -> dict[str, pd.DataFrame]:
    """The form's table (named after the form) and one table per repeat (named after it),
    headers and choices in ``lang``."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}")
    dictionary = dictionary.fillna("").astype(str)
    fields = dictionary.loc[
        (dictionary["form_id"] == form_id) & ~dictionary["type"].isin(SKIPPED_TYPES)
    ]
    rows = submissions_that_count(raw)
    rows = rows.loc[rows["form_id"] == form_id].reset_index(drop=True)
    answers = [_relative_keys(a) for a in rows["answers"]]
    keys = KEY_HEADERS[lang]
    main = pd.DataFrame(
        {
            keys["instance_id"]: rows["instance_id"],
            keys["submitted_at"]: rows["submitted_at"],
            keys["submitter"]: rows["submitter"],
            keys["form_version"]: rows["form_version"],
        }
    )
    for field in fields.loc[fields["repeat"] == ""].itertuples():
        main[_header(field, lang)] = _labelled(
            [a.get(_rel(field.path)) for a in answers], field, lang
        )
    tables = {form_id: main}
    for repeat in dict.fromkeys(fields.loc[fields["repeat"] != "", "repeat"]):
        name = _rel(repeat)
        entries = [
            (instance_id, n, _relative_keys(entry))
            for instance_id, a in zip(rows["instance_id"], answers, strict=True)
            for n, entry in enumerate(_entries(a.get(name)), start=1)
        ]
        table = pd.DataFrame(
            {
                keys["instance_id"]: [e[0] for e in entries],
                keys["entry"]: [e[1] for e in entries],
            }
        )
        for field in fields.loc[fields["repeat"] == repeat].itertuples():
            values = [e[2].get(_rel(field.path), e[2].get(field.name)) for e in entries]
            table[_header(field, lang)] = _labelled(values, field, lang)
        tables[name] = table
    return tables


def csv_write(tables: Mapping[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """One UTF-8 (with BOM, so Excel shows Chinese) CSV per table."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in tables.items():
        path = out_dir / f"{name}.csv"
        table.to_csv(path, index=False, encoding="utf-8-sig")
        paths.append(path)
    return paths


def xlsx_write(tables: Mapping[str, pd.DataFrame], target) -> None:
    """One sheet per table, header row frozen; streamed (constant_memory)."""
    options = {"constant_memory": True, "default_date_format": "yyyy-mm-dd hh:mm"}
    if not isinstance(target, str | Path):
        options["in_memory"] = True
    workbook = xlsxwriter.Workbook(target, options)
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    for name, table in tables.items():
        sheet = workbook.add_worksheet(name[:31])
        sheet.write_row(0, 0, list(table.columns), header)
        sheet.freeze_panes(1, 0)
        sheet.set_column(0, len(table.columns) - 1, 16)
        for n, row in enumerate(table.itertuples(index=False), start=1):
            for col, value in enumerate(row):
                if (
                    value is None
                    or value is pd.NaT
                    or (isinstance(value, float) and value != value)
                ):
                    continue
                if isinstance(value, pd.Timestamp):
                    sheet.write_datetime(n, col, value.to_pydatetime())
                else:
                    sheet.write(n, col, value)
    workbook.close()


def geojson(raw: pd.DataFrame, dictionary: pd.DataFrame) -> dict:
    """A FeatureCollection with one Point per geopoint answer of every counted submission
    (WGS-84 as recorded, [lon, lat]); properties name the form, record and field."""
    dictionary = dictionary.fillna("").astype(str)
    points = dictionary.loc[dictionary["type"] == "geopoint"]
    features = []
    for row in submissions_that_count(raw).itertuples():
        answers = _relative_keys(row.answers)
        for field in points.loc[points["form_id"] == row.form_id].itertuples():
            if field.repeat:
                values = [
                    _relative_keys(e).get(_rel(field.path))
                    for e in _entries(answers.get(_rel(field.repeat)))
                ]
            else:
                values = [answers.get(_rel(field.path))]
            for n, value in enumerate(values, start=1):
                point = _point(value)
                if point is None:
                    continue
                features.append(
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [point[1], point[0]]},
                        "properties": {
                            "form_id": row.form_id,
                            "instance_id": row.instance_id,
                            "field": field.name,
                            "entry": n if field.repeat else None,
                            "submitted_at": row.submitted_at.isoformat(),
                            "accuracy_m": point[2],
                        },
                    }
                )
    return {"type": "FeatureCollection", "features": features}


def _rel(path: str) -> str:
    return path.removeprefix(ROOT)


def _relative_keys(answers) -> dict:
    if not isinstance(answers, dict):
        return {}
    return {k.removeprefix(ROOT).lstrip("/"): v for k, v in answers.items()}


def _entries(value) -> list:
    if isinstance(value, dict):
        return [value]
    return value if isinstance(value, list) else []


def _header(field, lang: str) -> str:
    label = getattr(field, f"label_{lang}") or field.name
    return f"{label} [{field.name}]"


def _choice_labels(field, lang: str) -> dict[str, str]:
    text = getattr(field, f"choice_labels_{lang}")
    pairs = [item.split("=", 1) for item in text.split("; ") if "=" in item]
    return {code: label for code, label in pairs}


def _labelled(values: list, field, lang: str) -> list:
    labels = _choice_labels(field, lang)
    if not labels:
        return [None if v in (None, "") else v for v in values]
    multiple = field.type.startswith("select_multiple")

    def label(value):
        if value in (None, ""):
            return None
        codes = str(value).split() if multiple else [str(value)]
        return " ".join(labels.get(code, code) for code in codes)

    return [label(v) for v in values]


def _point(value) -> tuple[float, float, float | None] | None:
    try:
        parts = [float(p) for p in str(value).split()]
    except ValueError:
        return None
    if len(parts) < 2 or not (-90 <= parts[0] <= 90 and -180 <= parts[1] <= 180):
        return None
    return parts[0], parts[1], parts[3] if len(parts) > 3 else None
