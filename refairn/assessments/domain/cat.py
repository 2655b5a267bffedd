"""Computerized adaptive testing (PRODUCT.md §9, issue 15) as plain values and functions.

One attempt's adaptive state is ``CatState``: a seed, the ids of the items asked in order and
the answers so far (right or wrong). It is stored as JSON on the attempt (``to_json``) and
everything else — the estimate, the next item, whether to stop, pass or fail — is recomputed
from it and the bank, deterministically (``replay`` rebuilds the whole path from the seed and
the answers).

The rules:

- Start at the prior (θ = 0). The next item is the most informative unused item at the current
  EAP estimate, drawn at random among the ``top_k`` most informative (randomesque exposure
  control, Kingsbury & Zara 1989). The draw for the n-th item uses a ``random.Random`` seeded
  with ``"{seed}:{n}"``, so the same state always yields the same next item.
- Randomesque alone does not keep any item under 25% of agents: every attempt takes at least
  ``min_questions`` items while its estimate is still near the prior, so the few
  high-discrimination items around θ = 0 reach nearly everyone (81% of agents with k = 5,
  36% with k = 40 in ``bench/cat_simulation.py``). So an attempt also starts with a snapshot
  of the items already shown to ``max_exposure`` or more of the track's recent adaptive
  attempts (``over_exposed``, the "restricted" method of Revuelta & Ponsoda 1998) and does
  not choose them while any other unused item is left. The snapshot is part of the state, so
  the path stays reproducible from the state alone.
- Stop when the 95% interval θ̂ ± 1.96·SE lies wholly above or below θ_cut, but never before
  ``min_questions`` answers; always stop at ``max_questions`` (the track's ``question_count``)
  or when the bank has no unused item left.
- Pass when the final θ̂ ≥ θ_cut; a timed-out attempt is decided on the answers it has. The
  score shown is the bank's expected percent correct at θ̂, which reaches the passing score
  exactly when θ̂ reaches θ_cut, so score and decision never disagree.
- Answers to items no longer in the bank (retired during the attempt) are left out of the
  estimate; build the bank with the attempt's own items to keep them.
- An item is never asked twice; an asked item must be answered before the next is chosen, and
  an answer is final (changing it would change the path).
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from refairn.assessments.domain.errors import AssessmentError
from refairn.assessments.domain.irt import (
    BankArrays,
    CutUnreachable,
    Estimate,
    ItemParameters,
    cut_theta,
    eap_arrays,
    expected_percent,
    information,
)

DEFAULT_MIN_QUESTIONS = 10
# bench/cat_simulation.py: with the exposure cap doing the spreading, k = 3 gave the shortest
# tests at the same accuracy (k = 5 about half an item longer).
DEFAULT_TOP_K = 3
Z_95 = 1.96
# Below the 25% so that attempts started at the same moment, which share a snapshot,
# do not push an item over it; lower caps lengthen the tests.
DEFAULT_MAX_EXPOSURE = 0.22
# Exposure rates over fewer attempts than this are taken over this many, so the first
# attempts of a new bank do not shut each other's items out.
EXPOSURE_WARMUP_ATTEMPTS = 50


class NotCurrentQuestion(AssessmentError):
    """An answer for an item that is not the one the adaptive attempt is waiting for."""

    code = "adaptive_not_current_question"

    def __init__(self, item_id: str, current: str | None) -> None:
        self.item_id = item_id
        self.current = current
        waiting = f"waits for {current}" if current else "has no open question"
        super().__init__(f"Question {item_id} cannot be answered now: the attempt {waiting}.")


@dataclass(frozen=True)
class CatSettings:
    """A track's adaptive settings; ``max_questions`` is its ``question_count``."""

    max_questions: int
    min_questions: int = DEFAULT_MIN_QUESTIONS
    top_k: int = DEFAULT_TOP_K
    z: float = Z_95

    def __post_init__(self) -> None:
        if self.max_questions < 1:
            raise ValueError("an adaptive test asks at least one question")
        if not 1 <= self.min_questions <= self.max_questions:
            raise ValueError(
                f"min_questions {self.min_questions} must be between 1 and "
                f"max_questions {self.max_questions}"
            )
        if self.top_k < 1:
            raise ValueError("top_k is at least 1 (1 means no exposure control)")
        if self.z <= 0:
            raise ValueError("z must be positive")


@dataclass(frozen=True)
class CatState:
    """What an adaptive attempt stores: ``answers[i]`` is whether ``asked[i]`` was answered
    correctly; ``asked`` is one longer than ``answers`` while a question is open;
    ``excluded`` are the items over the exposure cap when the attempt started."""

    seed: str
    asked: tuple[str, ...] = ()
    answers: tuple[bool, ...] = ()
    excluded: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(set(self.asked)) != len(self.asked):
            raise ValueError("an adaptive attempt never asks an item twice")
        if not len(self.asked) - 1 <= len(self.answers) <= len(self.asked):
            raise ValueError("answers must follow the asked items, at most one open")

    @property
    def current(self) -> str | None:
        """The asked item waiting for its answer, if any."""
        return self.asked[-1] if len(self.asked) > len(self.answers) else None

    @property
    def answered(self) -> tuple[str, ...]:
        return self.asked[: len(self.answers)]

    def to_json(self) -> dict[str, object]:
        return {
            "seed": self.seed,
            "asked": list(self.asked),
            "answers": list(self.answers),
            "excluded": list(self.excluded),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> CatState:
        seed, asked, answers = data.get("seed"), data.get("asked"), data.get("answers")
        excluded = data.get("excluded", [])
        if not isinstance(seed, str) or not isinstance(asked, list | tuple):
            raise ValueError("not an adaptive state")
        if not isinstance(excluded, list | tuple):
            raise ValueError("excluded must be a list of item ids")
        if not isinstance(answers, list | tuple) or not all(isinstance(x, bool) for x in answers):
            raise ValueError("answers must be a list of booleans")
        return cls(
            seed=seed,
            asked=tuple(str(i) for i in asked),
            answers=tuple(answers),
            excluded=tuple(str(i) for i in excluded),
        )

    def _with(self, asked: tuple[str, ...], answers: tuple[bool, ...]) -> CatState:
        return CatState(self.seed, asked, answers, self.excluded)


class StopReason(StrEnum):
    DECIDED = "decided"  # the 95% interval lies wholly on one side of the cut
    MAX_LENGTH = "max_length"
    BANK_EXHAUSTED = "bank_exhausted"


@dataclass(frozen=True)
class Step:
    """The outcome of ``advance``: the next item to show, or ``finished`` with the reason."""

    state: CatState
    next_item: str | None
    estimate: Estimate
    finished: bool
    reason: StopReason | None = None


@dataclass(frozen=True)
class Decision:
    """``score`` is the bank's expected percent correct at the final estimate."""

    passed: bool
    score: float
    estimate: Estimate
    theta_cut: float
    answered: int


def start(seed: str, excluded: Iterable[str] = ()) -> CatState:
    """A new adaptive attempt. ``seed`` is the attempt's random source (e.g. a random token
    drawn once at start and stored with the state); ``excluded`` is the ``over_exposed``
    snapshot of the moment."""
    if not seed:
        raise ValueError("an adaptive attempt needs a seed")
    return CatState(seed=seed, excluded=tuple(sorted(set(excluded))))


def over_exposed(
    shown: Mapping[str, int],
    attempts: int,
    max_exposure: float = DEFAULT_MAX_EXPOSURE,
    warmup: int = EXPOSURE_WARMUP_ATTEMPTS,
) -> frozenset[str]:
    """The items shown in ``max_exposure`` or more of the last ``attempts`` adaptive attempts
    (``shown`` counts, per item, the attempts that asked it); fewer than ``warmup`` attempts
    count as ``warmup``."""
    if not 0 < max_exposure <= 1:
        raise ValueError("max_exposure is a share of attempts in (0, 1]")
    if attempts < 0 or warmup < 1:
        raise ValueError("attempts must be >= 0 and warmup >= 1")
    limit = max_exposure * max(attempts, warmup)
    return frozenset(item for item, count in shown.items() if count >= limit)


def record_answer(state: CatState, item_id: str, correct: bool) -> CatState:
    """The state after the open item was answered; ``NotCurrentQuestion`` for any other item
    (a repeat, an item never asked, or an answer already given)."""
    if state.current != item_id:
        raise NotCurrentQuestion(item_id, state.current)
    return state._with(state.asked, (*state.answers, correct))


def estimate(bank: BankArrays, state: CatState) -> Estimate:
    """EAP ability and SE from the answered items of the bank (the open one does not count)."""
    kept = [n for n, item in enumerate(state.answered) if item in bank.index]
    rows = np.array([bank.index[state.answered[n]] for n in kept], dtype=np.intp)
    right = np.array([state.answers[n] for n in kept], dtype=np.bool_)
    return eap_arrays(bank.a[rows], bank.b[rows], bank.c[rows], right)


def stop_reason(
    current: Estimate, answered: int, remaining: int, settings: CatSettings, theta_cut: float
) -> StopReason | None:
    """Issue 15 stopping rule: at ``max_questions``, when the bank is used up, or — from
    ``min_questions`` on — when θ̂ ± z·SE lies wholly above or below θ_cut; else None."""
    if answered >= settings.max_questions:
        return StopReason.MAX_LENGTH
    if remaining == 0:
        return StopReason.BANK_EXHAUSTED
    if answered < settings.min_questions:
        return None
    low, high = current.interval(settings.z)
    if low > theta_cut or high < theta_cut:
        return StopReason.DECIDED
    return None


def select_item(
    bank: BankArrays,
    unavailable: Collection[str],
    theta: float,
    top_k: int,
    rng: random.Random,
) -> str:
    """The most informative item at ``theta`` outside ``unavailable``, drawn uniformly among
    the ``top_k`` most informative (ties in information broken by bank order, so the draw is
    repeatable). Ids that are not in the bank are ignored."""
    info = information(theta, bank.a, bank.b, bank.c)
    rows = [bank.index[i] for i in unavailable if i in bank.index]
    info[rows] = -np.inf
    available = len(bank) - len(rows)
    if available <= 0:
        raise ValueError("no item of the bank is available")
    k = min(top_k, available)
    top = np.argpartition(-info, k - 1)[:k]
    top = top[np.lexsort((top, -info[top]))]
    return bank.ids[int(top[rng.randrange(k)])]


def step_rng(seed: str, position: int) -> random.Random:
    """The random source of the ``position``-th selection of an attempt."""
    # Exposure control, not security: a predictable draw only reveals which of k near-equal
    # items comes next, and the seed never leaves the server.
    return random.Random(f"{seed}:{position}")  # noqa: S311


def advance(bank: BankArrays, state: CatState, settings: CatSettings, theta_cut: float) -> Step:
    """Issue 15: after an answer (or at start), stop or choose the next item.

    An open question is served again rather than a new one chosen, so calling this twice is
    harmless. Items of the state that left the bank (retired) still count as asked.
    """
    current = estimate(bank, state)
    if state.current is not None:
        return Step(state, state.current, current, finished=False)
    used = {i for i in state.asked if i in bank.index}
    reason = stop_reason(current, len(state.answers), len(bank) - len(used), settings, theta_cut)
    if reason is not None:
        return Step(state, None, current, finished=True, reason=reason)
    unavailable = used | set(state.excluded)
    if len(unavailable & bank.index.keys()) >= len(bank):
        unavailable = used  # only over-exposed items are left: the test still goes on
    rng = step_rng(state.seed, len(state.asked))
    item = select_item(bank, unavailable, current.theta, settings.top_k, rng)
    return Step(state._with((*state.asked, item), state.answers), item, current, False)


def decide(
    bank: BankArrays,
    state: CatState,
    theta_cut: float,
    weights: Sequence[float] | None = None,
) -> Decision:
    """Issue 15: pass when the estimate from the answered items reaches the cut. Used at the
    stop, at the maximum length and on a timed-out attempt alike (an open question counts for
    nothing). ``weights`` must be those ``cut_theta`` was given, for the score."""
    final = estimate(bank, state)
    w = None if weights is None else np.asarray(weights, dtype=np.float64)
    score = expected_percent(final.theta, bank, w)
    return Decision(final.theta >= theta_cut, score, final, theta_cut, len(state.answers))


def replay(
    bank: BankArrays,
    stored: CatState,
    settings: CatSettings,
    theta_cut: float,
) -> CatState:
    """The path the engine takes from the stored seed, exclusions and answers, rebuilt from
    scratch: an audit compares its ``asked`` with the stored one (equal as long as the bank's
    parameters are unchanged)."""
    state = start(stored.seed, stored.excluded)
    answers = stored.answers
    for correct in answers:
        step = advance(bank, state, settings, theta_cut)
        if step.next_item is None:
            raise ValueError("more answers than the test asks")
        state = record_answer(step.state, step.next_item, correct)
    return state


class BankProblemCode(StrEnum):
    UNCALIBRATED = "adaptive_bank_uncalibrated"
    TOO_SMALL = "adaptive_bank_too_small"
    CUT_UNREACHABLE = CutUnreachable.code


@dataclass(frozen=True)
class BankProblem:
    code: BankProblemCode
    detail: str
    item_ids: tuple[str, ...] = ()


class AdaptiveBankUnusable(AssessmentError):
    """An adaptive attempt cannot start on this bank; ``problems`` names what is missing."""

    def __init__(self, problems: Sequence[BankProblem]) -> None:
        if not problems:
            raise ValueError("an unusable bank has at least one problem")
        self.problems = tuple(problems)
        self.code = self.problems[0].code.value
        super().__init__(" ".join(p.detail for p in self.problems))


def bank_problems(
    items: Mapping[str, ItemParameters | None],
    question_count: int,
    passing_score: float | None = None,
) -> list[BankProblem]:
    """Issue 15: why a bank cannot serve adaptive attempts (empty when it can).

    ``items`` maps each active question of the bank to its parameters (None when it has
    none). Every item needs parameters, the bank needs at least ``question_count`` items, and
    — checked when the rest is fine and a ``passing_score`` is given — the cut must exist.
    """
    problems: list[BankProblem] = []
    missing = tuple(sorted(i for i, params in items.items() if params is None))
    if missing:
        problems.append(
            BankProblem(
                BankProblemCode.UNCALIBRATED,
                f"{len(missing)} of {len(items)} questions have no IRT parameters.",
                missing,
            )
        )
    if len(items) < question_count:
        problems.append(
            BankProblem(
                BankProblemCode.TOO_SMALL,
                f"The bank has {len(items)} questions; an adaptive test of up to "
                f"{question_count} needs at least {question_count}.",
            )
        )
    if not problems and passing_score is not None and items:
        calibrated = {i: p for i, p in items.items() if p is not None}
        try:
            cut_theta(BankArrays.of(calibrated), passing_score)
        except CutUnreachable as error:
            problems.append(BankProblem(BankProblemCode.CUT_UNREACHABLE, str(error)))
    return problems


def require_usable_bank(
    items: Mapping[str, ItemParameters | None],
    question_count: int,
    passing_score: float | None = None,
) -> None:
    """``AdaptiveBankUnusable`` (409 with the first problem's code) when ``bank_problems``
    finds any."""
    problems = bank_problems(items, question_count, passing_score)
    if problems:
        raise AdaptiveBankUnusable(problems)
