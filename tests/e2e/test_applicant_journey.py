"""An applicant's first visit, walked in a real browser: from the call notice to the 申报书.

Each step leaves a screenshot in test-artifacts/screenshots/ so a person can check the pages
look right (Chinese text drawn in Noto Sans SC, not boxes).
"""

import datetime as dt
import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from keyprojects.applications.models import Application
from keyprojects.calls.models import Call
from keyprojects.core.clock import now

from .. import factories
from .conftest import SCREENSHOTS, choose_approval, shot

pytestmark = pytest.mark.e2e

PROJECT_NAME = "玄武区城市运行一网统管平台（端到端测试）"
ORG_NAME = "南京玄武智慧城市科技有限公司"


def assert_chinese_renders(page):
    """The page's Chinese text is drawn with the bundled Noto Sans SC web font."""
    page.evaluate("document.fonts.ready.then(() => true)")
    assert page.evaluate(
        """[...document.fonts].some(
             f => f.family.replace(/["']/g, "") === "Noto Sans SC" && f.status === "loaded")"""
    ), "no Noto Sans SC face was loaded: Chinese would fall back to a system font or boxes"
    assert page.evaluate("document.fonts.check('16px \"Noto Sans SC\"', '申报')")


def step(page, name):
    shot(page, name)
    assert_chinese_renders(page)


def wait_for_autosave(page):
    """Let the debounced autosave fire and finish, then expect its status line."""
    page.locator("h1").click()  # blur the last field: its "change" triggers a save
    page.wait_for_timeout(2_000)  # longer than the form's 1.5 s input debounce
    page.wait_for_function(
        "!document.querySelector('#application-form').classList.contains('htmx-request')"
    )
    expect(page.locator("#save-status")).to_contain_text("已自动保存")


def embedded_font_files(reader):
    """Names of the font-file keys found in the fonts' descriptors, one set per font."""
    found = []
    for pdf_page in reader.pages:
        fonts = pdf_page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])]
            for candidate in [font, *descendants]:
                descriptor = candidate.get("/FontDescriptor")
                if descriptor is not None:
                    keys = set(descriptor.get_object().keys())
                    found.append(keys & {"/FontFile", "/FontFile2", "/FontFile3"})
    return found


def test_new_applicant_registers_fills_submits_and_prints(page, call, tmp_path, artifacts):
    # 1. Home page lists the open call.
    page.goto("/")
    open_call = page.locator(".card-call", has_text=call.title)
    expect(open_call).to_be_visible()
    expect(open_call.locator(".badge")).to_have_text("申报中")
    step(page, "01-home")

    # 2. The call page: countdown, categories, downloads.
    open_call.get_by_role("link", name=call.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(call.title)
    countdown = page.locator(".countdown")
    expect(countdown).to_contain_text("天")
    expect(countdown).not_to_have_text("已截止")
    for category in ["数字基建类", "数字经济类", "数字治理类", "网络安全类"]:
        expect(page.locator("dt", has_text=category)).to_be_visible()
    for download in ["申报通知（PDF）", "申报表样表（PDF）", "填报说明（PDF）"]:
        expect(page.get_by_role("link", name=download)).to_be_visible()
    step(page, "02-call")

    # 3. Register the organisation and its first account.
    page.locator("aside").get_by_role("link", name="单位注册").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申报单位注册")
    page.fill("#id_org-name", ORG_NAME)
    page.fill("#id_org-credit_code", factories.credit_code())
    page.select_option("#id_org-kind", label="企业")
    page.select_option("#id_org-seat", label="南京市玄武区")
    page.fill("#id_org-address", "南京市玄武区珠江路88号")
    page.fill("#id_org-legal_representative", "陈建国")
    page.fill("#id_org-contact_name", "刘晓燕")
    page.fill("#id_org-contact_phone", "025-84561234")
    page.fill("#id_org-contact_email", "liuxiaoyan@example.com")
    page.fill("#id_account-username", "liuxiaoyan")
    page.fill("#id_account-full_name", "刘晓燕")
    page.fill("#id_account-email", "liuxiaoyan@example.com")
    page.fill("#id_account-phone", "13912345678")
    page.fill("#id_account-password1", "Xuanwu-Digital-2026!")
    page.fill("#id_account-password2", "Xuanwu-Digital-2026!")
    step(page, "03-register")
    page.get_by_role("button", name="注册", exact=True).click()

    # 4. Lands on 我的申报.
    expect(page).to_have_url(re.compile(r"/applicant/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("我的申报")
    expect(page.get_by_role("alert").filter(has_text="注册成功")).to_be_visible()
    expect(page.get_by_text("还没有申报项目。")).to_be_visible()
    step(page, "04-applicant-home")

    # 5. 新建申报 opens an empty draft.
    page.get_by_role("button", name="新建申报").click()
    expect(page).to_have_url(re.compile(r"/applicant/[0-9a-f-]{36}/edit/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("填写申报表")
    # The contact is prefilled from the organisation's registration.
    expect(page.locator("#id_contact_name")).to_have_value("刘晓燕")
    step(page, "05-edit-new")

    # 6. Fill every field the notice requires; autosave keeps the draft.
    page.fill("#id_name", PROJECT_NAME)
    page.select_option("#id_category", label="数字治理类")
    page.fill("#id_summary", "以数据汇聚和智能分析支撑城市运行管理")
    page.fill("#id_construction_content", "建设城市运行管理中心、数据中台和十二个应用场景。")
    page.fill("#id_innovation", "首创街道级事件闭环处置机制。")
    for technology in ["ai", "big_data", "iot"]:
        page.check(f"input[name=technologies][value={technology}]")
    page.fill("#id_core_technology", "自主研发事件智能分拨引擎。")
    page.fill("#id_domestic_products", "国产服务器、操作系统和数据库。")
    page.select_option("#id_security_level", label="第三级")
    page.fill("#id_security_protection", "按等保三级建设，部署态势感知。")
    page.select_option("#id_in_it_plan", label="是")
    page.fill("#id_it_plan_name", "玄武区“十四五”信息化发展规划")
    page.fill("#id_approval_document_no", "玄发改〔2019〕12号")
    for system in ["legal_person", "tendering", "supervision"]:
        page.check(f"input[name=management_systems][value={system}]")
    page.fill("#id_problems_solved", "解决多头受理、推诿扯皮问题。")
    page.fill("#id_users_served", "全区65万居民")
    page.fill("#id_economic_benefit", "每年节约运维费用300万元。")
    page.fill("#id_social_benefit", "事件处置时长缩短40%。")
    page.fill("#id_promotion_prospects", "可在全省区县推广。")
    page.fill("#id_total_investment", "1200.00")
    page.fill("#id_civil_works_investment", "200.00")
    page.fill("#id_funding_sources", "区级财政资金")
    page.fill("#id_investment_completed", "600.00")
    page.fill("#id_start_month", "2019-03")
    page.fill("#id_planned_completion_month", "2021-03")
    page.fill("#id_contact_name", "王五")
    page.fill("#id_contact_phone", "13800000000")
    page.fill("#id_contact_email", "wangwu@example.com")
    page.check("#id_declares_whole_project")
    page.check("#id_declares_truthful")
    wait_for_autosave(page)
    expect(page.locator("#save-status")).not_to_contain_text("格式有误")
    step(page, "06-edit-filled-autosaved")

    # 7. The draft lives on the server: a reload shows what was typed.
    page.reload()
    expect(page.locator("#id_name")).to_have_value(PROJECT_NAME)
    expect(page.locator("#id_category option:checked")).to_have_text("数字治理类")
    expect(page.locator("#id_security_level")).to_have_value("3")
    expect(page.locator("#id_in_it_plan")).to_have_value("true")
    expect(page.locator("#id_total_investment")).to_have_value("1200.00")
    expect(page.locator("#id_start_month")).to_have_value("2019-03")
    expect(page.locator("input[name=technologies][value=iot]")).to_be_checked()
    expect(page.locator("#id_declares_truthful")).to_be_checked()
    # Only the required attachment is still missing.
    expect(page.locator(".precheck li")).to_have_text(["请上传附件：立项批复文件。"])
    step(page, "07-edit-reloaded")

    # 8. Upload the 立项批复文件.
    choose_approval(page, tmp_path)
    page.get_by_role("button", name="上传", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="已上传：立项批复.pdf")).to_be_visible()
    attachment = page.locator("aside li", has_text="立项批复.pdf")
    expect(attachment).to_be_visible()
    expect(attachment).to_contain_text("立项批复文件")
    expect(page.locator(".precheck")).to_contain_text("已符合提交条件。")
    step(page, "08-edit-attachment")

    # 9. Submit.
    page.get_by_role("button", name="提交申报").click()
    expect(page).to_have_url(re.compile(r"/applicant/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(PROJECT_NAME)
    expect(page.locator(".badge.status-submitted")).to_have_text("已提交")
    expect(page.get_by_role("alert").filter(has_text="申报书已提交")).to_be_visible()
    step(page, "09-detail-submitted")
    assert Application.objects.get(name=PROJECT_NAME).status == "submitted"

    # 10. Download the 申报书 and check it is a real, printable document.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载申报书（PDF）").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf_path = artifacts / "申报书.pdf"
    download.save_as(pdf_path)

    reader = PdfReader(pdf_path)
    assert len(reader.pages) >= 1
    text = "".join(p.extract_text() for p in reader.pages)
    compact = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", PROJECT_NAME) in compact
    assert "申报单位（盖章）" in compact
    fonts = embedded_font_files(reader)
    assert fonts, "the PDF names no font descriptor"
    assert all(keys & {"/FontFile2", "/FontFile3"} for keys in fonts), fonts

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                pdftoppm,
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf_path),
                str(SCREENSHOTS / "10-application-pdf-page1"),
            ],
            check=True,
            timeout=60,
        )


def test_draft_is_read_only_after_the_window_closed(page, regions):
    at = now()
    call = factories.make_call(slug="closed-yesterday")
    organisation = factories.make_organisation(seat="320102")
    user = factories.make_user(organisation)
    application = factories.make_application(
        call, user, complete=False, attach=False, name="截止前未提交的草稿"
    )
    # The window closed yesterday, with the draft still unsubmitted.
    Call.objects.filter(pk=call.pk).update(
        window_opens_at=at - dt.timedelta(days=20),
        window_closes_at=at - dt.timedelta(days=1),
        recommendation_deadline=at + dt.timedelta(days=10),
    )

    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/applicant/$"))

    page.goto(f"/applicant/{application.pk}/edit/")
    expect(page).to_have_url(re.compile(rf"/applicant/{application.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("截止前未提交的草稿")
    expect(page.locator("main")).to_contain_text(re.compile(r"网上申报已.*截止"))
    expect(page.locator("#application-form")).to_have_count(0)
    expect(page.locator("form textarea, form input[type=text]")).to_have_count(0)
    expect(page.get_by_role("link", name="继续填写")).to_have_count(0)
    step(page, "11-closed-draft-detail")
