"""PRODUCT.md §3 completion rules, without a database."""

from decimal import Decimal

import pytest

from refairn.training import domain
from refairn.training.domain import TextSection, TrainingRuleViolation


def test_intervals_merge_clamp_and_drop_empty_ones() -> None:
    merged = domain.merge_intervals(
        [(50, 70), (0, 10), (10, 20), (65, 200), (30, 30), (-5, 2)], 100
    )
    assert merged == [(Decimal(0), Decimal(20)), (Decimal(50), Decimal(100))]


def test_float_positions_keep_their_decimal_value() -> None:
    assert domain.merge_intervals([(0.1, 0.3)], 10) == [(Decimal("0.1"), Decimal("0.3"))]


def test_a_non_finite_position_is_refused() -> None:
    with pytest.raises(TrainingRuleViolation) as exc:
        domain.merge_intervals([(0, float("inf"))], 10)
    assert exc.value.code == "invalid_interval"


def test_a_video_completes_at_95_percent_and_not_by_skipping() -> None:
    assert domain.video_complete([(Decimal(0), Decimal(95))], 100)
    assert not domain.video_complete([(Decimal(0), Decimal("94.9"))], 100)
    assert domain.video_progress([(Decimal(0), Decimal(5)), (Decimal(90), Decimal(100))], 100) == (
        domain.ModuleProgress(False, 15)
    )


SECTIONS = [
    TextSection("a", 0, frozenset({1})),
    TextSection("b", 1),
]


def test_text_sections_complete_in_order_with_a_correct_answer() -> None:
    done = domain.complete_section(SECTIONS, set(), "a", 1)
    assert domain.complete_section(SECTIONS, done, "b", None) == {"a", "b"}
    assert domain.text_progress(SECTIONS, {"a"}) == domain.ModuleProgress(False, 50)


@pytest.mark.parametrize(
    ("completed", "section", "answer", "code"),
    [
        (set(), "b", None, "section_out_of_order"),
        (set(), "a", 0, "quiz_answer_wrong"),
        (set(), "a", None, "quiz_answer_required"),
        (set(), "z", None, "unknown_section"),
    ],
)
def test_text_rule_violations_have_stable_codes(
    completed: set[str], section: str, answer: int | None, code: str
) -> None:
    with pytest.raises(TrainingRuleViolation) as exc:
        domain.complete_section(SECTIONS, completed, section, answer)
    assert exc.value.code == code


def test_demo_scripts_count_practice_runs() -> None:
    assert domain.demo_progress(1, 2) == domain.ModuleProgress(False, 50)
    assert domain.demo_progress(2, 2).completed


def test_faq_items_are_reviewed_and_unknown_ones_refused() -> None:
    reviewed = domain.review_faq_items({"x", "y"}, set(), ["x"])
    assert domain.faq_progress({"x", "y"}, reviewed) == domain.ModuleProgress(False, 50)
    with pytest.raises(TrainingRuleViolation) as exc:
        domain.review_faq_items({"x"}, set(), ["q"])
    assert exc.value.code == "unknown_item"


def test_the_assessment_gate_names_the_first_unmet_condition() -> None:
    gate = domain.assessment_gate
    assert (
        gate(required_modules_complete=True, prerequisites_certified=True, has_training_access=True)
        is None
    )
    assert (
        gate(
            required_modules_complete=False, prerequisites_certified=False, has_training_access=True
        )
        == domain.GateCode.TRAINING_INCOMPLETE
    )
    assert (
        gate(
            required_modules_complete=True, prerequisites_certified=False, has_training_access=True
        )
        == domain.GateCode.PREREQUISITE_MISSING
    )
