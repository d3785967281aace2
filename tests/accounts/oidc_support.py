"""A real OpenID Connect provider (npm oidc-provider, configured by oidc_provider.mjs) for the tests."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
CLIENT_ID = "hocso-test"
CLIENT_SECRET = "hocso-test-secret-0123456789"
# People the provider knows. "nhung" and "duc" are imported into HocSo by the tests; "stranger" is not.
ACCOUNTS = {
    "nhung": {"email": "nhung@mofa.example.vn", "name": "Nguyễn Thị Hồng Nhung", "employee_number": "CB0001"},
    "duc": {"email": "duc@mofa.example.vn", "name": "Lê Văn Đức", "employee_number": "NS0001"},
    "stranger": {"email": "stranger@elsewhere.example", "name": "Người Lạ", "employee_number": "XX9999"},
    # someone who set an officer's address at the provider, which has not verified it
    "impostor": {"email": "nhung@mofa.example.vn", "email_verified": False, "name": "Kẻ Mạo Danh"},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Provider:
    def __init__(self, redirect_uris: list[str], post_logout_redirect_uris: list[str]):
        node = shutil.which("node")
        if node is None:
            pytest.fail("node is needed for the OpenID Connect tests (make setup installs the npm packages)")
        if not (ROOT / "node_modules" / "oidc-provider").is_dir():
            pytest.fail("node_modules/oidc-provider is missing: run `make setup`")
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "OIDC_PORT": str(self.port),
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_ACCOUNTS": json.dumps(ACCOUNTS),
            "OIDC_REDIRECT_URIS": json.dumps(redirect_uris),
            "OIDC_POST_LOGOUT_REDIRECT_URIS": json.dumps(post_logout_redirect_uris),
            "OIDC_SLOW_MS": "4000",
            "NODE_ENV": "test",
        }
        self.process = subprocess.Popen(
            [node, str(SCRIPT)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=2).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.2)
            if self.process.poll() is not None:
                break
        output = self.process.stdout.read().decode() if self.process.poll() is not None else ""
        self.stop()
        pytest.fail(f"the OpenID provider did not start: {output}")

    def set_fault(self, fault: str | None) -> None:
        requests.post(f"{self.issuer}/__test/fault", data=json.dumps({"fault": fault}), timeout=5)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def settings(self) -> dict:
        """SOCIALACCOUNT_PROVIDERS as lms.settings.base builds it from OIDC_ISSUER and OIDC_CLIENT_ID."""
        return {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": "ministry",
                        "name": "",
                        "client_id": CLIENT_ID,
                        "secret": CLIENT_SECRET,
                        "settings": {
                            "server_url": self.issuer,
                            "scope": ["openid", "profile", "email"],
                            "token_auth_method": "client_secret_post",
                        },
                    }
                ],
            }
        }


def _form_action(page: str, base: str) -> str:
    match = re.search(r'<form[^>]*action="([^"]+)"', page)
    assert match, page[:500]
    return urljoin(base, html.unescape(match.group(1)))


def sign_in_at_provider(authorize_url: str, username: str, back_to: str) -> str:
    """Play the person at the provider (its development sign-in and consent pages) until the provider sends
    the browser back to HocSo; return that URL (the callback, with code and state)."""
    http = requests.Session()
    url = authorize_url
    for _ in range(12):
        response = http.get(url, allow_redirects=False, timeout=10)
        while response.status_code in (302, 303):
            url = urljoin(url, response.headers["Location"])
            if url.startswith(back_to):
                return url
            response = http.get(url, allow_redirects=False, timeout=10)
        page = response.text
        action = _form_action(page, url)
        if 'name="login"' in page:
            data = {"prompt": "login", "login": username, "password": "any password"}
        else:
            data = {"prompt": "consent"}
        response = http.post(action, data=data, allow_redirects=False, timeout=10)
        url = urljoin(action, response.headers["Location"])
        if url.startswith(back_to):
            return url
    raise AssertionError("the provider never sent the browser back")
