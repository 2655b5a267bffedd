"""The event catalogue and the default event type of an in-app kind (no database)."""

import pytest

from refairn.notifications.domain.catalogue import (
    BY_TYPE,
    CATALOGUE,
    COMMON_FIELDS,
    FIELD_TYPES,
    Family,
    event_type_for_kind,
    family_of,
    is_valid_type,
)

# Every kind the services send today (grep notification_send / tell_agent / _tell).
KINDS_IN_USE = [
    "agent_applied", "application_approved", "application_declined", "agent_unavailable",
    "certification_attempts_granted", "certification_approval_needed",
    "certification_awaiting_review", "certification_certified", "certification_declined",
    "certification_expired", "certification_expiry_reminder", "certification_failed",
    "certification_passed", "certification_reopened", "certification_review_needed",
    "certification_revoked", "commission_reversed", "customer_assigned",
    "performance_review_decided", "performance_review_opened", "performance_review_to_decide",
    "routing_fallback", "routing_security", "sla_warning", "support_access_active",
    "support_access_reapprove", "support_access_reinstate", "support_access_remove",
    "support_access_requested", "support_access_suspend", "support_warning",
    "ticket_escalated", "ticket_escalated_security", "ticket_message", "ticket_opened",
    "ticket_reassigned", "ticket_reopened", "ticket_reply", "ticket_resolved",
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "event_type"),
    [
        ("certification_certified", "certification.certified"),
        ("certification_expiry_reminder", "certification.expiry_reminder"),
        ("support_access_suspend", "support_access.suspended"),
        ("support_access_requested", "support_access.requested"),
        ("performance_review_to_decide", "performance_review.to_decide"),
        ("ticket_escalated_security", "ticket.escalated_security"),
        ("hello_world", "hello.world"),
        ("hello", "hello.happened"),
    ],
)
def test_the_default_type_splits_after_the_resource(kind: str, event_type: str) -> None:
    assert event_type_for_kind(kind) == event_type


def test_every_kind_in_use_has_a_catalogue_entry() -> None:
    assert [k for k in KINDS_IN_USE if event_type_for_kind(k) not in BY_TYPE] == []


def test_catalogue_types_are_unique_well_formed_and_typed() -> None:
    assert len(BY_TYPE) == len(CATALOGUE)
    for spec in CATALOGUE:
        assert is_valid_type(spec.type), spec.type
        names = [f.name for f in (*COMMON_FIELDS, *spec.fields)]
        assert len(names) == len(set(names)), spec.type
        assert all(f.type in FIELD_TYPES for f in spec.fields), spec.type


def test_families() -> None:
    assert family_of("certification.certified") == Family.CERTIFICATION
    assert family_of("agent.unavailable") == Family.SUPPORT  # the catalogue wins
    assert family_of("commission.statement") == Family.COMMISSIONS
    assert family_of("ticket.something_new") == Family.SUPPORT  # by its resource
    assert family_of("mystery.thing") == Family.PROGRAM


@pytest.mark.parametrize("bad", ["certified", "Certification.certified", "a..b", "a.b c", ""])
def test_malformed_types(bad: str) -> None:
    assert not is_valid_type(bad)
