"""Issue 12 item 2: password reset by e-mail, password change, and e-mail verification for new
accounts, which is what lets a later sign-up become a business's customer record."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from refairn.accounts.models import User
from refairn.programs.models import Customer
from tests.support import ApiClient

pytestmark = pytest.mark.django_db


PASSWORD = "correct horse battery"


def _link(message: Any) -> str:
    found = re.search(r"https?://\S+", message.body)
    assert found, message.body
    return found.group(0)


def _path(link: str, settings: Any) -> str:
    assert link.startswith(settings.REFAIRN_PUBLIC_URL + "/")
    return link.removeprefix(settings.REFAIRN_PUBLIC_URL)


def _signup(commits: Any, client: Client, email: str = "erin@example.com") -> User:
    response = commits(
        client.post, "/signup/", {"email": email, "name": "Erin", "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()
    return User.objects.get(email=email)


def test_a_sign_up_is_unverified_until_the_mailed_link_is_confirmed(
    settings: Any, commits: Any
) -> None:
    client = Client()
    user = _signup(commits, client)
    assert user.email_verified_at is None
    assert [m.to for m in mail.outbox] == [["erin@example.com"]]
    assert "Please confirm your e-mail address" in client.get("/account/email/").content.decode()

    path = _path(_link(mail.outbox[0]), settings)
    assert client.get(path).status_code == 200  # opening shows a button; it does not act
    user.refresh_from_db()
    assert user.email_verified_at is None

    confirmed = client.post(path, follow=True)
    assert confirmed.redirect_chain == [("/", 302)]  # home, where the next step is
    assert "your e-mail address is confirmed" in confirmed.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at is not None
    page = client.get("/account/email/").content.decode()
    assert "Confirmed on" in page and "Please confirm" not in page

    assert client.post(path).status_code == 302  # its owner again: already confirmed
    again = Client().post(path)  # a used link is refused with words, not a 500
    assert again.status_code == 400
    assert "not valid any more" in again.content.decode()


def test_a_link_to_an_address_confirmed_since_says_so(settings: Any, commits: Any) -> None:
    """Accepting an invitation mailed to the address confirms it too, which voids the first
    mail's link: following it later is no error for its owner."""
    client = Client()
    user = _signup(commits, client)
    path = _path(_link(mail.outbox[0]), settings)
    User.objects.filter(pk=user.pk).update(email_verified_at="2026-11-02T09:00:00Z")

    response = client.post(path, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "Your e-mail address is already confirmed." in response.content.decode()
    assert Client().post(path).status_code == 400  # anyone else still gets the refusal


@pytest.mark.parametrize("token", ["x-y", "", "0" * 40])
def test_a_damaged_link_is_refused(token: str, commits: Any) -> None:
    client = Client()
    user = _signup(commits, client)
    response = client.post(f"/account/email/verify/bm9wZQ/{token or 'z'}/")
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_the_link_can_be_sent_again(settings: Any, commits: Any) -> None:
    client = Client()
    _signup(commits, client)
    commits(client.post, "/account/email/")
    assert len(mail.outbox) == 2
    assert client.post(_path(_link(mail.outbox[1]), settings)).status_code == 302


def test_the_api_sign_up_mails_the_link_too(anon: ApiClient, commits: Any) -> None:
    response = commits(
        anon.post,
        "/auth/signup",
        {"email": "finn@example.com", "password": PASSWORD, "name": "Finn"},
    )
    assert response.status_code == 201
    assert response.body["user"]["email_verified"] is False
    assert [m.to for m in mail.outbox] == [["finn@example.com"]]


def _customer(business: Any, email: str) -> Customer:
    from datetime import UTC, datetime

    return Customer.objects.create(
        business=business,
        name="Erin",
        email=email,
        monthly_value=Decimal("10.00"),
        subscribed_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_a_later_sign_up_becomes_the_customer_once_the_address_is_confirmed(
    settings: Any, business_a: Any, business_b: Any, commits: Any
) -> None:
    first, second = (
        _customer(business_a, "erin@example.com"),
        _customer(business_b, "erin@example.com"),
    )
    client = Client()
    user = _signup(commits, client)
    first.refresh_from_db()
    assert first.user_id is None  # anyone can type an address: not linked yet
    client.post(_path(_link(mail.outbox[0]), settings))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.user_id == user.pk and second.user_id == user.pk


def test_a_new_customer_is_not_linked_to_an_unverified_account(
    as_alice: ApiClient, business_a: Any, commits: Any
) -> None:
    user = _signup(commits, Client(), "gail@example.com")
    response = as_alice.post(
        f"/businesses/{business_a.id}/customers",
        {"name": "Gail", "email": "gail@example.com", "tier": "standard", "monthly_value": "10.00"},
    )
    assert response.status_code == 201, response.body
    assert Customer.objects.get(pk=response.body["id"]).user_id is None
    user.email_verified_at = user.date_joined
    user.save()
    response = as_alice.post(
        f"/businesses/{business_a.id}/customers",
        {"name": "Gail", "email": "gail@example.com", "tier": "standard", "monthly_value": "10.00"},
    )
    assert Customer.objects.get(pk=response.body["id"]).user_id == user.pk


def test_a_forgotten_password_is_reset_through_the_mailed_link(settings: Any, bob: User) -> None:
    client = Client()
    response = client.post("/password/reset/", {"email": bob.email.upper()})
    assert response.status_code == 302 and response["Location"] == "/password/reset/sent/"
    assert [m.to for m in mail.outbox] == [[bob.email]]
    path = _path(_link(mail.outbox[0]), settings)
    form_page = client.get(path, follow=True)  # Django moves the token into the session
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "a brand new secret 42", "new_password2": "a brand new secret 42"},
    )
    assert done.status_code == 302 and done["Location"] == "/password/reset/done/"
    bob.refresh_from_db()
    assert bob.check_password("a brand new secret 42")
    assert "not valid any more" in client.get(path, follow=True).content.decode()  # once only


def test_an_unknown_address_gets_the_same_answer_and_no_mail() -> None:
    response = Client().post("/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302 and response["Location"] == "/password/reset/sent/"
    assert mail.outbox == []


def test_the_reset_link_uses_the_public_address_not_the_host_header(
    settings: Any, bob: User
) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    Client().post("/password/reset/", {"email": bob.email}, HTTP_HOST="evil.example")
    assert _link(mail.outbox[0]).startswith(settings.REFAIRN_PUBLIC_URL + "/password/reset/")


def test_changing_the_password_needs_the_old_one(bob: User) -> None:
    bob.set_password(PASSWORD)
    bob.save()
    client = Client()
    client.force_login(bob)
    wrong = client.post(
        "/account/password/",
        {
            "old_password": "not it at all",
            "new_password1": "another secret 77",
            "new_password2": "another secret 77",
        },
    )
    assert wrong.status_code == 200
    assert "incorrectly" in wrong.content.decode()
    right = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "another secret 77",
            "new_password2": "another secret 77",
        },
        follow=True,
    )
    assert "Your password is changed." in right.content.decode()
    bob.refresh_from_db()
    assert bob.check_password("another secret 77")
    assert client.get("/account/email/").status_code == 200  # still signed in here


def test_the_account_pages_need_a_sign_in() -> None:
    for path in ("/account/password/", "/account/email/"):
        response = Client().get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
