"""The registry of announcements between apps (``refairn.core.events``)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from refairn.core import events


def test_every_subscription_is_listed() -> None:
    """Who reacts to what, in order: a new reaction shows up here and in review."""
    assert events.subscriptions() == {
        "training.events.TrainingProgressed": ["certification.reactions.on_training_progressed"],
        "training.events.CompositionSet": ["assessments.reactions.on_composition_set"],
        "certification.events.Certified": [
            "credentials.reactions.on_certified",
            "support.reactions.on_certified",
        ],
        "certification.events.Revoked": [
            "credentials.reactions.on_revoked",
            "support.reactions.on_revoked",
        ],
        "certification.events.Expired": ["support.reactions.on_expired"],
        "accounts.events.EmailVerified": ["programs.reactions.on_email_verified"],
    }


@dataclass(frozen=True)
class Pinged:
    n: int


def test_handlers_run_in_order_once_each_and_their_errors_reach_the_publisher() -> None:
    seen: list[str] = []

    def first(event: Pinged) -> None:
        seen.append(f"first {event.n}")

    def second(event: Pinged) -> None:
        if event.n < 0:
            raise ValueError("refused")
        seen.append(f"second {event.n}")

    events.subscribe(Pinged, first)
    events.subscribe(Pinged, second)
    events.subscribe(Pinged, first)  # registering twice runs it once
    try:
        events.publish(Pinged(1))
        assert seen == ["first 1", "second 1"]
        with pytest.raises(ValueError, match="refused"):
            events.publish(Pinged(-1))
    finally:
        events._handlers.pop(Pinged)
    events.publish(Pinged(2))  # nobody listens any more
    assert seen == ["first 1", "second 1", "first -1"]
