"""Customers' ratings of closed tickets (PRODUCT.md §6 "Ratings")."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from refairn.core import clock
from refairn.core.errors import Conflict, Forbidden, InvalidInput
from refairn.core.tenancy import Actor
from refairn.support.domain.errors import RatingError, TicketRuleViolation
from refairn.support.domain.ratings import Rating as Scores
from refairn.support.domain.tickets import TicketStatus, ensure_can_rate
from refairn.support.models import Rating, Ticket


@transaction.atomic
def ticket_rate(*, actor: Actor, ticket: Ticket, scores: dict[str, int], comment: str) -> Rating:
    """PRODUCT.md §6: after a ticket is closed its customer may rate it once: responsiveness,
    product knowledge, professionalism and overall (1–5 each) and a comment. The rating counts
    for the agent who had the ticket."""
    if ticket.customer_id not in actor.customer_ids:
        raise Forbidden("Only the ticket's customer rates it.")
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    try:
        checked = Scores(**scores)
    except RatingError as exc:
        raise InvalidInput(
            f"{exc.field}: {exc.message}", code=exc.code, fields={exc.field: exc.message}
        ) from None
    try:
        ensure_can_rate(
            status=TicketStatus(ticket.status),
            already_rated=Rating.objects.filter(ticket=ticket).exists(),
        )
    except TicketRuleViolation as exc:
        raise Conflict(exc.message, code=exc.code) from None
    try:
        with transaction.atomic():
            return Rating.objects.create(
                business_id=ticket.business_id,
                ticket=ticket,
                customer_id=ticket.customer_id,
                agent_id=ticket.assigned_agent_id,
                responsiveness=checked.responsiveness,
                product_knowledge=checked.product_knowledge,
                professionalism=checked.professionalism,
                overall=checked.overall,
                comment=comment.strip(),
                created_at=clock.now(),
                by_id=actor.user_id,
            )
    except IntegrityError:
        raise Conflict("This ticket has already been rated.", code="already_rated") from None
