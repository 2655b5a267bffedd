"""Issue 13: e-mail preferences per event family, by API and on a page."""

import re
from typing import Any

import pytest
from django.test import Client

from refairn.notifications.domain.catalogue import Family
from refairn.notifications.domain.delivery import EmailMode
from refairn.notifications.models import NotificationPreference
from refairn.notifications.preferences import preferences_get_for
from tests.support import assert_problem

pytestmark = pytest.mark.django_db

DEFAULTS = {
    "certification": "immediate",
    "support": "immediate",
    "commissions": "immediate",
    "program": "immediate",
}


def test_defaults_are_immediate_mail_and_in_app_always(as_bob: Any) -> None:
    assert as_bob.get("/me/notification-preferences").body == {
        "in_app": "always",
        "email": DEFAULTS,
    }


def test_put_changes_only_the_named_families(as_bob: Any, bob: Any) -> None:
    body = {"email": {"support": "daily_digest", "commissions": "off"}}
    response = as_bob.put("/me/notification-preferences", body)
    assert response.status_code == 200
    assert response.body["email"] == {**DEFAULTS, "support": "daily_digest", "commissions": "off"}
    assert as_bob.put("/me/notification-preferences", {"email": {"support": "immediate"}}).body[
        "email"
    ] == {**DEFAULTS, "commissions": "off"}


@pytest.mark.parametrize(
    "body",
    [
        {"email": {"support": "weekly"}},
        {"email": {"marketing": "off"}},
        {"email": {"support": "off"}, "in_app": "off"},
        {},
    ],
)
def test_bad_preferences_are_422_and_change_nothing(as_bob: Any, bob: Any, body: Any) -> None:
    assert_problem(as_bob.put("/me/notification-preferences", body), 422, "validation_error")
    assert not NotificationPreference.objects.exists()


def test_preferences_need_a_token(anon: Any) -> None:
    assert_problem(anon.get("/me/notification-preferences"), 401, "not_authenticated")
    assert_problem(
        anon.put("/me/notification-preferences", {"email": {}}), 401, "not_authenticated"
    )


def test_each_user_sees_and_changes_only_their_own(as_alice: Any, as_bob: Any, bob: Any) -> None:
    as_alice.put("/me/notification-preferences", {"email": {"program": "off"}})
    assert as_bob.get("/me/notification-preferences").body["email"] == DEFAULTS
    assert preferences_get_for(bob.id)[Family.PROGRAM] == EmailMode.IMMEDIATE


def test_the_preferences_page_saves_a_choice_per_family(bob: Any) -> None:
    browser = Client()
    assert browser.get("/notifications/preferences/").status_code == 302  # log in first
    browser.force_login(bob)
    page = browser.get("/notifications/preferences/")
    assert page.status_code == 200 and b"Daily digest" in page.content
    form = {**DEFAULTS, "support": "daily_digest"}
    assert browser.post("/notifications/preferences/", form).status_code == 302
    assert preferences_get_for(bob.id)[Family.SUPPORT] == EmailMode.DAILY_DIGEST
    assert browser.post("/notifications/preferences/", {"support": "never"}).status_code == 422
    assert preferences_get_for(bob.id)[Family.SUPPORT] == EmailMode.DAILY_DIGEST


def test_every_user_reaches_the_preferences_page_from_the_account_menu(charlie: Any) -> None:
    """Charlie holds no role anywhere: the account menu is every user's."""
    browser = Client()
    browser.force_login(charlie)
    home = browser.get("/")
    assert home.status_code == 200
    account = re.search(rb'href="([^"]+)">Account</a>', home.content)
    assert account is not None
    menu = browser.get(account.group(1).decode())
    assert b'href="/notifications/preferences/">Notification preferences</a>' in menu.content
    page = browser.get("/notifications/preferences/")
    assert (
        b'href="/notifications/preferences/" aria-current="page">Notification preferences'
        in page.content
    )
