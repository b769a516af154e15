"""Typical cases, walked in a real browser: from a selected project to a public case found by
a Chinese word.

An office member creates a case from a selected key project, rewrites its solution, adds a
result figure and a picture and asks the applicant; the applicant reads it and consents; the
office member submits it and a second office member approves and publishes it (four eyes);
then an anonymous visitor searches the library for a word from the solution, opens the case,
prints it (print media: no navigation, one column) and downloads the year's collection PDF.
Each step leaves a screenshot in test-artifacts/screenshots/ (names start with "cases-").
"""

import io
import re

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect
from pypdf import PdfReader

from keyprojects.cases.models import Case

from .. import factories
from .conftest import shot

pytestmark = pytest.mark.e2e

PROJECT = "玄武区城市运行一网统管平台"
WORD = "数字孪生"
SOLUTION = (
    f"以{WORD}城市底座汇聚视频、物联感知和政务数据，建设区、街道、社区三级联动的"
    "城市运行指挥中心，事件从发现、派单到处置、核查全程闭环。"
)
CAPTION = "玄武区城市运行指挥中心大屏"


def named(user, full_name):
    user.full_name = full_name
    user.save(update_fields=["full_name"])
    return user


@pytest.fixture
def world(call, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    office = named(factories.make_office(username="office"), "王主任")
    checker = named(factories.make_office(username="office2"), "李处长")
    application = factories.selected_maker(call, office)(PROJECT, seat="320102")
    return {
        "office": office,
        "checker": checker,
        "application": application,
        "owner": application.organisation.users.get(),
    }


def log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator("header")).to_contain_text(str(user))


def log_out(page):
    page.locator("header").get_by_role("button", name="退出").click()
    expect(page.locator("header").get_by_role("link", name="登录")).to_be_visible()


def alert(page, text):
    return page.get_by_role("alert").filter(has_text=text)


def picture(path):
    image = Image.new("RGB", (1600, 900), (20, 40, 70))
    draw = ImageDraw.Draw(image)
    for index, height in enumerate([220, 380, 300, 520, 450, 610]):
        left = 180 + index * 210
        draw.rectangle([left, 800 - height, left + 120, 800], fill=(210, 60, 50))
    image.save(path, "JPEG", quality=90)
    return path


def test_office_publishes_a_case_the_public_finds_it_by_a_chinese_word(
    page, world, tmp_path, artifacts
):
    office, checker, owner = world["office"], world["checker"], world["owner"]

    # 1. The office picks the selected project and gets a draft prefilled from it.
    log_in(page, office)
    page.goto("/cases/office/")
    expect(page.get_by_role("heading", level=1)).to_have_text("典型案例管理")
    page.get_by_role("link", name="从入选项目新建案例").click()
    row = page.locator("tbody tr").filter(has_text=PROJECT)
    expect(row).to_have_count(1)
    shot(page, "cases-01-choose-selected-project")
    row.get_by_role("button", name=f"为 {PROJECT} 新建案例").click()
    expect(alert(page, "已根据申报内容生成案例草稿")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value(PROJECT)
    expect(page.locator("#id_problem")).to_have_value("解决多头受理、推诿扯皮问题。")
    shot(page, "cases-02-draft-prefilled")

    # 2. The office rewrites the solution and saves.
    page.fill("#id_solution", SOLUTION)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(alert(page, "案例已保存")).to_be_visible()
    case = Case.objects.get(application=world["application"])
    assert case.solution == SOLUTION

    # 3. A result in figures and a picture with its caption.
    page.fill("#id_label", "服务人次")
    page.fill("#id_value", "1200")
    page.fill("#id_unit", "万")
    page.get_by_role("button", name="添加数据").click()
    expect(alert(page, "已添加成效数据")).to_be_visible()
    page.set_input_files("#id_file", str(picture(tmp_path / "大屏.jpg")))
    page.fill("#id_caption", CAPTION)
    page.get_by_role("button", name="上传图片").click()
    expect(alert(page, "已添加图片")).to_be_visible()
    expect(page.get_by_role("img", name=CAPTION).first).to_be_visible()
    figures = page.locator("section", has=page.get_by_role("heading", name="成效数据")).first
    expect(figures).to_contain_text("1200")
    page.get_by_role("button", name="请申报单位确认").click()
    expect(alert(page, "已通知申报单位的 1 个账号")).to_be_visible()
    shot(page, "cases-03-office-figures-picture-consent-asked")
    log_out(page)

    # 4. The applicant reads the case and consents.
    log_in(page, owner)
    page.goto("/cases/consent/")
    page.get_by_role("link", name=re.compile(PROJECT)).click()
    expect(page.get_by_text(WORD, exact=False).first).to_be_visible()
    expect(page.get_by_role("img", name=CAPTION)).to_be_visible()
    page.get_by_label("同意按以上内容公开发布").check()
    shot(page, "cases-04-applicant-reads-and-consents")
    page.get_by_role("button", name="提交意见").click()
    expect(alert(page, "已记录贵单位的意见")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="贵单位已同意发布以下内容")).to_be_visible()
    shot(page, "cases-05-applicant-consent-recorded")
    log_out(page)

    # 5. The office submits; it may not approve its own submission.
    log_in(page, office)
    page.goto(f"/cases/office/{case.pk}/")
    expect(page.locator("#consent-heading + p")).to_contain_text("已同意发布当前内容")
    page.get_by_role("button", name="提交审核").click()
    expect(alert(page, "已提交审核")).to_be_visible()
    expect(page.locator("#case-state")).to_have_text("待审核")
    expect(page.get_by_text("须由另一位工作人员审核发布")).to_be_visible()
    expect(page.get_by_role("button", name="审核通过并发布")).to_have_count(0)
    shot(page, "cases-06-office-submitted-four-eyes")
    log_out(page)

    # 6. A second office member approves and publishes.
    log_in(page, checker)
    page.goto("/cases/office/?state=in_review")
    page.get_by_role("link", name=PROJECT).click()
    page.get_by_role("button", name="审核通过并发布").click()
    expect(alert(page, "案例已发布")).to_be_visible()
    expect(page.locator("#case-state")).to_have_text("已发布")
    history = page.locator("#history")
    expect(history).to_contain_text("李处长 · 审核通过并发布（待审核 → 已发布）")
    shot(page, "cases-07-second-member-published")
    log_out(page)

    # 7. Anyone searches the library for a word of the solution.
    page.goto("/cases/")
    page.get_by_label("关键词").fill(WORD)
    page.get_by_role("button", name="搜索").click()
    expect(page).to_have_url(re.compile(r"q=%E6%95%B0"))
    results = page.locator("article.case-card")
    expect(results).to_have_count(1)
    expect(results.locator("mark").first).to_have_text(WORD)
    shot(page, "cases-08-public-search-highlighted")
    results.get_by_role("link", name=PROJECT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PROJECT)
    expect(page.locator(".figure")).to_contain_text("1200万")
    expect(page.get_by_role("img", name=CAPTION)).to_be_visible()
    shot(page, "cases-09-public-case-page")

    # 8. Printed: no navigation, no buttons, one column (the facts below the text).
    page.emulate_media(media="print")
    expect(page.locator("header.site-header")).to_be_hidden()
    expect(page.locator("footer.site-footer")).to_be_hidden()
    expect(page.get_by_role("button", name="打印")).to_be_hidden()
    main = page.locator(".case-main").bounding_box()
    aside = page.locator(".case-aside").bounding_box()
    assert aside["y"] >= main["y"] + main["height"] - 1 and abs(aside["x"] - main["x"]) < 2
    shot(page, "cases-10-public-case-print")
    page.emulate_media(media="screen")

    # 9. The year's collection, rendered when the case was published.
    page.goto("/cases/")
    link = page.get_by_role("link", name=re.compile(r"年汇编（1 个案例）"))
    with page.expect_download() as download:
        link.click()
    pdf_path = artifacts / "典型案例汇编.pdf"
    download.value.save_as(pdf_path)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages)
    assert PROJECT in text and WORD in text and CAPTION in text
