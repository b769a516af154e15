import pytest

from keyprojects.orgs.models import Authority

from ...factories import make_user
from .provider import Browser, running_provider

# The provider's accounts (its `sub` → the claims it releases). Any other login name is an
# account too, with no claims but its sub.
ACCOUNTS = {
    "gov-0001": {"email": "wang.fang@nanjing.gov.cn", "email_verified": True, "name": "王芳"},
    "gov-0002": {"email": "li.qiang@nanjing.gov.cn", "email_verified": True, "name": "李强"},
    "gov-0003": {"email": "zhao.lei@nanjing.gov.cn", "email_verified": False},
    "gov-0004": {"email": "contact@applicant.example.com", "email_verified": True},
    "gov-0005": {"email": "shared@nanjing.gov.cn", "email_verified": True},
    "gov-0006": {"preferred_username": "reviewer-nj-06"},
}


@pytest.fixture(scope="session")
def oidc_provider():
    with running_provider(ACCOUNTS) as provider:
        yield provider


@pytest.fixture
def sso_on(settings, oidc_provider):
    """Single sign-on configured as a deployment would, against the running provider."""
    for name, value in oidc_provider.environment().items():
        setattr(settings, name, value)
    return oidc_provider


@pytest.fixture
def browser():
    browser = Browser()
    yield browser
    browser.close()


@pytest.fixture
def nanjing(regions):
    return Authority.objects.get(name="南京市信息化主管部门")


def make_staff(username, email, **fields):
    """A platform account with this e-mail address (the factory's is username@example.com)."""
    user = make_user(None, username=username, **fields)
    user.email = email
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def reviewer(nanjing):
    """A reviewer of 南京市 whose account is already linked to the provider's gov-0001."""
    return make_staff(
        "wangfang", "wang.fang@nanjing.gov.cn", authority=nanjing, sso_subject="gov-0001"
    )
