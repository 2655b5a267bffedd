"""Item response theory for adaptive assessments (PRODUCT.md §9, issue 15): the 3PL model.

``P(correct | θ) = c + (1 − c) / (1 + exp(−a(θ − b)))`` with discrimination ``a``, difficulty
``b`` and guessing ``c``. Abilities are on the usual N(0, 1) scale of the calibration.

Decisions where the issue is silent:

- Bounds: ``a`` in [0.1, 5] (flatter items tell nothing, steeper ones are calibration
  artefacts), ``b`` in [−6, 6], ``c`` in [0, 0.5) (a guess rate of one half or more is not a
  question). Calibration keeps its estimates inside the same bounds.
- Ability is estimated by EAP on a fixed grid of 81 points from −4 to 4 with a N(0, 1) prior:
  finite for every pattern (all right, all wrong, nothing answered) and deterministic, unlike
  maximum likelihood, which diverges on all-right and all-wrong patterns.
- The cut ability is where the bank's expected percent correct (weighted by points when
  given) equals the passing score; a passing score the bank cannot express (at or below the
  guessing floor, or at 100%) has no cut and raises ``CutUnreachable``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq

from refairn.assessments.domain.errors import AssessmentError

FloatArray = npt.NDArray[np.float64]

A_MIN, A_MAX = 0.1, 5.0
B_MIN, B_MAX = -6.0, 6.0
C_MIN, C_MAX = 0.0, 0.5  # C_MAX excluded

THETA_MIN, THETA_MAX = -4.0, 4.0
THETA_GRID: FloatArray = np.linspace(THETA_MIN, THETA_MAX, 81)
_PRIOR_LOG: FloatArray = -0.5 * THETA_GRID**2  # N(0, 1) up to a constant
# Keeps log P finite when an item is (numerically) certain at a grid point.
_P_FLOOR = 1e-12


class CutUnreachable(AssessmentError):
    """No ability reaches the passing score on this bank (or every ability does)."""

    code = "adaptive_cut_unreachable"

    def __init__(self, passing_score: float, floor: float) -> None:
        self.passing_score = passing_score
        self.floor = floor
        super().__init__(
            f"The passing score {passing_score}% is outside what the bank's expected score can "
            f"reach ({floor:.2f}% by guessing, up to 100%)."
        )


@dataclass(frozen=True)
class ItemParameters:
    """3PL parameters of one question; ``__post_init__`` refuses values outside the bounds."""

    a: float
    b: float
    c: float

    def __post_init__(self) -> None:
        for name in ("a", "b", "c"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{name} must be a number, not {value!r}")
            if not math.isfinite(value):
                raise ValueError(f"{name} must be finite, not {value!r}")
        if not A_MIN <= self.a <= A_MAX:
            raise ValueError(f"discrimination a={self.a} outside {A_MIN}..{A_MAX}")
        if not B_MIN <= self.b <= B_MAX:
            raise ValueError(f"difficulty b={self.b} outside {B_MIN}..{B_MAX}")
        if not C_MIN <= self.c < C_MAX:
            raise ValueError(f"guessing c={self.c} outside [{C_MIN}, {C_MAX})")

    def to_json(self) -> dict[str, float]:
        return {"a": self.a, "b": self.b, "c": self.c}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> ItemParameters:
        """From ``{"a", "b", "c"}`` as the API and GIFT carry them; ``ValueError`` if not."""
        try:
            return cls(*(_number(data[key]) for key in ("a", "b", "c")))
        except KeyError as missing:
            raise ValueError(f"IRT parameters need a, b and c; {missing} is missing") from None


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"not a number: {value!r}")
    return float(value)


@dataclass(frozen=True)
class BankArrays:
    """A bank as parallel arrays, built once per bank so selection is one vector operation."""

    ids: tuple[str, ...]
    a: FloatArray
    b: FloatArray
    c: FloatArray
    index: Mapping[str, int]

    @classmethod
    def of(cls, items: Mapping[str, ItemParameters]) -> BankArrays:
        ids = tuple(sorted(items))  # a stable order whatever order the database returned
        return cls(
            ids=ids,
            a=np.array([items[i].a for i in ids], dtype=np.float64),
            b=np.array([items[i].b for i in ids], dtype=np.float64),
            c=np.array([items[i].c for i in ids], dtype=np.float64),
            index={item_id: n for n, item_id in enumerate(ids)},
        )

    def __len__(self) -> int:
        return len(self.ids)


def _logistic(
    theta: float | FloatArray, a: float | FloatArray, b: float | FloatArray
) -> FloatArray:
    # tanh form: no overflow warning for large |a(θ − b)|, unlike 1 / (1 + exp(−x)).
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * np.multiply(a, np.subtract(theta, b)))))


def probability(
    theta: float | FloatArray, a: float | FloatArray, b: float | FloatArray, c: float | FloatArray
) -> FloatArray:
    """P(correct | θ) of the 3PL; broadcasts like numpy (abilities × items, for instance)."""
    return np.asarray(c + (1.0 - np.asarray(c)) * _logistic(theta, a, b), dtype=np.float64)


def information(
    theta: float | FloatArray, a: float | FloatArray, b: float | FloatArray, c: float | FloatArray
) -> FloatArray:
    """Fisher information of a 3PL item, a² (P − c)² (1 − P) / ((1 − c)² P), computed as
    a² (1 − c) L² (1 − L) / P with L the logistic part, which stays 0 (not 0/0) where L
    underflows."""
    logistic = _logistic(theta, a, b)
    c_arr = np.asarray(c, dtype=np.float64)
    p = c_arr + (1.0 - c_arr) * logistic
    ratio = np.divide(logistic, p, out=np.zeros(np.shape(p)), where=p > 0)
    value = np.square(a) * (1.0 - c_arr) * logistic * ratio * (1.0 - logistic)
    return np.asarray(value, dtype=np.float64)


def item_probability(theta: float, item: ItemParameters) -> float:
    return float(probability(theta, item.a, item.b, item.c))


def item_information(theta: float, item: ItemParameters) -> float:
    return float(information(theta, item.a, item.b, item.c))


def total_information(theta: float | FloatArray, bank: BankArrays) -> FloatArray:
    """Test information: the bank's (or a form's) information at each θ, the sum of its
    items' information (named so pytest does not take it for a test)."""
    th = np.atleast_1d(np.asarray(theta, dtype=np.float64))
    return np.asarray(information(th[:, None], bank.a, bank.b, bank.c).sum(axis=1))


@dataclass(frozen=True)
class Estimate:
    """An EAP ability estimate; ``se`` is the posterior standard deviation."""

    theta: float
    se: float

    def interval(self, z: float = 1.96) -> tuple[float, float]:
        return (self.theta - z * self.se, self.theta + z * self.se)


def eap_arrays(
    a: FloatArray, b: FloatArray, c: FloatArray, correct: npt.NDArray[np.bool_]
) -> Estimate:
    """EAP on ``THETA_GRID`` with a N(0, 1) prior for answered items given as arrays."""
    log_post = _PRIOR_LOG.copy()
    if len(a):
        p = probability(THETA_GRID[None, :], a[:, None], b[:, None], c[:, None])
        p = np.clip(p, _P_FLOOR, 1.0 - _P_FLOOR)
        log_post += np.where(correct[:, None], np.log(p), np.log1p(-p)).sum(axis=0)
    weights = np.exp(log_post - log_post.max())
    weights /= weights.sum()
    mean = float(weights @ THETA_GRID)
    variance = float(weights @ np.square(THETA_GRID - mean))
    return Estimate(theta=mean, se=math.sqrt(max(variance, 0.0)))


def eap(responses: Iterable[tuple[ItemParameters, bool]]) -> Estimate:
    """EAP ability and posterior SD from (item, answered correctly) pairs; with no responses
    it is the prior's (0, ≈1)."""
    pairs = list(responses)
    return eap_arrays(
        np.array([p.a for p, _ in pairs], dtype=np.float64),
        np.array([p.b for p, _ in pairs], dtype=np.float64),
        np.array([p.c for p, _ in pairs], dtype=np.float64),
        np.array([right for _, right in pairs], dtype=np.bool_),
    )


def expected_percent(theta: float, bank: BankArrays, weights: FloatArray | None = None) -> float:
    """The bank's expected percent correct at θ (each item weighted by ``weights``, e.g. its
    points; equal weights by default)."""
    p = probability(theta, bank.a, bank.b, bank.c)
    w = np.ones_like(p) if weights is None else np.asarray(weights, dtype=np.float64)
    return float(100.0 * (w @ p) / w.sum())


def cut_theta(
    bank: BankArrays, passing_score: float, weights: Sequence[float] | None = None
) -> float:
    """Issue 15: the cut ability θ_cut where the expected percent correct over the bank equals
    the passing score.

    The expected percent rises strictly with θ, so the root is unique; it is searched on
    [B_MIN − 4, B_MAX + 4] (beyond any calibrated difficulty). Raises ``CutUnreachable`` when
    the passing score is at or below the guessing floor or at or above what the bank reaches.
    """
    if len(bank) == 0:
        raise ValueError("the bank is empty")
    w = None if weights is None else np.asarray(weights, dtype=np.float64)
    if w is not None and (w.shape != bank.a.shape or (w <= 0).any()):
        raise ValueError("one positive weight per item")
    target = float(passing_score)
    low, high = B_MIN - 4.0, B_MAX + 4.0
    floor, ceiling = expected_percent(low, bank, w), expected_percent(high, bank, w)
    if not floor < target < ceiling:
        raise CutUnreachable(target, floor)
    root = brentq(lambda t: expected_percent(t, bank, w) - target, low, high, xtol=1e-9)
    return float(root)
