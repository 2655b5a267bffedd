"""Sign-in throttling rules (issue 18), apart from the library that stores the failures.

Failures are counted by rule: one account from one address (password guessing), one address
over every account (credential stuffing), one account from every address (a distributed
guess). A rule locks when its failures reach its limit while each came less than the cool-off
after the one before; the lock lifts a cool-off after the failure that completed the count,
when no new failure is recorded (refused attempts during a lock are not recorded).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

ACCOUNT_AT_ADDRESS = ("username", "ip_address")
ADDRESS = ("ip_address",)
ACCOUNT = ("username",)


@dataclass(frozen=True)
class Rule:
    fields: tuple[str, ...]
    limit: int


def rules(*, account_at_address: int, address: int, account: int) -> tuple[Rule, ...]:
    """The rules in force; a limit of 0 turns its rule off."""
    wanted = ((ACCOUNT_AT_ADDRESS, account_at_address), (ADDRESS, address), (ACCOUNT, account))
    return tuple(Rule(fields, limit) for fields, limit in wanted if limit > 0)


def lock_lifts_at(
    failures: Iterable[tuple[datetime, int]], *, limit: int, cool_off: timedelta, now: datetime
) -> datetime | None:
    """When a rule's lock lifts, or None when it does not lock.

    ``failures`` are (time of the last failure, number of failures) per stored attempt row of
    the rule; rows older than the cool-off no longer count.
    """
    counted = 0
    for at, count in sorted(failures, key=lambda row: row[0], reverse=True):
        if at <= now - cool_off:
            break
        counted += count
        if counted >= limit:
            return at + cool_off
    return None


def client_address(remote_addr: str | None, forwarded_for: str | None, proxies: int) -> str | None:
    """The address a request comes from, behind ``proxies`` trusted reverse proxies.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so
    the client is the ``proxies``-th entry from the right; anything to its left was written by
    the client and is ignored. A request with fewer entries did not come through the proxies:
    its own peer address counts.
    """
    if proxies > 0 and forwarded_for:
        hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
        if len(hops) >= proxies and (found := _address(hops[-proxies])) is not None:
            return found
    return _address(remote_addr)


def _address(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None
