import pytest

from keyprojects.orgs.reference import load_authorities, load_departments, load_regions

from . import factories


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Background tasks run inside the enqueuing request; tests of the worker override this."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the database is rolled back between tests, so a
    figure cached by one (audit.queries.until_next_event) could match the next one's ids."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Production hashes passwords with PBKDF2 at 1,000,000 iterations (0.2–0.6 s each here);
    the suite creates thousands of accounts and tests what happens around a password, not the
    hash's cost, so it uses a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _second_factor_for_experts_only(settings):
    """The suite logs the office and reviewers in with force_login to test other things; their
    second factor, on by default in production, is tested in tests/orgs/test_second_factor.py."""
    settings.SECOND_FACTOR_ROLES = ["expert"]


@pytest.fixture
def regions(db):
    load_regions()
    load_departments()
    load_authorities()


@pytest.fixture
def call(regions):
    """A call whose window is open now, with the 2020 notice's rules."""
    return factories.make_call()


@pytest.fixture
def organisation(regions):
    return factories.make_organisation(seat="320102")


@pytest.fixture
def applicant(organisation):
    return factories.make_user(organisation)


@pytest.fixture
def colleague(organisation):
    return factories.make_user(organisation)


@pytest.fixture
def office(regions):
    """A member of the provincial office, with access to the admin."""
    return factories.make_office(is_staff=True)


@pytest.fixture
def stranger(regions):
    """An applicant of another organisation (in 苏州)."""
    return factories.make_user(factories.make_organisation(seat="320505"))
