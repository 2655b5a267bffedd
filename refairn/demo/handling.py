"""How a routine demo ticket goes, as data: solved by the first reply or by a second one,
reopened, handed on, left waiting or stalled, and how the customer rates it. It depends on the
agent, and on whether they hold the track the ticket's topic needs (the third seed's routing
matrix: agents routed by certification resolve more at first contact, escalate less and are
rated higher). ``tickets`` plays it out through the services; this module only decides, from
the ticket's seeded random source.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from refairn.routing.domain import RequireTrack, Rule, TicketFacts, first_matching

# The share of routine tickets an agent trained for the topic solves with the first reply
# (first-contact resolution); the others take a second reply. The seed's named agents at
# their levels, everyone else at the default.
FIRST_REPLY_RATES = {
    "Sarah Mitchell": 0.9,
    "Tom Reyes": 0.88,
    "Alex Park": 0.85,
    "Lisa Kowalski": 0.78,
    "Kevin Walsh": 0.62,
}
DEFAULT_FIRST_REPLY = 0.8
# Without the topic's track an agent solves fewer tickets at once, hands more on as suspected
# defects (or to billing), and sees more of their fixes not hold.
UNTRAINED_FIRST_REPLY = 0.4  # times the agent's own rate
ESCALATION_RATE = {True: 0.03, False: 0.35}  # by "trained"
REOPEN_RATE = {True: 0.03, False: 0.12}
# A suspected defect handed on by an agent without the training is mostly not one: it waits in
# engineering's triage queue until someone reproduces it, often for months.
MISFILED_DEFECT_WAITS = 0.8
# Not knowing the answer, an agent without the training asks the customer for details a
# trained one would not need; this share of customers go quiet and the ticket stays open.
UNTRAINED_STALLS = 0.5
PLATFORM_DEFECT = "platform_defect"
# How far the customer's rating moves from the agent's usual one (``tickets.RATING_MEANS``).
SOLVED_AT_ONCE_BONUS = 0.25
UNTRAINED_PENALTY = 0.8
REOPENED_PENALTY = 0.5
ESCALATED_PENALTY = 0.3


def needed_track(
    rules: Sequence[Rule], *, tags: Iterable[str], tier: str, priority: str, base_track_id: str
) -> str:
    """The track a ticket needs: the one the routing ``rules`` (the third seed's matrix)
    require of it, else ``base_track_id`` (Product Fundamentals) when its rule asks for no
    particular track or none matches."""
    rule = first_matching(rules, TicketFacts(frozenset(tags), tier, priority))
    if rule is not None and isinstance(rule.require, RequireTrack):
        return rule.require.track_id
    return base_track_id


@dataclass(frozen=True)
class Handling:
    escalated: bool  # the agent hands it on (``Topic.escalate_as``) instead of solving it
    first_reply_solves: bool
    reopened: bool  # the fix does not hold and the customer reopens it
    rating_shift: float
    waits: bool = False  # escalated, and still waiting for the business to answer it
    stalled: bool = False  # the agent asked for details, the customer never answered

    def __post_init__(self) -> None:
        if self.escalated and (self.first_reply_solves or self.reopened):
            raise ValueError("an escalated ticket is neither solved by the agent nor reopened")
        if self.waits and not self.escalated:
            raise ValueError("only an escalated ticket waits for the business")
        if self.stalled and (self.escalated or self.first_reply_solves or self.reopened):
            raise ValueError("a stalled ticket was neither handed on nor solved")


def handling_for(
    rng: random.Random, *, agent: str | None, trained: bool, escalate_as: str
) -> Handling:
    """How the ticket goes for ``agent`` (None: the business's staff, as trained); ``trained``:
    they hold the track the topic needs; ``escalate_as``: the category the topic is handed on
    as, "" when it never is."""
    if escalate_as and rng.random() < ESCALATION_RATE[trained]:
        misfiled = escalate_as == PLATFORM_DEFECT and not trained
        return Handling(
            escalated=True,
            first_reply_solves=False,
            reopened=False,
            rating_shift=-ESCALATED_PENALTY - (0 if trained else UNTRAINED_PENALTY),
            waits=misfiled and rng.random() < MISFILED_DEFECT_WAITS,
        )
    rate = FIRST_REPLY_RATES.get(agent or "", DEFAULT_FIRST_REPLY)
    at_once = rng.random() < (rate if trained else rate * UNTRAINED_FIRST_REPLY)
    if not (trained or at_once) and rng.random() < UNTRAINED_STALLS:
        return Handling(
            escalated=False,
            first_reply_solves=False,
            reopened=False,
            rating_shift=-UNTRAINED_PENALTY,
            stalled=True,
        )
    reopened = rng.random() < REOPEN_RATE[trained]
    shift = SOLVED_AT_ONCE_BONUS if at_once and not reopened else 0.0
    if not trained:
        shift -= UNTRAINED_PENALTY
    if reopened:
        shift -= REOPENED_PENALTY
    return Handling(
        escalated=False, first_reply_solves=at_once, reopened=reopened, rating_shift=shift
    )
