"""Issue 13: e-mail through Django's SMTP backend to a real server on loopback, per the
recipient's preference, with a page link and a no-login unsubscribe link."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from refairn.core import clock
from refairn.notifications.domain.catalogue import Family
from refairn.notifications.domain.delivery import EmailMode, EmailStatus
from refairn.notifications.mail import email_deliveries_send, email_digests_send
from refairn.notifications.models import EmailDelivery, Notification, OutboxEvent
from refairn.notifications.outbox import outbox_sweep
from refairn.notifications.preferences import preferences_get_for, preferences_update
from refairn.notifications.services import notification_send
from refairn.notifications.tests.events import send_kw
from refairn.notifications.tests.smtp import body_text
from tests.support import T0

pytestmark = pytest.mark.django_db


def deliver() -> None:
    outbox_sweep()
    email_deliveries_send()


def tell(users: list[Any], business: Any, event: str = "certification.certified", **kw: Any) -> int:
    return notification_send(
        user_ids=[u.id for u in users],
        business_id=business.id,
        text=kw.pop("text", "You are certified in Onboarding."),
        link=f"/b/{business.id}/certifications/t1",
        **send_kw(event),
        **kw,
    )


def test_each_recipient_gets_a_mail_with_a_page_link_and_an_unsubscribe_link(
    smtp: Any, alice: Any, bob: Any, business_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # The real path: dispatch on commit, then the e-mail task (Huey runs tasks inline here).
    with django_capture_on_commit_callbacks(execute=True):
        tell([alice, bob], business_a)
    assert sorted(str(m["To"]) for m in smtp.messages) == ["alice@a.test", "bob@a.test"]
    mail = smtp.to("bob@a.test")[0]
    assert mail["Subject"] == "Business A: You are certified in Onboarding."
    text, html = body_text(mail, "plain"), body_text(mail, "html")
    page = f"https://refairn.test/b/{business_a.id}/certifications/t1"
    assert "You are certified in Onboarding." in text and page in text
    assert f'href="{page}"' in html
    unsubscribe = re.search(r"https://refairn.test/notifications/unsubscribe/\S+/", text)
    assert unsubscribe is not None and unsubscribe.group(0) in html
    assert str(mail["List-Unsubscribe"]).strip() == f"<{unsubscribe.group(0)}>"  # unfolded
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert set(EmailDelivery.objects.values_list("status", flat=True)) == {EmailStatus.SENT}


def test_the_unsubscribe_link_turns_the_family_off_without_logging_in(
    smtp: Any, bob: Any, business_a: Any
) -> None:
    tell([bob], business_a)
    deliver()
    link = re.search(
        r"https://refairn.test(/notifications/unsubscribe/\S+/)",
        body_text(smtp.messages[0], "plain"),
    )
    assert link is not None
    browser = Client(enforce_csrf_checks=True)
    assert browser.get(link.group(1)).status_code == 200  # shows a button, changes nothing
    assert preferences_get_for(bob.id)[Family.CERTIFICATION] == EmailMode.IMMEDIATE
    assert browser.post(link.group(1)).status_code == 200  # RFC 8058 one-click: no CSRF token
    assert preferences_get_for(bob.id)[Family.CERTIFICATION] == EmailMode.OFF
    assert preferences_get_for(bob.id)[Family.SUPPORT] == EmailMode.IMMEDIATE
    tell([bob], business_a, text="Renewed.")
    deliver()
    assert len(smtp.messages) == 1
    assert Notification.objects.filter(user=bob).count() == 2  # in-app is always on


def test_a_forged_unsubscribe_token_changes_nothing(bob: Any) -> None:
    response = Client().post("/notifications/unsubscribe/not-a-token/")
    assert response.status_code == 404
    assert preferences_get_for(bob.id)[Family.CERTIFICATION] == EmailMode.IMMEDIATE


def test_a_digest_preference_holds_mail_for_the_daily_digest(
    smtp: Any, bob: Any, business_a: Any
) -> None:
    preferences_update(user_id=bob.id, changes={Family.SUPPORT: EmailMode.DAILY_DIGEST})
    tell([bob], business_a, event="ticket.opened", text="New ticket from Dana: Login")
    tell([bob], business_a, event="ticket.reopened", text="Reopened: Billing")
    tell([bob], business_a)  # certification: immediate
    deliver()
    assert [m["Subject"] for m in smtp.messages] == ["Business A: You are certified in Onboarding."]
    assert email_digests_send() == 1
    digest = smtp.messages[-1]
    assert digest["Subject"] == "Your Refairn digest: 2 updates"
    text = body_text(digest, "plain")
    assert "New ticket from Dana: Login" in text and "Reopened: Billing" in text
    assert "/notifications/unsubscribe/" in text
    assert email_digests_send() == 0  # each row goes out in one digest only
    assert len(smtp.messages) == 2


def test_the_digest_job_skips_families_turned_off_meanwhile(
    smtp: Any, bob: Any, business_a: Any
) -> None:
    preferences_update(user_id=bob.id, changes={Family.SUPPORT: EmailMode.DAILY_DIGEST})
    tell([bob], business_a, event="ticket.opened", text="New ticket")
    deliver()
    preferences_update(user_id=bob.id, changes={Family.SUPPORT: EmailMode.OFF})
    assert email_digests_send() == 0
    assert smtp.messages == []
    assert EmailDelivery.objects.get().status == EmailStatus.SKIPPED


def test_a_family_turned_off_gets_no_mail(smtp: Any, bob: Any, business_a: Any) -> None:
    preferences_update(user_id=bob.id, changes={Family.CERTIFICATION: EmailMode.OFF})
    tell([bob], business_a)
    deliver()
    assert smtp.messages == []
    assert EmailDelivery.objects.get().status == EmailStatus.SKIPPED


def test_a_sweep_reads_its_mails_and_their_preferences_once_per_batch(
    smtp: Any, alice: Any, bob: Any, business_a: Any, django_assert_num_queries: Any
) -> None:
    preferences_update(user_id=alice.id, changes={Family.CERTIFICATION: EmailMode.DAILY_DIGEST})
    for _ in range(3):
        tell([alice, bob], business_a)
    outbox_sweep()
    # The due ids, the claim, the rows, the preferences, one update for alice's three held
    # mails, then one per mail sent to bob.
    with django_assert_num_queries(5 + 3):
        assert email_deliveries_send() == 3
    assert len(smtp.to("bob@a.test")) == 3 and smtp.to("alice@a.test") == []
    held = EmailDelivery.objects.filter(user=alice, status=EmailStatus.DIGEST)
    assert held.count() == 3


def test_a_refusing_mail_server_is_tried_again_later(smtp: Any, bob: Any, business_a: Any) -> None:
    smtp.refuse = 1
    tell([bob], business_a)
    deliver()
    row = EmailDelivery.objects.get()
    assert (row.status, row.attempts, row.next_attempt_at) == (
        EmailStatus.PENDING,
        1,
        T0 + timedelta(minutes=1),
    )
    assert "451" in row.last_error
    deliver()  # not due yet
    assert smtp.messages == []
    with clock.frozen(T0 + timedelta(minutes=2)):
        deliver()
    assert len(smtp.to("bob@a.test")) == 1
    assert EmailDelivery.objects.get().status == EmailStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_mails_nothing(smtp: Any, bob: Any, business_a: Any) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        tell([bob], business_a)
        raise RuntimeError("the change fails after telling")
    deliver()
    assert smtp.messages == []
    assert not OutboxEvent.objects.exists() and not Notification.objects.exists()
