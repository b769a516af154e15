"""Browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server.

The browser is never downloaded: `make test` installs /usr/bin/chromium. Screenshots and
downloaded documents go to test-artifacts/ at the repository root for a person to look at.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import sync_playwright

from .. import factories

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests
# (fixtures, assertions) are still synchronous, so Django's async guard must stand down.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
# The user guides show screenshots these journeys take (docs/screenshots/<name>.png, named
# in a guide); `make guides` runs the journeys with this variable set to renew them.
GUIDE_SCREENSHOTS = ROOT / "docs" / "screenshots"
UPDATE_GUIDES = os.environ.get("KEYPROJECTS_UPDATE_GUIDES") == "1"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser journeys need Debian's Chromium. "
            "Run `make chromium` (or `make test`, which installs it); "
            "never `playwright install`.",
            pytrace=False,
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield WatchedBrowser(browser)
        browser.close()


# What Chromium refused under the Content-Security-Policy during the current test.
CSP_VIOLATIONS: list[str] = []


class WatchedBrowser:
    """The browser, with every context it opens reporting CSP violations to CSP_VIOLATIONS."""

    def __init__(self, browser):
        self._browser = browser

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.on("console", _note_csp_violation)
        return context


def _note_csp_violation(message):
    if "Content Security Policy" in message.text:
        CSP_VIOLATIONS.append(f"{message.location.get('url', '')}: {message.text}")


@pytest.fixture(autouse=True)
def _no_csp_violations():
    """Every journey doubles as a check that no page needs inline script or style."""
    CSP_VIOLATIONS.clear()
    yield
    assert CSP_VIOLATIONS == [], "\n".join(CSP_VIOLATIONS)


@pytest.fixture(scope="session")
def _media_url_for_live_server_start():
    """Files reach users only through permission-checked views, but Django's LiveServerThread
    wraps the site in a _MediaFilesHandler that would serve MEDIA_ROOT under MEDIA_URL to
    anyone. While the server starts, point MEDIA_URL at another host: the handler then never
    serves a file (it ignores URLs with a netloc), so the journey sees what production sees."""
    original = settings.MEDIA_URL
    settings.MEDIA_URL = "http://media.invalid/"
    yield original
    settings.MEDIA_URL = original


@pytest.fixture(scope="session")
def live_server(_media_url_for_live_server_start, live_server):
    settings.MEDIA_URL = _media_url_for_live_server_start  # the app runs with its own value
    return live_server


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A fresh browser context per test, pointed at the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def choose_approval(page, folder: Path) -> None:
    """Pick a one-page 立项批复.pdf as the 立项批复文件 in the form's attachment box (the
    caller presses 上传, by click or by tap)."""
    approval = folder / "立项批复.pdf"
    approval.write_bytes(factories.pdf_bytes())
    page.select_option("#id_kind", label="立项批复文件")
    page.set_input_files("#id_file", str(approval))


def shot(page, name: str) -> Path:
    """Wait until the page and its web fonts have settled, then save a full-page PNG."""
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if UPDATE_GUIDES and name in guide_screenshot_names():
        GUIDE_SCREENSHOTS.mkdir(exist_ok=True)
        shutil.copyfile(path, GUIDE_SCREENSHOTS / path.name)
    return path


def guide_screenshot_names() -> set[str]:
    """The screenshots the user guides show: `screenshots/<name>.png` in docs/*.md."""
    names = set()
    for guide in (ROOT / "docs").glob("*.md"):
        names |= set(re.findall(r"screenshots/([\w-]+)\.png", guide.read_text(encoding="utf-8")))
    return names
