"""Nothing typed in the form is lost: what an applicant types just before leaving it (before
the debounced autosave has run) is sent with sendBeacon as the page goes, a reload shows
it, and an autosave refused because a colleague saved says so in the page."""

import time

import pytest
from playwright.sync_api import expect

from keyprojects.applications import domain
from keyprojects.applications.models import Application

from .. import factories
from .test_precheck_journey import log_in

pytestmark = pytest.mark.e2e


def saved_name(pk, expected, seconds=10.0):
    """The stored name once it is `expected` (the beacon arrives after the page is gone)."""
    deadline = time.monotonic() + seconds
    name = None
    while time.monotonic() < deadline:
        name = Application.objects.values_list("name", flat=True).get(pk=pk)
        if name == expected:
            break
        time.sleep(0.2)
    return name


def open_new_draft(page, call, applicant):
    draft = factories.make_application(call, applicant, complete=False, attach=False)
    log_in(page, applicant)
    page.goto(f"/applicant/{draft.pk}/edit/")
    expect(page.locator("#save-status")).to_contain_text("填写时自动保存")
    return draft


def test_typing_then_leaving_at_once_loses_nothing(page, call, applicant):
    draft = open_new_draft(page, call, applicant)

    page.locator("#id_name").press_sequentially("离开前刚输入的名称")
    page.goto("/applicant/")  # at once: the autosave waits 1.5 s after the last key

    assert saved_name(draft.pk, "离开前刚输入的名称") == "离开前刚输入的名称"
    draft.refresh_from_db()
    assert draft.editor_seq > 0  # the tab's count of edits came with it


def test_a_reload_right_after_typing_shows_what_was_typed(page, call, applicant):
    draft = open_new_draft(page, call, applicant)

    page.locator("#id_summary").press_sequentially("刷新前刚输入的简介")
    page.reload()  # the page may be drawn before the save sent on leaving is stored

    expect(page.locator("#id_summary")).to_have_value("刷新前刚输入的简介", timeout=10_000)
    # Typing goes on without a conflict with the tab's own earlier save.
    page.locator("#id_name").press_sequentially("刷新后的名称")
    page.locator("h1").click()
    expect(page.locator("#save-status")).to_contain_text("已自动保存", timeout=10_000)
    assert saved_name(draft.pk, "刷新后的名称") == "刷新后的名称"


def test_a_colleague_s_save_is_shown_when_an_autosave_is_refused(page, call, applicant, colleague):
    draft = open_new_draft(page, call, applicant)
    domain.save_draft(
        draft,
        {"name": "同事保存的名称"},
        None,
        by=colleague,
        expected_version=draft.version,
        editor_token="colleague-tab",
    )

    page.locator("#id_name").press_sequentially("我输入的名称")
    page.locator("h1").click()

    expect(page.locator("#save-status")).to_contain_text("用我的内容覆盖", timeout=10_000)
    expect(page.locator("#save-status")).to_contain_text(str(colleague))
    draft.refresh_from_db()
    assert draft.name == "同事保存的名称"
