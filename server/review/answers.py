"""A submission's answers as people read them: Chinese labels and choice labels from the
data dictionary (forms.dictionary), photos and the GPS point picked out. No ORM."""

import functools
from dataclasses import dataclass

from forms import dictionary

HIDDEN_TYPES = {"start", "end", "today", "username", "deviceid", "calculate", "note", "group"}


@dataclass(frozen=True)
class AnswerRow:
    key: str
    label: str
    value: str
    depth: int
    is_photo: bool = False
    is_heading: bool = False


@dataclass(frozen=True)
class GeoPoint:
    latitude: float
    longitude: float
    accuracy_m: float | None


@functools.cache
def _fields(form_id: str) -> dict[str, dictionary.Field]:
    try:
        return {field.path: field for field in dictionary.load(form_id)}
    except KeyError:
        return {}


def _choices(field: dictionary.Field) -> dict[str, str]:
    pairs = [item.split("=", 1) for item in field.choice_labels_zh.split("; ") if "=" in item]
    return {code.strip(): label.strip() for code, label in pairs}


def _value_label(field: dictionary.Field | None, value: str) -> str:
    if field is None or not value:
        return value
    choices = _choices(field)
    if field.type == "select_multiple":
        return "、".join(choices.get(code, code) for code in value.split())
    return choices.get(value, value)


def answers_labelled(*, form_id: str, answers: dict) -> list[AnswerRow]:
    """Rows in answer order; repeats become numbered headings followed by their answers."""
    fields = _fields(form_id)
    rows: list[AnswerRow] = []

    def walk(items: dict, depth: int) -> None:
        # Keys are paths below the root, in repeats too ("fault/fault_type").
        for key, value in items.items():
            if key.startswith("meta/") or key == "meta":
                continue
            field = fields.get(f"/data/{key}")
            label = field.label_zh if field is not None and field.label_zh else key
            if isinstance(value, list):
                for number, entry in enumerate(value, start=1):
                    rows.append(
                        AnswerRow(
                            key=key,
                            label=f"{label} 第{number}条",
                            value="",
                            depth=depth,
                            is_heading=True,
                        )
                    )
                    walk(entry, depth + 1)
                continue
            if field is not None and field.type in HIDDEN_TYPES:
                continue
            if value in (None, ""):
                continue
            text = str(value)
            is_photo = field is not None and field.type in ("image", "photo")
            rows.append(
                AnswerRow(
                    key=key,
                    label=label,
                    value=_value_label(field, text),
                    depth=depth,
                    is_photo=is_photo,
                )
            )

    walk(answers, 0)
    return rows


def geopoint(*, form_id: str, answers: dict) -> GeoPoint | None:
    """The first geopoint answer ("lat lon alt accuracy"), if any."""
    fields = _fields(form_id)
    for key, value in answers.items():
        field = fields.get(f"/data/{key}")
        if field is None or field.data_type != "geopoint" or not isinstance(value, str):
            continue
        parts = value.split()
        try:
            accuracy = float(parts[3]) if len(parts) > 3 else None
            return GeoPoint(float(parts[0]), float(parts[1]), accuracy)
        except (ValueError, IndexError):
            return None
    return None
