from typing import Any

import pytest

from refairn.training.models import Track
from tests.support import assert_problem

pytestmark = pytest.mark.django_db

SEED = {
    # name: (requirement, min_level, passing score, questions, months, critical, badge, icon)
    "Product Fundamentals": ("required", None, 85, 50, 12, False, "Product Fundamentals", "📘"),
    "Advanced Troubleshooting": (
        "required",
        "L2",
        80,
        45,
        12,
        False,
        "Advanced Troubleshooting",
        "🔧",
    ),
    "Billing & Accounts": ("optional", None, 85, 33, 12, False, "Billing Specialist", "💰"),
    "Security & Compliance": ("required", None, 100, 25, 6, True, "Security Certified", "🔒"),
    "Customer Success": ("optional", "L3", 85, 31, 12, False, "Customer Success", "🌟"),
    "De-escalation & Conflict Resolution": (
        "recommended",
        None,
        75,
        5,
        12,
        False,
        "De-escalation Expert",
        "🤝",
    ),
}


def apply(client: Any, business: Any, template: str = "support-standard") -> Any:
    return client.post(f"/businesses/{business.id}/tracks/template", {"template": template})


def test_support_standard_creates_the_six_seed_tracks(as_alice: Any, business_a: Any) -> None:
    response = apply(as_alice, business_a)
    assert response.status_code == 201, response.content
    rows = response.body
    assert [r["name"] for r in rows] == list(SEED)
    for row in rows:
        requirement, level, score, questions, months, critical, badge, icon = SEED[row["name"]]
        assert row["requirement"] == requirement
        assert row["min_level"] == level
        assert row["passing_score"] == score
        assert row["assessment"]["question_count"] == questions
        assert row["assessment"]["time_limit_minutes"] >= 1
        assert row["recertification_months"] == months
        assert row["security_critical"] is critical
        assert row["badge"] == {"name": badge, "icon": icon}
    ids = {r["name"]: r["id"] for r in rows}
    prerequisites = {r["name"]: r["prerequisite_ids"] for r in rows}
    fundamentals = [ids["Product Fundamentals"]]
    assert prerequisites == {
        "Product Fundamentals": [],
        "Advanced Troubleshooting": fundamentals,
        "Billing & Accounts": fundamentals,
        "Security & Compliance": [],
        "Customer Success": fundamentals,
        "De-escalation & Conflict Resolution": [],
    }
    assert Track.objects.filter(business=business_a).count() == 6


def test_applying_the_template_twice_is_409_and_creates_nothing(
    as_alice: Any, business_a: Any
) -> None:
    apply(as_alice, business_a)
    assert_problem(apply(as_alice, business_a), 409, "template_already_applied")
    assert Track.objects.filter(business=business_a).count() == 6


def test_an_unknown_template_is_422(as_alice: Any, business_a: Any) -> None:
    response = apply(as_alice, business_a, "enterprise-deluxe")
    assert_problem(response, 422, "unknown_template")
    assert response.body["errors"][0]["field"] == "template"
    assert not Track.objects.exists()


def test_agents_cannot_apply_templates(as_bob: Any, business_a: Any) -> None:
    assert_problem(apply(as_bob, business_a), 403, "forbidden")
    assert not Track.objects.exists()


def test_another_tenant_cannot_apply_templates(as_charlie: Any, business_a: Any) -> None:
    assert_problem(apply(as_charlie, business_a), 404, "not_found")
    assert not Track.objects.exists()


SEED_MODULES = {
    # name: [(title, estimated hours), ...] as the third seed lists them (issue 11 item 6)
    "Product Fundamentals": [
        ("Product overview and value proposition", 2),
        ("Core features deep-dive", 4),
        ("Common use cases and workflows", 3),
        ("Integration ecosystem", 2),
        ("Product roadmap and recent changes", 1),
    ],
    "Advanced Troubleshooting": [
        ("API troubleshooting", 4),
        ("SSO/Authentication deep-dive", 3),
        ("Database and data issues", 3),
        ("Performance troubleshooting", 2),
        ("Integration debugging", 3),
    ],
    "Billing & Accounts": [
        ("Pricing models and plans", 2),
        ("Payment processing and failures", 2),
        ("Refund and credit policies", 2),
        ("Account management operations", 2),
    ],
    "Security & Compliance": [
        ("Data privacy (GDPR, CCPA, HIPAA)", 2),
        ("PII handling and redaction", 1),
        ("Security incident response basics", 2),
        ("Phishing and social engineering awareness", 1),
    ],
    "Customer Success": [
        ("Health score management", 2),
        ("Churn prevention strategies", 3),
        ("Expansion opportunity identification", 2),
        ("Executive communication", 2),
        ("QBR preparation and delivery", 3),
    ],
    "De-escalation & Conflict Resolution": [
        ("Emotional intelligence fundamentals", 2),
        ("De-escalation techniques", 3),
        ("Difficult customer scenarios (practice)", 3),
        ("Boundary setting and professional communication", 2),
    ],
}


def test_the_template_brings_the_seed_modules_as_drafts(
    as_alice: Any, as_bob: Any, business_a: Any
) -> None:
    rows = apply(as_alice, business_a).body
    assert {row["status"] for row in rows} == {"draft"}
    for row in rows:
        modules = as_alice.get(f"/tracks/{row['id']}/modules").body
        assert [(m["title"], float(m["estimated_hours"])) for m in modules] == SEED_MODULES[
            row["name"]
        ]
        assert {m["status"] for m in modules} == {"draft"}
    # Nothing reaches agents before the business publishes it.
    assert as_bob.get(f"/businesses/{business_a.id}/tracks").body == []
