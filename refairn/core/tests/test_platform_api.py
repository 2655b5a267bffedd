from typing import Any
from unittest import mock

import pytest

from tests.support import assert_problem


def test_health_answers_without_the_database(anon: Any) -> None:
    # No django_db mark: any query would raise here.
    response = anon.get("/health")
    assert response.status_code == 200
    assert response.body == {"status": "ok"}


@pytest.mark.django_db
def test_ready_checks_database_and_job_queue(anon: Any) -> None:
    response = anon.get("/ready")
    assert response.status_code == 200
    assert response.body["checks"] == {"database": "ok", "job_queue": "ok"}


@pytest.mark.django_db
def test_ready_is_503_naming_what_failed(anon: Any) -> None:
    with mock.patch(
        "refairn.core.readiness.CHECKS",
        {"database": lambda: None, "job_queue": mock.Mock(side_effect=ConnectionError)},
    ):
        response = anon.get("/ready")
    assert response.status_code == 503
    assert response.body["checks"]["job_queue"] == "error: ConnectionError"


def test_unknown_api_path_is_problem_json(anon: Any) -> None:
    assert_problem(anon.get("/no-such-thing"), 404, "not_found")


@pytest.mark.django_db
def test_malformed_json_is_a_clear_400(as_alice: Any) -> None:
    assert_problem(as_alice.post("/businesses", "{not json"), 400, "malformed_request")


@pytest.mark.django_db
def test_unknown_body_fields_are_rejected(as_alice: Any) -> None:
    response = as_alice.post("/businesses", {"name": "X", "nmae": "typo"})
    assert_problem(response, 422, "validation_error")
    assert response.body["errors"][0]["field"] == "nmae"


@pytest.mark.django_db
def test_an_oversized_body_is_413_not_a_crash(as_alice: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = as_alice.post("/businesses", {"name": "x" * 2000})
    assert_problem(response, 413, "payload_too_large")


# PostgreSQL refuses NUL characters in text and JSON; the API refuses them first, by name.


@pytest.mark.django_db
def test_a_nul_character_in_a_body_field_is_422_naming_it(as_alice: Any) -> None:
    response = as_alice.post("/businesses", {"name": "Acme\u0000"})
    assert_problem(response, 422, "validation_error")
    assert response.body["errors"] == [
        {"field": "name", "message": "must not contain NUL characters (\\u0000)"}
    ]


@pytest.mark.django_db
def test_a_nul_character_deep_in_a_json_field_is_422(as_alice: Any, business_a: Any) -> None:
    response = as_alice.patch(
        f"/businesses/{business_a.id}/settings",
        {"report": {"targets": {"x\u0000": "80"}}},
    )
    assert_problem(response, 422, "validation_error")
    assert response.body["errors"] == [
        {"field": "report.targets.x\\u0000", "message": "must not contain NUL characters (\\u0000)"}
    ]


@pytest.mark.django_db
def test_a_nul_character_in_a_routing_rule_is_422(as_alice: Any, business_a: Any) -> None:
    rules = [
        {"name": "API\u0000", "match": {"tags_any": ["api"]}, "require": {"min_certifications": 1}}
    ]
    response = as_alice.put(f"/businesses/{business_a.id}/routing-rules", rules)
    assert_problem(response, 422, "validation_error")
    assert response.body["errors"][0]["field"] == "0.name"


@pytest.mark.django_db
def test_a_nul_character_in_a_query_parameter_is_422_naming_it(
    as_alice: Any, business_a: Any
) -> None:
    response = as_alice.get(f"/businesses/{business_a.id}/tickets?status=open%00")
    assert_problem(response, 422, "validation_error")
    assert response.body["errors"][0]["field"] == "status"
