"""Realistic demo data for ``refairn demo``: Acme Analytics, modelled on the third seed's
certification dashboard, with about a year of history replayed through the services.

Stages, each all-or-nothing inside one transaction and skipped when its records exist, so
loading twice changes nothing:

1. the program: business and staff, then the six ``support-standard`` tracks with their
   modules, PDFs and question banks, and the settings (``program``; the tracks part is skipped
   once the business has its tracks);
2. the history: agents joining, training, attempts, reviews, approvals, expiries, renewals and
   revocations (``certifications``), customers, assignments, the routing rules switched on,
   tickets, ratings, warnings, a performance review and an unavailability notice
   (``support``), replayed in time order (``timeline``) — skipped once the business has
   agents;
3. the monthly commission runs of the last three completed months, each skipped once a run of
   its period exists (``commissions``).
"""

from __future__ import annotations

import random

from django.db import transaction

from refairn.core import clock
from refairn.demo.cast import AGENT_NAMES, DEMO_LOGINS, PENDING_NAMES, agent_email, demo_user
from refairn.demo.certifications import CertificationHistory
from refairn.demo.commissions import commission_runs_ensure
from refairn.demo.context import Demo
from refairn.demo.journeys import PLANS
from refairn.demo.program import Program, modules_of, program_ensure
from refairn.demo.support import SupportHistory
from refairn.demo.timeline import Timeline
from refairn.programs.models import Agent, Business

__all__ = ["AGENT_NAMES", "DEMO_LOGINS", "load_demo"]

# Applicants still waiting for the business's decision, and how many days ago they applied.
PENDING_APPLIED = (3, 1)


def _history(program: Program) -> None:
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    demo = Demo(program=program, timeline=Timeline(clock.now()), rng=rng)
    certifications = CertificationHistory(demo, modules_of(program))
    users = {}
    for plan in PLANS:
        users[plan.name] = demo_user(agent_email(plan.name), plan.name)
        certifications.schedule(plan, users[plan.name])
    for name, days in zip(PENDING_NAMES, PENDING_APPLIED, strict=True):
        certifications.join(demo_user(agent_email(name), name), days, approved=False)
    SupportHistory(demo, users).schedule()
    demo.timeline.run()


def load_demo() -> Business:
    """Load (or complete) the demo business and return it."""
    now = clock.now()
    with transaction.atomic():
        program = program_ensure(now)
    if not Agent.objects.filter(business=program.business).exists():
        with transaction.atomic():
            _history(program)
    with transaction.atomic():
        commission_runs_ensure(program.business, now)
    return program.business
