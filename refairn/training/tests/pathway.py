"""A small certification pathway built through the services, for the agent's page tests and the
browser journey: one track with a module of each of the five formats and a question bank."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from refairn.accounts.models import User
from refairn.assessments.domain import QuestionType
from refairn.assessments.models import Question
from refairn.assessments.services import ChoiceSpec, question_create
from refairn.programs.models import Business
from refairn.programs.selectors import actor_for
from refairn.training.domain import Format
from refairn.training.models import Module, Track
from refairn.training.services import module_create, module_file_upload, track_create

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
VIDEO_SECONDS = 12


@dataclass
class Pathway:
    track: Track
    video: Module
    pdf: Module
    text: Module
    demo: Module
    faq: Module
    questions: list[Question]

    @property
    def modules(self) -> list[Module]:
        return [self.video, self.pdf, self.text, self.demo, self.faq]


def build_pathway(
    owner: User,
    business: Business,
    *,
    with_written_question: bool = True,
    time_limit_minutes: int = 15,
) -> Pathway:
    """Product Fundamentals: five required modules (one per format) and a bank of two multiple
    choice questions, plus a short answer a reviewer grades when ``with_written_question``."""
    actor = actor_for(owner, business.id)
    questions_count = 3 if with_written_question else 2
    track = track_create(
        actor=actor,
        fields={
            "name": "Product Fundamentals",
            "description": "What every agent must know about the product.",
            "requirement": "required",
            "min_level": None,
            "prerequisite_ids": [],
            "estimated_days": 14,
            "passing_score": Decimal(80),
            "recertification_months": 12,
            "security_critical": False,
            "badge_name": "Product Fundamentals",
            "badge_icon": "📘",
            "assessment_mode": "fixed",
            "question_count": questions_count,
            "time_limit_minutes": time_limit_minutes,
            "position": None,
        },
    )
    video = module_create(
        actor=actor,
        track=track,
        title="Product tour",
        format=Format.VIDEO,
        description="Acme turns warehouse data into shared dashboards. Four plans: Starter, "
        "Growth, Business and Enterprise. You explain and guide; Acme decides billing.",
        duration_seconds=VIDEO_SECONDS,
    )
    pdf = module_create(actor=actor, track=track, title="Plans and pricing", format=Format.PDF)
    pdf = module_file_upload(actor=actor, module=pdf, body=io.BytesIO(PDF_BYTES))
    text = module_create(
        actor=actor,
        track=track,
        title="Support boundaries",
        format=Format.TEXT,
        sections=[
            {
                "title": "What you handle",
                "body": "Onboarding, product questions and general troubleshooting.",
                "quiz": {
                    "prompt": "Which of these do you handle yourself?",
                    "choices": [
                        {"text": "Refund requests", "correct": False},
                        {"text": "Onboarding questions", "correct": True},
                    ],
                },
            },
            {
                "title": "What you escalate",
                "body": "Billing disputes, account security, refunds and account deletion.",
                "quiz": {
                    "prompt": "A customer asks for a refund. You…",
                    "choices": [
                        {"text": "Escalate it to the business", "correct": True},
                        {"text": "Promise it will be approved", "correct": False},
                    ],
                },
            },
        ],
    )
    demo = module_create(
        actor=actor,
        track=track,
        title="First call script",
        format=Format.DEMO_SCRIPT,
        script="Hello, I am your Acme partner. Let us set up your first dashboard together.",
    )
    faq = module_create(
        actor=actor,
        track=track,
        title="Customer FAQ",
        format=Format.FAQ,
        items=[
            {"question": "Can I change plans mid-cycle?", "answer": "Yes, prorated by Acme."},
            {"question": "Where is my data stored?", "answer": "In the EU on Enterprise."},
        ],
    )
    questions = [
        question_create(
            actor=actor,
            track=track,
            question_type=QuestionType.MULTIPLE_CHOICE,
            prompt="Which plan includes the HIPAA BAA?",
            choices=[
                ChoiceSpec("Enterprise", True),
                ChoiceSpec("Starter", False),
                ChoiceSpec("Growth", False),
            ],
        ),
        question_create(
            actor=actor,
            track=track,
            question_type=QuestionType.MULTIPLE_CHOICE,
            prompt="A customer disputes an invoice. What do you do?",
            choices=[ChoiceSpec("Escalate to the business", True), ChoiceSpec("Refund it", False)],
        ),
    ]
    if with_written_question:
        questions.append(
            question_create(
                actor=actor,
                track=track,
                question_type=QuestionType.SHORT_ANSWER,
                prompt="Name the team you escalate billing disputes to.",
                choices=[ChoiceSpec("billing team", True)],
            )
        )
    return Pathway(track, video, pdf, text, demo, faq, questions)


def right_choice_ids(question: Question) -> list[str]:
    return [c["id"] for c in question.choices if c["correct"]]


def complete_training(agent: User, business: Business, pathway: Pathway) -> None:
    """Every module completed through the services, as the pages would."""
    from refairn.core import clock
    from refairn.training.services import module_download, module_open, module_progress_record

    actor = actor_for(agent, business.id)
    # Opened long enough ago for the whole video at 2× (issue 11 item 7).
    with clock.frozen(clock.now() - timedelta(seconds=VIDEO_SECONDS)):
        module_open(actor=actor, module=pathway.video)
    module_progress_record(actor=actor, module=pathway.video, watched=[(0, VIDEO_SECONDS)])
    module_download(actor=actor, module=pathway.pdf)
    for section in pathway.text.sections.all():
        correct = next(i for i, c in enumerate(section.quiz_choices) if c["correct"])
        module_progress_record(
            actor=actor, module=pathway.text, section_id=str(section.id), quiz_choice_index=correct
        )
    module_progress_record(actor=actor, module=pathway.demo, practice_run=True)
    module_progress_record(
        actor=actor,
        module=pathway.faq,
        reviewed_item_ids=[str(i.id) for i in pathway.faq.faq_items.all()],
    )
