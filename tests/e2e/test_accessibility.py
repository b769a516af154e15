"""Accessibility (GB/T 37668, WCAG 2.x A/AA) of every role's main pages, checked by axe-core.

The demo data (`load_demo`, what `make demo` loads) gives every role something to look at: an
open call, last year's finished call with its notice and cases, this year's call in selection
with experts part-way through scoring. Each page is scanned as its user sees it; the test
collects every page's serious and critical violations and fails with all of them at once.
The keyboard tests walk the application form and the skip link with the Tab key only.
"""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from keyprojects.applications.workflow import Status
from keyprojects.cases.models import Case
from keyprojects.notices.models import PublicNotice

from .accessibility import check_accessibility
from .demo_site import (
    load_demo_site,
    log_in,
    log_in_expert,
    log_out,
    make_complete_draft,
    make_summary_table,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_site(transactional_db, settings):
    load_demo_site(settings)


def scan(page, name, failures):
    try:
        check_accessibility(page, name)
    except AssertionError as error:
        failures.append(str(error))


def scan_public(page, failures):
    page.goto("/")
    scan(page, "public-home", failures)
    page.goto("/calls/demo/")
    scan(page, "public-call", failures)
    notice = PublicNotice.objects.exclude(published_at=None).order_by("published_at").first()
    page.goto("/notices/")
    scan(page, "public-notices", failures)
    page.goto(f"/notices/{notice.pk}/")
    scan(page, "public-notice", failures)
    page.goto("/cases/")
    scan(page, "public-case-library", failures)
    case = Case.objects.filter(state=Case.State.PUBLISHED).first()
    page.goto(f"/cases/{case.pk}/")
    scan(page, "public-case", failures)
    page.goto("/stats/public/")
    scan(page, "public-stats", failures)
    page.goto("/accounts/register/")
    scan(page, "public-register", failures)
    page.goto("/accounts/login/")
    scan(page, "public-login", failures)


def scan_applicant(page, failures):
    log_in(page, "applicant")
    scan(page, "applicant-home", failures)
    page.get_by_role("button", name="新建申报").first.click()
    expect(page).to_have_url(re.compile(r"/applicant/[0-9a-f-]{36}/edit/$"))
    scan(page, "applicant-form", failures)
    # Submitting the empty draft: the form comes back with its errors.
    page.get_by_role("button", name="提交申报").click()
    scan(page, "applicant-form-errors", failures)
    page.goto("/applicant/")
    page.locator("main a[href*='/applicant/']").first.click()
    scan(page, "applicant-detail", failures)
    log_out(page)


def scan_reviewer(page, failures):
    log_in(page, "reviewer_px")
    scan(page, "reviewer-queue", failures)
    page.locator("main tbody a[href*='/review/applications/']").first.click()
    scan(page, "reviewer-application", failures)
    page.goto("/review/calls/demo/")
    scan(page, "reviewer-batch", failures)
    page.locator("main a[href*='/review/tables/']").first.click()
    scan(page, "reviewer-summary-table", failures)
    log_out(page)


def scan_office(page, failures):
    log_in(page, "office")
    for name, path in [
        ("office-selection", "/selection/"),
        ("office-overview", "/selection/demo-selection/"),
        ("office-experts", "/experts/pool/"),
        ("office-scoring", "/scoring/office/"),
        ("office-notices", "/notices/office/"),
        ("office-cases", "/cases/office/"),
        ("office-tracking", "/tracking/"),
        ("office-stats", "/stats/"),
        ("office-funding", "/stats/funding/"),
    ]:
        page.goto(path)
        scan(page, name, failures)
    page.goto("/selection/demo-selection/")
    page.locator("main a[href*='/selection/applications/']").first.click()
    scan(page, "office-formal-check", failures)
    log_out(page)


def scan_expert(page, failures):
    log_in_expert(page, "expert_zj", lambda page: scan(page, "expert-verify", failures))
    page.goto("/experts/")
    scan(page, "expert-home", failures)
    page.goto("/scoring/")
    scan(page, "expert-assignments", failures)
    page.locator("main a[href*='/scoring/rounds/']").first.click()
    scan(page, "expert-scoring", failures)
    log_out(page)


def test_the_check_fails_on_serious_violations(page):
    """The scan is not vacuous: a page without a language, with an unlabelled field and
    grey-on-white text fails it, and the message names the rules and the elements."""
    page.set_content(
        "<main><h1>测试</h1><input type=text id=nameless>"
        "<p><span id=faint>浅色文字</span></p></main>"
    )
    page.evaluate("document.getElementById('faint').style.color = '#bbb'")
    with pytest.raises(AssertionError) as failed:
        check_accessibility(page, "self-test")
    for expected in ["html-has-lang", "label", "#nameless", "color-contrast", "#faint"]:
        assert expected in str(failed.value)


def test_main_pages_of_every_role_have_no_serious_violations(page, demo_site):
    make_summary_table()
    failures: list[str] = []
    scan_public(page, failures)
    scan_applicant(page, failures)
    scan_reviewer(page, failures)
    scan_office(page, failures)
    scan_expert(page, failures)
    assert not failures, "\n\n".join(failures)


def test_skip_link_is_first_and_moves_focus_to_the_content(page, call):
    page.goto(f"/calls/{call.slug}/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("跳到正文")
    expect(skip).to_be_visible()  # visually hidden until focused
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    # The next Tab starts inside the content, past the menu.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_the_application_form_is_walked_to_submit_with_the_keyboard(page, demo_site):
    """From the skip link to 提交申报 with Tab alone: every field on the way is labelled and
    shows where the focus is."""
    application = make_complete_draft("applicant", "键盘填报测试项目")
    log_in(page, "applicant")
    page.goto(f"/applicant/{application.pk}/edit/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link
    reached = []
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        reached.append(focused)
        assert focused["inMain"], f"focus left the content: {focused}"
        if focused["field"]:
            assert focused["label"], f"a field without a label: {focused}"
        assert_focus_ring(page, focused)
        if focused["text"] == "提交申报":
            break
    else:
        pytest.fail("Tab never reached 提交申报: " + ", ".join(r["id"] for r in reached[-10:]))
    page.keyboard.press("Enter")
    # The browser keeps the skip link's #main through the redirect.
    expect(page).to_have_url(re.compile(rf"/applicant/{application.pk}/(#main)?$"))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def assert_focus_ring(page, focused):
    """The focused element shows an outline or a (non-transparent) shadow ring; Bootstrap
    fades its ring in, so the ring has a moment to appear."""
    try:
        page.wait_for_function(RING, timeout=2_000)
    except PlaywrightTimeoutError:
        style = page.evaluate(
            "(s => `${s.outlineStyle} ${s.outlineWidth} / ${s.boxShadow}`)"
            "(getComputedStyle(document.activeElement))"
        )
        pytest.fail(f"no visible focus on {focused}: {style}")


# What the test needs to know of the focused element: where it is, its label.
FOCUSED = """() => {
  const el = document.activeElement;
  const field = el.matches("input:not([type=hidden]), select, textarea");
  const label = field ? [...(el.labels || [])].map(l => l.textContent.trim()).join(" ")
                        || el.getAttribute("aria-label") || "" : "";
  return {id: el.id || el.name || el.tagName, text: (el.textContent || "").trim(),
          inMain: !!el.closest("main"), field, label};
}"""
RING = r"""() => {
  const el = document.activeElement;
  // On a date field's calendar button the focus is inside the browser's own part of the
  // field, which the browser outlines itself.
  if (el.matches("input[type=month], input[type=date]") && !el.matches(":focus")) return true;
  const style = getComputedStyle(el);
  return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
         || (style.boxShadow !== "none" && !/rgba\([^)]*, 0\) /.test(style.boxShadow));
}"""
