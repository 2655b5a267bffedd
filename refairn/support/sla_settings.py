"""The one conversion from a business's program settings (``programs.domain``: ``Sla``,
``BusinessHours``, ``SlaPolicy``) to the support domain's SLA types.

The tier lookup is ``support.domain.sla.SlaSettings.terms_for``; ``programs.domain.Sla.terms_for``
does the same job for the settings form and is not used here, so the support side has one rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from refairn.core.errors import Conflict
from refairn.programs.domain import ProgramSettings
from refairn.programs.models import Business
from refairn.support.domain.errors import SupportConfigError
from refairn.support.domain.sla import BusinessHours, SlaSettings, SlaTerms
from refairn.support.domain.thresholds import SlaPolicy


@dataclass(frozen=True)
class BusinessSla:
    terms: SlaSettings
    calendar: BusinessHours | None
    policy: SlaPolicy

    def terms_for(self, tier: str) -> SlaTerms:
        return self.terms.terms_for(tier)


def sla_from_program(program: ProgramSettings) -> BusinessSla:
    """PRODUCT.md §2: SLA hours with tier overrides, optional business hours, and the policy.

    The program settings validate less strictly than the support domain (a window of minutes,
    seconds in a time): settings the domain refuses are a business configuration problem, so the
    action that needs them is refused with 409 ``invalid_sla_settings`` naming the field.
    """
    sla = program.sla
    try:
        hours = sla.business_hours
        calendar = (
            BusinessHours(
                timezone=hours.timezone,
                weekdays=frozenset(hours.weekdays),
                start=hours.start,
                end=hours.end,
                holidays=frozenset(hours.holidays),
            )
            if hours is not None
            else None
        )
        return BusinessSla(
            terms=SlaSettings(
                default=SlaTerms(sla.first_response_hours, sla.resolution_hours),
                tiers={
                    tier.value: SlaTerms(t.first_response_hours, t.resolution_hours)
                    for tier, t in sla.tiers.items()
                },
            ),
            calendar=calendar,
            policy=policy_from_program(program),
        )
    except SupportConfigError as exc:
        raise Conflict(
            f"The business's SLA settings cannot be used: {exc.field}: {exc.message}",
            code=exc.code,
            extra={"field": exc.field},
        ) from None


def policy_from_program(program: ProgramSettings) -> SlaPolicy:
    """PRODUCT.md §2: the warning and review thresholds over the domain's trailing window. The
    program settings' bounds (1–100) lie inside the domain's, so this never fails."""
    return SlaPolicy(
        warning_threshold=program.sla_policy.warning_threshold,
        review_threshold=program.sla_policy.review_threshold,
    )


def business_sla(business: Business) -> BusinessSla:
    return sla_from_program(business.program_settings)


def business_sla_policy(business: Business) -> SlaPolicy:
    return policy_from_program(business.program_settings)
