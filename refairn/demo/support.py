"""The support side of the history: customers subscribing, assignments, Acme switching on
certification-based routing, about a hundred days of tickets (played out by ``tickets``), an
agent slipping into a warning and a performance review, manual warnings, a suspension, a
removal, an offsite with a skeleton crew and an unavailability notice — each through the
service the product uses for it.

Until the switch, tickets went to the customer's assigned agent (or any eligible agent), with
no rule; since, the ``support-standard`` rules route them by certification, and by their
fallbacks while the specialists were at the offsite. How a routine ticket goes depends on
whether its agent holds the track its topic needs (``handling``), so the dashboard's routing
impact compares the two."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from refairn.accounts.models import User
from refairn.core import clock
from refairn.demo.cast import CANCELLED_CUSTOMER, CUSTOMERS, demo_user
from refairn.demo.context import Demo
from refairn.demo.journeys import PLANS
from refairn.demo.ticket_texts import ESCALATIONS, ROUTINE
from refairn.demo.tickets import TicketHistory
from refairn.programs.models import Customer
from refairn.programs.services import customer_cancel, customer_create
from refairn.routing.services import SUPPORT_STANDARD, routing_rules_from_template
from refairn.support.services import (
    assignment_set,
    support_access_change,
    unavailability_create,
    warning_send,
)


@dataclass(frozen=True)
class CustomerPlan:
    subscribed: int  # days ago
    agent: str | None = None  # who supports them
    assigned: int | None = None  # since how many days ago
    every: int = 14  # days between their tickets


# By index into ``cast.CUSTOMERS``; the busier tiers open tickets more often.
CUSTOMER_PLANS = (
    CustomerPlan(340, "Sarah Mitchell", 330, every=5),  # Northwind (the printed customer)
    CustomerPlan(300, "Daniel Okafor", 160, every=7),  # Globex, moves to Tom later
    CustomerPlan(280, "Lisa Kowalski", 140, every=6),  # Initech
    CustomerPlan(260, "James Turner", 95, every=8),  # Umbrella Health
    CustomerPlan(250, "Hiro Tanaka", 150, every=9),  # Stark: Hiro's Security expired
    CustomerPlan(240, "Maria Lopez", 100, every=8),  # Wayne Foods
    CustomerPlan(200, "Kevin Walsh", 80, every=5),  # Hooli Labs
    CustomerPlan(190, "Kevin Walsh", 75, every=5),  # Pied Piper
    CustomerPlan(180, "Alex Park", 110, every=12),  # Soylent Studio
    CustomerPlan(170, "Priya Nair", 55, every=10),  # Vandelay: Priya is away now
    CustomerPlan(160, "Grace Kim", 100, every=14),  # Acme Bakery
    CustomerPlan(150, "Mei Chen", 110, every=14),  # Blue Sun Cafe (cancels)
    CustomerPlan(140, "Omar Haddad", 100, every=9),  # Cyberdyne Design
    CustomerPlan(130, "Emma Schultz", 120, every=7),  # Tyrell Realty
    CustomerPlan(120, "Felix Wagner", 80, every=13),  # Oscorp Fitness
    CustomerPlan(110, "Tom Reyes", 100, every=5),  # Gringotts Advisory
    CustomerPlan(100, "Alex Park", 90, every=7),  # Massive Dynamic
    CustomerPlan(90, every=15),  # Monarch Outfitters: no agent, routing picks one
    CustomerPlan(80, "Nina Petrova", 70, every=14),  # Dunder Paper
    CustomerPlan(70, "Sofia Rossi", 60, every=9),  # Prestige Worldwide
    CustomerPlan(60, every=16),  # Krusty Kitchens: no agent, routing picks one
    CustomerPlan(55, "Ben Carter", 50, every=9),  # Bluth Homes: Ben is suspended now
    CustomerPlan(50, "Amara Diallo", 45, every=7),  # Sterling Cooper
    CustomerPlan(45, "Sarah Mitchell", 40, every=5),  # Nakatomi Trading
)
REASSIGNMENT = (1, "Tom Reyes", 60)  # Globex moves to Tom 60 days ago
CANCELLED_DAY = 62
TICKET_WINDOW = 100  # days of ticket history: the dashboard's 90-day window and a bit more
# Acme switched on certification-based routing (the ``support-standard`` rules) this many days
# ago; until then every ticket went to the customer's agent.
ROUTING_SINCE = 54

# Must-escalate tickets: (customer index, days ago, category). The two most recent stay with
# the business, escalated (a refund, and account security with the security staff).
ESCALATED = (
    (1, 2, "refund"),
    (0, 1, "account_security"),
    (2, 30, "billing_dispute"),
    (13, 20, "platform_defect"),
    (16, 15, "financial_data"),
    (8, 25, "account_deletion"),
    (15, 40, "refund"),
    (4, 72, "billing_dispute"),
    (12, 86, "platform_defect"),
)
# Tickets nobody answers: (customer index, days ago); they show as overdue.
UNANSWERED = ((14, 2), (17, 2))
REOPENED = ((3, 18),)  # tickets the customer reopens after they were resolved
# Tickets of the last hours, still open when the demo starts: (customer index, hours ago).
RECENT = ((0, 3), (2, 5), (5, 20), (6, 26), (7, 30), (12, 8), (15, 2), (16, 11), (19, 6), (22, 4))

# Acme's all-hands offsite: most of the team away for five days from this many days ago (each
# gave notice a week before), and a skeleton crew of agents without the specialist tracks on
# the queue. API, billing and VIP tickets found no certified agent and took their rules'
# fallbacks.
OFFSITE_STARTS = 38
OFFSITE_DAYS = 5
SKELETON_CREW = frozenset(
    {
        "James Turner",
        "Ben Carter",
        "Clara Weiss",
        "Yuki Sato",
        "Samuel Adeyemi",
        "Olga Ivanova",
        "Ana Costa",
        "Jonas Lind",
    }
)


class SupportHistory:
    def __init__(self, demo: Demo, agents: dict[str, User]) -> None:
        self.demo = demo
        self.agents = agents
        self.customers: dict[int, Customer] = {}
        self.portals: dict[int, User] = {}
        self.tickets = TicketHistory(demo, agents, self.customers, self.portals)

    def schedule(self) -> None:
        demo = self.demo
        for index, plan in enumerate(CUSTOMER_PLANS):
            demo.timeline.at(demo.working_time(plan.subscribed), partial(self._subscribe, index))
            if plan.agent is not None and plan.assigned is not None:
                demo.timeline.at(
                    demo.working_time(plan.assigned), partial(self._assign, index, plan.agent)
                )
            self._tickets(index, plan)
        demo.timeline.at(demo.working_time(ROUTING_SINCE), self._switch_routing_on)
        for index, hours in RECENT:
            topic = ROUTINE[hours % len(ROUTINE)]
            demo.timeline.at(
                demo.now - timedelta(hours=hours),
                partial(self.tickets.open, index, topic, self.tickets.rng()),
            )
        index, name, day = REASSIGNMENT
        demo.timeline.at(demo.working_time(day), lambda: self._assign(index, name))
        demo.timeline.at(
            demo.working_time(CANCELLED_DAY),
            lambda: customer_cancel(
                actor=demo.staff("manager"), customer=self.customers[CANCELLED_CUSTOMER], at=None
            ),
        )
        self._people_events()
        self._offsite()

    def _switch_routing_on(self) -> None:
        """Acme's owner applies the ``support-standard`` routing rules (PRODUCT.md §7)."""
        routing_rules_from_template(actor=self.demo.staff("owner"), template=SUPPORT_STANDARD)

    # --- customers -------------------------------------------------------------------------

    def _subscribe(self, index: int) -> None:
        """A new customer, referred (mostly) by an agent approved before they subscribed."""
        spec = CUSTOMERS[index]
        self.portals[index] = demo_user(spec.email, f"{spec.name} IT desk")
        plan = CUSTOMER_PLANS[index]
        referrers = [p.name for p in PLANS if p.joined > plan.subscribed]
        referrer = self.agents[self.demo.rng.choice(referrers)] if index % 4 != 3 else None
        self.customers[index] = customer_create(
            actor=self.demo.staff("manager"),
            name=spec.name,
            email=spec.email,
            tier=spec.tier,
            monthly_value=spec.monthly_value,
            referred_by=referrer.id if referrer else None,
            subscribed_at=clock.now(),
        )

    def _assign(self, index: int, name: str) -> None:
        assignment_set(
            actor=self.demo.staff("manager"),
            customer=self.customers[index],
            agent_id=self.agents[name].id,
        )

    def _people_events(self) -> None:
        """Warnings by hand, a suspension, a removal and an unavailability notice."""
        demo, agents = self.demo, self.agents
        for day in (45, 31):
            demo.timeline.at(
                demo.working_time(day),
                lambda: warning_send(
                    actor=demo.staff("manager"),
                    agent_id=agents["Isaac Cohen"].id,
                    message="A customer was promised a discount in a reply. Discounts, refunds "
                    "and credits are Acme's decision: escalate them instead.",
                ),
            )
        actions = (
            (
                "Isaac Cohen",
                20,
                "remove",
                "Promised refunds to customers again after two warnings.",
            ),
            (
                "Ben Carter",
                5,
                "suspend",
                "A customer complaint about a shared screen recording is being investigated.",
            ),
        )
        for name, day, action, reason in actions:
            demo.timeline.at(
                demo.working_time(day),
                partial(
                    support_access_change,
                    actor=demo.staff("owner"),
                    agent_id=agents[name].id,
                    action=action,
                    reason=reason,
                ),
            )
        demo.timeline.at(
            demo.working_time(9),
            lambda: unavailability_create(
                actor=demo.actor(agents["Priya Nair"]),
                starts_at=demo.day(3, 0),
                ends_at=demo.day(-4, 0),
                reason="Annual leave; back on Monday.",
            ),
        )

    def _offsite(self) -> None:
        """Everyone but the skeleton crew gives notice of the offsite (the agents approved by
        then)."""
        demo = self.demo
        starts, ends = demo.day(OFFSITE_STARTS, 0), demo.day(OFFSITE_STARTS - OFFSITE_DAYS, 0)
        notice = OFFSITE_STARTS + 7
        away = [p.name for p in PLANS if p.joined > notice and p.name not in SKELETON_CREW]
        for name in away:
            demo.timeline.at(
                demo.working_time(notice), partial(self._away, self.agents[name], starts, ends)
            )

    def _away(self, agent: User, starts: datetime, ends: datetime) -> None:
        unavailability_create(
            actor=self.demo.actor(agent),
            starts_at=starts,
            ends_at=ends,
            reason="Acme all-hands offsite; the skeleton crew covers support.",
        )

    # --- tickets ---------------------------------------------------------------------------

    def _tickets(self, index: int, plan: CustomerPlan) -> None:
        """Routine tickets every ``plan.every`` days (give or take one), and this customer's
        special ones: escalated, unanswered, reopened."""
        demo, tickets = self.demo, self.tickets
        routine = list(ROUTINE)
        demo.rng.shuffle(routine)
        day, count = min(plan.subscribed - 3, TICKET_WINDOW), 0
        while day >= 1:
            topic = routine[count % len(routine)]
            demo.timeline.at(
                demo.working_time(day), partial(tickets.open, index, topic, tickets.rng())
            )
            count += 1
            day -= max(1, plan.every + demo.rng.randint(-1, 1))
        specials = [
            *(
                (d, partial(tickets.open, index, ESCALATIONS[category], tickets.rng()))
                for c, d, category in ESCALATED
                if c == index
            ),
            *(
                (d, partial(tickets.open, index, routine[-1], tickets.rng(), answered=False))
                for c, d in UNANSWERED
                if c == index
            ),
            *(
                (d, partial(tickets.open, index, routine[0], tickets.rng(), reopen=True))
                for c, d in REOPENED
                if c == index
            ),
        ]
        for days_ago, action in specials:
            demo.timeline.at(demo.working_time(days_ago), action)
