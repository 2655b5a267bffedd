"""The stages of the killed-worker test (test_crash_recovery.py), each run as its own process
against one SQLite file, as separate web and worker processes would:

``setup <url>``  migrate, set the test clock, register an endpoint, commit three events;
``work``         dispatch the outbox and start delivering (the test kills it mid-POST);
``restart``      move the test clock past the dead worker's lease (PUT /test-clock's service,
                 which runs the periodic sweeps), then report every delivery row.

Each prints one line ``RESULT <json>``; anything else on stdout (console mails) is noise.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta

import django

T_START = "2026-11-02T09:00:00+00:00"


def main(stage: str, *args: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refairn.settings")
    django.setup()

    from datetime import datetime

    from django.core.management import call_command
    from django.db import transaction

    from refairn.core import clock
    from refairn.core.services import test_clock_move
    from refairn.notifications.outbox import outbox_sweep
    from refairn.notifications.services import notification_send
    from refairn.programs.selectors import actor_for
    from refairn.programs.services import business_create
    from refairn.webhooks.delivery import webhook_deliveries_sweep
    from refairn.webhooks.models import WebhookDelivery
    from refairn.webhooks.services import webhook_create
    from tests.support import make_user

    result: object = None
    if stage == "setup":
        call_command("migrate", verbosity=0)
        clock.set_test_clock(datetime.fromisoformat(T_START))
        owner = make_user("owner@crash.test", "Owner")
        business = business_create(user=owner, name="Crash Test Co")
        endpoint = webhook_create(actor=actor_for(owner, business.id), url=args[0], events=["*"])
        with transaction.atomic():
            for n in range(3):
                notification_send(
                    user_ids=[owner.id],
                    business_id=business.id,
                    kind="support_warning",
                    text=f"Warning {n}",
                    event="support.warning",
                    data={
                        "agent_id": owner.id,
                        "agent_name": owner.name,
                        "message": f"Warning {n}",
                    },
                )
        result = {"secret": endpoint.secret}
    elif stage == "work":
        outbox_sweep()
        webhook_deliveries_sweep()  # blocks in the receiver's first POST until killed
        result = "not killed"
    elif stage == "restart":
        test_clock_move(to=datetime.fromisoformat(T_START) + timedelta(minutes=5))
        result = [
            {"webhook_id": d.webhook_id, "status": d.status, "attempts": d.attempts}
            for d in WebhookDelivery.objects.order_by("created_at", "webhook_id")
        ]
    sys.stdout.write(f"\nRESULT {json.dumps(result)}\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main(*sys.argv[1:])
