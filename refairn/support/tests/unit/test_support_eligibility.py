from datetime import UTC, datetime, timedelta

import pytest

from refairn.certification.domain import CertSnapshot, Standing, Status, track_standing
from refairn.support.domain.access import AccessStatus
from refairn.support.domain.eligibility import Eligibility, support_eligibility
from refairn.training.domain import Requirement

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
LATER = NOW + timedelta(days=100)
EARLIER = NOW - timedelta(days=1)
TRACKS = ("basics", "security")


def cert(status=Status.CERTIFIED, expires_at=LATER, security_critical=False, requirement=None):
    return CertSnapshot(
        status=status,
        expires_at=expires_at,
        requirement=requirement or Requirement.REQUIRED,
        security_critical=security_critical,
    )


def eligibility(certs, access=AccessStatus.ACTIVE, tracks=TRACKS, security=None):
    """``security``: the agent's security-critical certifications; by default the ones among
    ``certs``, as the selector passes them."""
    if security is None:
        security = {key: c for key, c in certs.items() if c.security_critical}
    return support_eligibility(
        support_track_certs={key: c for key, c in certs.items() if key in tracks},
        support_track_ids=tracks,
        support_access=access,
        now=NOW,
        security_critical_certs=security,
    )


def full_certs(**overrides):
    certs = {"basics": cert(), "security": cert(security_critical=True)}
    certs.update(overrides)
    return certs


def test_certified_in_every_support_track_with_active_access_is_a_certified_support_agent():
    assert eligibility(full_certs()) == Eligibility(
        can_be_assigned_new_customers=True,
        can_receive_tickets=True,
        is_certified_support_agent=True,
        reasons=(),
    )


def test_support_access_given_as_a_plain_string_is_accepted():
    assert eligibility(full_certs(), access="active").is_certified_support_agent


def test_missing_support_track_is_not_certified():
    result = eligibility({"basics": cert()})
    assert result == Eligibility(False, False, False, ("not_certified",))


def test_track_in_training_is_not_certified():
    result = eligibility(full_certs(basics=cert(Status.IN_PROGRESS, expires_at=None)))
    assert result.reasons == ("not_certified",)
    assert not result.can_receive_tickets


def test_expired_track_keeps_tickets_but_no_new_customers():
    result = eligibility(full_certs(basics=cert(Status.EXPIRED, expires_at=EARLIER)))
    assert result == Eligibility(
        can_be_assigned_new_customers=False,
        can_receive_tickets=True,
        is_certified_support_agent=False,
        reasons=("certification_expired",),
    )


def test_certified_status_past_its_expiry_counts_as_expired():
    result = eligibility(full_certs(basics=cert(expires_at=NOW)))
    assert result.reasons == ("certification_expired",)
    assert not result.is_certified_support_agent


def test_expired_required_security_critical_track_stops_tickets_and_customers():
    result = eligibility(
        full_certs(security=cert(Status.EXPIRED, expires_at=EARLIER, security_critical=True))
    )
    assert result == Eligibility(
        False, False, False, ("certification_expired", "security_certification_lapsed")
    )


def test_expired_security_critical_track_that_is_only_recommended_also_restricts():
    lapsed = cert(
        Status.EXPIRED,
        expires_at=EARLIER,
        security_critical=True,
        requirement=Requirement.RECOMMENDED,
    )
    result = eligibility(full_certs(security=lapsed))
    assert not result.can_receive_tickets
    assert not result.can_be_assigned_new_customers


@pytest.mark.parametrize(
    "lapsed",
    [
        cert(Status.EXPIRED, expires_at=EARLIER, security_critical=True),
        cert(expires_at=NOW, security_critical=True),
        cert(Status.FAILED, expires_at=EARLIER, security_critical=True),
        cert(Status.REVOKED, security_critical=True),
    ],
)
def test_a_lapsed_security_critical_track_outside_the_support_tracks_restricts(lapsed):
    result = eligibility({"basics": cert(), "privacy": lapsed}, tracks=("basics",))
    assert result == Eligibility(False, False, False, ("security_certification_lapsed",))


def test_a_security_critical_track_never_held_or_still_valid_restricts_nothing():
    certs = {
        "basics": cert(),
        "privacy": cert(expires_at=NOW + timedelta(minutes=1), security_critical=True),
    }
    assert eligibility(certs, tracks=("basics",)).is_certified_support_agent
    assert eligibility({"basics": cert()}, tracks=("basics",)).can_receive_tickets


def test_an_expired_support_track_that_is_not_security_critical_keeps_tickets():
    result = eligibility(full_certs(basics=cert(Status.EXPIRED, expires_at=EARLIER)))
    assert result.can_receive_tickets


def test_lapsed_track_being_retaken_still_counts_as_expired():
    result = eligibility(full_certs(basics=cert(Status.FAILED, expires_at=EARLIER)))
    assert result.reasons == ("certification_expired",)
    assert result.can_receive_tickets


def test_revoked_track_loses_eligibility_entirely():
    result = eligibility(full_certs(basics=cert(Status.REVOKED)))
    assert result == Eligibility(False, False, False, ("certification_revoked",))


@pytest.mark.parametrize(
    ("access", "reason"),
    [
        (AccessStatus.SUSPENDED, "support_access_suspended"),
        (AccessStatus.REMOVED, "support_access_removed"),
        (AccessStatus.REQUESTED, "support_access_not_active"),
        (AccessStatus.NONE, "support_access_not_active"),
    ],
)
def test_inactive_support_access_stops_tickets_and_customers(access, reason):
    assert eligibility(full_certs(), access=access) == Eligibility(False, False, False, (reason,))


def test_reasons_are_listed_once_in_a_fixed_order():
    certs = {
        "basics": cert(Status.REVOKED),
        "security": cert(Status.EXPIRED, expires_at=EARLIER),
        "extra": cert(Status.REVOKED),
    }
    result = eligibility(
        certs, access=AccessStatus.SUSPENDED, tracks=("basics", "security", "extra", "new")
    )
    assert result.reasons == (
        "support_access_suspended",
        "certification_revoked",
        "certification_expired",
        "not_certified",
    )


def test_business_without_support_tracks_has_no_certified_support_agents():
    assert eligibility({}, tracks=()) == Eligibility(False, False, False, ("no_support_tracks",))


def test_certifications_outside_the_support_tracks_do_not_matter():
    certs = full_certs(other=cert(Status.REVOKED))
    assert eligibility(certs).is_certified_support_agent


@pytest.mark.parametrize(
    ("snapshot", "standing"),
    [
        (None, Standing.NOT_CERTIFIED),
        (cert(), Standing.CERTIFIED),
        (cert(expires_at=None), Standing.CERTIFIED),
        (cert(expires_at=NOW), Standing.EXPIRED),
        (cert(Status.EXPIRED, expires_at=EARLIER), Standing.EXPIRED),
        (cert(Status.SUBMITTED, expires_at=EARLIER), Standing.EXPIRED),
        (cert(Status.PASSED, expires_at=None), Standing.NOT_CERTIFIED),
        (cert(Status.REVOKED, expires_at=LATER), Standing.REVOKED),
    ],
)
def test_track_standing(snapshot, standing):
    assert track_standing(snapshot, NOW) is standing
