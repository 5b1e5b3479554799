"""A small XLSForm for protocol tests, written with openpyxl, and instances of it.

Stands in where a test needs a form whose shape it controls (repeats, photos,
registry lists) independently of the five real questionnaires in forms/.
"""

import io
import uuid

from openpyxl import Workbook

FIXTURE_FORM_ID = "protocol_fixture"

SURVEY = [
    ["type", "name", "label::中文 (zh)", "required", "choice_filter"],
    ["start", "start", "", "", ""],
    ["end", "end", "", "", ""],
    ["select_one_from_file villages.csv", "natural_village", "自然村", "yes", ""],
    ["select_one_from_file facilities.csv", "facility", "设施", "", ""],
    ["text", "remark", "备注", "", ""],
    ["image", "photo", "照片", "", ""],
    ["begin_repeat", "faults", "故障", "", ""],
    ["text", "fault_type", "故障类型", "", ""],
    ["image", "fault_photo", "故障照片", "", ""],
    ["end_repeat", "", "", "", ""],
]


def fixture_xlsform(
    *, version: str = "1", form_id: str = FIXTURE_FORM_ID, title: str = "协议测试表单", survey=None
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey or SURVEY:
        sheet.append(row)
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::中文 (zh)"])
    settings = book.create_sheet("settings")
    settings.append(["form_id", "version", "form_title", "default_language"])
    settings.append([form_id, version, title, "中文 (zh)"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def fixture_instance(
    *,
    natural_village: str,
    facility: str = "",
    version: str = "1",
    form_id: str = FIXTURE_FORM_ID,
    instance_id: str | None = None,
    deprecated_id: str = "",
    photo: str = "photo.jpg",
    fault_photos: tuple[str, ...] = (),
    remark: str = "正常",
) -> tuple[bytes, str]:
    """Instance XML as ODK Collect writes it, and its instanceID."""
    instance_id = instance_id or f"uuid:{uuid.uuid4()}"
    faults = "".join(
        f"<faults><fault_type>漏水</fault_type><fault_photo>{name}</fault_photo></faults>"
        for name in fault_photos
    )
    deprecated = f"<deprecatedID>{deprecated_id}</deprecatedID>" if deprecated_id else ""
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<data xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms" '
        f'id="{form_id}" version="{version}">'
        f"<start>2025-05-01T09:00:00.000+08:00</start><end>2025-05-01T09:20:00.000+08:00</end>"
        f"<natural_village>{natural_village}</natural_village><facility>{facility}</facility>"
        f"<remark>{remark}</remark><photo>{photo}</photo>{faults}"
        f"<meta><instanceID>{instance_id}</instanceID>{deprecated}</meta></data>"
    )
    return xml.encode("utf-8"), instance_id
