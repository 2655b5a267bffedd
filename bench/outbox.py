"""What the outbox costs and how fast it drains (issue 13): the time ``notification_send``
takes now that it also writes an outbox row, then dispatching, e-mailing (in-memory backend)
and POSTing signed webhooks to a receiver on loopback.

    .venv/bin/python bench/outbox.py [--events 500]

Runs in a fresh temporary SQLite data directory with the test clock on (so the loopback
receiver is allowed). Figures are printed, never asserted (STYLE.md).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def timed(label: str, count: int, func: Any) -> None:
    started = time.perf_counter()
    func()
    elapsed = time.perf_counter() - started
    print(f"{label:<44} {elapsed:7.2f} s  {1000 * elapsed / count:7.2f} ms each")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=500)
    events = parser.parse_args().events
    data_dir = tempfile.mkdtemp(prefix="refairn-bench-outbox-")
    os.environ.update(
        REFAIRN_DATA_DIR=data_dir,
        REFAIRN_TEST_CLOCK="1",
        DATABASE_URL="",
        DJANGO_SETTINGS_MODULE="refairn.settings",
        LOG_LEVEL="WARNING",
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import transaction

        from refairn.notifications.mail import email_deliveries_send
        from refairn.notifications.outbox import outbox_sweep
        from refairn.notifications.services import notification_send
        from refairn.programs.selectors import actor_for
        from refairn.programs.services import business_create
        from refairn.webhooks.delivery import webhook_deliveries_sweep
        from refairn.webhooks.services import webhook_create
        from tests.support import make_user

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        call_command("migrate", verbosity=0)
        owner = make_user("owner@bench.test")
        business = business_create(user=owner, name="Bench")
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        webhook_create(actor=actor_for(owner, business.id), url=url, events=["*"])

        def send() -> None:
            for n in range(events):
                with transaction.atomic():
                    notification_send(
                        user_ids=[owner.id],
                        business_id=business.id,
                        kind="support_warning",
                        text=f"Warning {n}",
                        link="/b/x/",
                    )

        print(f"{events} events, one recipient, one webhook endpoint (SQLite)")
        timed("notification_send (in-app row + outbox row)", events, send)
        # The sweeps drain at most a batch per run; run them until nothing is left.
        timed("dispatch to the sinks", events, lambda: [outbox_sweep() for _ in range(2)])
        timed("e-mail, in-memory backend", events, lambda: email_deliveries_send())
        timed(
            "signed webhook POST to loopback",
            events,
            lambda: [webhook_deliveries_sweep() for _ in range(-(-events // 200))],
        )
    finally:
        server.shutdown()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
