"""A visitor switches the interface to English and keeps it while signing in and working.

Screenshots: test-artifacts/screenshots/english-*.png.
"""

import re

import pytest
from playwright.sync_api import expect

from .. import factories
from ..core.english import check_interface_is_english
from .conftest import shot

pytestmark = pytest.mark.e2e


def assert_english_page(page, name):
    """The page is served in English and none of its own interface text is Chinese."""
    shot(page, name)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert check_interface_is_english(page.content()) == []


def test_switch_to_english_then_sign_in_and_list_applications(page, call, applicant):
    application = factories.make_application(call, applicant, name="玄武区一网统管平台")

    # 1. The first visit is in Chinese; the header offers English, named in English.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.locator("header").get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Smart Jiangsu Key Projects: Online Application"
    )
    expect(page.locator(".card-call", has_text=call.title)).to_contain_text("Open")
    assert_english_page(page, "english-home")

    # 2. The login page follows the choice (a cookie), before anyone has signed in.
    page.locator("header").get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    assert_english_page(page, "english-login")
    page.fill("#id_username", applicant.username)
    page.fill("#id_password", factories.PASSWORD)
    page.locator("main").get_by_role("button", name="Log in", exact=True).click()

    # 3. Signed in, the applicant's pages stay English: the list of the organisation's
    # applications, whose project names (data) stay as they were entered.
    page.locator("header").get_by_role("link", name="My applications").click()
    expect(page).to_have_url(re.compile(r"/applicant/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("My applications")
    expect(page.locator("main")).to_contain_text(application.name)
    assert_english_page(page, "english-my-applications")

    # 4. And back: the switcher names Chinese in Chinese.
    page.locator("header").get_by_role("button", name="简体中文").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("我的申报")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
