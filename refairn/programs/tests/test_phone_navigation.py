"""Issue 12 item 11: on a phone the business's sections fold into a menu that opens without
script (details/summary); the wide screen keeps them in a row."""

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.programs.models import Business

pytestmark = pytest.mark.django_db


def test_the_sections_fold_into_a_menu(alice: User, business_a: Business) -> None:
    client = Client()
    client.force_login(alice)
    page = client.get(f"/b/{business_a.id}/settings/").content.decode()
    menu = page.index('<details class="nav-menu">')
    full = page.index('<div class="nav-full">')
    assert menu < full
    assert "<summary>Business A: sections</summary>" in page
    # Both copies carry the same links: each screen shows one of them (site.css).
    assert page.count(f'href="/b/{business_a.id}/people/"') == 2
    assert "<script" not in page[menu:full]
