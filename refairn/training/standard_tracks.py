"""The built-in track templates a business can create in one step (PRODUCT.md §3).

``support-standard`` is the third seed's six certification tracks. Where the seed is silent:

- Question counts add the seed's exercises to its questions (40 + 5 practical = 45,
  30 + 3 scenario = 33, 30 + 1 role-play = 31); De-escalation is its five simulations.
- Time limits allow about 1.5 minutes per multiple-choice question and more for exercises,
  role-play and live simulations.
- Durations are calendar days (the seed's "2 weeks" = 14).
- "Biannual" (Security) means twice a year: 6 months (PRODUCT.md §3).
- Advanced Troubleshooting is required from level L2, Customer Success is optional from L3.
- The seed's modules come as drafts (issue 11 item 6): a title and estimated hours each, as
  PDF guides for the business to upload (or to archive and replace with another format). The
  tracks are drafts too, so nothing reaches agents or the dashboard before it is published.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from refairn.training.domain import Requirement


@dataclass(frozen=True)
class TrackTemplate:
    key: str  # how other entries of the same template name it as a prerequisite
    name: str
    description: str
    requirement: Requirement
    min_level: str
    prerequisite_keys: tuple[str, ...]
    estimated_days: int
    passing_score: Decimal
    recertification_months: int
    security_critical: bool
    badge_name: str
    badge_icon: str
    question_count: int
    time_limit_minutes: int
    modules: tuple[tuple[str, int], ...]  # (title, estimated hours), in the seed's order


SUPPORT_STANDARD: tuple[TrackTemplate, ...] = (
    TrackTemplate(
        key="fundamentals",
        name="Product Fundamentals",
        description=(
            "Product overview and value proposition, core features, common use cases and "
            "workflows, the integration ecosystem, and the roadmap and recent changes. "
            "Self-study with an assessment of multiple-choice and scenario questions."
        ),
        requirement=Requirement.REQUIRED,
        min_level="",
        prerequisite_keys=(),
        estimated_days=14,
        passing_score=Decimal(85),
        recertification_months=12,
        security_critical=False,
        badge_name="Product Fundamentals",
        badge_icon="📘",
        question_count=50,
        time_limit_minutes=75,
        modules=(
            ("Product overview and value proposition", 2),
            ("Core features deep-dive", 4),
            ("Common use cases and workflows", 3),
            ("Integration ecosystem", 2),
            ("Product roadmap and recent changes", 1),
        ),
    ),
    TrackTemplate(
        key="advanced",
        name="Advanced Troubleshooting",
        description=(
            "API troubleshooting, SSO and authentication, database and data issues, "
            "performance troubleshooting and integration debugging. 40 questions and 5 "
            "practical exercises."
        ),
        requirement=Requirement.REQUIRED,
        min_level="L2",
        prerequisite_keys=("fundamentals",),
        estimated_days=21,
        passing_score=Decimal(80),
        recertification_months=12,
        security_critical=False,
        badge_name="Advanced Troubleshooting",
        badge_icon="🔧",
        question_count=45,
        time_limit_minutes=90,
        modules=(
            ("API troubleshooting", 4),
            ("SSO/Authentication deep-dive", 3),
            ("Database and data issues", 3),
            ("Performance troubleshooting", 2),
            ("Integration debugging", 3),
        ),
    ),
    TrackTemplate(
        key="billing",
        name="Billing & Accounts",
        description=(
            "Pricing models and plans, payment processing and failures, refund and credit "
            "policies, and account management operations. 30 questions and 3 scenario-based "
            "exercises."
        ),
        requirement=Requirement.OPTIONAL,
        min_level="",
        prerequisite_keys=("fundamentals",),
        estimated_days=7,
        passing_score=Decimal(85),
        recertification_months=12,
        security_critical=False,
        badge_name="Billing Specialist",
        badge_icon="💰",
        question_count=33,
        time_limit_minutes=60,
        modules=(
            ("Pricing models and plans", 2),
            ("Payment processing and failures", 2),
            ("Refund and credit policies", 2),
            ("Account management operations", 2),
        ),
    ),
    TrackTemplate(
        key="security",
        name="Security & Compliance",
        description=(
            "Data privacy (GDPR, CCPA, HIPAA), PII handling and redaction, security incident "
            "response basics, and phishing and social engineering awareness. Mandatory: every "
            "question is critical, one wrong answer means a retake."
        ),
        requirement=Requirement.REQUIRED,
        min_level="",
        prerequisite_keys=(),
        estimated_days=7,
        passing_score=Decimal(100),
        recertification_months=6,
        security_critical=True,
        badge_name="Security Certified",
        badge_icon="🔒",
        question_count=25,
        time_limit_minutes=40,
        modules=(
            ("Data privacy (GDPR, CCPA, HIPAA)", 2),
            ("PII handling and redaction", 1),
            ("Security incident response basics", 2),
            ("Phishing and social engineering awareness", 1),
        ),
    ),
    TrackTemplate(
        key="customer_success",
        name="Customer Success",
        description=(
            "Health score management, churn prevention, expansion opportunities, executive "
            "communication, and QBR preparation and delivery. 30 questions and a role-play "
            "exercise."
        ),
        requirement=Requirement.OPTIONAL,
        min_level="L3",
        prerequisite_keys=("fundamentals",),
        estimated_days=14,
        passing_score=Decimal(85),
        recertification_months=12,
        security_critical=False,
        badge_name="Customer Success",
        badge_icon="🌟",
        question_count=31,
        time_limit_minutes=75,
        modules=(
            ("Health score management", 2),
            ("Churn prevention strategies", 3),
            ("Expansion opportunity identification", 2),
            ("Executive communication", 2),
            ("QBR preparation and delivery", 3),
        ),
    ),
    TrackTemplate(
        key="de_escalation",
        name="De-escalation & Conflict Resolution",
        description=(
            "Emotional intelligence, de-escalation techniques, difficult customer scenarios "
            "and boundary setting. Five live simulation scenarios; the pass mark is the "
            "average across them."
        ),
        requirement=Requirement.RECOMMENDED,
        min_level="",
        prerequisite_keys=(),
        estimated_days=7,
        passing_score=Decimal(75),
        recertification_months=12,
        security_critical=False,
        badge_name="De-escalation Expert",
        badge_icon="🤝",
        question_count=5,
        time_limit_minutes=60,
        modules=(
            ("Emotional intelligence fundamentals", 2),
            ("De-escalation techniques", 3),
            ("Difficult customer scenarios (practice)", 3),
            ("Boundary setting and professional communication", 2),
        ),
    ),
)

SUPPORT_STANDARD_NAME = "support-standard"
TEMPLATES: dict[str, tuple[TrackTemplate, ...]] = {SUPPORT_STANDARD_NAME: SUPPORT_STANDARD}
