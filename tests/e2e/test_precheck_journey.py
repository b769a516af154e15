"""An applicant fills part of the form, sees each section's completion and what is missing
(the pre-check runs submit's own rules), follows a link to a missing field, fixes everything
and submits. Screenshots: test-artifacts/screenshots/precheck-*.png."""

import re

import pytest
from playwright.sync_api import expect

from keyprojects.applications.models import Application

from .. import factories
from .conftest import choose_approval, shot

pytestmark = pytest.mark.e2e

PROJECT = "鼓楼区智慧养老服务平台（提交前检查）"


def log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator("header")).to_contain_text(str(user))


def autosaved(page):
    """Let the debounced autosave run (1.5 s after typing) and its answer arrive."""
    page.locator("h1").click()  # leaving the last field fires its "change"
    page.wait_for_timeout(2_000)
    page.wait_for_function(
        "!document.querySelector('#application-form').classList.contains('htmx-request')"
    )
    expect(page.locator("#save-status")).to_contain_text("已自动保存")


def mark(page, section):
    return page.locator(f"#mark-{section}")


def panel_section(page, key):
    return page.locator(f"#precheck [data-section={key}]")


def fill_the_rest(page):
    page.fill("#id_construction_content", "建设养老服务数据中心和线上服务平台。")
    page.fill("#id_innovation", "居家养老服务需求智能匹配。")
    for technology in ["ai", "big_data"]:
        page.check(f"input[name=technologies][value={technology}]")
    page.fill("#id_core_technology", "自主研发服务需求匹配引擎。")
    page.fill("#id_domestic_products", "国产服务器和数据库。")
    page.select_option("#id_security_level", label="第三级")
    page.fill("#id_security_protection", "按等保三级建设。")
    page.select_option("#id_in_it_plan", label="是")
    page.fill("#id_it_plan_name", "鼓楼区“十四五”信息化发展规划")
    page.fill("#id_problems_solved", "解决老人服务找不到、等得久的问题。")
    page.fill("#id_users_served", "全区12万老人")
    page.fill("#id_economic_benefit", "每年节约服务成本200万元。")
    page.fill("#id_social_benefit", "服务响应时间缩短一半。")
    page.fill("#id_promotion_prospects", "可在全省推广。")
    page.fill("#id_funding_sources", "区级财政资金")
    page.fill("#id_investment_completed", "100.00")
    page.fill("#id_start_month", "2019-06")
    page.fill("#id_planned_completion_month", "2021-06")
    page.check("#id_declares_whole_project")
    page.check("#id_declares_truthful")


def test_the_precheck_guides_an_applicant_to_a_submit(page, call, applicant, tmp_path):
    log_in(page, applicant)
    page.goto("/applicant/")
    page.get_by_role("button", name="新建申报").click()
    expect(page).to_have_url(re.compile(r"/applicant/[0-9a-f-]{36}/edit/$"))

    # 1. A first part: the project's name and category, and an amount below the threshold.
    page.fill("#id_name", PROJECT)
    page.select_option("#id_category", label="数字治理类")
    page.fill("#id_summary", "线上线下结合的居家养老服务")
    page.fill("#id_total_investment", "280.00")
    page.fill("#id_civil_works_investment", "0.00")
    autosaved(page)
    expect(mark(page, "project")).to_contain_text("待完成")
    expect(mark(page, "money")).to_contain_text("待完成")
    expect(mark(page, "contact")).to_contain_text("已完成")  # prefilled from registration
    expect(mark(page, "attachments")).to_contain_text("待完成 1 项")
    expect(page.locator("#precheck .precheck-summary")).to_contain_text("须完成或改正")
    expect(panel_section(page, "project")).to_contain_text("请填写“建设内容”。")
    expect(panel_section(page, "money")).to_contain_text("低于本批次要求的 300.00 万元")
    expect(panel_section(page, "attachments")).to_contain_text("请上传附件：立项批复文件。")
    shot(page, "precheck-01-partly-filled")

    # 2. A link in the list leads to the field to fill.
    panel_section(page, "project").get_by_role("link", name="请填写“建设内容”。").click()
    expect(page).to_have_url(re.compile(r"#id_construction_content$"))
    expect(page.locator("#id_construction_content")).to_be_in_viewport()

    # 3. Everything else, and a total that meets the threshold: the marks turn as it saves.
    fill_the_rest(page)
    page.fill("#id_total_investment", "1200.00")
    autosaved(page)
    for section in ["project", "results", "money", "contact", "cooperation", "declaration"]:
        expect(mark(page, section)).to_contain_text("已完成")
    expect(page.locator("#precheck li")).to_have_text(["请上传附件：立项批复文件。"])
    shot(page, "precheck-02-only-the-attachment-missing")

    # 4. Submitting now is refused with the very reason the pre-check gave.
    page.get_by_role("button", name="提交申报").click()
    expect(page.get_by_role("alert").filter(has_text="请上传附件：立项批复文件。")).to_be_visible()
    assert Application.objects.get(name=PROJECT).status == "draft"
    shot(page, "precheck-03-submit-refused")

    # 5. Upload the approval: the pre-check says the application may be submitted.
    choose_approval(page, tmp_path)
    page.get_by_role("button", name="上传", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="已上传：立项批复.pdf")).to_be_visible()
    expect(mark(page, "attachments")).to_contain_text("已完成")
    expect(page.locator("#precheck")).to_contain_text("已符合提交条件。")
    shot(page, "precheck-04-ready")

    # 6. Submit.
    page.get_by_role("button", name="提交申报").click()
    expect(page.locator(".badge.status-submitted")).to_have_text("已提交")
    shot(page, "precheck-05-submitted")
    assert Application.objects.get(name=PROJECT).status == "submitted"
