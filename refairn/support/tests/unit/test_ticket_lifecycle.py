from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from refairn.support.domain.errors import InvalidTransition, TicketRuleViolation
from refairn.support.domain.escalation import Category
from refairn.support.domain.sla import BusinessHours, SlaTerms
from refairn.support.domain.tickets import (
    TRANSITIONS,
    Party,
    TicketEvent,
    TicketStatus,
    TicketTimeline,
    allowed_events,
    ensure_can_rate,
    ensure_can_reassign,
    next_status,
    open_ticket,
    record_escalation,
    record_pause,
    record_reopen,
    record_reply,
    record_resolution,
    record_resume,
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
        TicketEvent.PEND,
        TicketEvent.ESCALATE,
        TicketEvent.RESOLVE,
        TicketEvent.REASSIGN,
    }
    assert allowed_events(TicketStatus.PENDING) == {
        TicketEvent.REPLY,
        TicketEvent.RESUME,
        TicketEvent.ESCALATE,
        TicketEvent.RESOLVE,
        TicketEvent.REASSIGN,
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


# The whole table, row by row: every (status, event) pair either leads where it says or is
# refused (issue 12 item 7).
TABLE = {
    TicketStatus.OPEN: {
        TicketEvent.REPLY: TicketStatus.OPEN,
        TicketEvent.PEND: TicketStatus.PENDING,
        TicketEvent.ESCALATE: TicketStatus.ESCALATED,
        TicketEvent.RESOLVE: TicketStatus.CLOSED,
        TicketEvent.REASSIGN: TicketStatus.OPEN,
    },
    TicketStatus.PENDING: {
        TicketEvent.REPLY: TicketStatus.PENDING,
        TicketEvent.RESUME: TicketStatus.OPEN,
        TicketEvent.ESCALATE: TicketStatus.ESCALATED,
        TicketEvent.RESOLVE: TicketStatus.CLOSED,
        TicketEvent.REASSIGN: TicketStatus.PENDING,
    },
    TicketStatus.ESCALATED: {
        TicketEvent.REPLY: TicketStatus.ESCALATED,
        TicketEvent.RESOLVE: TicketStatus.CLOSED,
    },
    TicketStatus.CLOSED: {TicketEvent.REOPEN: TicketStatus.OPEN},
}


@pytest.mark.parametrize("status", list(TicketStatus))
@pytest.mark.parametrize("event", list(TicketEvent))
def test_transition_table_row_by_row(status: TicketStatus, event: TicketEvent) -> None:
    expected = TABLE[status].get(event)
    if expected is None:
        with pytest.raises(InvalidTransition):
            next_status(status, event)
    else:
        assert next_status(status, event) is expected


def test_pending_pauses_and_resume_moves_deadlines_by_the_pause() -> None:
    ticket = record_pause(new_ticket(), at=hours(2))
    assert (ticket.status, ticket.paused_at) == (TicketStatus.PENDING, hours(2))
    resumed = record_resume(ticket, at=hours(12), calendar=None)
    assert resumed.status is TicketStatus.OPEN
    assert resumed.paused_at is None
    assert (resumed.first_response_due, resumed.resolution_due) == (hours(34), hours(82))


def test_resume_keeps_a_deadline_missed_before_the_pause_missed() -> None:
    ticket = record_pause(new_ticket(), at=hours(30))
    resumed = record_resume(ticket, at=hours(40), calendar=None)
    assert resumed.first_response_due == hours(24)
    assert resumed.resolution_due == hours(82)


def test_resume_leaves_a_met_first_response_alone() -> None:
    ticket = record_reply(new_ticket(), by=Party.AGENT, at=hours(1))
    resumed = record_resume(record_pause(ticket, at=hours(1)), at=hours(5), calendar=None)
    assert (resumed.first_response_due, resumed.resolution_due) == (hours(24), hours(76))


def test_resume_counts_only_business_hours_of_the_pause() -> None:
    # Mon 2 March 2026, 9:00–17:00 UTC weekdays; 8 h SLA → due at 17:00 the same day.
    calendar = BusinessHours(
        timezone="UTC", weekdays=frozenset(range(5)), start=time(9), end=time(17)
    )
    ticket = open_ticket(
        created_at=CREATED,
        terms=SlaTerms(first_response_hours=8, resolution_hours=16),
        calendar=calendar,
    )
    assert ticket.first_response_due == hours(8)
    # Paused from 15:00 Monday to 10:00 Tuesday: 2 h + 1 h of business time.
    resumed = record_resume(record_pause(ticket, at=hours(6)), at=hours(25), calendar=calendar)
    assert resumed.first_response_due == hours(24 + 3)  # Tuesday 12:00
    assert resumed.resolution_due == hours(48 + 3)  # Wednesday 12:00


def test_customer_reply_resumes_a_pending_ticket() -> None:
    ticket = record_pause(record_reply(new_ticket(), by=Party.AGENT, at=hours(1)), at=hours(1))
    replied = record_reply(ticket, by=Party.CUSTOMER, at=hours(11))
    assert replied.status is TicketStatus.OPEN
    assert replied.resolution_due == hours(82)


def test_support_reply_keeps_waiting_on_the_customer() -> None:
    ticket = record_pause(new_ticket(), at=hours(1))
    replied = record_reply(ticket, by=Party.AGENT, at=hours(2))
    assert replied.status is TicketStatus.PENDING
    assert replied.paused_at == hours(1)


def test_resolving_a_pending_ticket_resumes_it_first() -> None:
    ticket = record_pause(new_ticket(), at=hours(1))
    closed = record_resolution(ticket, at=hours(11))
    assert closed.status is TicketStatus.CLOSED
    assert closed.paused_at is None
    assert closed.resolution_due == hours(82)


def test_reassign_needs_an_eligible_other_agent_on_an_open_or_pending_ticket() -> None:
    ensure_can_reassign(
        status=TicketStatus.PENDING, current_agent="a", new_agent="b", eligible=True
    )
    with pytest.raises(TicketRuleViolation) as error:
        ensure_can_reassign(
            status=TicketStatus.OPEN, current_agent="a", new_agent="b", eligible=False
        )
    assert error.value.code == "agent_not_eligible"
    with pytest.raises(TicketRuleViolation) as error:
        ensure_can_reassign(
            status=TicketStatus.OPEN, current_agent="a", new_agent="a", eligible=True
        )
    assert error.value.code == "already_assigned"
    with pytest.raises(InvalidTransition):
        ensure_can_reassign(
            status=TicketStatus.CLOSED, current_agent=None, new_agent="b", eligible=True
        )


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
    def pend(self) -> None:
        self._apply(TicketEvent.PEND, lambda: record_pause(self.ticket, at=self.clock))

    @rule()
    def resume(self) -> None:
        self._apply(
            TicketEvent.RESUME, lambda: record_resume(self.ticket, at=self.clock, calendar=None)
        )

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
        if self.ticket.status in {TicketStatus.ESCALATED, TicketStatus.CLOSED}:
            assert self.ticket.first_responded_at is not None

    @invariant()
    def paused_exactly_while_pending(self) -> None:
        assert (self.ticket.paused_at is not None) == (self.ticket.status is TicketStatus.PENDING)

    @invariant()
    def resolution_never_due_before_first_response(self) -> None:
        assert self.ticket.resolution_due >= self.ticket.first_response_due


TicketMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=25)
test_ticket_state_machine = TicketMachine.TestCase
