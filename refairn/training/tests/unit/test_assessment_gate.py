import pytest

from refairn.training.domain import (
    GateCode,
    assessment_gate,
    has_training_access,
    training_published,
)


def gate(access=True, modules=True, prerequisites=True, published=True):
    return assessment_gate(
        training_published=published,
        required_modules_complete=modules,
        prerequisites_certified=prerequisites,
        has_training_access=access,
    )


def test_gate_codes_are_the_api_error_codes():
    assert {c.value for c in GateCode} == {
        "no_training_access",
        "training_not_published",
        "training_incomplete",
        "prerequisite_missing",
    }


def test_assessment_opens_when_everything_is_in_place():
    assert gate() is None


def test_no_training_access_comes_first():
    assert gate(access=False, modules=False, prerequisites=False) is GateCode.NO_TRAINING_ACCESS


def test_incomplete_training_blocks():
    assert gate(modules=False, prerequisites=False) is GateCode.TRAINING_INCOMPLETE


def test_unpublished_training_blocks_before_incomplete_training():
    assert gate(published=False, modules=False) is GateCode.TRAINING_NOT_PUBLISHED


@pytest.mark.parametrize(
    ("published", "drafts", "ready"),
    [(0, 0, True), (0, 2, False), (1, 2, True), (3, 0, True)],
)
def test_training_is_published_unless_every_module_is_still_a_draft(published, drafts, ready):
    assert training_published(published_modules=published, draft_modules=drafts) is ready


def test_missing_prerequisite_blocks():
    assert gate(prerequisites=False) is GateCode.PREREQUISITE_MISSING


@pytest.mark.parametrize("library_open", [False, True])
def test_on_request_training_opens_with_the_library(library_open):
    assert (
        has_training_access(
            training_access="on_request", agent_approved=True, library_open=library_open
        )
        is library_open
    )


def test_automatic_training_opens_for_every_approved_agent():
    assert has_training_access(training_access="automatic", agent_approved=True, library_open=False)
    assert not has_training_access(
        training_access="automatic", agent_approved=False, library_open=True
    )
