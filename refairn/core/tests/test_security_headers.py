"""Issue 18, headers and deployment: a Content-Security-Policy without inline script or style
on every page, and HTTPS behind a TLS proxy configured from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/login/", "/api/v1/health"])
def test_every_response_carries_a_strict_policy(path: str) -> None:
    policy = Client().get(path)["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_no_template_has_inline_script_or_style() -> None:
    """What the policy would refuse, caught before a browser does: <script> without src,
    <style> elements, style="..." and on...= attributes. E-mails are not served to browsers."""
    offenders = []
    for template in (ROOT / "refairn").rglob("templates/**/*.html"):
        if "/email/" in template.as_posix():
            continue
        text = template.read_text()
        for marker in ("<script>", "<style", ' style="', " onclick=", " onload=", " onsubmit="):
            if marker in text:
                offenders.append(f"{template.relative_to(ROOT)}: {marker.strip()}")
    assert offenders == []


def _deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            # The browser tests allow sync database calls from async code in this process;
            # a deployment never does, and Django's deploy check says so.
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "refairn.settings",
            "SECRET_KEY": "a-production-secret-" + "x" * 50,
            "ALLOWED_HOSTS": "refairn.example",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_behind_a_tls_proxy_django_deploy_check_passes(tmp_path: Any) -> None:
    """docs/operations.md "Behind a TLS proxy": these variables are all a deployment needs."""
    result = _deploy_check(
        {
            "REFAIRN_DATA_DIR": str(tmp_path),
            "REFAIRN_BEHIND_TLS_PROXY": "1",
            "REFAIRN_HSTS_SECONDS": "31536000",
            "REFAIRN_HSTS_INCLUDE_SUBDOMAINS": "1",
            "REFAIRN_HSTS_PRELOAD": "1",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_them_the_deploy_check_warns(tmp_path: Any) -> None:
    result = _deploy_check({"REFAIRN_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stdout + result.stderr


@pytest.mark.django_db
def test_hsts_and_the_redirect_follow_the_proxy_header(settings: Any) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    client = Client()

    plain = client.get("/login/")
    secure = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
    probe = client.get("/api/v1/health")

    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000"
    assert probe.status_code == 200
