"""What the demo's agents went through, as data: when each joined and, per track, how their
certification went. ``certifications`` turns these plans into history through the services.

Days are counted back from the moment the demo is loaded. A journey's ``day`` is the day of its
decisive attempt (for ``training``, the day training started); failed attempts before it come
eight days apart (the retry period is seven), and training starts six days before the first
attempt. The approval (or the reviewer's grading, then the approval) follows a day later.
A journey ``this_month`` is moved into the calendar month the demo is loaded in (its day at
the most, yesterday at the least: ``context.Demo.this_month``), so the dashboard's recognition
block has this month's certifications whatever the day of loading.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    CERTIFIED = "certified"  # passed and approved (expired by now if its interval ran out)
    PASSED = "passed"  # passed, waiting for the business to approve
    REVIEW = "review"  # handed in, reviewer-graded answers waiting in the review queue
    FAILED = "failed"  # the decisive attempt failed
    DECLINED = "declined"  # passed, then declined by the business with a reason
    TRAINING = "training"  # some modules done, no attempt yet
    OPEN = "open"  # an attempt in progress right now
    ABANDONED = "abandoned"  # an attempt left open, submitted by the job at its deadline
    REVOKED = "revoked"  # certified, then revoked with a reason
    REOPENED = "reopened"  # certified, revoked, then reopened: back to not_started


@dataclass(frozen=True)
class Journey:
    track: str  # template key: fundamentals, advanced, billing, security, ...
    day: int
    outcome: Outcome
    fails: int = 0  # failed attempts before the decisive one
    renews: bool = False  # renews early, each time the renewal window opens
    granted: bool = False  # the business granted an extra attempt before the decisive one
    revoked_day: int | None = None
    reopened_day: int | None = None
    this_month: bool = False  # ``day`` is moved into the current calendar month


@dataclass(frozen=True)
class AgentPlan:
    name: str
    joined: int  # the day the business approved the application
    journeys: tuple[Journey, ...]


F, A, B, S, C, D = (
    "fundamentals",
    "advanced",
    "billing",
    "security",
    "customer_success",
    "de_escalation",
)


def cert(track: str, day: int, *, fails: int = 0, renews: bool = False) -> Journey:
    return Journey(track, day, Outcome.CERTIFIED, fails=fails, renews=renews)


def this_month(track: str, day: int) -> Journey:
    """Certified in the current calendar month, ``day`` days ago when that is in it."""
    return Journey(track, day, Outcome.CERTIFIED, this_month=True)


def journey(
    track: str,
    day: int,
    outcome: Outcome,
    *,
    fails: int = 0,
    granted: bool = False,
    revoked_day: int | None = None,
    reopened_day: int | None = None,
) -> Journey:
    return Journey(
        track,
        day,
        outcome,
        fails=fails,
        granted=granted,
        revoked_day=revoked_day,
        reopened_day=reopened_day,
    )


def plan(name: str, joined: int, *journeys: Journey) -> AgentPlan:
    return AgentPlan(name, joined, journeys)


# The seed's named agents at their levels, then the rest of the team. Security (six-month
# interval) certified 153-178 days ago expires within 30 days, 186-200 days ago has expired;
# Product Fundamentals certified 337-364 days ago expires within 30 days.
PLANS: tuple[AgentPlan, ...] = (
    plan(
        "Sarah Mitchell",
        392,
        cert(F, 378, renews=True),
        cert(S, 372, renews=True),
        cert(A, 350, renews=True),
        cert(B, 343, renews=True),
        cert(C, 300, renews=True),
        cert(D, 320, renews=True),
    ),
    plan(
        "Tom Reyes",
        362,
        cert(F, 348, renews=True),
        cert(S, 170),
        cert(A, 300),
        cert(B, 250, fails=1),
        cert(C, 200),
        cert(D, 150),
    ),
    plan(
        "Lisa Kowalski",
        334,
        cert(F, 318),
        cert(S, 150),
        cert(A, 280),
        cert(B, 240),
        this_month(C, 6),
        journey(D, 20, Outcome.FAILED, fails=1),
    ),
    plan(
        "Alex Park",
        305,
        cert(F, 290),
        cert(S, 120),
        this_month(A, 9),
        cert(C, 180),
        cert(D, 140),
        journey(B, 9, Outcome.TRAINING),
    ),
    plan(
        "Maria Lopez",
        316,
        cert(F, 300),
        cert(S, 110),
        cert(A, 260, fails=1),
        cert(B, 200),
        cert(D, 160),
        journey(C, 2, Outcome.REVIEW),
    ),
    plan(
        "James Turner",
        205,
        cert(F, 190),
        cert(S, 100),
        cert(D, 120),
        journey(A, 4, Outcome.FAILED, fails=1),
    ),
    plan(
        "Kevin Walsh",
        158,
        cert(F, 140, fails=1),
        cert(S, 90),
        journey(D, 6, Outcome.TRAINING),
    ),
    plan(
        "Priya Nair",
        396,
        cert(F, 330),
        cert(S, 60),
        cert(D, 380),
        cert(A, 300),
        cert(B, 280),
    ),
    plan(
        "Daniel Okafor",
        372,
        cert(F, 358),
        cert(S, 165),
        cert(A, 320),
        this_month(C, 12),
        cert(D, 280),
    ),
    plan(
        "Emma Schultz",
        370,
        cert(F, 355),
        cert(S, 160),
        cert(A, 310),
        cert(B, 290),
        cert(D, 270),
    ),
    plan("Hiro Tanaka", 365, cert(F, 350), cert(S, 196), cert(A, 300), cert(D, 260)),
    plan("Chloe Martin", 360, cert(F, 342), cert(S, 175), cert(B, 300), cert(D, 250)),
    plan(
        "Noah Fischer",
        352,
        cert(F, 338),
        cert(S, 190),
        cert(A, 290),
        cert(C, 240),
        cert(D, 200),
    ),
    plan(
        "Amara Diallo",
        330,
        cert(F, 316),
        cert(S, 155),
        cert(A, 280),
        cert(B, 230),
        cert(C, 210),
    ),
    plan("Lucas Silva", 320, cert(F, 306), cert(S, 188), this_month(A, 4), cert(D, 220)),
    plan(
        "Sofia Rossi",
        310,
        cert(F, 296),
        cert(S, 140, fails=1),
        cert(A, 260),
        cert(B, 210),
        cert(D, 200),
    ),
    plan(
        "Ethan Brooks",
        300,
        cert(F, 286),
        cert(S, 130),
        cert(A, 250),
        cert(C, 220),
        journey(D, 40, Outcome.REVOKED, revoked_day=12),
    ),
    plan(
        "Mei Chen",
        295,
        cert(F, 280),
        cert(S, 125),
        cert(A, 240),
        this_month(B, 3),
        cert(D, 170),
    ),
    plan(
        "Omar Haddad",
        290,
        cert(F, 276),
        cert(S, 118),
        cert(A, 230),
        cert(C, 200),
        cert(D, 160),
    ),
    plan(
        "Grace Kim",
        285,
        cert(F, 270),
        cert(S, 115),
        cert(A, 220),
        cert(B, 150),
        cert(C, 130),
    ),
    plan(
        "Mateo Garcia",
        280,
        cert(F, 264),
        cert(S, 112),
        cert(A, 210),
        journey(B, 3, Outcome.PASSED),
        cert(D, 150),
    ),
    plan(
        "Hannah Novak",
        270,
        cert(F, 256),
        cert(S, 105),
        cert(A, 200),
        cert(D, 140),
        journey(C, 130, Outcome.REOPENED, revoked_day=60, reopened_day=45),
    ),
    plan(
        "Ravi Patel",
        262,
        cert(F, 248),
        cert(S, 98),
        cert(A, 190),
        journey(B, 5, Outcome.FAILED, fails=2),
        cert(D, 130),
    ),
    plan(
        "Zoe Laurent",
        255,
        cert(F, 240),
        cert(S, 95),
        cert(A, 180),
        journey(B, 40, Outcome.CERTIFIED, fails=3, granted=True),
        cert(D, 120),
    ),
    plan(
        "Felix Wagner",
        248,
        cert(F, 232),
        cert(S, 88),
        cert(A, 170),
        cert(C, 130),
        cert(D, 110),
    ),
    plan(
        "Aisha Bello",
        240,
        cert(F, 224),
        cert(S, 84),
        cert(A, 160),
        cert(B, 120),
        journey(D, 7, Outcome.DECLINED),
    ),
    plan("Ben Carter", 232, cert(F, 216), cert(S, 80), cert(D, 100)),
    plan(
        "Nina Petrova",
        225,
        cert(F, 210),
        cert(S, 76),
        cert(A, 140),
        cert(B, 100),
        cert(C, 80),
    ),
    plan("Isaac Cohen", 218, cert(F, 202), cert(S, 72), cert(D, 80)),
    plan(
        "Lena Berg",
        210,
        cert(F, 195),
        cert(S, 68),
        cert(B, 110),
        cert(D, 75),
        journey(A, 2, Outcome.REVIEW),
    ),
    plan(
        "Diego Morales",
        200,
        cert(F, 186),
        cert(S, 64),
        this_month(A, 5),
        journey(C, 1, Outcome.PASSED),
        cert(D, 70),
    ),
    plan("Ana Costa", 192, cert(F, 178), cert(S, 60), this_month(B, 11), cert(D, 80)),
    plan(
        "Victor Dubois",
        184,
        cert(F, 170),
        cert(S, 56),
        this_month(A, 13),
        cert(D, 65),
        journey(B, 2, Outcome.ABANDONED),
    ),
    plan(
        "Yuki Sato", 176, cert(F, 162), cert(S, 52), cert(D, 60), journey(A, 20, Outcome.TRAINING)
    ),
    plan("Olga Ivanova", 168, cert(F, 154), cert(S, 48), this_month(B, 8), cert(D, 55)),
    plan(
        "Marco Bianchi",
        160,
        cert(F, 146),
        cert(S, 44),
        this_month(A, 7),
        journey(D, 0, Outcome.OPEN),
    ),
    plan(
        "Fatima Zahra", 150, cert(F, 136), cert(S, 40), cert(A, 70), this_month(B, 2), cert(D, 50)
    ),
    plan(
        "Jonas Lind",
        140,
        cert(F, 126),
        cert(S, 36),
        this_month(D, 10),
        journey(A, 14, Outcome.FAILED),
    ),
    plan("Clara Weiss", 125, cert(F, 112), cert(S, 32), cert(D, 40)),
    plan(
        "Samuel Adeyemi",
        110,
        cert(F, 96),
        cert(S, 28, fails=1),
        cert(D, 60),
        journey(A, 12, Outcome.TRAINING),
    ),
    # The seed's two new hires (under 30 days), not yet certified in a required track: this
    # month each earned a first certification in De-escalation (no prerequisite; Acme has new
    # hires take its simulations while they study for Product Fundamentals).
    plan("Eva Horvath", 22, this_month(D, 6), journey(F, 12, Outcome.TRAINING)),
    plan("Leo Jensen", 26, this_month(D, 9), journey(F, 3, Outcome.REVIEW)),
)
