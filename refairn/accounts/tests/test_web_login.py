from typing import Any

import pytest
from django.test import Client

from refairn.accounts.models import User

pytestmark = pytest.mark.django_db


def test_login_page_renders_with_a_csrf_field() -> None:
    response = Client().get("/login/")
    assert response.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in response.content
    assert b'<label for="id_username">Email</label>' in response.content


def test_login_without_csrf_token_is_refused(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/login/", {"username": "alice@a.test", "password": "a-long-test-password"}
    )
    assert response.status_code == 403


def test_login_with_csrf_then_home_lists_programs(alice: User, business_a: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/login/",
        {
            "username": "alice@a.test",
            "password": "a-long-test-password",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    home = client.get("/")
    assert b"Business A" in home.content


def test_wrong_password_shows_a_form_error(alice: User) -> None:
    response = Client().post("/login/", {"username": "alice@a.test", "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct" in response.content


def test_signup_page_shows_weak_password_in_the_form() -> None:
    response = Client().post(
        "/signup/", {"name": "Eve", "email": "eve@x.test", "password": "12345678901"}
    )
    assert response.status_code == 200
    assert b'class="error"' in response.content
    assert not User.objects.filter(email="eve@x.test").exists()


def test_home_requires_login() -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_other_tenants_business_page_is_404(charlie: User, business_a: Any) -> None:
    client = Client()
    client.force_login(charlie)
    assert client.get(f"/b/{business_a.id}/").status_code == 404
