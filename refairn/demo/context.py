"""What every part of the demo history shares: the program, the timeline, a seeded random
source, the moment the demo is loaded, and the actors the services are called as."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from refairn.accounts.models import User
from refairn.core.tenancy import Actor
from refairn.demo.program import Program
from refairn.demo.timeline import Timeline
from refairn.programs.selectors import actor_for


def in_this_month(days_ago: int, now: datetime) -> int:
    """``days_ago``, moved up into the calendar month (UTC) of ``now`` when it falls before it,
    and yesterday at the latest, so a whole working day of the month lies behind it. On the
    1st of a month yesterday is the only choice, in the month before."""
    return max(1, min(days_ago, now.astimezone(UTC).day - 1))


@dataclass
class Demo:
    program: Program
    timeline: Timeline
    rng: random.Random
    _actors: dict[uuid.UUID, Actor] = field(default_factory=dict)

    @property
    def now(self) -> datetime:
        return self.timeline.now

    def day(self, days_ago: int, hour: int = 10, minute: int = 0) -> datetime:
        """``days_ago`` days before the day the demo is loaded, at ``hour:minute`` UTC."""
        midnight = self.now.replace(hour=0, minute=0, second=0, microsecond=0)
        return midnight - timedelta(days=days_ago) + timedelta(hours=hour, minutes=minute)

    def this_month(self, days_ago: int) -> int:
        """``in_this_month`` at the moment the demo is loaded."""
        return in_this_month(days_ago, self.now)

    def working_time(self, days_ago: int) -> datetime:
        """Some time in the working day ``days_ago`` days ago."""
        return self.day(days_ago, self.rng.randint(8, 16), self.rng.choice((0, 10, 20, 30, 45)))

    def before_now(self, wanted: datetime, *, margin: timedelta = timedelta(minutes=5)) -> datetime:
        """``wanted``, or just before now when that has not happened yet."""
        return min(wanted, self.now - margin)

    def actor(self, user: User) -> Actor:
        """The user as an actor in the demo business. Cached: each demo user holds one kind of
        role there, and is first used as an actor once it holds it."""
        actor = self._actors.get(user.id)
        if actor is None:
            actor = self._actors[user.id] = actor_for(user, self.program.business.id)
        return actor

    def staff(self, role: str) -> Actor:
        return self.actor(self.program.staff[role])
