import math

import numpy as np
import pytest

from refairn.assessments.domain.irt import (
    BankArrays,
    CutUnreachable,
    ItemParameters,
    cut_theta,
    eap,
    expected_percent,
    item_information,
    item_probability,
    total_information,
)

ITEM = ItemParameters(a=1.5, b=0.5, c=0.2)


def test_probability_is_the_3pl_curve():
    assert item_probability(0.5, ITEM) == pytest.approx(0.2 + 0.8 / 2)
    theta = -1.0
    expected = 0.2 + 0.8 / (1 + math.exp(-1.5 * (theta - 0.5)))
    assert item_probability(theta, ITEM) == pytest.approx(expected)
    assert item_probability(-40, ITEM) == pytest.approx(0.2)
    assert item_probability(40, ITEM) == pytest.approx(1.0)


def test_information_is_the_squared_slope_over_the_binomial_variance():
    for theta in (-2.0, 0.0, 0.5, 1.3, 3.0):
        h = 1e-5
        slope = (item_probability(theta + h, ITEM) - item_probability(theta - h, ITEM)) / (2 * h)
        p = item_probability(theta, ITEM)
        assert item_information(theta, ITEM) == pytest.approx(slope**2 / (p * (1 - p)), rel=1e-5)


def test_information_of_a_2pl_item_peaks_at_b_with_a_squared_over_four():
    item = ItemParameters(a=2.0, b=1.0, c=0.0)
    assert item_information(1.0, item) == pytest.approx(1.0)
    assert item_information(0.5, item) < 1.0 > item_information(1.5, item)


def test_guessing_lowers_information_and_moves_its_peak_above_b():
    guessing = ItemParameters(a=2.0, b=1.0, c=0.25)
    grid = np.linspace(-1, 3, 4001)
    curve = [item_information(t, guessing) for t in grid]
    assert max(curve) < 1.0
    assert grid[int(np.argmax(curve))] > 1.0


def test_test_information_is_the_sum_over_items():
    items = {"q1": ITEM, "q2": ItemParameters(0.8, -1.0, 0.1), "q3": ItemParameters(2.0, 1.0, 0)}
    bank = BankArrays.of(items)
    total = total_information(np.array([-1.0, 0.0, 2.0]), bank)
    for theta, value in zip((-1.0, 0.0, 2.0), total, strict=True):
        assert value == pytest.approx(sum(item_information(theta, i) for i in items.values()))


@pytest.mark.parametrize(
    ("a", "b", "c"),
    [
        (0, 0, 0.2),
        (-1, 0, 0.2),
        (0.05, 0, 0.2),
        (6, 0, 0.2),
        (1, 7, 0.2),
        (1, math.inf, 0.2),
        (1, math.nan, 0.2),
        (1, 0, -0.01),
        (1, 0, 0.5),
        (True, 0, 0.2),
    ],
)
def test_parameters_out_of_bounds_are_refused(a, b, c):
    with pytest.raises(ValueError):
        ItemParameters(a, b, c)


def test_parameters_round_trip_through_json():
    assert ItemParameters.from_json(ITEM.to_json()) == ITEM
    assert ItemParameters.from_json({"a": "1.5", "b": 0.5, "c": 0.2}) == ITEM
    with pytest.raises(ValueError, match="c"):
        ItemParameters.from_json({"a": 1, "b": 0})
    with pytest.raises(ValueError):
        ItemParameters.from_json({"a": 1, "b": None, "c": 0})


def test_eap_without_answers_is_the_prior():
    estimate = eap([])
    assert estimate.theta == pytest.approx(0.0, abs=1e-9)
    assert estimate.se == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize("count", [1, 5, 40])
def test_eap_is_finite_and_ordered_for_all_right_and_all_wrong(count):
    items = [ItemParameters(1.2, b, 0.2) for b in np.linspace(-2, 2, count)]

    right = eap((i, True) for i in items)
    wrong = eap((i, False) for i in items)

    assert 0 < right.theta < 4 and -4 < wrong.theta < 0
    assert 0 < right.se < 1 and 0 < wrong.se < 1
    assert math.isfinite(right.theta + right.se + wrong.theta + wrong.se)


def test_eap_rises_with_each_right_answer_and_narrows_with_more_answers():
    items = [ItemParameters(1.5, b, 0.15) for b in np.linspace(-1.5, 1.5, 20)]
    thetas = [eap((item, n < k) for n, item in enumerate(items)).theta for k in range(21)]
    assert thetas == sorted(thetas)
    assert (
        eap((i, True) for i in items[:5]).se > eap((i, n % 2 == 0) for n, i in enumerate(items)).se
    )


def test_eap_recovers_an_ability_from_a_long_test():
    rng = np.random.default_rng(7)
    items = [ItemParameters(1.5, float(b), 0.2) for b in rng.normal(0, 1, 400)]
    theta = 0.8
    answers = [(i, bool(rng.random() < item_probability(theta, i))) for i in items]

    estimate = eap(answers)

    assert abs(estimate.theta - theta) < 3 * estimate.se
    assert estimate.se < 0.15


def bank_of(*params: tuple[float, float, float]) -> BankArrays:
    return BankArrays.of({f"q{n}": ItemParameters(*p) for n, p in enumerate(params)})


def test_cut_is_where_the_expected_percent_equals_the_passing_score():
    bank = bank_of((1.0, -1.0, 0.2), (1.5, 0.0, 0.25), (0.8, 1.0, 0.1), (2.0, 0.5, 0.2))

    cut = cut_theta(bank, 70)

    assert expected_percent(cut, bank) == pytest.approx(70, abs=1e-6)
    assert cut_theta(bank, 60) < cut < cut_theta(bank, 80)


def test_cut_of_one_2pl_item_at_half_is_its_difficulty():
    assert cut_theta(bank_of((1.3, 0.7, 0.0)), 50) == pytest.approx(0.7, abs=1e-6)


def test_cut_weights_items_by_points():
    bank = bank_of((1.0, -1.0, 0.0), (1.0, 1.0, 0.0))
    assert cut_theta(bank, 50) == pytest.approx(0.0, abs=1e-6)
    assert cut_theta(bank, 50, weights=[1, 3]) > 0.5


@pytest.mark.parametrize("passing", [0, 10, 20, 100])
def test_a_passing_score_the_bank_cannot_express_has_no_cut(passing):
    with pytest.raises(CutUnreachable) as raised:
        cut_theta(bank_of((1.0, 0.0, 0.2), (1.0, 1.0, 0.2)), passing)
    assert raised.value.code == "adaptive_cut_unreachable"


def test_information_far_from_the_item_is_zero_not_nan():
    item = ItemParameters(a=5.0, b=6.0, c=0.0)
    assert item_information(-4.0, item) == 0.0
    assert item_information(-4.0, ItemParameters(a=5.0, b=6.0, c=0.3)) == 0.0
    assert item_information(40.0, item) == 0.0
