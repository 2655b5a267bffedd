"""The reads other apps call: training access, the assessment gate's module check and the
progress tracker."""

from typing import Any

import pytest

from refairn.programs.models import Agent, Business
from refairn.programs.selectors import actor_for
from refairn.training.models import ModuleProgress
from refairn.training.selectors import (
    has_training_access,
    module_states_for,
    required_modules_complete,
)
from refairn.training.tests.modules import make_track
from tests.support import T0, make_user, set_support_access

pytestmark = pytest.mark.django_db


def set_training_access(business: Business, value: str) -> None:
    business.settings = {**business.settings, "training_access": value}
    business.save(update_fields=["settings"])


@pytest.mark.parametrize(
    ("training_access", "support_access", "expected"),
    [
        ("automatic", "none", True),
        ("automatic", "removed", True),
        ("on_request", "none", False),
        ("on_request", "requested", True),
        ("on_request", "active", True),
        ("on_request", "suspended", True),
        ("on_request", "removed", False),
    ],
)
def test_training_access_follows_the_program_setting_and_support_access(
    bob: Any, business_a: Business, training_access: str, support_access: str, expected: bool
) -> None:
    set_training_access(business_a, training_access)
    set_support_access(bob, support_access)
    assert has_training_access(actor_for(bob, business_a.id), business_a) is expected


def test_only_approved_agents_have_training_access(alice: Any, business_a: Business) -> None:
    set_training_access(business_a, "automatic")
    dana = make_user("dana@x.test")
    Agent.objects.create(business=business_a, user=dana)
    set_support_access(dana, "requested", business=business_a)
    assert has_training_access(actor_for(dana, business_a.id), business_a) is False
    assert has_training_access(actor_for(alice, business_a.id), business_a) is False


def test_training_access_is_per_business(bob: Any, business_a: Business, business_b: Any) -> None:
    set_training_access(business_b, "automatic")
    assert has_training_access(actor_for(bob, business_a.id), business_b) is False


def complete(module: Any, agent: Any) -> None:
    ModuleProgress.objects.create(
        business_id=module.business_id, module=module, agent=agent, completed_at=T0
    )


def test_a_track_without_required_modules_is_complete(
    bob: Any, track_a: Any, create_module: Any
) -> None:
    assert required_modules_complete(track_id=track_a.id, agent_id=bob.id) is True
    create_module("video", required=False)
    assert required_modules_complete(track_id=track_a.id, agent_id=bob.id) is True


def test_every_required_module_must_be_completed(
    bob: Any, track_a: Any, create_module: Any
) -> None:
    video, faq = create_module("video"), create_module("faq")
    create_module("demo_script", required=False)
    complete(video, bob)
    ModuleProgress.objects.create(business_id=faq.business_id, module=faq, agent=bob)
    assert required_modules_complete(track_id=track_a.id, agent_id=bob.id) is False
    ModuleProgress.objects.filter(module=faq).update(completed_at=T0)
    assert required_modules_complete(track_id=track_a.id, agent_id=bob.id) is True


def test_another_agents_completion_does_not_count(
    bob: Any, business_a: Business, track_a: Any, create_module: Any
) -> None:
    other = make_user("olga@a.test")
    Agent.objects.create(business=business_a, user=other, status="approved")
    complete(create_module("video"), other)
    assert required_modules_complete(track_id=track_a.id, agent_id=bob.id) is False


def test_module_states_list_every_track_in_order_in_bounded_queries(
    bob: Any,
    business_a: Business,
    track_a: Any,
    create_module: Any,
    django_assert_num_queries: Any,
) -> None:
    track_2, empty = make_track(business_a, "Escalations"), make_track(business_a, "Empty")
    faq = create_module("faq", track=track_2)
    video = create_module("video", track=track_a, position=3)
    text = create_module("text", track=track_a, position=1, required=False)
    create_module("demo_script", track=track_2)
    complete(faq, bob)
    ModuleProgress.objects.create(
        business_id=video.business_id, module=video, agent=bob, watched=[["0", "42.5"]]
    )
    with django_assert_num_queries(4):
        states = module_states_for(track_ids=[track_a.id, track_2.id, empty.id], agent_id=bob.id)
    assert states[empty.id] == []
    assert [m["id"] for m in states[track_a.id]] == [text.id, video.id]
    assert states[track_a.id][0] == {
        "id": text.id,
        "title": text.title,
        "format": "text",
        "required": False,
        "completed": False,
        "progress": 0,
    }
    assert (states[track_a.id][1]["completed"], states[track_a.id][1]["progress"]) == (False, 42)
    assert [(m["format"], m["completed"]) for m in states[track_2.id]] == [
        ("faq", True),
        ("demo_script", False),
    ]


def test_module_states_for_no_tracks_is_empty(bob: Any) -> None:
    assert module_states_for(track_ids=[], agent_id=bob.id) == {}
