import pytest

from refairn.training.domain import (
    ModuleProgress,
    TextSection,
    TrainingRuleViolation,
    complete_section,
    text_progress,
)

SECTIONS = [
    TextSection("intro", order=1),
    TextSection("rules", order=2, quiz_correct_index=frozenset({2})),
    TextSection("wrap", order=3, quiz_correct_index=frozenset({0, 1})),
]


def violation_code(*args):
    with pytest.raises(TrainingRuleViolation) as caught:
        complete_section(*args)
    return caught.value.code


def test_first_section_without_quiz_completes():
    assert complete_section(SECTIONS, set(), "intro", None) == {"intro"}


def test_section_cannot_be_completed_before_the_previous_one():
    assert violation_code(SECTIONS, set(), "rules", 2) == "section_out_of_order"
    assert violation_code(SECTIONS, {"intro"}, "wrap", 0) == "section_out_of_order"


def test_order_follows_the_order_field_not_the_list_position():
    shuffled = list(reversed(SECTIONS))
    assert violation_code(shuffled, set(), "wrap", 0) == "section_out_of_order"
    assert complete_section(shuffled, set(), "intro", None) == {"intro"}


def test_quiz_must_be_answered_correctly():
    assert violation_code(SECTIONS, {"intro"}, "rules", 1) == "quiz_answer_wrong"
    assert complete_section(SECTIONS, {"intro"}, "rules", 2) == {"intro", "rules"}


def test_quiz_needs_an_answer():
    assert violation_code(SECTIONS, {"intro"}, "rules", None) == "quiz_answer_required"


def test_any_correct_choice_of_a_multi_answer_quiz_completes():
    assert complete_section(SECTIONS, {"intro", "rules"}, "wrap", 1) == {"intro", "rules", "wrap"}


def test_unknown_section_is_refused():
    assert violation_code(SECTIONS, set(), "nope", None) == "unknown_section"


def test_completing_again_is_a_harmless_retry():
    assert complete_section(SECTIONS, {"intro", "rules"}, "rules", None) == {"intro", "rules"}


def test_text_module_completes_when_all_sections_are():
    assert text_progress(SECTIONS, {"intro"}) == ModuleProgress(False, 33)
    assert text_progress(SECTIONS, {"intro", "rules"}) == ModuleProgress(False, 66)
    assert text_progress(SECTIONS, {"intro", "rules", "wrap"}) == ModuleProgress(True, 100)


def test_completed_ids_of_other_modules_do_not_count():
    assert text_progress(SECTIONS, {"intro", "elsewhere"}) == ModuleProgress(False, 33)


def test_text_module_without_sections_is_complete():
    assert text_progress([], set()) == ModuleProgress(True, 100)
