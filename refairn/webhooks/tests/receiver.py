"""A real HTTP receiver on loopback for webhook tests: it verifies every request's signature
with the ``standardwebhooks`` package (not our signing code) and answers with the status
codes it is told to."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool
    status: int | None  # None: the receiver never answered

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]

    @property
    def payload(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    host: str = "127.0.0.1"
    port: int = 0
    path: str = "/hooks"
    secret: str | None = None
    answers: deque[int] = field(default_factory=deque)  # then 200
    location: str = ""  # sent with 3xx answers
    delay: float = 0.0
    hang: threading.Event | None = None  # set: the next request hangs until ``release``
    release: threading.Event = field(default_factory=threading.Event)
    requests: list[Received] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}{self.path}"

    def verify(self, body: bytes, headers: dict[str, str], secret: str | None = None) -> bool:
        key = secret or self.secret
        if key is None:
            return False
        try:
            Webhook(key).verify(body, headers)
        except WebhookVerificationError:
            return False
        return True

    def answered(self) -> list[Received]:
        return [r for r in self.requests if r.status is not None]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            record = Received(headers, body, receiver.verify(body, headers), None)
            receiver.requests.append(record)
            receiver.arrived.set()
            if receiver.hang is not None and not receiver.hang.is_set():
                receiver.hang.set()
                receiver.release.wait(60)
                return  # never answers: the worker is killed while waiting for us
            time.sleep(receiver.delay)
            status = receiver.answers.popleft() if receiver.answers else 200
            record.status = status
            self.send_response(status)
            if 300 <= status < 400 and receiver.location:
                self.send_header("Location", receiver.location)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def http_receiver(**kwargs: Any) -> Iterator[Receiver]:
    receiver = Receiver(**kwargs)
    server = ThreadingHTTPServer((receiver.host, 0), _handler(receiver))
    server.daemon_threads = True
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.release.set()
        server.shutdown()
        server.server_close()
