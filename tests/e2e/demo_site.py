"""The demo data (`make demo`) as a site for browser tests that look at many roles' pages.

The accessibility, phone and print tests need every role to have something on its pages;
the demo builds that through the real domain functions. Two settings keep it quick: a fast
password hasher (the demo hashes 19 passwords; PBKDF2 takes 0.7 s each) and a task backend
that leaves documents unrendered (those tests look at pages, not at PDFs).
"""

import re

from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from keyprojects.calls.models import Call
from keyprojects.core.demo import DEMO_PASSWORD, load_demo
from keyprojects.orgs.models import User
from keyprojects.orgs.reference import load_authorities, load_departments, load_regions
from keyprojects.review import domain as review

from .. import factories


def load_demo_site(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    # Staff sign in with a password only here: their second factor has its own tests
    # (tests/orgs). Experts always need one, and pass it in log_in_expert.
    settings.SECOND_FACTOR_ROLES = []
    load_regions()
    load_departments()
    load_authorities()
    load_demo()


def make_complete_draft(username, name, **values):
    """A draft of the open demo call with every field filled, ready to submit."""
    call = Call.objects.get(slug="demo")
    start = call.earliest_start.replace(month=3)
    return factories.make_application(
        call,
        User.objects.get(username=username),
        name=name,
        start_month=start,
        planned_completion_month=start.replace(year=start.year + 2),
        **values,
    )


def make_summary_table():
    """The 沛县 reviewer recommends the county's application and generates the table."""
    call = Call.objects.get(slug="demo")
    reviewer = User.objects.get(username="reviewer_px")
    application = call.applications.get(authority=reviewer.authority)
    review.decide(application, "recommend", by=reviewer, reason="同意推荐。")
    return review.start_table(review.batch_for(call, reviewer.authority), by=reviewer)


def log_in(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def log_in_expert(page, username, on_verify_page=None):
    """An expert always proves a second factor: bind an authenticator, then enter its code.
    `on_verify_page(page)`, if given, looks at the verification page first."""
    user = User.objects.get(username=username)
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    StaticToken.objects.bulk_create(
        StaticToken(device=recovery, token=StaticToken.random_token()) for _ in range(10)
    )
    log_in(page, username)
    expect(page).to_have_url(re.compile(r"/experts/second-factor/verify/"))
    if on_verify_page:
        on_verify_page(page)
    page.get_by_label("验证码或恢复码").fill(f"{totp(device.bin_key, step=30, t0=0, digits=6):06d}")
    page.get_by_role("button", name="验证").click()
    expect(page).not_to_have_url(re.compile(r"/second-factor/"))


def log_out(page):
    page.context.clear_cookies()
