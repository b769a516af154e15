"""`manage.py check --deploy` passes with the production variables set."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-0123456789",
    "DJANGO_ALLOWED_HOSTS": "keyprojects.example.gov.cn",
    "DJANGO_SECURE_COOKIES": "1",
    "DJANGO_SSL_REDIRECT": "1",
    "DJANGO_HSTS_SECONDS": "31536000",
    "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "1",
    "DJANGO_HSTS_PRELOAD": "1",
    # 商用密码: the SM4 key of contact data and the HMAC-SM3 key of its search digests.
    "KEYPROJECTS_FIELD_KEYS": "2026a:" + "0123456789abcdef" * 2,
    "KEYPROJECTS_DIGEST_KEY": "fedcba9876543210" * 4,
}


def run_check(env_overrides, tmp_path):
    env = {**os.environ, **env_overrides, "KEYPROJECTS_VAR_DIR": str(tmp_path)}
    # Variables other tests set for themselves (the browser tests allow sync ORM calls
    # from Playwright's event loop) are not part of a production environment.
    for name in ["DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"]:
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_settings(tmp_path):
    result = run_check(PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_on_the_development_defaults(tmp_path):
    result = run_check({}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr
    assert "KEYPROJECTS_FIELD_KEYS" in result.stdout + result.stderr
    assert "KEYPROJECTS_DIGEST_KEY" in result.stdout + result.stderr


def test_deploy_check_fails_without_the_field_keys(tmp_path):
    production = {k: v for k, v in PRODUCTION.items() if not k.startswith("KEYPROJECTS_")}
    result = run_check(production, tmp_path)
    assert result.returncode != 0
    assert "keyprojects.W001" in result.stdout + result.stderr
