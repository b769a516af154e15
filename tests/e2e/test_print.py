"""Printable pages: the public notice and the recommended-project summary table on paper.

Chromium renders each page with the print stylesheet (site.css, `@media print`): no menus,
buttons or forms, tables at the full width of the sheet. The PDFs go to test-artifacts/ and
their first sheets to test-artifacts/screenshots/print-*.png for a person to look at.
"""

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from keyprojects.notices.models import PublicNotice

from .conftest import SCREENSHOTS
from .demo_site import load_demo_site, log_in, make_summary_table

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_site(transactional_db, settings):
    load_demo_site(settings)


# On the page as printed: what shows of the menus, of buttons and forms, and how wide the
# tables are next to the content.
PRINTED = """() => {
  const shown = el => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== "hidden";
  const main = document.querySelector("main").getBoundingClientRect().width;
  return {
    header: shown(document.querySelector("header")),
    footer: shown(document.querySelector("footer")),
    controls: [...document.querySelectorAll("main button, main .btn, main form, main input")]
      .filter(shown).map(el => el.outerHTML.slice(0, 80)),
    narrowTables: [...document.querySelectorAll("main table")]
      .map(t => t.getBoundingClientRect().width).filter(w => w < main - 1),
    clipped: [...document.querySelectorAll("main .table-responsive")]
      .filter(box => box.scrollWidth > box.clientWidth + 1).length,
  };
}"""


def printed_text(pdf_path):
    """The PDF's text, without the spaces the extraction puts between Chinese characters."""
    reader = PdfReader(str(pdf_path))
    return re.sub(r"\s+", "", "".join(sheet.extract_text() for sheet in reader.pages))


def sheet_png(pdf_path, name):
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm (poppler-utils) is needed to keep a picture of the printout"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [pdftoppm, "-png", "-r", "60", "-l", "1", "-singlefile", pdf_path, SCREENSHOTS / name],
        check=True,
        timeout=60,
    )


def check_prints_cleanly(page, name, title, artifacts):
    """The page on screen has its menu; on paper only its content, tables at full width."""
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.get_by_role("button", name="打印")).to_be_visible()
    page.emulate_media(media="print")
    printed = page.evaluate(PRINTED)
    assert printed["header"] is False and printed["footer"] is False, printed
    assert printed["controls"] == [], printed["controls"]
    assert printed["narrowTables"] == [], printed
    assert printed["clipped"] == 0, printed
    page.evaluate("document.fonts.ready.then(() => true)")
    pdf_path = artifacts / f"print-{name}.pdf"
    page.pdf(path=str(pdf_path), format="A4")
    text = printed_text(pdf_path)
    assert re.sub(r"\s+", "", title) in text
    for screen_only in ["申报通知", "典型案例", "登录", "打印", "跳到正文"]:
        assert screen_only not in text, f"{screen_only!r} printed on {name}"
    sheet_png(pdf_path, f"print-{name}")
    page.emulate_media(media="screen")
    return text


def test_public_notice_prints_its_list_without_menus_or_the_objection_form(
    page, demo_site, artifacts
):
    notice = PublicNotice.objects.exclude(published_at=None).order_by("published_at").first()
    page.goto(f"/notices/{notice.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(notice.title)
    text = check_prints_cleanly(page, "notice", notice.title, artifacts)
    assert "南京市“一网通办”政务服务平台" in text  # a listed project
    assert "联系方式" in text


def test_summary_table_prints_at_full_width_without_menus(page, demo_site, artifacts):
    table = make_summary_table()
    log_in(page, "reviewer_px")
    page.goto(f"/review/tables/{table.pk}/")
    title = f"{table.content['call']}推荐项目汇总表"
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    text = check_prints_cleanly(page, "summary-table", title, artifacts)
    assert table.code in text
    assert "沛县智慧农业大数据平台" in text and "合计" in text
