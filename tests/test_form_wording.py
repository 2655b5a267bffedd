"""Forms speak words (issue 12 item 9): every staff form page, rendered after a refused submit,
shows no field name or enum value (``not_certified``, ``referral_one_off``, ``starts_at``) in
its visible text, and puts an error summary first."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.programs.models import Business
from refairn.support.tests.conftest import support_track
from refairn.training.models import Module
from tests.support import set_support_access

pytestmark = pytest.mark.django_db

MODULE_FORMATS = ("video", "pdf", "text", "demo_script", "faq")
SNAKE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


class VisibleText(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style", "code"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "code") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def refused_pages(business: Business, bob: User) -> list[tuple[str, dict[str, str]]]:
    b = f"/b/{business.id}"
    track = support_track(business)
    set_support_access(bob, "active", business=business)  # so the access form is offered
    agent = f"{b}/agents/{bob.id}"
    video = Module.objects.create(
        business=business, track=track, title="Welcome", format="video", duration_seconds=60
    )
    return [
        ("/businesses/new/", {"name": ""}),
        (f"{b}/settings/", {}),
        (f"{b}/people/", {"invite": "staff"}),
        (f"{b}/people/", {"invite": "customer"}),
        (f"{b}/customers/", {}),
        (f"{b}/tracks/", {}),
        (f"{b}/tracks/{track.id}/composition/", {"composition": "essay: x"}),
        *[(f"{b}/tracks/{track.id}/modules/new/{fmt}/", {}) for fmt in MODULE_FORMATS],
        (f"{b}/tracks/{track.id}/modules/{video.id}/edit/", {"video_url": "ftp://x.example"}),
        (f"{b}/routing/", {"rules": "[{"}),
        (f"{agent}/support-access/", {}),
        (f"{agent}/warnings/", {}),
        (f"{agent}/certifications/{track.id}/revoke/", {}),
    ]


def test_refused_staff_forms_use_words(alice: User, bob: User, business_a: Business) -> None:
    client = Client()
    client.force_login(alice)
    offenders = {}
    for path, data in refused_pages(business_a, bob):
        response = client.post(path, data)
        assert 400 <= response.status_code < 500, (path, response.status_code)
        html = response.content.decode()
        if 'class="errors" role="alert"' not in html:
            offenders[f"{path} {data}"] = ["no error summary"]
        tokens = sorted(set(SNAKE.findall(visible_text(html))))
        if "(optional) (optional)" in " ".join(visible_text(html).split()):
            tokens.append("doubled (optional)")
        if "refairn/error-summary.js" not in html:
            tokens.append("no error-summary script")
        if tokens:
            offenders.setdefault(f"{path} {data}", []).extend(tokens)
    assert offenders == {}, "\n".join(f"{k}: {v}" for k, v in offenders.items())


def test_the_ticket_filter_refusal_uses_words(alice: User, business_a: Business) -> None:
    client = Client()
    client.force_login(alice)
    response = client.get(f"/b/{business_a.id}/tickets/", {"status": "bogus"})
    assert response.status_code == 422
    assert SNAKE.findall(visible_text(response.content.decode())) == []
