"""What an applicant types just before leaving the form (before the debounced autosave has
run) is saved all the same: the page sends it with sendBeacon as it goes."""

import time

import pytest
from playwright.sync_api import expect

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


def test_typing_then_leaving_at_once_loses_nothing(page, call, applicant):
    draft = factories.make_application(call, applicant, complete=False, attach=False)
    log_in(page, applicant)
    page.goto(f"/applicant/{draft.pk}/edit/")
    expect(page.locator("#save-status")).to_contain_text("填写时自动保存")

    page.locator("#id_name").press_sequentially("离开前刚输入的名称")
    page.goto("/applicant/")  # at once: the autosave waits 1.5 s after the last key

    assert saved_name(draft.pk, "离开前刚输入的名称") == "离开前刚输入的名称"
    draft.refresh_from_db()
    assert draft.editor_seq > 0  # the tab's count of edits came with it
