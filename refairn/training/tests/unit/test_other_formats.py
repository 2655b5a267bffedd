import pytest

from refairn.training.domain import (
    Format,
    ModuleProgress,
    TrainingRuleViolation,
    demo_progress,
    faq_progress,
    pdf_progress,
    review_faq_items,
)


def test_formats_are_the_five_product_formats():
    assert [f.value for f in Format] == ["video", "pdf", "text", "demo_script", "faq"]


def test_pdf_completes_on_download():
    assert pdf_progress(False) == ModuleProgress(False, 0)
    assert pdf_progress(True) == ModuleProgress(True, 100)


def test_demo_script_needs_one_practice_run_by_default():
    assert demo_progress(0) == ModuleProgress(False, 0)
    assert demo_progress(1) == ModuleProgress(True, 100)


def test_demo_script_counts_toward_the_required_runs():
    assert demo_progress(2, required_runs=3) == ModuleProgress(False, 66)
    assert demo_progress(3, required_runs=3) == ModuleProgress(True, 100)
    assert demo_progress(5, required_runs=3) == ModuleProgress(True, 100)


def test_demo_script_requires_at_least_one_run():
    with pytest.raises(ValueError):
        demo_progress(0, required_runs=0)


def test_faq_completes_when_every_item_is_reviewed():
    items = {"q1", "q2", "q3", "q4"}
    reviewed = review_faq_items(items, set(), ["q1", "q3"])
    assert reviewed == {"q1", "q3"}
    assert faq_progress(items, reviewed) == ModuleProgress(False, 50)
    reviewed = review_faq_items(items, reviewed, ["q2", "q4", "q1"])
    assert faq_progress(items, reviewed) == ModuleProgress(True, 100)


def test_unknown_faq_item_is_refused():
    with pytest.raises(TrainingRuleViolation) as caught:
        review_faq_items({"q1"}, set(), ["q1", "zz", "aa"])
    assert caught.value.code == "unknown_item"
    assert caught.value.detail == "No FAQ items aa, zz here."


def test_empty_faq_is_complete():
    assert faq_progress(set(), set()) == ModuleProgress(True, 100)
