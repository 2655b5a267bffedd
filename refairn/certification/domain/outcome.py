"""The status path an attempt's result takes (PRODUCT.md §4 and §5). The score and the pass mark
are the exam's rules (``assessments.domain.scoring``); this decides what they do to the
certification.

Decisions where the product text is silent:

- With manual review on, every submission goes to review, a sure fail included (§2: "every
  submission also goes to the business before the decision"). The reviewer may fail an attempt
  that met the threshold but may not pass one the rules fail (below threshold or a critical miss:
  "1 wrong = retake").
- A renewal attempt submitted while certified leaves the status alone unless it passes (see
  ``status.py``); its own outcome is still reported so the attempt can record it.
- A passing renewal follows the business's final-approval setting like a first certification
  (issue 11 item 3): automatic renews at once; manual leaves the status alone and marks the
  renewal as awaiting the business, while the current certification stays valid to its expiry.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from refairn.assessments.domain.scoring import (
    AttemptOutcome,
    automatic_part_decides_fail,
    meets_threshold,
)
from refairn.certification.domain.errors import CertificationRuleViolation, InvalidTransition
from refairn.certification.domain.status import Event, Status, next_status

_RENEWAL_STATUSES = frozenset({Status.CERTIFIED, Status.EXPIRED})


class ReviewDecision(StrEnum):
    PASS = "pass"  # noqa: S105 - a decision, not a secret
    FAIL = "fail"


@dataclass(frozen=True)
class Decision:
    """An attempt's outcome and the certification events to apply, in order."""

    outcome: AttemptOutcome
    events: tuple[Event, ...]
    status: Status
    renewal_awaits_approval: bool = False


def _fold(current: Status, events: tuple[Event, ...]) -> Status:
    for event in events:
        current = next_status(current, event)
    return current


def _approval(final_approval_automatic: bool) -> tuple[Event, ...]:
    return (Event.AUTO_APPROVE,) if final_approval_automatic else ()


def _renewal(current: Status, passed: bool, final_approval_automatic: bool) -> Decision:
    """A renewal attempt's decision: a pass renews at once only with automatic final approval;
    a fail changes nothing."""
    outcome = AttemptOutcome.PASSED if passed else AttemptOutcome.FAILED
    renews = passed and final_approval_automatic
    events = (Event.RENEW,) if renews else ()
    return Decision(
        outcome=outcome,
        events=events,
        status=_fold(current, events),
        renewal_awaits_approval=passed and not renews,
    )


def decide_submission(
    *,
    current: Status,
    auto_earned: Decimal,
    auto_total: Decimal,
    pending_total: Decimal,
    passing_score: Decimal,
    critical_missed: bool,
    manual_review_on: bool,
    final_approval_automatic: bool,
) -> Decision:
    """PRODUCT.md §5: where a submission goes — failed, awaiting_manual_review, or passed
    (then certified at once when final approval is automatic).

    ``current`` is the certification status at submission; from ``certified`` the attempt is a
    renewal. ``pending_total`` is the points of reviewer-graded questions. ``submit`` is the
    submitter's event; every other event here (``renew`` included) is the system's.
    """
    decided_fail = automatic_part_decides_fail(
        auto_earned=auto_earned,
        auto_total=auto_total,
        pending_total=pending_total,
        passing_score=passing_score,
        critical_missed=critical_missed,
    )
    if manual_review_on or (pending_total > 0 and not decided_fail):
        outcome = AttemptOutcome.AWAITING_MANUAL_REVIEW
    elif decided_fail:
        outcome = AttemptOutcome.FAILED
    else:
        outcome = AttemptOutcome.PASSED

    if current == Status.CERTIFIED:
        if outcome is AttemptOutcome.AWAITING_MANUAL_REVIEW:
            return Decision(outcome=outcome, events=(), status=current)
        return _renewal(current, outcome is AttemptOutcome.PASSED, final_approval_automatic)
    events: tuple[Event, ...]
    if outcome is AttemptOutcome.FAILED:
        events = (Event.SUBMIT, Event.AUTO_FAIL)
    elif outcome is AttemptOutcome.AWAITING_MANUAL_REVIEW:
        events = (Event.SUBMIT, Event.SEND_TO_REVIEW)
    else:
        events = (Event.SUBMIT, Event.AUTO_PASS, *_approval(final_approval_automatic))
    return Decision(outcome=outcome, events=events, status=_fold(current, events))


def decide_review(
    *,
    current: Status,
    earned: Decimal,
    total: Decimal,
    passing_score: Decimal,
    critical_missed: bool,
    decision: ReviewDecision | None,
    final_approval_automatic: bool,
) -> Decision:
    """PRODUCT.md §5: the reviewer decides an attempt awaiting review -> passed or failed.

    ``earned``/``total`` cover every question once all are graded; ``decision`` None follows the
    score. ``current`` is ``awaiting_manual_review`` for an ordinary attempt, or ``certified`` /
    ``expired`` for a renewal attempt submitted while certified (whose fail changes nothing).
    ``auto_approve`` is the system's event; the others here are the reviewer's.
    """
    rules_pass = not critical_missed and meets_threshold(earned, total, passing_score)
    if decision == ReviewDecision.PASS and not rules_pass:
        raise CertificationRuleViolation(
            "review_pass_not_allowed",
            "The attempt is below the passing score or missed a critical question; "
            "it cannot be passed.",
        )
    passed = rules_pass and decision != ReviewDecision.FAIL
    outcome = AttemptOutcome.PASSED if passed else AttemptOutcome.FAILED

    if current in _RENEWAL_STATUSES:
        return _renewal(current, passed, final_approval_automatic)
    events: tuple[Event, ...]
    if current == Status.AWAITING_MANUAL_REVIEW:
        events = (
            (Event.REVIEW_PASS, *_approval(final_approval_automatic))
            if passed
            else (Event.REVIEW_FAIL,)
        )
    else:
        raise InvalidTransition(current, Event.REVIEW_PASS if passed else Event.REVIEW_FAIL)
    return Decision(outcome=outcome, events=events, status=_fold(current, events))
