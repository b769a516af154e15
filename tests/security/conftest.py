"""The matrix's world (built once for the module, rolled back at its end) and the settings
it runs under: production's second-factor roles, fast password hashing, tasks at once."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings

from .world import build_world

# Production's default (settings.SECOND_FACTOR_ROLES); tests/conftest.py narrows it to experts.
PRODUCTION_SECOND_FACTOR_ROLES = ["expert", "office", "reviewer", "admin"]
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AT_ONCE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("matrix-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, TASKS=AT_ONCE, PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        built = build_world()
        built.media = media
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _media_root(settings, world):
    """Overrides tests/conftest.py's: the world's files are in the module's media folder."""
    settings.MEDIA_ROOT = world.media


@pytest.fixture(autouse=True)
def _production_second_factor(settings, _second_factor_for_experts_only):
    settings.SECOND_FACTOR_ROLES = PRODUCTION_SECOND_FACTOR_ROLES
    settings.PASSWORD_HASHERS = FAST_HASHER


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # rate limits (objections, logins) live in the cache
    yield
    cache.clear()


@pytest.fixture(scope="module")
def _module_client():
    return Client()


@pytest.fixture
def client(_module_client):
    """One test client for the module, signed out before each test: a new client builds the
    middleware again, and WhiteNoise's scan of the static files costs ~0.3 s each time."""
    _module_client.cookies.clear()
    return _module_client
