"""The public notice, walked in a real browser: a visitor objects, the office answers.

An anonymous visitor opens the published notice, files an objection with a PDF as evidence
and gets a receipt; the office finds it on the notice's page, records its investigation,
answers it as upheld and withdraws the project, which then leaves the public list.
Screenshots go to test-artifacts/screenshots/ (names start with "notice-").
"""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from keyprojects.applications.workflow import Status
from keyprojects.notices.models import Objection

from .. import factories
from ..notices.conftest import (
    decide_three,
    default_tiers,
    make_office,
    passed_maker,
    publish_notice,
)
from .conftest import shot

pytestmark = pytest.mark.e2e

REASONS = "该项目的数据中台在2018年已建成并通过验收，本次申报属于续期建设项目。"
ANSWER = "经调阅2018年验收材料核实，数据中台为原项目内容，异议成立，撤销该项目入选。"


def alert(page, text):
    return page.get_by_role("alert").filter(has_text=text)


@pytest.fixture
def world(call):
    """The notices tests' world: three decided applications and a published notice."""
    cache.clear()  # the objection rate limit lives in the cache
    office = make_office()
    listed = decide_three(passed_maker(call, office), default_tiers(call, office), office)
    return office, listed, publish_notice(call, office)


def test_visitor_objects_and_office_withdraws_the_project(page, world, settings):
    office, listed, notice = world
    # A person fills the form in far more than a second; the stamp check stays on.
    settings.NOTICES_OBJECTION_MIN_SECONDS = 1
    key, rejected = listed["key"], listed["rejected"]

    # 1. Anyone can open the notice from the list of notices, without logging in.
    page.goto("/notices/")
    page.get_by_role("link", name=re.compile(notice.title)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(notice.title)
    main = page.locator("main")
    for name in [listed["flagship"].name, key.name]:
        expect(main.get_by_role("cell", name=name, exact=True)).to_be_visible()
    expect(main).not_to_contain_text(rejected.name)
    expect(main).not_to_contain_text("secret@example.com")
    shot(page, "notice-01-public")

    # 2. An objection with evidence; a receipt to quote.
    form = page.locator("#objection-form")
    form.get_by_label("异议项目").select_option(label=f"{key.name}（{key.organisation.name}）")
    form.get_by_label("异议事项及理由").fill(REASONS)
    form.get_by_label("姓名或单位名称").fill("张三")
    form.get_by_label("联系电话").fill("13900000000")
    form.get_by_label("电子邮箱").fill("zhangsan@example.com")
    form.get_by_label("证明材料（可选）").set_input_files(
        files=[
            {"name": "验收报告.pdf", "mimeType": "application/pdf", "buffer": factories.pdf_bytes()}
        ]
    )
    shot(page, "notice-02-objection-filled")
    page.wait_for_timeout(1_100)  # longer than the minimum fill time set above
    form.get_by_role("button", name="提交异议").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("异议已受理")
    receipt = page.locator("#receipt-number").inner_text()
    assert re.fullmatch(r"YY\d{8}-[A-Z2-9]{6}", receipt)
    shot(page, "notice-03-receipt")
    objection = Objection.objects.get(receipt=receipt)
    assert objection.application == key and objection.evidence_name == "验收报告.pdf"

    # 3. The office finds it on the notice's page and records its investigation.
    page.goto("/accounts/login/")
    page.fill("#id_username", office.username)
    page.fill("#id_password", factories.PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.locator("header").get_by_role("button", name="省级遴选").click()
    page.locator("header").get_by_role("link", name="遴选决定与公示").click()
    page.locator("main").get_by_role("link", name="遴选决定", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("遴选决定")
    expect(page.locator(".tier-counts")).to_contain_text("标志性工程 1 · 含更高档次 1 / 10")
    expect(page.locator(".tier-counts")).to_contain_text("重点工程 1 · 含更高档次 2 / 50")
    shot(page, "notice-04-office-decisions")
    page.get_by_role("link", name=re.compile("公示（公示中）")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(notice.title)
    shot(page, "notice-05-office-notice")
    page.get_by_role("link", name=receipt).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(receipt)
    expect(page.locator("main")).to_contain_text(REASONS)
    with page.expect_download() as download:
        page.get_by_role("link", name="验收报告.pdf").click()
    assert download.value.suggested_filename == "验收报告.pdf"
    page.get_by_label("调查核实情况").fill("调阅2018年验收材料，数据中台已于2018年12月验收。")
    page.get_by_role("button", name="保存调查情况").click()
    expect(alert(page, "已记录调查核实情况")).to_be_visible()

    # 4. The answer: upheld, the project withdrawn.
    page.get_by_label("异议成立", exact=True).check()
    page.get_by_label("答复意见").fill(ANSWER)
    page.get_by_label(re.compile("撤销该项目入选")).check()
    page.get_by_role("button", name="提交答复").click()
    expect(alert(page, "已答复异议")).to_be_visible()
    expect(alert(page, "已撤销该项目入选")).to_be_visible()
    expect(page.locator("main")).to_contain_text(ANSWER)
    history = page.locator("section", has=page.get_by_role("heading", name="办理记录"))
    expect(history).to_contain_text("提出异议")
    expect(history).to_contain_text("答复异议（调查核实中 → 已答复）")
    shot(page, "notice-06-office-answered")
    key.refresh_from_db()
    assert key.status == Status.NOT_SELECTED

    # 5. The public list no longer shows the project.
    page.goto(f"/notices/{notice.pk}/")
    expect(page.locator("main")).not_to_contain_text(key.name)
    expect(page.locator("main")).to_contain_text(listed["flagship"].name)
    shot(page, "notice-07-public-after-withdrawal")
