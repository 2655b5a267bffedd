from datetime import timedelta
from typing import Any

import pytest

from refairn.certification.models import Certification, CertificationEvent
from refairn.core import clock
from refairn.programs.models import Agent
from refairn.training.models import Module, ModuleProgress
from tests.support import T0, api_as, assert_problem, make_user, set_support_access

pytestmark = pytest.mark.django_db


def progress(client: Any, module: Module, body: dict[str, Any]) -> Any:
    return client.post(f"/modules/{module.id}/progress", body)


def row(module: Module, agent: Any) -> ModuleProgress:
    return ModuleProgress.objects.get(module=module, agent=agent)


def nothing_recorded() -> bool:
    """No progress beyond an opening (the ``video`` fixture opens its module)."""
    return all(
        not (r.watched or r.completed_section_ids or r.reviewed_item_ids or r.practice_runs)
        and r.completed_at is None
        for r in ModuleProgress.objects.all()
    )


@pytest.fixture
def video(create_module: Any, open_training: Any, bob: Any) -> Module:
    """A 100-second video Bob opened an hour ago: the two-times-speed cap (issue 11 item 7)
    leaves him room for all of it."""
    module: Module = create_module("video")
    ModuleProgress.objects.create(
        business=module.business, module=module, agent=bob, started_at=T0 - timedelta(hours=1)
    )
    return module


@pytest.fixture
def text(create_module: Any, open_training: Any) -> Module:
    module: Module = create_module("text")
    return module


def section_ids(module: Module) -> list[str]:
    return [str(pk) for pk in module.sections.values_list("id", flat=True)]


# -- video ----------------------------------------------------------------------------------


def test_watching_most_of_a_video_completes_it(as_bob: Any, bob: Any, video: Module) -> None:
    response = progress(as_bob, video, {"watched": [[0, 95]]})
    assert response.status_code == 200, response.body
    assert response.body == {"module_id": str(video.id), "completed": True, "progress": 100}
    assert row(video, bob).completed_at == T0


def test_skipping_to_the_end_does_not_complete_a_video(
    as_bob: Any, bob: Any, video: Module
) -> None:
    response = progress(as_bob, video, {"watched": [[0, 5], [90, 100]]})
    assert response.body == {"module_id": str(video.id), "completed": False, "progress": 15}
    assert row(video, bob).completed_at is None


def test_overlapping_intervals_from_several_requests_merge(
    as_bob: Any, bob: Any, video: Module
) -> None:
    assert progress(as_bob, video, {"watched": [[0, 30], [20, 50]]}).body["progress"] == 50
    assert progress(as_bob, video, {"watched": [[40, 70]]}).body["progress"] == 70
    assert progress(as_bob, video, {"watched": [[10, 60]]}).body["progress"] == 70
    assert row(video, bob).watched == [["0", "70"]]
    final = progress(as_bob, video, {"watched": [[65.5, 100]]})
    assert final.body == {"module_id": str(video.id), "completed": True, "progress": 100}
    assert row(video, bob).watched == [["0", "100"]]


def test_a_completed_module_stays_completed(as_bob: Any, bob: Any, video: Module) -> None:
    progress(as_bob, video, {"watched": [[0, 100]]})
    with clock.frozen(T0 + timedelta(days=3)):
        again = progress(as_bob, video, {"watched": [[0, 1]]})
    assert again.body["completed"] is True
    assert row(video, bob).completed_at == T0


@pytest.mark.parametrize(
    "body",
    [
        {"watched": []},
        {"watched": [[0]]},
        {"watched": [[0, "ten"]]},
        {"watched": "0-10"},
        {"watched": None},
        {},
    ],
)
def test_bad_watched_intervals_are_refused(
    as_bob: Any, video: Module, body: dict[str, Any]
) -> None:
    response = progress(as_bob, video, body)
    assert_problem(response, 422, "validation_error")
    assert "watched" in [e["field"].split(".")[0] for e in response.body["errors"]]
    assert nothing_recorded()
    assert not Certification.objects.exists()


def test_a_non_finite_position_is_refused(as_bob: Any, video: Module) -> None:
    response = as_bob.post(f"/modules/{video.id}/progress", '{"watched": [[0, Infinity]]}')
    assert response.status_code == 422
    assert nothing_recorded()


def test_opening_a_module_records_the_first_moment(
    as_bob: Any, bob: Any, create_module: Any, open_training: Any
) -> None:
    video = create_module("video")
    response = as_bob.post(f"/modules/{video.id}/open", {})
    assert response.status_code == 200, response.body
    assert response.body == {"module_id": str(video.id), "opened_at": "2026-11-02T09:00:00Z"}
    with clock.frozen(T0 + timedelta(minutes=3)):
        again = as_bob.post(f"/modules/{video.id}/open", {})
    assert again.body["opened_at"] == "2026-11-02T09:00:00Z"
    assert row(video, bob).started_at == T0


def test_watched_time_is_capped_at_twice_the_time_since_opening(
    as_bob: Any, bob: Any, create_module: Any, open_training: Any
) -> None:
    video = create_module("video", duration_seconds=1800)
    as_bob.post(f"/modules/{video.id}/open", {})
    with clock.frozen(T0 + timedelta(minutes=4)):
        # Ten minutes of video four minutes after opening: eight minutes count.
        response = progress(as_bob, video, {"watched": [[0, 600]]})
    assert response.status_code == 200, response.body
    assert row(video, bob).watched == [["0", "480"]]
    assert response.body["progress"] == 26  # 480 of 1800 seconds
    with clock.frozen(T0 + timedelta(minutes=4, seconds=1)):
        # A second later: two more seconds, wherever the report puts them.
        progress(as_bob, video, {"watched": [[0, 600], [1000, 1100]]})
    assert row(video, bob).watched == [["0", "482"]]


def test_a_report_without_opening_first_counts_nothing_yet(
    as_bob: Any, bob: Any, create_module: Any, open_training: Any
) -> None:
    video = create_module("video")
    response = progress(as_bob, video, {"watched": [[0, 100]]})
    assert response.body["progress"] == 0 and response.body["completed"] is False
    with clock.frozen(T0 + timedelta(seconds=50)):
        # The first report opened it: 50 seconds later the whole video fits.
        response = progress(as_bob, video, {"watched": [[0, 100]]})
    assert response.body == {"module_id": str(video.id), "completed": True, "progress": 100}


def test_capped_intervals_are_clipped_to_the_video_and_not_double_counted(
    as_bob: Any, bob: Any, create_module: Any, open_training: Any
) -> None:
    video = create_module("video", duration_seconds=300)
    as_bob.post(f"/modules/{video.id}/open", {})
    with clock.frozen(T0 + timedelta(minutes=1)):  # budget: 120 seconds
        progress(as_bob, video, {"watched": [[250, 900], [0, 40], [20, 60]]})
    # 250-300 (clipped to the video) and 0-60 (overlaps merged): 110 seconds, under 120.
    assert row(video, bob).watched == [["0", "60"], ["250", "300"]]
    with clock.frozen(T0 + timedelta(minutes=1)):
        progress(as_bob, video, {"watched": [[0, 60], [60, 100]]})
    # Only 10 seconds were left: the repeated 0-60 costs nothing.
    assert row(video, bob).watched == [["0", "70"], ["250", "300"]]


def test_only_an_agent_with_training_access_opens_a_module(
    as_bob: Any, as_alice: Any, create_module: Any
) -> None:
    video = create_module("video")  # business A keeps the default: on request
    assert_problem(as_bob.post(f"/modules/{video.id}/open", {}), 403, "no_training_access")
    assert_problem(as_alice.post(f"/modules/{video.id}/open", {}), 403, "forbidden")
    assert not ModuleProgress.objects.filter(module=video).exists()


# -- text -----------------------------------------------------------------------------------


def test_text_sections_complete_in_order_with_their_quiz(
    as_bob: Any, bob: Any, text: Module
) -> None:
    first, second = section_ids(text)
    one = progress(as_bob, text, {"section_id": first, "quiz_choice_index": 1})
    assert one.body == {"module_id": str(text.id), "completed": False, "progress": 50}
    two = progress(as_bob, text, {"section_id": second})
    assert two.body == {"module_id": str(text.id), "completed": True, "progress": 100}
    assert row(text, bob).completed_section_ids == [first, second]


def test_a_section_out_of_order_is_refused(as_bob: Any, text: Module) -> None:
    _, second = section_ids(text)
    assert_problem(progress(as_bob, text, {"section_id": second}), 409, "section_out_of_order")
    assert nothing_recorded()
    assert not Certification.objects.exists()


@pytest.mark.parametrize(
    ("answer", "code"),
    [({"quiz_choice_index": 0}, "quiz_answer_wrong"), ({}, "quiz_answer_required")],
)
def test_a_section_needs_its_quiz_answered_correctly(
    as_bob: Any, text: Module, answer: dict[str, Any], code: str
) -> None:
    first, _ = section_ids(text)
    response = progress(as_bob, text, {"section_id": first, **answer})
    assert_problem(response, 422, code)
    assert response.body["errors"][0]["field"] == "quiz_choice_index"
    assert nothing_recorded()


def test_an_unknown_section_is_refused(as_bob: Any, text: Module, create_module: Any) -> None:
    other_text = create_module("text")
    for section_id in ["nope", section_ids(other_text)[0]]:
        assert_problem(progress(as_bob, text, {"section_id": section_id}), 422, "unknown_section")
    assert nothing_recorded()


def test_completing_a_section_again_changes_nothing(as_bob: Any, bob: Any, text: Module) -> None:
    first, _ = section_ids(text)
    progress(as_bob, text, {"section_id": first, "quiz_choice_index": 1})
    again = progress(as_bob, text, {"section_id": first})
    assert again.body["progress"] == 50
    assert row(text, bob).completed_section_ids == [first]


# -- demo script and FAQ ------------------------------------------------------------------


def test_a_demo_script_completes_after_the_required_practice_runs(
    as_bob: Any, bob: Any, create_module: Any, open_training: Any
) -> None:
    demo = create_module("demo_script")  # two runs required
    assert progress(as_bob, demo, {"practice_run": True}).body["progress"] == 50
    assert progress(as_bob, demo, {"practice_run": True}).body["completed"] is True
    assert row(demo, bob).practice_runs == 2


def test_practice_run_must_be_true(as_bob: Any, create_module: Any, open_training: Any) -> None:
    demo = create_module("demo_script")
    assert_problem(progress(as_bob, demo, {"practice_run": False}), 422, "validation_error")
    assert nothing_recorded()


def test_a_faq_completes_when_every_item_is_reviewed(
    as_bob: Any, bob: Any, create_module: Any, open_training: Any
) -> None:
    faq = create_module("faq")
    first, second = (str(pk) for pk in faq.faq_items.values_list("id", flat=True))
    assert progress(as_bob, faq, {"reviewed_item_ids": [first]}).body["progress"] == 50
    done = progress(as_bob, faq, {"reviewed_item_ids": [first, second]})
    assert done.body == {"module_id": str(faq.id), "completed": True, "progress": 100}
    assert row(faq, bob).reviewed_item_ids == [first, second]


def test_an_unknown_faq_item_is_refused(
    as_bob: Any, create_module: Any, open_training: Any
) -> None:
    faq = create_module("faq")
    first = str(faq.faq_items.values_list("id", flat=True)[0])
    response = progress(as_bob, faq, {"reviewed_item_ids": [first, "nope"]})
    assert_problem(response, 422, "unknown_item")
    assert response.body["errors"][0]["field"] == "reviewed_item_ids"
    assert nothing_recorded()


# -- shape, access, roles, tenancy ----------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "body", "field"),
    [
        ("video", {"watched": [[0, 10]], "practice_run": True}, "practice_run"),
        ("text", {"reviewed_item_ids": ["x"]}, "reviewed_item_ids"),
        ("demo_script", {"practice_run": True, "section_id": "x"}, "section_id"),
        ("faq", {"watched": [[0, 10]]}, "watched"),
        ("video", {"watched": [[0, 10]], "quiz_choice_index": 0}, "quiz_choice_index"),
        ("pdf", {"practice_run": True}, "practice_run"),
        ("video", {"watched": [[0, 10]], "speed": 2}, "speed"),
    ],
)
def test_keys_of_another_format_are_refused(
    as_bob: Any, create_module: Any, open_training: Any, fmt: str, body: Any, field: str
) -> None:
    module = create_module(fmt)
    response = progress(as_bob, module, body)
    assert_problem(response, 422, "validation_error")
    assert field in [e["field"] for e in response.body["errors"]]
    assert nothing_recorded()


def test_a_pdf_completes_by_download_not_by_progress(
    as_bob: Any, create_module: Any, open_training: Any
) -> None:
    assert_problem(progress(as_bob, create_module("pdf"), {}), 409, "wrong_format")
    assert nothing_recorded()


def test_the_first_progress_starts_the_certification(as_bob: Any, bob: Any, video: Module) -> None:
    progress(as_bob, video, {"watched": [[0, 10]]})
    certification = Certification.objects.get(track=video.track, agent=bob)
    assert certification.status == "in_progress"
    progress(as_bob, video, {"watched": [[10, 20]]})
    event = CertificationEvent.objects.get(certification=certification)
    assert (event.from_status, event.to_status, event.by_id) == (
        "not_started",
        "in_progress",
        bob.id,
    )


def test_a_certification_past_in_progress_is_left_alone(
    as_bob: Any, bob: Any, video: Module
) -> None:
    Certification.objects.create(
        business=video.business, track=video.track, agent=bob, status="certified"
    )
    progress(as_bob, video, {"watched": [[0, 10]]})
    assert Certification.objects.get(track=video.track, agent=bob).status == "certified"
    assert not CertificationEvent.objects.exists()


def test_an_agent_without_training_access_is_refused(as_bob: Any, create_module: Any) -> None:
    video = create_module("video")  # business A keeps the default: on request
    assert_problem(progress(as_bob, video, {"watched": [[0, 10]]}), 403, "no_training_access")
    assert nothing_recorded()
    assert not Certification.objects.exists()


def test_requesting_support_access_opens_training(
    as_bob: Any, bob_requested: Any, create_module: Any
) -> None:
    video = create_module("video")
    assert progress(as_bob, video, {"watched": [[0, 10]]}).status_code == 200


def test_staff_do_not_record_progress(as_alice: Any, video: Module) -> None:
    assert_problem(progress(as_alice, video, {"watched": [[0, 10]]}), 403, "forbidden")
    assert nothing_recorded()


def test_a_pending_applicant_does_not_record_progress(business_a: Any, video: Module) -> None:
    dana = make_user("dana@x.test")
    Agent.objects.create(business=business_a, user=dana)
    set_support_access(dana, "requested", business=business_a)
    assert_problem(progress(api_as(dana), video, {"watched": [[0, 10]]}), 403, "forbidden")
    assert nothing_recorded()


def test_an_agent_of_another_business_gets_404(
    charlie: Any, business_b: Any, video: Module
) -> None:
    erin = make_user("erin@b.test")
    Agent.objects.create(business=business_b, user=erin, status="approved")
    assert_problem(progress(api_as(erin), video, {"watched": [[0, 10]]}), 404, "not_found")
    assert_problem(progress(api_as(charlie), video, {"watched": [[0, 10]]}), 404, "not_found")
    assert nothing_recorded()


def test_progress_on_an_unknown_module_is_404(as_bob: Any, open_training: Any) -> None:
    response = as_bob.post("/modules/00000000-0000-0000-0000-000000000001/progress", {})
    assert_problem(response, 404, "not_found")
