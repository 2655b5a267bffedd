"""The event catalogue and its payload check (no database)."""

import pytest

from refairn.notifications.domain.catalogue import (
    BY_TYPE,
    CATALOGUE,
    COMMON_FIELDS,
    FIELD_TYPES,
    Family,
    family_of,
    is_valid_type,
    payload_problems,
)


def test_catalogue_types_are_unique_well_formed_and_typed() -> None:
    assert len(BY_TYPE) == len(CATALOGUE)
    for spec in CATALOGUE:
        assert is_valid_type(spec.type), spec.type
        names = [f.name for f in (*COMMON_FIELDS, *spec.fields)]
        assert len(names) == len(set(names)), spec.type
        assert all(f.type in FIELD_TYPES for f in spec.fields), spec.type


def test_every_notice_about_a_person_or_thing_names_it() -> None:
    """Issue 13: payloads carry names, not only ids, so a receiver shows them as they are."""
    for spec in CATALOGUE:
        names = {f.name for f in spec.fields}
        for id_field, name_field in (
            ("agent_id", "agent_name"),
            ("track_id", "track_name"),
            ("customer_id", "customer_name"),
            ("ticket_id", "subject"),
        ):
            if id_field in names:
                assert name_field in names, (spec.type, name_field)


def test_families() -> None:
    assert family_of("certification.certified") == Family.CERTIFICATION
    assert family_of("agent.unavailable") == Family.SUPPORT
    assert family_of("commission.statement") == Family.COMMISSIONS
    assert family_of("agent.applied") == Family.PROGRAM


@pytest.mark.parametrize("bad", ["certified", "Certification.certified", "a..b", "a.b c", ""])
def test_malformed_types(bad: str) -> None:
    assert not is_valid_type(bad)


def _common() -> dict[str, object]:
    return {
        "business_id": None,
        "business_name": None,
        "kind": "k",
        "text": "t",
        "link": "",
        "url": "",
        "recipient_ids": ["0b7a3c9e-8a0b-4f4e-9d54-0c6d2b1f0a11"],
    }


def test_a_matching_payload_has_no_problems() -> None:
    data = {
        **_common(),
        "agent_id": "0b7a3c9e-8a0b-4f4e-9d54-0c6d2b1f0a11",
        "agent_name": "Bob",
        "period": "2026-11",
        "referral_total": {"amount": "10.00", "currency": "EUR"},
        "support_total": {"amount": "0.00", "currency": "EUR"},
        "total": {"amount": "10.00", "currency": "EUR"},
        "entries": 1,
    }
    assert payload_problems("commission.statement", data) == []
    assert payload_problems("commission.statement", {**data, "entries": True}) == [
        "entries: expected integer, got True"
    ]
    naive = {**data, "total": {"amount": "NaN", "currency": "EUR"}}
    assert payload_problems("commission.statement", naive) == [
        "total: expected money, got {'amount': 'NaN', 'currency': 'EUR'}"
    ]


def test_a_time_without_its_zone_is_refused() -> None:
    data = {
        **_common(),
        "agent_id": "0b7a3c9e-8a0b-4f4e-9d54-0c6d2b1f0a11",
        "agent_name": "Bob",
        "starts_at": "2026-11-01T09:00:00",
        "ends_at": "2026-11-02T09:00:00Z",
        "reason": "",
    }
    assert payload_problems("agent.unavailable", data) == [
        "starts_at: expected datetime, got '2026-11-01T09:00:00'"
    ]
