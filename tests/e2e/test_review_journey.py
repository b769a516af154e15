"""Local review, walked in a real browser: return, revise, recommend, table, scan, send, copy.

A 沛县 reviewer returns an application, the applicant revises and resubmits it, the reviewer
recommends it (and a second one in a batch), generates the 推荐项目汇总表, uploads a "scan"
of the sealed print and sends it to the province; the 徐州市 reviewer then reads the copy.
Each step leaves a screenshot in test-artifacts/screenshots/ (names start with "review-"),
and page 1 of the table PDF is kept there as a PNG too.
"""

import io
import re
import shutil
import subprocess
from decimal import Decimal

import pypdfium2
import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from PIL import ImageDraw
from playwright.sync_api import expect

from keyprojects.applications import domain as applications
from keyprojects.applications.models import Application
from keyprojects.orgs.models import Authority
from keyprojects.review.models import RecommendationBatch, SummaryTable

from .. import factories
from .conftest import SCREENSHOTS, shot

pytestmark = pytest.mark.e2e

FIRST = "沛县智慧农业综合服务平台（端到端测试）"
SECOND = "沛县城市运行管理中心（端到端测试）"
RETURN_REASON = "项目简介过于笼统，请写明服务对象和主要功能。"
REVISED_SUMMARY = "为全县12万农户提供农技咨询、农资溯源和产销对接服务"
CODE = re.compile(r"[0-9A-F]{4}(?:-[0-9A-F]{4}){3}")


@pytest.fixture
def people(call):
    """A 沛县 applicant with two submitted applications, and the county and city reviewers."""
    applicant = factories.make_user(factories.make_organisation(seat="320322"))
    first, second = (
        applications.submit(
            factories.make_application(
                call,
                applicant,
                name=name,
                total_investment=Decimal(total),
                civil_works_investment=Decimal(civil),
                investment_completed=Decimal(completed),
            ),
            by=applicant,
        )
        for name, total, civil, completed in [
            (FIRST, "1200.00", "200.00", "600.00"),
            (SECOND, "850.50", "100.25", "300.00"),
        ]
    )
    county = factories.make_user(
        None, authority=Authority.objects.get(name="徐州市沛县信息化主管部门")
    )
    city = factories.make_user(None, authority=Authority.objects.get(name="徐州市信息化主管部门"))
    return {
        "applicant": applicant,
        "county": county,
        "city": city,
        "first": first,
        "second": second,
    }


def log_in(page, user, landing):
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(landing))


def log_out(page):
    page.locator("header").get_by_role("button", name="退出").click()
    expect(page.locator("header").get_by_role("link", name="登录")).to_be_visible()


def wait_for_autosave(page):
    """Let the debounced autosave fire and finish, then expect its status line."""
    page.locator("h1").click()  # blur the field: its "change" triggers a save
    page.wait_for_timeout(2_000)  # longer than the form's 1.5 s input debounce
    page.wait_for_function(
        "!document.querySelector('#application-form').classList.contains('htmx-request')"
    )
    expect(page.locator("#save-status")).to_contain_text("已自动保存")


def alert(page, text):
    return page.get_by_role("alert").filter(has_text=text)


def scanned_jpeg(pdf_path, target):
    """Print and scan: rasterise page 1 of the PDF, draw a red seal, save as a JPEG."""
    document = pypdfium2.PdfDocument(str(pdf_path))
    image = document[0].render(scale=2.5).to_pil().convert("RGB")
    document.close()
    draw = ImageDraw.Draw(image)
    x, y = image.width // 4, image.height // 8
    draw.ellipse([x, y, x + 260, y + 260], outline=(210, 30, 30), width=14)
    draw.regular_polygon((x + 130, y + 130, 50), 5, fill=(210, 30, 30))
    image.save(target, "JPEG", quality=85)
    return target


def pdf_page1_png(pdf_path, name):
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm is needed to keep a picture of the table PDF"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stem = SCREENSHOTS / name
    subprocess.run(
        [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf_path), stem],
        check=True,
        timeout=60,
    )
    png = stem.with_suffix(".png")
    assert png.stat().st_size > 0
    return png


def test_county_returns_applicant_revises_county_recommends_and_sends_city_reads_copy(
    page, call, people, tmp_path, artifacts, settings
):
    first = people["first"]
    # As under `make run`: the summary table is rendered by the database task worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    # 1. The county reviewer's queue lists both submitted applications.
    log_in(page, people["county"], r"/review/$")
    expect(page.get_by_role("heading", level=1)).to_contain_text("审核推荐")
    expect(page.get_by_role("heading", level=1)).to_contain_text("徐州市沛县信息化主管部门")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    for name in [FIRST, SECOND]:
        row = rows.filter(has_text=name)
        expect(row.locator(".badge.status-submitted")).to_have_text("已提交")
        expect(row.locator("input[name=ids]")).to_be_visible()
        expect(row.get_by_text("抄报", exact=True)).to_have_count(0)
    shot(page, "review-01-county-queue")

    # 2. Open the first application and return it for revision.
    page.get_by_role("link", name=FIRST).click()
    expect(page).to_have_url(re.compile(rf"/review/applications/{first.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRST)
    expect(page.get_by_text("抄报件")).to_have_count(0)
    shot(page, "review-02-county-application")
    page.get_by_label("退回修改", exact=True).check()
    page.fill("#id_reason", RETURN_REASON)
    page.get_by_role("button", name="提交意见").click()
    expect(alert(page, "已记录审核意见")).to_be_visible()
    expect(page.locator("h1 + p .badge")).to_have_text("退回修改")
    history = page.locator("section", has=page.get_by_role("heading", name="办理记录"))
    expect(history).to_contain_text(RETURN_REASON)
    shot(page, "review-03-county-returned")
    first.refresh_from_db()
    assert first.status == "returned"
    log_out(page)

    # 3. The applicant sees why, revises the 项目简介 and resubmits.
    log_in(page, people["applicant"], r"/applicant/$")
    page.goto(f"/applicant/{first.pk}/")
    expect(page.locator(".badge.status-returned")).to_have_text("退回修改")
    returned = page.locator(".alert-warning", has_text="主管部门退回修改")
    expect(returned).to_contain_text(RETURN_REASON)
    shot(page, "review-04-applicant-returned")
    page.get_by_role("link", name="继续填写").click()
    expect(page).to_have_url(re.compile(rf"/applicant/{first.pk}/edit/$"))
    page.fill("#id_summary", REVISED_SUMMARY)
    wait_for_autosave(page)
    expect(page.locator("#save-status")).not_to_contain_text("格式有误")
    shot(page, "review-05-applicant-revised")
    page.get_by_role("button", name="提交申报").click()
    expect(page).to_have_url(re.compile(rf"/applicant/{first.pk}/$"))
    expect(page.locator(".badge.status-submitted")).to_have_text("已提交")
    expect(page.locator(".alert-warning", has_text="主管部门退回修改")).to_have_count(0)
    shot(page, "review-06-applicant-resubmitted")
    first.refresh_from_db()
    assert first.status == "submitted" and first.summary == REVISED_SUMMARY
    log_out(page)

    # 4. The county reviewer sees the change in the history and recommends.
    log_in(page, people["county"], r"/review/$")
    page.get_by_role("link", name=FIRST).click()
    history = page.locator("section", has=page.get_by_role("heading", name="办理记录"))
    returned_row = history.locator("li").filter(has_text=RETURN_REASON)
    expect(returned_row).to_have_count(1)
    # The applicant's revision: one save after the return, naming only the field changed.
    saved = returned_row.locator("xpath=following-sibling::li[1]")
    expect(saved).to_contain_text(f"{people['applicant'].username} · 保存草稿")
    expect(saved).to_have_text(re.compile(r"保存草稿：项目简介（一句话）$"))
    resubmitted = returned_row.locator("xpath=following-sibling::li[2]")
    expect(resubmitted).to_contain_text("提交申报（退回修改 → 已提交）")
    expect(page.locator("main")).to_contain_text(REVISED_SUMMARY)
    shot(page, "review-07-county-resubmitted-history")
    page.get_by_label("推荐", exact=True).check()
    page.fill("#id_reason", "同意推荐")
    page.get_by_role("button", name="提交意见").click()
    expect(alert(page, "已记录审核意见")).to_be_visible()
    expect(page.locator("h1 + p .badge")).to_have_text("已推荐")

    # 5. The second one by batch recommendation from the queue.
    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="审核推荐").click()
    expect(rows.filter(has_text=FIRST).locator("input[name=ids]")).to_have_count(0)
    page.get_by_label(f"选择 {SECOND}").check()
    shot(page, "review-08-county-queue-batch")
    page.get_by_role("button", name="批量推荐所选项目").click()
    expect(alert(page, "已推荐 1 个项目")).to_be_visible()
    for name in [FIRST, SECOND]:
        expect(rows.filter(has_text=name).locator(".badge.status-recommended")).to_have_text(
            "已推荐"
        )
    shot(page, "review-09-county-queue-recommended")

    # 6. Generate the table; download its PDF and XLSX.
    page.get_by_role("link", name="推荐项目汇总表与报送").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("推荐项目汇总表与报送")
    current = page.locator("section", has=page.get_by_role("heading", name="当前推荐项目"))
    expect(current.locator("li")).to_have_count(2)
    expect(page.get_by_role("button", name="报送省信息化办")).to_be_disabled()
    page.get_by_role("button", name="生成汇总表").click()
    generated = alert(page, "正在生成")
    expect(generated).to_be_visible()
    code = CODE.search(generated.inner_text()).group()
    expect(current).to_contain_text(code)
    listed = page.locator("li", has_text=code)
    expect(listed.get_by_role("progressbar")).to_be_visible()
    expect(listed).to_contain_text("排队等待后台任务")
    shot(page, "review-10-batch-generating")
    # The worker renders the files; the page, polling, shows them without a reload.
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")
    expect(listed.get_by_role("link", name="PDF", exact=True)).to_be_visible()
    expect(listed.get_by_role("progressbar")).to_have_count(0)
    expect(listed.get_by_text("当前版本")).to_be_visible()
    shot(page, "review-10-batch-generated")
    table = SummaryTable.objects.get(code=code)
    assert {row["name"] for row in table.content["rows"]} == {FIRST, SECOND}
    assert table.content["total_investment"] == "2050.50"

    with page.expect_download() as pdf_info:
        listed.get_by_role("link", name="PDF", exact=True).click()
    assert pdf_info.value.suggested_filename.endswith(f"{code}.pdf")
    pdf_path = artifacts / "推荐项目汇总表.pdf"
    pdf_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    pdf_page1_png(pdf_path, "review-11-table-pdf-page1")

    with page.expect_download() as xlsx_info:
        listed.get_by_role("link", name="XLSX", exact=True).click()
    assert xlsx_info.value.suggested_filename.endswith(f"{code}.xlsx")
    xlsx_path = artifacts / "推荐项目汇总表.xlsx"
    xlsx_info.value.save_as(xlsx_path)
    sheet = load_workbook(io.BytesIO(xlsx_path.read_bytes())).active
    assert "推荐项目汇总表" in sheet["A1"].value
    assert code in sheet["F2"].value
    names = {sheet.cell(row=r, column=2).value for r in (4, 5)}
    assert names == {FIRST, SECOND}
    amounts = [Decimal(str(sheet.cell(row=r, column=5).value)) for r in (4, 5)]
    assert sum(amounts) == Decimal(table.content["total_investment"]) == Decimal("2050.50")
    assert sheet["A6"].value == "合计"
    assert sheet["E6"].value == "=SUM(E4:E5)"

    # 7. Upload the "scan" of the sealed print: the QR code gives the code.
    scan = scanned_jpeg(pdf_path, tmp_path / "盖章扫描件.jpg")
    upload = page.locator("form", has=page.get_by_role("heading", name="上传盖章扫描件"))
    upload.locator("input[type=file]").set_input_files(str(scan))
    upload.get_by_role("button", name="上传", exact=True).click()
    expect(alert(page, f"扫描件已上传，对应校验码 {code}")).to_be_visible()
    expect(alert(page, "未检测到红色公章")).to_have_count(0)
    scans = page.locator("section", has=page.get_by_role("heading", name="扫描件", exact=True))
    expect(scans).to_contain_text("盖章扫描件.jpg")
    expect(page.get_by_role("button", name="报送省信息化办")).to_be_enabled()
    shot(page, "review-12-batch-scan-uploaded")

    # 8. Send to the province: the page says so and the forms are gone.
    page.get_by_label("我已核对汇总表和盖章扫描件", exact=False).check()
    page.get_by_role("button", name="报送省信息化办").click()
    expect(alert(page, "推荐意见和汇总表已报送省信息化办")).to_be_visible()
    banner = page.locator(".alert-success", has_text=re.compile(r"已于 .+ 报送省信息化办"))
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("已锁定")
    expect(page.get_by_role("button", name="生成汇总表")).to_have_count(0)
    expect(page.get_by_role("button", name="报送省信息化办")).to_have_count(0)
    shot(page, "review-13-batch-sent")
    batch = RecommendationBatch.objects.get(call=call, authority__name="徐州市沛县信息化主管部门")
    assert batch.is_submitted and batch.submitted_table == table
    log_out(page)

    # 9. The city reviewer sees the copy, read-only.
    log_in(page, people["city"], r"/review/$")
    expect(page.get_by_role("heading", level=1)).to_contain_text("徐州市信息化主管部门")
    copied = rows.filter(has_text=FIRST)
    expect(copied.get_by_text("抄报", exact=True)).to_be_visible()
    expect(copied.locator("input[name=ids]")).to_have_count(0)
    expect(rows.filter(has_text=SECOND).get_by_text("抄报", exact=True)).to_be_visible()
    shot(page, "review-14-city-queue")
    copied.get_by_role("link", name=FIRST).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRST)
    expect(page.get_by_text("抄报件：本单位只能查看")).to_be_visible()
    expect(page.get_by_role("button", name="提交意见")).to_have_count(0)
    expect(page.locator("input[name=action]")).to_have_count(0)
    shot(page, "review-15-city-copy")
    # Nor does the server take an opinion from the city, even posted by hand.
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    refused = page.request.post(
        f"/review/applications/{first.pk}/decide/",
        form={"csrfmiddlewaretoken": token, "action": "return", "reason": "越权退回"},
        max_redirects=0,
    )
    assert refused.status == 404
    assert Application.objects.get(pk=first.pk).status == "recommended"
