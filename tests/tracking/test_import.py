"""Importing earlier key projects from XLSX: every kind of bad row is reported in Chinese
with its row number, the good rows are imported together or not at all, and owners who
have registered are matched by credit code."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from keyprojects.audit.models import Event
from keyprojects.documents.sheets import BadSheet
from keyprojects.tracking import imports
from keyprojects.tracking.models import ProjectImport, TrackedProject

from ..factories import credit_code, make_organisation, pdf_upload
from .conftest import make_project, row, xlsx_upload

pytestmark = pytest.mark.django_db


def errors_by_row(batch):
    """What is wrong with each row (each error also names its column and how to fix it)."""
    return {r["number"]: [e["message"] for e in r["errors"]] for r in batch.rows}


def test_each_bad_row_says_what_is_wrong_and_good_rows_pass(office, regions):
    existing = make_project(credit_code=credit_code(), name="已导入的项目", year=2017)
    repeated = credit_code()
    upload = xlsx_upload(
        [
            row("南京智慧交通平台", credit_code(), city="南京"),  # 2: short city name
            row("苏州政务云", credit_code(), city="苏州市", amount="1,200.50"),  # 3
            row("省级数据平台", credit_code(), city=""),  # 4: a provincial unit
            row("太新的项目", credit_code(), year=2021),  # 5
            row("太旧的项目", credit_code(), year=2015),  # 6
            row("代码错误", "91320102MA1XYW0010"),  # 7: wrong check character
            row("城市不对", credit_code(), city="上海市"),  # 8
            row("类别不对", credit_code(), category="智慧农业类"),  # 9
            row("负投资", credit_code(), amount="-5"),  # 10
            row("非数字", credit_code(), amount="约三百万"),  # 11
            row(existing.name, existing.credit_code, year=2017),  # 12: already tracked
            row("表内重复", repeated),  # 13
            row("表内重复", repeated),  # 14: same as row 13
            [2018, "", "缺名称单位", credit_code(), "数字经济", "无锡", "10"],  # 15
            row("三位小数", credit_code(), amount="10.125"),  # 16
        ]
    )
    batch = imports.preview(upload, by=office)
    errors = errors_by_row(batch)
    assert errors[2] == [] and errors[3] == [] and errors[4] == []
    assert errors[5] == ["年度 2021 晚于 2019 年：2020 年起的重点工程由平台遴选，无须导入"]
    assert errors[6] == ["年度 2015 早于 2016 年，不在跟踪范围内"]
    assert errors[7] == ["统一社会信用代码校验位不正确，请核对营业执照或登记证书上的代码"]
    assert errors[8] == ["所在设区市“上海市”不是江苏省的设区市（省级单位请留空）"]
    assert errors[9][0].startswith("工程类别“智慧农业类”不存在，应为：数字基建类、数字经济类")
    assert errors[10] == ["信息化投资不能为负数"]
    assert errors[11] == ["信息化投资“约三百万”不是数字"]
    assert errors[12] == ["与已有跟踪项目重复（同一年度、项目名称和信用代码）"]
    assert errors[13] == []
    assert errors[14] == ["与本表第 13 行重复"]
    assert errors[15] == ["“项目名称”不能为空"]
    assert errors[16] == ["信息化投资最多保留两位小数（单位：万元）"]
    assert len(batch.good_rows) == 4
    assert TrackedProject.objects.count() == 1  # the preview imports nothing

    created = imports.confirm(batch, by=office)
    assert len(created) == 4
    nanjing = TrackedProject.objects.get(name="南京智慧交通平台")
    assert nanjing.city.name == "南京市" and nanjing.source == "imported"
    assert str(TrackedProject.objects.get(name="苏州政务云").informatisation_investment) == (
        "1200.50"
    )
    assert TrackedProject.objects.get(name="省级数据平台").city is None
    batch.refresh_from_db()
    assert batch.state == ProjectImport.State.IMPORTED and batch.imported_count == 4
    event = Event.objects.get(action="import", target_id=str(batch.pk))
    assert event.data["imported"] == 4 and event.data["rejected"] == 11


def test_confirming_twice_imports_once(office, regions):
    batch = imports.preview(xlsx_upload([row("项目甲", credit_code())]), by=office)
    imports.confirm(batch, by=office)
    with pytest.raises(imports.ImportRefused, match="该文件已导入"):
        imports.confirm(batch, by=office)
    assert TrackedProject.objects.count() == 1


def test_a_project_imported_since_the_preview_refuses_the_whole_import(office, regions):
    code = credit_code()
    first = imports.preview(
        xlsx_upload([row("项目甲", code), row("项目乙", credit_code())]), by=office
    )
    second = imports.preview(xlsx_upload([row("项目甲", code)]), by=office)
    imports.confirm(second, by=office)
    with pytest.raises(imports.ImportRefused, match="部分行现在重复"):
        imports.confirm(first, by=office)
    # Nothing half-imported: 项目乙 was good, but waits for the office to confirm again.
    assert not TrackedProject.objects.filter(name="项目乙").exists()
    first.refresh_from_db()
    assert first.state == "previewed"
    assert errors_by_row(first)[2] == ["与已有跟踪项目重复（同一年度、项目名称和信用代码）"]
    assert len(imports.confirm(first, by=office)) == 1


def test_registered_owner_is_matched_by_credit_code_on_import(office, organisation):
    batch = imports.preview(
        xlsx_upload([row("玄武区项目", f" {organisation.credit_code.lower()} ")]), by=office
    )
    [project] = imports.confirm(batch, by=office)
    project.refresh_from_db()
    assert project.organisation == organisation
    assert project.credit_code == organisation.credit_code


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: pdf_upload("名单.pdf"), "此类附件只接受 XLSX 文件，上传的文件实际为 PDF"),
        (lambda: xlsx_upload([], header=["年度", "项目名称"]), "表头缺少列：申报单位"),
        (lambda: xlsx_upload([]), "表中没有数据行"),
    ],
)
def test_files_that_cannot_be_read_are_refused_whole(office, regions, upload, message):
    with pytest.raises(BadSheet, match=message):
        imports.preview(upload(), by=office)
    assert not ProjectImport.objects.exists()


def test_row_limit(office, regions, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    rows = [row(f"项目{i}", credit_code()) for i in range(3)]
    with pytest.raises(BadSheet, match="一次最多导入 2 行"):
        imports.preview(xlsx_upload(rows), by=office)


def test_optional_content_column_is_imported(office, regions):
    header = [*imports.COLUMNS, imports.CONTENT]
    upload = xlsx_upload([[*row("项目甲", credit_code()), "建设数据中台。"]], header=header)
    imports.confirm(imports.preview(upload, by=office), by=office)
    assert TrackedProject.objects.get().content == "建设数据中台。"


def test_the_template_has_the_headings_and_imports_once_filled(client, office, regions):
    client.force_login(office)
    response = client.get(reverse("tracking:import_template"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == [*imports.COLUMNS, imports.CONTENT]
    sheet.append([2019, "模板填写的项目", "某单位", credit_code(), "数字经济类", "无锡", 300])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.name = "模板.xlsx"
    batch = imports.preview(buffer, by=office)
    assert batch.good_rows and not batch.bad_rows


def test_pages_upload_report_and_confirm(client, office, regions):
    client.force_login(office)
    upload = xlsx_upload([row("项目甲", credit_code()), row("项目乙", credit_code(), year=2020)])
    response = client.post(reverse("tracking:import"), {"file": upload})
    batch = ProjectImport.objects.get()
    assert response.url == reverse("tracking:import_report", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert "共 2 行：可导入 1 行，有错误 1 行。" in page
    assert "年度 2020 晚于 2019 年" in page
    assert "确认导入 1 个项目" in page
    response = client.post(reverse("tracking:import_confirm", args=[batch.pk]), follow=True)
    assert "已导入 1 个项目。" in response.content.decode()
    assert list(TrackedProject.objects.values_list("name", flat=True)) == ["项目甲"]


def test_upload_page_says_why_a_file_is_refused(client, office, regions):
    client.force_login(office)
    response = client.post(reverse("tracking:import"), {"file": pdf_upload("名单.pdf")})
    assert response.status_code == 400
    assert "此类附件只接受 XLSX 文件" in response.content.decode()


def test_projects_of_a_later_registered_organisation_are_matched(office, regions):
    code = credit_code()
    imports.confirm(imports.preview(xlsx_upload([row("项目甲", code)]), by=office), by=office)
    assert TrackedProject.objects.get().organisation is None
    organisation = make_organisation(seat="320505", credit_code=code)
    assert TrackedProject.objects.get().organisation == organisation
