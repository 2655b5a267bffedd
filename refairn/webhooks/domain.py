"""Pure webhook rules (issue 13): which URLs and addresses may receive deliveries, which
events an endpoint gets, the payload, and the retry schedule. No Django: everything is passed
in, including ``now`` and whether loopback is allowed."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

ALL_EVENTS = "*"
MAX_URL_LENGTH = 2000


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    SUCCEEDED = "succeeded"
    DEAD = "dead"  # retried for a day without a 2xx


class UrlRefused(ValueError):
    """A webhook URL or an address it resolves to that deliveries must never go to."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # a name or an IP literal, without brackets
    port: int
    path: str  # path and query, as sent in the request line


def parse_url(url: str, *, allow_loopback: bool) -> Target:
    """Check a webhook URL's form: https (http only for a loopback host, and only when
    ``allow_loopback`` — DEBUG or the test clock), a host, no credentials, no fragment. The
    addresses the host resolves to are checked separately (``address_refusal``)."""
    if len(url) > MAX_URL_LENGTH:
        raise UrlRefused("webhook_url_invalid", f"at most {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise UrlRefused("webhook_url_invalid", "not a valid URL") from None
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.scheme not in {"https", "http"} or not host:
        raise UrlRefused("webhook_url_invalid", "must be an absolute https:// URL")
    if parts.username is not None or parts.password is not None:
        raise UrlRefused("webhook_url_invalid", "must not contain credentials")
    if parts.fragment:
        raise UrlRefused("webhook_url_invalid", "must not contain a fragment")
    if any(ch.isspace() for ch in url.strip()):
        raise UrlRefused("webhook_url_invalid", "must not contain spaces")
    if parts.scheme == "http" and not (allow_loopback and _names_loopback(host)):
        raise UrlRefused(
            "webhook_url_insecure",
            "must use https (http is allowed only for a loopback host in development)",
        )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path)


def _names_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# A NAT64 gateway turns these into the IPv4 address in their last 32 bits (RFC 6052).
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def address_refusal(address: str, *, allow_loopback: bool) -> str | None:
    """Why deliveries must not go to ``address`` (an IP literal), or None when they may:
    private, link-local (cloud metadata at 169.254.169.254), multicast, reserved, unspecified
    and shared addresses are refused; loopback only with ``allow_loopback``. IPv4 addresses
    written inside IPv6 (mapped, 6to4, Teredo, NAT64) are judged as the IPv4 address they carry."""
    try:
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address)
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        carried = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if carried is None and ip in _NAT64:
            carried = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if carried is not None:
            ip = carried
    if ip.is_loopback:
        return None if allow_loopback else "a loopback address"
    checks = (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "an address that is not public"),
    )
    return next((why for refused, why in checks if refused), None)


def addresses_check(host: str, addresses: Sequence[str], *, allow_loopback: bool) -> list[str]:
    """Every address ``host`` resolved to, if all may receive deliveries; else UrlRefused.
    One bad address refuses the host: a name that also points inside the operator's network
    must not be usable, whichever address a later lookup returns first."""
    if not addresses:
        raise UrlRefused("webhook_url_unresolvable", f"{host} does not resolve")
    for address in addresses:
        why = address_refusal(address, allow_loopback=allow_loopback)
        if why is not None:
            raise UrlRefused("webhook_url_forbidden", f"{host} resolves to {address}, {why}")
    return list(dict.fromkeys(addresses))


def events_check(events: Sequence[str], known: Sequence[str]) -> list[str]:
    """An endpoint's subscription: ``["*"]`` for everything, else known event types, each once
    (order kept). ValueError names what is wrong."""
    if not events:
        raise ValueError('name at least one event type, or ["*"] for all')
    if ALL_EVENTS in events:
        if len(events) > 1:
            raise ValueError('"*" already means every event; list nothing else with it')
        return [ALL_EVENTS]
    unknown = [e for e in events if e not in set(known)]
    if unknown:
        raise ValueError(f"unknown event type: {', '.join(unknown)} (see docs/events.md)")
    return list(dict.fromkeys(events))


def subscribed(events: Sequence[str], event_type: str) -> bool:
    return ALL_EVENTS in events or event_type in events


def payload_body(event_type: str, timestamp: datetime, data: Mapping[str, Any]) -> str:
    """The body every delivery of an event carries, byte for byte on every retry (the
    signature covers it): ``{"type","timestamp","data"}``, compact JSON."""
    envelope = {"type": event_type, "timestamp": timestamp.isoformat(), "data": dict(data)}
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False, sort_keys=False)


# Exponential backoff: the first retry after a minute, doubling up to four hours between
# tries; a delivery without a 2xx a day after its first attempt is dead.
FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY_GAP = timedelta(hours=4)
RETRY_WINDOW = timedelta(days=1)


def retry_at(*, failures: int, first_attempt_at: datetime, now: datetime) -> datetime | None:
    """When to try again after ``failures`` failed attempts, or None: the delivery is dead."""
    if failures < 1:
        raise ValueError("failures counts failed attempts, from 1")
    gap = min(FIRST_RETRY * 2 ** min(failures - 1, 30), MAX_RETRY_GAP)
    at = now + gap
    return at if at <= first_attempt_at + RETRY_WINDOW else None


def is_success(status_code: int) -> bool:
    return 200 <= status_code < 300
