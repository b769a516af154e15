"""Phones: the applicant's and the expert's pages used on a 375 × 812 screen.

The page never scrolls sideways (wide tables scroll inside their own box), the menu folds
behind its button, and buttons and fields are large enough to tap. The applicant uploads an
attachment and submits from the phone; the expert scores from it. Screenshots go to
test-artifacts/screenshots/phone-*.png.
"""

import re

import pytest
from playwright.sync_api import expect

from keyprojects.applications.workflow import Status
from keyprojects.scoring.models import Score

from .conftest import choose_approval, shot
from .demo_site import load_demo_site, log_in, log_in_expert, make_complete_draft

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 812}
PROJECT = "玄武区智慧停车诱导系统（手机填报）"


@pytest.fixture
def demo_site(transactional_db, settings):
    load_demo_site(settings)


@pytest.fixture
def phone(browser, live_server, demo_site):
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


# How the page sits on the screen: its scroll width, tables wider than the screen that are
# not inside a box of their own that scrolls, and controls too small to tap.
LAYOUT = """() => {
  const shown = el => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== "hidden";
  const scrolls = el => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  const loose = [...document.querySelectorAll("table")].filter(table => {
    if (table.getBoundingClientRect().width <= innerWidth) return false;
    for (let box = table.parentElement; box; box = box.parentElement) {
      if (scrolls(box)) return box.getBoundingClientRect().width > innerWidth;
    }
    return true;
  }).map(table => table.outerHTML.slice(0, 80));
  const controls = "main .btn, main select, main input:not([type=hidden]):not([type=checkbox])"
    + ":not([type=radio]), main textarea, .navbar-toggler";
  const small = [...document.querySelectorAll(controls)].filter(shown)
    .filter(el => el.getBoundingClientRect().height < 40)
    .map(el => `${el.outerHTML.slice(0, 70)} (${el.getBoundingClientRect().height} px)`);
  const marks = [...document.querySelectorAll("main input[type=checkbox], main input[type=radio]")]
    .filter(shown).filter(el => el.getBoundingClientRect().height < 18)
    .map(el => el.outerHTML.slice(0, 70));
  return {scrollWidth: document.scrollingElement.scrollWidth, innerWidth, loose, small, marks};
}"""


def check_fits_phone(page, name):
    """No sideways scrolling of the page, tables in their own scroll box, tappable controls."""
    page.wait_for_load_state("networkidle")
    layout = page.evaluate(LAYOUT)
    assert layout["scrollWidth"] <= layout["innerWidth"], f"{name} scrolls sideways: {layout}"
    assert layout["loose"] == [], f"{name}: tables wider than the screen: {layout['loose']}"
    assert layout["small"] == [], f"{name}: controls under 40 px high: {layout['small']}"
    assert layout["marks"] == [], f"{name}: check boxes under 18 px: {layout['marks']}"
    shot(page, f"phone-{name}")


def test_menu_folds_behind_its_button_and_opens_on_tap(phone):
    phone.goto("/calls/demo/")
    header = phone.locator("header")
    menu_button = header.get_by_role("button", name="菜单")
    expect(menu_button).to_be_visible()
    expect(header.get_by_role("link", name="典型案例")).to_be_hidden()
    check_fits_phone(phone, "call")
    menu_button.tap()
    expect(header.get_by_role("link", name="典型案例")).to_be_visible()
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    shot(phone, "phone-menu-open")


def test_applicant_fills_attaches_and_submits_on_a_phone(phone, tmp_path):
    application = make_complete_draft("applicant", PROJECT, attach=False)
    log_in(phone, "applicant")
    phone.goto("/applicant/")
    expect(phone.get_by_role("link", name=PROJECT)).to_be_visible()
    check_fits_phone(phone, "applicant-home")

    phone.get_by_role("link", name=PROJECT).tap()
    phone.get_by_role("link", name="继续填写").tap()
    expect(phone).to_have_url(re.compile(rf"/applicant/{application.pk}/edit/$"))
    check_fits_phone(phone, "applicant-form")

    # The attachments box, under the form on a phone.
    choose_approval(phone, tmp_path)
    phone.get_by_role("button", name="上传").tap()
    expect(phone.get_by_role("link", name="立项批复.pdf")).to_be_visible()
    check_fits_phone(phone, "applicant-attachments")

    phone.get_by_role("button", name="提交申报").tap()
    expect(phone).to_have_url(re.compile(rf"/applicant/{application.pk}/$"))
    expect(phone.locator(".badge.status-submitted")).to_have_text("已提交")
    check_fits_phone(phone, "applicant-submitted")
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_expert_reads_assignments_and_scores_on_a_phone(phone):
    log_in_expert(phone, "expert_zj")
    phone.goto("/experts/")
    check_fits_phone(phone, "expert-home")
    phone.goto("/scoring/")
    check_fits_phone(phone, "expert-assignments")
    phone.locator("main a[href*='/scoring/rounds/']").first.tap()
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    check_fits_phone(phone, "expert-scoring")
    marks = phone.get_by_label("得分", exact=True)
    for i in range(marks.count()):
        marks.nth(i).fill("10")
    phone.get_by_role("button", name="保存草稿").tap()
    expect(phone.get_by_role("alert").first).to_be_visible()
    check_fits_phone(phone, "expert-scored")
    assert Score.objects.filter(expert__user__username="expert_zj").exists()
