"""A real OpenID Provider on loopback (npm `oidc-provider`, run by provider.mjs beside this
file) and a browser-like walk through its sign-in and consent pages.

The platform's side is driven with Django's test client; the provider's pages with httpx,
keeping the provider's cookies as a browser would. Nothing is stubbed: the provider signs
ID tokens with RS256 keys it generated at start and publishes them on its JWKS endpoint.
"""

import contextlib
import dataclasses
import json
import os
import re
import selectors
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings

SCRIPT = Path(__file__).with_name("provider.mjs")
CLIENT_ID = "keyprojects-test"
CLIENT_SECRET = "a-client-secret-only-the-tests-know"
REDIRECT_URI = "http://testserver/accounts/sso/callback/"
START_TIMEOUT = 60  # seconds for node to start and publish its discovery document


@dataclasses.dataclass(frozen=True)
class Provider:
    issuer: str

    def environment(self) -> dict:
        """The KEYPROJECTS_OIDC_* settings of a platform registered with this provider."""
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        }

    def explicit_endpoints(self) -> dict:
        """The same, with each endpoint given (no discovery): oidc-provider's default routes."""
        return {
            **self.environment(),
            "OIDC_AUTHORIZATION_ENDPOINT": f"{self.issuer}/auth",
            "OIDC_TOKEN_ENDPOINT": f"{self.issuer}/token",
            "OIDC_JWKS_URI": f"{self.issuer}/jwks",
            "OIDC_USERINFO_ENDPOINT": f"{self.issuer}/me",
        }


def _first_line(process, timeout) -> str:
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    if not selector.select(timeout):
        raise RuntimeError("the OpenID provider did not start in time")
    return process.stdout.readline().decode()


def _wait_for_discovery(issuer, deadline):
    url = f"{issuer}/.well-known/openid-configuration"
    while True:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=5).json().get("issuer") == issuer:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"no discovery document at {url}")
        time.sleep(0.2)


@contextlib.contextmanager
def running_provider(accounts: dict):
    """Starts provider.mjs with these accounts ({sub: claims}); yields a Provider; stops it."""
    node = shutil.which("node")
    package = Path(settings.NODE_MODULES) / "oidc-provider"
    if node is None or not package.exists():
        raise RuntimeError("node and node_modules/oidc-provider are needed (make setup)")
    config = {
        "clients": [
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [REDIRECT_URI],
            }
        ],
        "accounts": accounts,
    }
    env = {**os.environ, "OIDC_TEST_CONFIG": json.dumps(config)}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [node, str(SCRIPT)], cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=log
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            try:
                issuer = json.loads(_first_line(process, START_TIMEOUT))["issuer"]
                _wait_for_discovery(issuer, deadline)
            except (RuntimeError, ValueError, KeyError) as error:
                log.seek(0)
                raise RuntimeError(f"{error}\n{log.read().decode(errors='replace')}") from error
            yield Provider(issuer)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stdout.close()


FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')
PROMPT = re.compile(r'name="prompt" value="(\w+)"')


class Browser:
    """The provider's side of a browser: follows its redirects and fills its two forms (any
    login name is an account there; consent is granted) until it sends the browser back to
    the platform. Returns that URL, for the platform's test client to open."""

    def __init__(self):
        self.http = httpx.Client(follow_redirects=False, timeout=10)

    def close(self):
        self.http.close()

    def sign_in(self, authorization_url: str, login: str, *, abort=False) -> str:
        response = self.http.get(authorization_url)
        for _step in range(10):
            if response.is_redirect:
                target = urljoin(str(response.url), response.headers["location"])
                if urlsplit(target).netloc == "testserver":
                    return target
                response = self.http.get(target)
                continue
            response.raise_for_status()
            action = FORM_ACTION.search(response.text).group(1).replace("&amp;", "&")
            prompt = PROMPT.search(response.text).group(1)
            if abort:
                response = self.http.get(f"{action}/abort")
                continue
            data = {"prompt": prompt}
            if prompt == "login":
                data |= {"login": login, "password": "any"}
            response = self.http.post(action, data=data)
        raise RuntimeError("the provider did not send the browser back")
