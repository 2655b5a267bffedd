import json
import random
from collections import Counter

import numpy as np
import pytest

from refairn.assessments.domain import cat
from refairn.assessments.domain.cat import (
    AdaptiveBankUnusable,
    CatSettings,
    CatState,
    NotCurrentQuestion,
    StopReason,
)
from refairn.assessments.domain.irt import (
    BankArrays,
    Estimate,
    ItemParameters,
    cut_theta,
    expected_percent,
    information,
    probability,
)

SETTINGS = CatSettings(max_questions=20, min_questions=10, top_k=5)
CUT = 0.5


def make_bank(size: int = 120, seed: int = 1) -> BankArrays:
    rng = np.random.default_rng(seed)
    return BankArrays.of(
        {
            f"q{n:03d}": ItemParameters(
                float(rng.uniform(0.7, 2.0)), float(rng.normal(0, 1)), float(rng.uniform(0, 0.25))
            )
            for n in range(size)
        }
    )


BANK = make_bank()


def take(
    bank: BankArrays,
    theta: float,
    seed: str,
    settings: CatSettings = SETTINGS,
    excluded: frozenset[str] = frozenset(),
    cut: float = CUT,
) -> CatState:
    """One simulated agent of ability ``theta`` through the whole adaptive test."""
    rng = random.Random(seed)
    state = cat.start(seed, excluded)
    while True:
        step = cat.advance(bank, state, settings, cut)
        if step.finished:
            return step.state
        row = bank.index[step.next_item]
        p = float(probability(theta, bank.a[row], bank.b[row], bank.c[row]))
        state = cat.record_answer(step.state, step.next_item, rng.random() < p)


# The stopping rule on constructed cases.


def test_no_stop_before_the_minimum_even_when_decided():
    sure = Estimate(theta=3.0, se=0.1)
    assert cat.stop_reason(sure, answered=9, remaining=50, settings=SETTINGS, theta_cut=0) is None
    assert cat.stop_reason(sure, 10, 50, SETTINGS, 0) is StopReason.DECIDED


def test_stop_when_the_interval_is_wholly_above_or_below_the_cut():
    # 1.96 * 0.25 = 0.49
    assert cat.stop_reason(Estimate(1.0, 0.25), 12, 50, SETTINGS, 0.5) is StopReason.DECIDED
    assert cat.stop_reason(Estimate(0.0, 0.25), 12, 50, SETTINGS, 0.5) is StopReason.DECIDED
    assert cat.stop_reason(Estimate(0.98, 0.25), 12, 50, SETTINGS, 0.5) is None
    assert cat.stop_reason(Estimate(0.02, 0.25), 12, 50, SETTINGS, 0.5) is None


def test_stop_at_the_maximum_length_even_when_undecided():
    unsure = Estimate(0.5, 0.4)
    assert cat.stop_reason(unsure, 19, 50, SETTINGS, 0.5) is None
    assert cat.stop_reason(unsure, 20, 50, SETTINGS, 0.5) is StopReason.MAX_LENGTH


def test_stop_when_the_bank_is_used_up():
    assert cat.stop_reason(Estimate(0.5, 0.4), 3, 0, SETTINGS, 0.5) is StopReason.BANK_EXHAUSTED


def test_a_clear_pass_and_a_clear_fail_stop_early_and_an_agent_at_the_cut_runs_to_the_max():
    strong = take(BANK, 3.0, "strong")
    weak = take(BANK, -3.0, "weak")
    borderline = take(BANK, CUT, "borderline", settings=CatSettings(60, 10, 5))

    assert 10 <= len(strong.answers) < 20 and cat.decide(BANK, strong, CUT).passed
    assert 10 <= len(weak.answers) < 20 and not cat.decide(BANK, weak, CUT).passed
    assert len(borderline.answers) > 20


def test_the_first_item_is_among_the_most_informative_at_the_prior():
    first = {cat.advance(BANK, cat.start(f"s{n}"), SETTINGS, CUT).next_item for n in range(200)}
    ranked = [BANK.ids[i] for i in np.argsort(-information(0.0, BANK.a, BANK.b, BANK.c))]
    assert first == set(ranked[:5])


def test_top_k_of_one_is_maximum_information():
    settings = CatSettings(20, 10, top_k=1)
    best = BANK.ids[int(np.argmax(information(0.0, BANK.a, BANK.b, BANK.c)))]
    assert {cat.advance(BANK, cat.start(f"s{n}"), settings, CUT).next_item for n in range(20)} == {
        best
    }


# Never repeating an item, determinism, persistence.


@pytest.mark.parametrize("theta", [-2.5, -0.5, 0.5, 0.6, 2.5])
def test_an_attempt_never_repeats_an_item(theta):
    for n in range(10):
        state = take(BANK, theta, f"agent-{theta}-{n}", settings=CatSettings(60, 10, 5))
        assert len(set(state.asked)) == len(state.asked)


def test_the_bank_running_out_ends_the_test_without_repeating():
    small = make_bank(size=12)
    state = take(small, CUT, "small", settings=CatSettings(40, 10, 3))
    assert sorted(state.asked) == sorted(small.ids)


def test_an_answer_for_any_item_but_the_open_one_is_refused():
    step = cat.advance(BANK, cat.start("s"), SETTINGS, CUT)
    assert step.next_item is not None
    other = next(i for i in BANK.ids if i != step.next_item)

    with pytest.raises(NotCurrentQuestion) as raised:
        cat.record_answer(step.state, other, True)
    assert raised.value.code == "adaptive_not_current_question"

    answered = cat.record_answer(step.state, step.next_item, True)
    with pytest.raises(NotCurrentQuestion):  # a second answer to the same item
        cat.record_answer(answered, step.next_item, False)


def test_advancing_with_an_open_question_serves_it_again():
    step = cat.advance(BANK, cat.start("s"), SETTINGS, CUT)
    again = cat.advance(BANK, step.state, SETTINGS, CUT)
    assert again.next_item == step.next_item and again.state == step.state


def test_the_same_state_always_gives_the_same_next_item():
    state = take(BANK, 0.4, "fixed", settings=CatSettings(8, 8, 5))
    state = CatState(state.seed, state.asked, state.answers)  # stopped at 8: re-open the test
    steps = {cat.advance(BANK, state, CatSettings(20, 10, 5), CUT).next_item for _ in range(5)}
    assert len(steps) == 1


def test_state_round_trips_through_json_and_replays_to_the_same_path():
    stored = take(BANK, 0.7, "replay-me", excluded=frozenset({"q001", "q002"}))

    loaded = CatState.from_json(json.loads(json.dumps(stored.to_json())))

    assert loaded == stored
    assert cat.replay(BANK, loaded, SETTINGS, CUT) == stored


def test_a_state_that_repeats_an_item_or_skips_answers_is_refused():
    with pytest.raises(ValueError):
        CatState("s", ("q1", "q1"), (True,))
    with pytest.raises(ValueError):
        CatState("s", ("q1", "q2", "q3"), (True,))
    with pytest.raises(ValueError):
        CatState.from_json({"seed": "s", "asked": ["q1"], "answers": [1]})


def test_a_timed_out_attempt_is_decided_on_what_was_answered():
    step = cat.advance(BANK, cat.start("t"), SETTINGS, CUT)
    state = step.state
    for _ in range(6):
        assert step.next_item is not None
        state = cat.record_answer(step.state, step.next_item, True)
        step = cat.advance(BANK, state, SETTINGS, CUT)
    open_question = step.state  # the deadline passes with a question open

    decision = cat.decide(BANK, open_question, CUT)

    assert decision.answered == 6
    assert decision.estimate == cat.estimate(BANK, state)
    assert decision.passed is (decision.estimate.theta >= CUT)


def test_an_item_retired_during_the_attempt_is_not_asked_again_nor_counted():
    state = take(BANK, 0.0, "retire", settings=CatSettings(5, 5, 5))
    retired = state.asked[0]
    smaller = BankArrays.of(
        {
            i: ItemParameters(float(BANK.a[n]), float(BANK.b[n]), float(BANK.c[n]))
            for n, i in enumerate(BANK.ids)
            if i != retired
        }
    )
    rest = CatState(state.seed, state.asked[1:], state.answers[1:])

    step = cat.advance(smaller, state, CatSettings(20, 10, 5), CUT)

    assert step.estimate == cat.estimate(smaller, rest)
    assert step.next_item not in state.asked


def test_the_score_is_the_expected_percent_and_agrees_with_the_decision():
    cut = cut_theta(BANK, 70)
    for n, theta in enumerate((-1.0, 0.3, 0.6, 1.2)):
        decision = cat.decide(BANK, take(BANK, theta, f"score-{n}", cut=cut), cut)
        assert decision.score == pytest.approx(expected_percent(decision.estimate.theta, BANK))
        assert decision.passed is (decision.score >= 70)


# Exposure control.


def test_randomesque_spreads_the_first_item_over_the_top_k():
    first = Counter(
        cat.advance(BANK, cat.start(f"a{n}"), SETTINGS, CUT).next_item for n in range(1000)
    )
    assert len(first) == 5
    assert max(first.values()) / 1000 < 0.25


def test_exposure_cap_keeps_every_item_under_a_quarter_of_agents():
    rng = np.random.default_rng(3)
    bank = make_bank(size=150, seed=3)
    settings = CatSettings(max_questions=30, min_questions=10, top_k=5)
    shown: Counter[str] = Counter()
    agents = 300
    for n, theta in enumerate(rng.normal(0, 1, agents)):
        excluded = cat.over_exposed(shown, attempts=n, max_exposure=cat.DEFAULT_MAX_EXPOSURE)
        shown.update(take(bank, float(theta), f"agent-{n}", settings, excluded, cut=0.67).asked)

    assert max(shown.values()) / agents < 0.25


def test_over_exposed_counts_against_the_warmup_until_enough_attempts():
    assert cat.over_exposed({"q1": 10, "q2": 9}, attempts=5, max_exposure=0.2) == {"q1"}  # of 50
    shown = {"q1": 10, "q2": 9, "q3": 40}
    assert cat.over_exposed(shown, attempts=200, max_exposure=0.2) == {"q3"}


def test_over_exposed_items_are_asked_only_when_nothing_else_is_left():
    small = make_bank(size=12)
    excluded = frozenset(small.ids[:4])
    state = take(small, CUT, "cap", settings=CatSettings(40, 10, 3), excluded=excluded)
    assert len(state.asked) == 12
    assert set(state.asked[:8]).isdisjoint(excluded)


# Bank usability.


def params(n: int) -> dict[str, ItemParameters | None]:
    return {f"q{i}": ItemParameters(1.0, (i % 7) - 3.0, 0.2) for i in range(n)}


def test_a_calibrated_bank_large_enough_is_usable():
    assert cat.bank_problems(params(40), question_count=40, passing_score=70) == []
    cat.require_usable_bank(params(40), 40, 70)


def test_uncalibrated_items_are_named():
    items = params(45)
    items["q3"] = items["q17"] = None

    problems = cat.bank_problems(items, question_count=40)

    assert [(p.code.value, p.item_ids) for p in problems] == [
        ("adaptive_bank_uncalibrated", ("q17", "q3"))
    ]
    assert "2 of 45" in problems[0].detail


def test_a_bank_smaller_than_the_maximum_length_is_too_small():
    problems = cat.bank_problems(params(25), question_count=40)
    assert [p.code.value for p in problems] == ["adaptive_bank_too_small"]
    assert "25" in problems[0].detail and "40" in problems[0].detail


def test_both_problems_are_reported_and_the_first_sets_the_error_code():
    items = params(25)
    items["q0"] = None

    with pytest.raises(AdaptiveBankUnusable) as raised:
        cat.require_usable_bank(items, 40)

    assert raised.value.code == "adaptive_bank_uncalibrated"
    assert [p.code.value for p in raised.value.problems] == [
        "adaptive_bank_uncalibrated",
        "adaptive_bank_too_small",
    ]


def test_a_passing_score_without_a_cut_makes_the_bank_unusable():
    problems = cat.bank_problems(params(40), question_count=40, passing_score=100)
    assert [p.code.value for p in problems] == ["adaptive_cut_unreachable"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_questions": 0},
        {"max_questions": 10, "min_questions": 11},
        {"max_questions": 10, "min_questions": 0},
        {"max_questions": 10, "top_k": 0},
    ],
)
def test_settings_out_of_range_are_refused(kwargs):
    with pytest.raises(ValueError):
        CatSettings(**kwargs)
