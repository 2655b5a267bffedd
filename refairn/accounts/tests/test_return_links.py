"""The header's Log in and Sign up links lead back to the page they were followed from (issue
12): a newcomer on an invitation or the agent invite link who reaches for the header instead of
the page's own button still lands on that page again, signed in."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.test import Client

from refairn.programs.models import Business

pytestmark = pytest.mark.django_db


def test_the_join_page_header_links_come_back_to_it(business_a: Business) -> None:
    join = f"/join/{business_a.join_token}/"
    header = Client().get(join).content.decode().split("<main")[0]
    back = f"?next={quote(join, safe='')}"
    assert f'href="/login/{back}"' in header
    assert f'href="/signup/{back}"' in header


def test_the_login_and_sign_up_pages_pass_their_destination_on() -> None:
    client = Client()
    back = "?next=%2Finvitations%2Fabc%2F"
    login = client.get(f"/login/{back}").content.decode()
    assert f'href="/signup/{back}"' in login  # the header's and the page's own link
    assert login.count(f'href="/signup/{back}"') == 2
    signup = client.get(f"/signup/{back}").content.decode()
    assert signup.count(f'href="/login/{back}"') == 2


def test_from_home_or_elsewhere_the_links_stay_plain() -> None:
    body = Client().get("/login/?next=//evil.test/").content.decode()
    assert 'href="/signup/"' in body
    assert "evil.test" not in body.split("<main")[0]


def test_signing_up_from_the_header_returns_to_the_join_page(business_a: Business) -> None:
    client = Client()
    join = f"/join/{business_a.join_token}/"
    header = client.get(join).content.decode().split("<main")[0]
    signup = re.search(r'href="(/signup/[^"]*)"', header).group(1)  # type: ignore[union-attr]
    form = client.get(signup.replace("&amp;", "&")).content.decode()
    assert f'name="next" value="{join}"' in form
    response = client.post(
        "/signup/",
        {"name": "Nina New", "email": "nina@new.test", "password": "a long new pass", "next": join},
    )
    assert response.status_code == 302 and response["Location"] == join
