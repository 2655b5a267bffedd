"""The one way a webhook leaves the platform: resolve the host, refuse it when any address is
not public (SSRF), then connect to the address that was checked — not to the name again, so a
DNS answer that changes between the check and the connection (rebinding) cannot redirect the
request. TLS still verifies the certificate against the URL's host name. Redirects are never
followed and nothing is retried here (the delivery schedule retries)."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass

import urllib3
from django.conf import settings

from refairn.webhooks.domain import Target, UrlRefused, addresses_check, parse_url

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
RESPONSE_BYTES_KEPT = 2000


def allow_loopback() -> bool:
    """Issue 13: http and loopback receivers only in development (DEBUG or the test clock)."""
    return bool(settings.DEBUG or settings.REFAIRN_TEST_CLOCK)


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    return [str(info[4][0]) for info in infos]


def target_check(url: str) -> tuple[Target, list[str]]:
    """The URL's target and its checked addresses; UrlRefused when deliveries may not go
    there. Used when an endpoint is registered and again before every delivery."""
    loopback = allow_loopback()
    target = parse_url(url, allow_loopback=loopback)
    addresses = addresses_check(
        target.host, resolve(target.host, target.port), allow_loopback=loopback
    )
    return target, addresses


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str
    duration_ms: int


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST ``body`` to ``url`` once; never raises for the receiver's or the network's
    failures (they are the Outcome's ``error``)."""
    started = time.monotonic()

    def outcome(status: int | None, error: str = "") -> Outcome:
        return Outcome(status, error[:1000], int((time.monotonic() - started) * 1000))

    try:
        target, addresses = target_check(url)
    except UrlRefused as exc:
        return outcome(None, f"refused: {exc.message}")
    default_port = 443 if target.scheme == "https" else 80
    host_header = target.host if ":" not in target.host else f"[{target.host}]"
    if target.port != default_port:
        host_header = f"{host_header}:{target.port}"
    headers = {**headers, "Host": host_header}
    error = ""
    # Every address was checked; one that refuses the connection gives way to the next.
    for address in addresses:
        try:
            return outcome(_post_to(address, target, body, headers))
        except (
            urllib3.exceptions.NewConnectionError,
            urllib3.exceptions.ConnectTimeoutError,
        ) as exc:
            error = f"{type(exc).__name__}: {exc}"
        except urllib3.exceptions.HTTPError as exc:
            return outcome(None, f"{type(exc).__name__}: {exc}")
    return outcome(None, error)


def _post_to(address: str, target: Target, body: bytes, headers: dict[str, str]) -> int:
    """One POST to one checked address; the status code, or urllib3's exception."""
    timeout = urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT)
    pool: urllib3.HTTPConnectionPool
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            target.port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            server_hostname=target.host,
            assert_hostname=target.host,
        )
    else:
        pool = urllib3.HTTPConnectionPool(
            address, target.port, timeout=timeout, retries=False, maxsize=1
        )
    try:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers=headers,
            redirect=False,
            retries=False,
            assert_same_host=False,
            preload_content=False,
        )
        try:
            response.read(RESPONSE_BYTES_KEPT)
        finally:
            response.release_conn()
        return int(response.status)
    finally:
        pool.close()
