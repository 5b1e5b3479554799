"""Importing the town's registers: all rows or none, errors by sheet and row."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from registry.importing import ImportFailed, registry_import, template_workbook
from registry.models import Contractor, NaturalVillage, SewageFacility, WaterBody

pytestmark = pytest.mark.django_db

VILLAGE_HEADERS = ["自然村编码", "自然村名称", "行政村代码", "总户数", "已接入户数", "污水治理模式"]
FACILITY_HEADERS = [
    "设施编码",
    "设施名称",
    "服务自然村编码",
    "处理工艺",
    "设计规模(吨/日)",
    "投运日期",
    "运维单位编码",
    "运维单位名称",
]
WATER_HEADERS = ["水体编码", "水体名称", "类型", "行政村代码", "整治阶段"]


def workbook(**sheets: list[list]) -> io.BytesIO:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def good_workbook(households: int = 50) -> io.BytesIO:
    return workbook(
        自然村=[
            VILLAGE_HEADERS,
            ["320404116201001", "杨庄村·演示1组", "320404116201", households, 45, "集中式处理设施"],
            ["320404116201002", "杨庄村·演示2组", "320404116201", 30, 0, "none"],
        ],
        处理设施=[
            FACILITY_HEADERS,
            [
                "ZQ-WS-001",
                "杨庄村演示1组设施",
                "320404116201001",
                "A/O",
                30,
                "2019-06-30",
                "OM-01",
                "演示运维公司",
            ],
        ],
        黑臭水体=[WATER_HEADERS, ["ZQ-HC-001", "杨庄村演示塘", "坑塘", "320404116201", "整治中"]],
    )


def test_it_imports_all_three_registers_from_one_workbook(town):
    result = registry_import(file=good_workbook(), filename="名录.xlsx")
    assert result.created == {"自然村": 2, "处理设施": 1, "黑臭水体": 1}
    facility = SewageFacility.objects.get(code="ZQ-WS-001")
    assert [v.code for v in facility.natural_villages.all()] == ["320404116201001"]
    assert facility.contractor == Contractor.objects.get(code="OM-01")
    assert str(facility.commissioned_on) == "2019-06-30"
    assert WaterBody.objects.get(code="ZQ-HC-001").stage == "works"
    assert NaturalVillage.objects.get(code="320404116201002").sewage_mode == "none"


def test_it_updates_by_code_when_imported_again(town):
    registry_import(file=good_workbook(), filename="a.xlsx")
    result = registry_import(file=good_workbook(households=60), filename="a.xlsx")
    assert result.created == {}
    assert result.updated == {"自然村": 2, "处理设施": 1, "黑臭水体": 1}
    assert NaturalVillage.objects.count() == 2
    assert NaturalVillage.objects.get(code="320404116201001").households == 60


def test_it_writes_nothing_and_reports_every_bad_row_in_chinese(town):
    bad = workbook(
        自然村=[
            VILLAGE_HEADERS,
            ["320404116201001", "好的一行", "320404116201", 50, 45, "集中式处理设施"],
            ["320404116201002", "户数错", "320404116201", "五十", 0, "未治理"],
            ["320404116201003", "接入超过总数", "320404116201", 10, 20, "未治理"],
            ["320404116299001", "行政村不存在", "320404116299", 10, 0, "未治理"],
            ["320404116201004", "模式错", "320404116201", 10, 0, "化粪池"],
            ["320404116201001", "编码重复", "320404116201", 10, 0, "未治理"],
        ],
        处理设施=[FACILITY_HEADERS, ["ZQ-WS-001", "设施", "320404116201999", "A/O", -5]],
    )
    with pytest.raises(ImportFailed) as info:
        registry_import(file=bad, filename="bad.xlsx")
    found = {(e.sheet, e.row, e.column) for e in info.value.errors}
    assert ("自然村", 3, "总户数") in found
    assert ("自然村", 4, "") in found or ("自然村", 4, "已接入户数") in found
    assert ("自然村", 5, "行政村代码") in found
    assert ("自然村", 6, "污水治理模式") in found
    assert ("自然村", 7, "自然村编码") in found
    assert ("处理设施", 2, "服务自然村编码") in found
    messages = " ".join(e.message for e in info.value.errors)
    assert "不是整数" in messages and "不存在" in messages
    assert NaturalVillage.objects.count() == 0
    assert SewageFacility.objects.count() == 0


def test_it_reports_missing_required_columns(town):
    bad = workbook(自然村=[["自然村编码", "自然村名称"], ["320404116201001", "x"]])
    with pytest.raises(ImportFailed) as info:
        registry_import(file=bad, filename="x.xlsx")
    assert {e.column for e in info.value.errors} >= {"行政村代码", "总户数", "污水治理模式"}


def test_it_reads_a_gbk_csv_saved_by_excel(town):
    rows = [
        ",".join(VILLAGE_HEADERS),
        "320404116203001,龙潭村·演示1组,320404116203,25,20,分散式处理设施",
    ]
    data = "\r\n".join(rows).encode("gb18030")
    result = registry_import(file=io.BytesIO(data), filename="自然村.csv")
    assert result.created == {"自然村": 1}
    assert NaturalVillage.objects.get(code="320404116203001").sewage_mode == "decentralized"


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"not a workbook", "x.xlsx", "无法读取"),
        (b"a,b\n1,2", "x.csv", "表头"),
        (b"anything", "x.pdf", "只支持"),
    ],
)
def test_it_explains_files_it_cannot_read(town, data, filename, expected):
    with pytest.raises(ImportFailed) as info:
        registry_import(file=io.BytesIO(data), filename=filename)
    assert expected in str(info.value)


def test_it_imports_its_own_template(town):
    template = load_workbook(io.BytesIO(template_workbook()))
    assert template.sheetnames[:3] == ["自然村", "处理设施", "黑臭水体"]
    result = registry_import(file=io.BytesIO(template_workbook()), filename="template.xlsx")
    assert result.created == {"自然村": 1, "处理设施": 1, "黑臭水体": 1}


def test_the_command_fails_with_the_errors_and_succeeds_with_a_summary(town, tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(good_workbook().getvalue())
    call_command("import_registry", str(good))
    assert "导入成功" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(VILLAGE_HEADERS) + "\n320404116201001,x,320404116201,abc,0,未治理\n")
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_registry", str(bad))
    assert "第2行 总户数" in capsys.readouterr().err


def test_the_admin_offers_the_template_and_the_upload(client, district_admin):
    client.force_login(district_admin)
    response = client.get("/admin/registry/naturalvillage/template/")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames[0] == "自然村"
    response = client.post(
        "/admin/registry/naturalvillage/import/",
        {"file": _named(good_workbook(), "名录.xlsx")},
    )
    assert response.status_code == 302
    assert NaturalVillage.objects.count() == 2
    bad = workbook(自然村=[VILLAGE_HEADERS, ["1", "x", "320404116201", 1, 0, "未治理"]])
    response = client.post(
        "/admin/registry/naturalvillage/import/", {"file": _named(bad, "b.xlsx")}
    )
    assert response.status_code == 200
    assert "导入失败" in response.content.decode()


def test_the_admin_upload_is_refused_to_people_without_rights(client, make_user):
    worker = make_user("worker", "village_worker", is_staff=True)
    client.force_login(worker)
    response = client.post(
        "/admin/registry/naturalvillage/import/", {"file": _named(good_workbook(), "a.xlsx")}
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]  # not staff
    assert NaturalVillage.objects.count() == 0


def _named(buffer: io.BytesIO, name: str) -> io.BytesIO:
    buffer.name = name
    return buffer
