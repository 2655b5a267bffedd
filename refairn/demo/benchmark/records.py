"""Writes the rows the services write, fast: the report tests' fixtures and the dashboard
benchmark (``dashboard_builder``) build programs through these, with bulk_create.

Each helper queues unsaved model instances in the order the services would write them (with
the events every status change records); ``flush`` saves the queue in dependency order, so a
large program can be written in chunks without holding it all in memory.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import models, transaction

from refairn.accounts.models import User
from refairn.assessments.models import Attempt, AttemptQuestion, Question
from refairn.certification.domain import certification_expiry, next_status
from refairn.certification.domain.status import Event, Status
from refairn.certification.models import Certification, CertificationEvent
from refairn.programs.models import Agent, Business, Customer
from refairn.routing.models import RoutingDecision
from refairn.support.domain.tickets import Party, TicketStatus
from refairn.support.models import Rating, Ticket, TicketEvent, TicketMessage
from refairn.training.models import Track

# The order rows must be saved in: every model after those it points to.
SAVE_ORDER: tuple[type[models.Model], ...] = (
    User,
    Agent,
    Track,
    Customer,
    Certification,
    CertificationEvent,
    Question,
    Attempt,
    AttemptQuestion,
    Ticket,
    TicketEvent,
    TicketMessage,
    RoutingDecision,
    Rating,
)
BATCH = 2000
HOUR = timedelta(hours=1)


class Records:
    """A queue of rows for one business."""

    def __init__(self, business: Business) -> None:
        self.business = business
        self.queued: dict[type[models.Model], list[models.Model]] = {m: [] for m in SAVE_ORDER}
        self.saved = 0

    def _add(self, row: models.Model) -> None:
        self.queued[type(row)].append(row)

    def flush(self) -> int:
        """Save everything queued (``bulk_create``, in dependency order); returns the rows."""
        count = 0
        with transaction.atomic():
            for model in SAVE_ORDER:
                rows = self.queued[model]
                if rows:
                    model._default_manager.bulk_create(rows, batch_size=BATCH)
                    count += len(rows)
                    self.queued[model] = []
        self.saved += count
        return count

    # --- people ----------------------------------------------------------------------------

    def user(self, name: str) -> User:
        """A user without a usable password (hashing thousands would dominate the build)."""
        user = User(id=uuid.uuid4(), email=f"{uuid.uuid4().hex}@records.test", name=name)
        user.set_unusable_password()
        self._add(user)
        return user

    def agent(self, name: str, *, joined_at: datetime) -> User:
        """An approved agent of the business since ``joined_at``."""
        user = self.user(name)
        self._add(
            Agent(
                business_id=self.business.id,
                user_id=user.id,
                status="approved",
                applied_at=joined_at - timedelta(days=1),
                decided_at=joined_at,
            )
        )
        return user

    def customer(self, name: str, *, tier: str = "standard", since: datetime) -> Customer:
        customer = Customer(
            id=uuid.uuid4(),
            business_id=self.business.id,
            name=name,
            tier=tier,
            monthly_value=Decimal("100.00"),
            subscribed_at=since,
            created_at=since,
        )
        self._add(customer)
        return customer

    # --- tracks and certifications -------------------------------------------------------

    def track(
        self,
        name: str,
        *,
        requirement: str = "required",
        passing_score: Decimal = Decimal(80),
        months: int = 12,
        security_critical: bool = False,
        position: int = 0,
    ) -> Track:
        track = Track(
            id=uuid.uuid4(),
            business_id=self.business.id,
            name=name,
            requirement=requirement,
            passing_score=passing_score,
            recertification_months=months,
            security_critical=security_critical,
            badge_name=name,
            question_count=10,
            time_limit_minutes=60,
            position=position,
        )
        self._add(track)
        return track

    def certification(
        self, agent: User, track: Track, history: Sequence[tuple[Event, datetime]]
    ) -> Certification:
        """A certification with its event history (``history`` in time order), its status and
        expiry set as ``certification.services`` would leave them."""
        certification = Certification(
            business_id=self.business.id, track_id=track.id, agent_id=agent.id
        )
        status, expires_at, certified_at = Status.NOT_STARTED, None, None
        for event, at in history:
            after = next_status(status, event)
            self._add(
                CertificationEvent(
                    certification=certification,
                    business_id=self.business.id,
                    event=event.value,
                    from_status=status.value,
                    to_status=after.value,
                    at=at,
                )
            )
            if event in (Event.APPROVE, Event.AUTO_APPROVE, Event.RENEW):
                expires_at = certification_expiry(
                    previous_expires_at=expires_at, months=track.recertification_months, now=at
                )
                certified_at = at
            elif event == Event.REOPEN:
                expires_at = certified_at = None
            status = after
        certification.status = status.value
        certification.expires_at = expires_at
        certification.certified_at = certified_at
        certification.updated_at = history[-1][1] if history else self.business.created_at
        self._add(certification)
        return certification

    def certified(
        self,
        agent: User,
        track: Track,
        *,
        at: datetime,
        renewed: Sequence[datetime] = (),
        expired_at: datetime | None = None,
    ) -> Certification:
        """Trained, passed and approved at ``at``; renewed at each of ``renewed``; then, with
        ``expired_at``, expired by the expiry job at that instant."""
        history = [
            (Event.START_TRAINING, at - 10 * HOUR),
            (Event.SUBMIT, at - 2 * HOUR),
            (Event.AUTO_PASS, at - 2 * HOUR),
            (Event.APPROVE, at),
            *((Event.RENEW, moment) for moment in renewed),
        ]
        if expired_at is not None:
            history.append((Event.EXPIRE, expired_at))
        return self.certification(agent, track, history)

    # --- assessments ---------------------------------------------------------------------

    def question(
        self, track: Track, *, prompt: str, topic: str = "", points: int = 1, title: str = ""
    ) -> Question:
        question = Question(
            id=uuid.uuid4(),
            business_id=self.business.id,
            track_id=track.id,
            type="multiple_choice",
            title=title,
            prompt=prompt,
            choices=[{"id": "a", "text": "yes", "correct": True}, {"id": "b", "text": "no"}],
            points=points,
            topic=topic,
        )
        self._add(question)
        return question

    def attempt(
        self,
        certification: Certification,
        track: Track,
        *,
        submitted_at: datetime,
        earned: Sequence[tuple[Question, Decimal]],
        number: int = 1,
    ) -> Attempt:
        """A graded attempt: each question with the points it earned; the score and the pass
        as ``assessments.services`` computes them (no critical questions here)."""
        total = Decimal(sum(question.points for question, _ in earned))
        points = sum((value for _, value in earned), Decimal(0))
        score = (points * 100 / total).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
        passed = points * 100 >= track.passing_score * total
        attempt = Attempt(
            id=uuid.uuid4(),
            business_id=self.business.id,
            track_id=track.id,
            agent_id=certification.agent_id,
            state=Attempt.State.GRADED,
            cycle=1,
            number=number,
            started_at=submitted_at - HOUR,
            deadline=submitted_at + HOUR,
            submitted_at=submitted_at,
            earned_points=points,
            total_points=total,
            score=score,
            passed=passed,
            outcome="passed" if passed else "failed",
            graded_at=submitted_at,
        )
        self._add(attempt)
        for position, (question, value) in enumerate(earned, start=1):
            self._add(
                AttemptQuestion(
                    business_id=attempt.business_id,
                    attempt_id=attempt.id,
                    question_id=question.id,
                    position=position,
                    max_points=question.points,
                    answer_choice_ids=["a"],
                    answered_at=submitted_at,
                    points_awarded=value,
                    graded_at=submitted_at,
                )
            )
        return attempt

    # --- tickets -------------------------------------------------------------------------

    def ticket(
        self,
        customer: Customer,
        *,
        created_at: datetime,
        agent: User | None = None,
        rule: str | None = None,
        by_certification: bool = False,
        fallback: str | None = None,
        replies: int = 1,
        resolved_at: datetime | None = None,
        escalated_at: datetime | None = None,
        reopened_at: datetime | None = None,
        rating: int | None = None,
        routed: bool = True,
    ) -> Ticket:
        """A ticket opened at ``created_at`` and routed as told (``routed=False``: no routing
        decision recorded), with ``replies`` support replies an hour apart, and the events of
        an escalation, a resolution, a reopening (then resolved again an hour later when it was
        resolved) and a rating, in that order."""
        ticket = Ticket(
            id=uuid.uuid4(),
            business_id=self.business.id,
            customer_id=customer.id,
            subject="Help",
            body="Please help.",
            assigned_agent_id=agent.id if agent else None,
            created_at=created_at,
            first_response_due_at=created_at + 24 * HOUR,
            resolution_due_at=created_at + 72 * HOUR,
            first_responded_at=created_at + HOUR if replies else None,
        )
        self._add(ticket)
        steps: list[tuple[str, TicketStatus, datetime]] = [("open", TicketStatus.OPEN, created_at)]
        if escalated_at is not None:
            steps.append(("escalate", TicketStatus.ESCALATED, escalated_at))
            ticket.escalated_at, ticket.escalation_category = escalated_at, "refund"
        if resolved_at is not None:
            steps.append(("resolve", TicketStatus.CLOSED, resolved_at))
            if reopened_at is not None:
                steps.append(("reopen", TicketStatus.OPEN, reopened_at))
                steps.append(("resolve", TicketStatus.CLOSED, reopened_at + HOUR))
        before = ""
        for event, status, at in steps:
            self._add(
                TicketEvent(
                    ticket_id=ticket.id, event=event, from_status=before, to_status=status, at=at
                )
            )
            before = status.value
        ticket.status = steps[-1][1].value
        ticket.resolved_at = steps[-1][2] if ticket.status == TicketStatus.CLOSED else None
        for index in range(replies):
            self._add(
                TicketMessage(
                    id=uuid.uuid4(),
                    ticket_id=ticket.id,
                    author_id=agent.id if agent else None,
                    party=Party.AGENT if agent else Party.STAFF,
                    body="Here is how.",
                    created_at=created_at + (index + 1) * HOUR,
                )
            )
        if routed:
            self._add(
                RoutingDecision(
                    id=uuid.uuid4(),
                    ticket_id=ticket.id,
                    business_id=self.business.id,
                    rule_name=rule,
                    pool_size=1 if agent else 0,
                    fallback_used=fallback,
                    by_certification=by_certification,
                    agent_id=agent.id if agent else None,
                    reason="records",
                    at=created_at,
                )
            )
        if rating is not None and ticket.resolved_at is not None:
            self._add(
                Rating(
                    id=uuid.uuid4(),
                    business_id=self.business.id,
                    ticket_id=ticket.id,
                    customer_id=customer.id,
                    agent_id=agent.id if agent else None,
                    responsiveness=rating,
                    product_knowledge=rating,
                    professionalism=rating,
                    overall=rating,
                    created_at=ticket.resolved_at + HOUR,
                )
            )
        return ticket
