from datetime import timedelta
from typing import Any

import pytest

from refairn.core import clock
from refairn.programs.models import Agent, Customer, StaffMembership
from refairn.training.models import FaqItem, Module, TextSection
from refairn.training.tests.modules import BODIES, DEMO, FAQ, TEXT, VIDEO
from tests.support import T0, api_as, assert_problem, make_user

pytestmark = pytest.mark.django_db


def create(client: Any, track: Any, body: dict[str, Any]) -> Any:
    return client.post(f"/tracks/{track.id}/modules", body)


def nothing_written() -> bool:
    return not (Module.objects.exists() or TextSection.objects.exists() or FaqItem.objects.exists())


# -- POST /tracks/{t}/modules ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(BODIES))
def test_staff_create_a_module_of_every_format(as_alice: Any, track_a: Any, fmt: str) -> None:
    response = create(as_alice, track_a, {**BODIES[fmt], "estimated_hours": "1.5"})
    assert response.status_code == 201, response.body
    body = response.body
    module = Module.objects.get(pk=body["id"])
    assert (module.track_id, module.business_id) == (track_a.id, track_a.business_id)
    assert body["format"] == module.format == fmt
    assert body["estimated_hours"] == "1.5"
    assert body["position"] == 0
    assert body["locked"] is False
    assert body["completed"] is None  # staff have no progress of their own


def test_a_video_module_keeps_its_duration_and_url(as_alice: Any, track_a: Any) -> None:
    body = create(as_alice, track_a, {**VIDEO, "video_url": "https://cdn.test/welcome.mp4"}).body
    assert body["duration_seconds"] == 100
    assert body["video_url"] == "https://cdn.test/welcome.mp4"
    assert body["sections"] is None and body["items"] is None


def test_a_text_module_returns_its_sections_with_ids_and_answers(
    as_alice: Any, track_a: Any
) -> None:
    body = create(as_alice, track_a, TEXT).body
    first, second = body["sections"]
    assert [s["position"] for s in body["sections"]] == [0, 1]
    assert TextSection.objects.get(pk=first["id"]).title == "Why escalate"
    assert first["quiz"]["choices"] == [
        {"text": "The agent", "correct": False},
        {"text": "The business", "correct": True},
    ]
    assert second["quiz"] is None


def test_a_faq_module_returns_its_items_with_ids(as_alice: Any, track_a: Any) -> None:
    body = create(as_alice, track_a, FAQ).body
    assert [i["question"] for i in body["items"]] == [i["question"] for i in FAQ["items"]]
    assert FaqItem.objects.filter(pk__in=[i["id"] for i in body["items"]]).count() == 2


def test_a_demo_script_counts_one_practice_run_by_default(as_alice: Any, track_a: Any) -> None:
    body = create(as_alice, track_a, {**DEMO, "practice_runs_required": None}).body
    assert body["practice_runs_required"] == 1
    assert body["script"] == DEMO["script"]


def test_a_pdf_module_has_no_file_until_one_is_uploaded(as_alice: Any, track_a: Any) -> None:
    assert create(as_alice, track_a, BODIES["pdf"]).body["has_file"] is False


def test_position_defaults_to_after_the_last_module(as_alice: Any, track_a: Any) -> None:
    create(as_alice, track_a, {**VIDEO, "position": 4})
    assert create(as_alice, track_a, FAQ).body["position"] == 5
    assert create(as_alice, track_a, {**DEMO, "position": 1}).body["position"] == 1
    titles = [m["title"] for m in as_alice.get(f"/tracks/{track_a.id}/modules").body]
    assert titles == [DEMO["title"], VIDEO["title"], FAQ["title"]]


def test_a_manager_may_create_modules(track_a: Any, business_a: Any) -> None:
    manager = make_user("mia@a.test")
    StaffMembership.objects.create(business=business_a, user=manager, role="manager")
    assert create(api_as(manager), track_a, VIDEO).status_code == 201


QUIZ = TEXT["sections"][0]["quiz"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**VIDEO, "sections": TEXT["sections"]}, "sections"),
        ({**VIDEO, "script": "hello"}, "script"),
        ({**TEXT, "duration_seconds": 10}, "duration_seconds"),
        ({**FAQ, "practice_runs_required": 2}, "practice_runs_required"),
        ({**BODIES["pdf"], "items": FAQ["items"]}, "items"),
        ({**BODIES["pdf"], "video_url": "https://cdn.test/x.mp4"}, "video_url"),
        ({**VIDEO, "duration_seconds": None}, "duration_seconds"),
        ({**VIDEO, "duration_seconds": 0}, "duration_seconds"),
        ({**VIDEO, "video_url": "javascript:alert(1)"}, "video_url"),
        ({**TEXT, "sections": []}, "sections"),
        ({**TEXT, "sections": None}, "sections"),
        (
            {**TEXT, "sections": [{"title": "t", "body": "b", "quiz": {**QUIZ, "choices": []}}]},
            "sections.0.quiz.choices",
        ),
        (
            {
                **TEXT,
                "sections": [
                    {"title": "t", "body": "b", "quiz": {**QUIZ, "choices": QUIZ["choices"][:1]}}
                ],
            },
            "sections.0.quiz.choices",
        ),
        (
            {
                **TEXT,
                "sections": [
                    {
                        "title": "t",
                        "body": "b",
                        "quiz": {
                            "prompt": "?",
                            "choices": [{"text": "a", "correct": True}] * 2,
                        },
                    }
                ],
            },
            "sections.0.quiz",
        ),
        (
            {
                **TEXT,
                "sections": [
                    {
                        "title": "t",
                        "body": "b",
                        "quiz": {"prompt": "?", "choices": [{"text": "a"}, {"text": "b"}]},
                    }
                ],
            },
            "sections.0.quiz",
        ),
        ({**DEMO, "script": None}, "script"),
        ({**DEMO, "practice_runs_required": 0}, "practice_runs_required"),
        ({**FAQ, "items": []}, "items"),
        ({**FAQ, "items": [{"question": "q"}]}, "items.0.answer"),
        ({**VIDEO, "format": "podcast"}, "format"),
        ({**VIDEO, "title": "   "}, "title"),
        ({**VIDEO, "estimated_hours": "1.25"}, "estimated_hours"),
        ({**VIDEO, "position": -1}, "position"),
        ({**VIDEO, "colour": "blue"}, "colour"),
    ],
)
def test_bad_module_input_names_the_field(
    as_alice: Any, track_a: Any, body: dict[str, Any], field: str
) -> None:
    response = create(as_alice, track_a, body)
    assert_problem(response, 422, "validation_error")
    assert field in [e["field"] for e in response.body["errors"]], response.body
    assert nothing_written()


@pytest.mark.parametrize("role", ["reviewer", "security"])
def test_other_staff_cannot_create_modules(track_a: Any, business_a: Any, role: str) -> None:
    user = make_user(f"{role}@a.test")
    StaffMembership.objects.create(business=business_a, user=user, role=role)
    assert_problem(create(api_as(user), track_a, VIDEO), 403, "forbidden")
    assert nothing_written()


def test_agents_cannot_create_modules(as_bob: Any, track_a: Any, open_training: Any) -> None:
    assert_problem(create(as_bob, track_a, VIDEO), 403, "forbidden")
    assert nothing_written()


def test_other_tenant_cannot_create_modules(as_charlie: Any, track_a: Any) -> None:
    assert_problem(create(as_charlie, track_a, VIDEO), 404, "not_found")
    assert nothing_written()


def test_an_unknown_track_is_404(as_alice: Any) -> None:
    for track_id in ["not-a-track-id", "00000000-0000-0000-0000-000000000001"]:
        assert_problem(as_alice.post(f"/tracks/{track_id}/modules", VIDEO), 404, "not_found")


# -- GET /tracks/{t}/modules ----------------------------------------------------------------


def test_staff_see_every_module_with_quiz_answers(
    as_alice: Any, track_a: Any, create_module: Any
) -> None:
    create_module("text")
    create_module("faq")
    modules = as_alice.get(f"/tracks/{track_a.id}/modules").body
    assert [m["format"] for m in modules] == ["text", "faq"]
    assert modules[0]["sections"][0]["quiz"]["choices"][1] == {
        "text": "The business",
        "correct": True,
    }
    assert modules[0]["sections"][0]["completed"] is None


def test_agents_never_see_correct_flags(
    as_bob: Any, track_a: Any, create_module: Any, open_training: Any
) -> None:
    create_module("text")
    response = as_bob.get(f"/tracks/{track_a.id}/modules")
    assert response.status_code == 200
    (module,) = response.body
    assert module["locked"] is False
    assert module["sections"][0]["quiz"]["choices"] == [
        {"text": "The agent"},
        {"text": "The business"},
    ]
    assert b"correct" not in response.content
    assert (module["completed"], module["progress"]) == (False, 0)
    assert [s["completed"] for s in module["sections"]] == [False, False]


def test_an_agent_sees_their_own_progress(
    as_bob: Any, track_a: Any, create_module: Any, open_training: Any
) -> None:
    video = create_module("video")
    create_module("faq")
    with clock.frozen(T0 - timedelta(minutes=1)):
        as_bob.post(f"/modules/{video.id}/open", {})
    as_bob.post(f"/modules/{video.id}/progress", {"watched": [[0, 40]]})
    first, second = as_bob.get(f"/tracks/{track_a.id}/modules").body
    assert (first["completed"], first["progress"]) == (False, 40)
    assert (second["completed"], second["progress"]) == (False, 0)
    assert [i["reviewed"] for i in second["items"]] == [False, False]


def test_without_training_access_an_agent_sees_the_outline_only(
    as_bob: Any, track_a: Any, create_module: Any
) -> None:
    create_module("text")
    create_module("demo_script")
    create_module("video", video_url="https://cdn.test/welcome.mp4")
    text, demo, video = as_bob.get(f"/tracks/{track_a.id}/modules").body
    assert all(m["locked"] for m in (text, demo, video))
    assert text["sections"] is None and demo["script"] is None and video["video_url"] is None
    assert text["title"] == TEXT["title"] and video["duration_seconds"] == 100


def test_a_customer_does_not_list_the_modules(
    track_a: Any, business_a: Any, create_module: Any
) -> None:
    """Issue 18 item 6: training is for the program's agents and staff."""
    user = make_user("cust@c.test")
    Customer.objects.create(
        business=business_a, user=user, name="C", monthly_value=1, subscribed_at=T0
    )
    create_module("faq")
    response = api_as(user).get(f"/tracks/{track_a.id}/modules")
    assert_problem(response, 403, "forbidden")
    assert "Common questions" not in response.content.decode()


def test_a_customer_who_is_also_an_agent_lists_them_as_an_agent(
    as_bob: Any, bob: Any, track_a: Any, business_a: Any, create_module: Any
) -> None:
    Customer.objects.create(
        business=business_a, user=bob, name="Bob's shop", monthly_value=1, subscribed_at=T0
    )
    create_module("faq")
    (module,) = as_bob.get(f"/tracks/{track_a.id}/modules").body
    assert module["title"] == "Common questions"


def test_listing_costs_a_bounded_number_of_queries(
    as_bob: Any,
    track_a: Any,
    create_module: Any,
    open_training: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for fmt in BODIES:
        create_module(fmt)
        create_module(fmt)
    with django_assert_max_num_queries(14):
        assert len(as_bob.get(f"/tracks/{track_a.id}/modules").body) == 10


def test_other_tenant_cannot_list_modules(
    as_charlie: Any, track_a: Any, create_module: Any
) -> None:
    create_module("video")
    assert_problem(as_charlie.get(f"/tracks/{track_a.id}/modules"), 404, "not_found")


def test_a_pending_applicant_sees_the_locked_outline(
    track_a: Any, business_a: Any, create_module: Any
) -> None:
    dana = make_user("dana@x.test")
    Agent.objects.create(business=business_a, user=dana)
    create_module("video")
    (module,) = api_as(dana).get(f"/tracks/{track_a.id}/modules").body
    assert module["locked"] is True and module["completed"] is None
