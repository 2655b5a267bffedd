import ipaddress
from collections.abc import Iterator
from typing import Any

import pytest

from refairn.notifications.tests.conftest import smtp  # noqa: F401 - shared fixture
from refairn.webhooks import network
from refairn.webhooks.tests.receiver import Receiver, http_receiver


class FakeDNS(dict[str, list[str]]):
    """Names resolve only to what a test says; IP literals and localhost as they really do.
    No test ever looks up a real name, and none can connect outside loopback."""

    def resolve(self, host: str, port: int) -> list[str]:
        try:
            ipaddress.ip_address(host)
        except ValueError:
            if host != "localhost":
                return list(self.get(host, []))
        return REAL_RESOLVE(host, port)


REAL_RESOLVE = network.resolve


@pytest.fixture(autouse=True)
def dns(monkeypatch: Any) -> FakeDNS:
    fake = FakeDNS()
    monkeypatch.setattr(network, "resolve", fake.resolve)
    return fake


@pytest.fixture
def dev_mode(settings: Any) -> None:
    """http and loopback receivers are allowed only in development (here: the test clock)."""
    settings.REFAIRN_TEST_CLOCK = True


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with http_receiver() as running:
        yield running
