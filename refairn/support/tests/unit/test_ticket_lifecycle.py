from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from refairn.support.domain.errors import InvalidTransition, TicketRuleViolation
from refairn.support.domain.escalation import Category
from refairn.support.domain.sla import SlaTerms
from refairn.support.domain.tickets import (
    TRANSITIONS,
    Party,
    TicketEvent,
    TicketStatus,
    TicketTimeline,
    allowed_events,
    ensure_can_rate,
    next_status,
    open_ticket,
    record_escalation,
    record_reopen,
    record_reply,
    record_resolution,
)

CREATED = datetime(2026, 3, 2, 9, tzinfo=UTC)
TERMS = SlaTerms(first_response_hours=24, resolution_hours=72)


def new_ticket() -> TicketTimeline:
    return open_ticket(created_at=CREATED, terms=TERMS, calendar=None)


def hours(n: float) -> datetime:
    return CREATED + timedelta(hours=n)


def test_new_ticket_is_open_with_deadlines_from_creation() -> None:
    assert new_ticket() == TicketTimeline(
        status=TicketStatus.OPEN,
        created_at=CREATED,
        first_response_due=hours(24),
        resolution_due=hours(72),
    )


def test_agents_first_message_is_the_first_response() -> None:
    ticket = record_reply(new_ticket(), by=Party.AGENT, at=hours(2))
    ticket = record_reply(ticket, by=Party.AGENT, at=hours(5))
    assert ticket.first_responded_at == hours(2)
    assert ticket.status is TicketStatus.OPEN


def test_customer_messages_are_not_a_response() -> None:
    ticket = record_reply(new_ticket(), by=Party.CUSTOMER, at=hours(1))
    assert ticket.first_responded_at is None


def test_staff_message_answers_the_customer_too() -> None:
    assert record_reply(new_ticket(), by=Party.STAFF, at=hours(3)).first_responded_at == hours(3)


def test_escalation_acknowledges_and_records_category() -> None:
    ticket = record_escalation(new_ticket(), category=Category.REFUND, at=hours(4))
    assert ticket.status is TicketStatus.ESCALATED
    assert ticket.first_responded_at == hours(4)
    assert ticket.escalated_at == hours(4)
    assert ticket.escalation_category is Category.REFUND


def test_escalation_keeps_an_earlier_first_response() -> None:
    ticket = record_reply(new_ticket(), by=Party.AGENT, at=hours(1))
    ticket = record_escalation(ticket, category=Category.BILLING_DISPUTE, at=hours(4))
    assert ticket.first_responded_at == hours(1)


def test_escalated_ticket_cannot_be_escalated_again() -> None:
    ticket = record_escalation(new_ticket(), category=Category.REFUND, at=hours(1))
    with pytest.raises(InvalidTransition) as error:
        record_escalation(ticket, category=Category.REFUND, at=hours(2))
    assert (error.value.current, error.value.event) == ("escalated", "escalate")


def test_escalation_category_must_be_known() -> None:
    with pytest.raises(ValueError, match="shipping"):
        record_escalation(new_ticket(), category="shipping", at=hours(1))  # type: ignore[arg-type]


def test_resolving_closes_and_answers_an_unanswered_ticket() -> None:
    ticket = record_resolution(new_ticket(), at=hours(6))
    assert ticket.status is TicketStatus.CLOSED
    assert ticket.resolved_at == hours(6)
    assert ticket.first_responded_at == hours(6)


def test_reopen_clears_resolution_keeps_first_response_and_restarts_resolution_clock() -> None:
    ticket = record_reply(new_ticket(), by=Party.AGENT, at=hours(1))
    ticket = record_escalation(ticket, category=Category.PLATFORM_DEFECT, at=hours(2))
    ticket = record_resolution(ticket, at=hours(10))
    reopened = record_reopen(ticket, at=hours(100), terms=TERMS, calendar=None)
    assert reopened == TicketTimeline(
        status=TicketStatus.OPEN,
        created_at=CREATED,
        first_response_due=hours(24),
        resolution_due=hours(172),
        first_responded_at=hours(1),
    )


@pytest.mark.parametrize("status", [TicketStatus.OPEN, TicketStatus.ESCALATED])
def test_reopen_only_from_closed(status: TicketStatus) -> None:
    with pytest.raises(InvalidTransition):
        next_status(status, TicketEvent.REOPEN)


def test_closed_ticket_takes_no_messages_until_reopened() -> None:
    ticket = record_resolution(new_ticket(), at=hours(1))
    with pytest.raises(InvalidTransition):
        record_reply(ticket, by=Party.CUSTOMER, at=hours(2))


def test_events_cannot_precede_creation_or_be_naive() -> None:
    with pytest.raises(ValueError, match="precede"):
        record_reply(new_ticket(), by=Party.AGENT, at=hours(-1))
    with pytest.raises(ValueError, match="aware"):
        record_reply(new_ticket(), by=Party.AGENT, at=datetime(2026, 3, 3))


def test_allowed_events_read_the_transition_table() -> None:
    assert allowed_events(TicketStatus.OPEN) == {
        TicketEvent.REPLY,
        TicketEvent.ESCALATE,
        TicketEvent.RESOLVE,
    }
    assert allowed_events(TicketStatus.ESCALATED) == {TicketEvent.REPLY, TicketEvent.RESOLVE}
    assert allowed_events(TicketStatus.CLOSED) == {TicketEvent.REOPEN}


def test_rating_requires_a_closed_ticket() -> None:
    with pytest.raises(TicketRuleViolation) as error:
        ensure_can_rate(status=TicketStatus.OPEN, already_rated=False)
    assert error.value.code == "ticket_not_closed"


def test_rating_only_once() -> None:
    ensure_can_rate(status=TicketStatus.CLOSED, already_rated=False)
    with pytest.raises(TicketRuleViolation) as error:
        ensure_can_rate(status=TicketStatus.CLOSED, already_rated=True)
    assert error.value.code == "already_rated"


def test_rating_accepts_status_as_stored_string() -> None:
    ensure_can_rate(status="closed", already_rated=False)  # type: ignore[arg-type]


class TicketMachine(RuleBasedStateMachine):
    """Random event sequences never break the SLA timestamps' invariants."""

    def __init__(self) -> None:
        super().__init__()
        self.ticket = new_ticket()
        self.clock = CREATED
        self.first_response: datetime | None = None

    def _apply(self, event: TicketEvent, step: object) -> None:
        self.clock += timedelta(minutes=30)
        allowed = (self.ticket.status, event) in TRANSITIONS
        try:
            self.ticket = step()  # type: ignore[operator]
        except InvalidTransition:
            assert not allowed
            return
        assert allowed
        # Once set, the first response never moves or disappears.
        if self.first_response is not None:
            assert self.ticket.first_responded_at == self.first_response
        self.first_response = self.ticket.first_responded_at

    @rule(by=st.sampled_from(Party))
    def reply(self, by: Party) -> None:
        self._apply(TicketEvent.REPLY, lambda: record_reply(self.ticket, by=by, at=self.clock))

    @rule(category=st.sampled_from(Category))
    def escalate(self, category: Category) -> None:
        self._apply(
            TicketEvent.ESCALATE,
            lambda: record_escalation(self.ticket, category=category, at=self.clock),
        )

    @rule()
    def resolve(self) -> None:
        self._apply(TicketEvent.RESOLVE, lambda: record_resolution(self.ticket, at=self.clock))

    @rule()
    def reopen(self) -> None:
        self._apply(
            TicketEvent.REOPEN,
            lambda: record_reopen(self.ticket, at=self.clock, terms=TERMS, calendar=None),
        )

    @invariant()
    def resolved_exactly_when_closed(self) -> None:
        assert (self.ticket.resolved_at is not None) == (self.ticket.status is TicketStatus.CLOSED)

    @invariant()
    def escalation_is_recorded_while_it_lasts(self) -> None:
        if self.ticket.status is TicketStatus.ESCALATED:
            assert self.ticket.escalated_at is not None
            assert self.ticket.escalation_category is not None
        if self.ticket.status is TicketStatus.OPEN:
            assert self.ticket.escalated_at is None

    @invariant()
    def answered_once_escalated_or_closed(self) -> None:
        if self.ticket.status is not TicketStatus.OPEN:
            assert self.ticket.first_responded_at is not None


TicketMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=25)
test_ticket_state_machine = TicketMachine.TestCase
