"""Module bodies for every format, a track factory, and the requests ``ApiClient`` cannot
make (raw PDF bytes up, a streamed file down)."""

from __future__ import annotations

import json
from typing import Any

from refairn.programs.models import Business
from refairn.training.models import Track
from tests.support import ApiClient

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

VIDEO = {"title": "Welcome", "format": "video", "required": True, "duration_seconds": 100}
TEXT = {
    "title": "Escalation basics",
    "format": "text",
    "required": True,
    "sections": [
        {
            "title": "Why escalate",
            "body": "Some topics belong to the business.",
            "quiz": {
                "prompt": "Who handles refunds?",
                "choices": [
                    {"text": "The agent", "correct": False},
                    {"text": "The business", "correct": True},
                ],
            },
        },
        {"title": "How", "body": "Acknowledge, then escalate with a category."},
    ],
}
DEMO = {
    "title": "Demo call",
    "format": "demo_script",
    "required": True,
    "script": "Open the dashboard, then...",
    "practice_runs_required": 2,
}
FAQ = {
    "title": "Common questions",
    "format": "faq",
    "required": True,
    "items": [
        {"question": "Can I promise a refund?", "answer": "No: escalate it."},
        {"question": "Who resets passwords?", "answer": "Security staff."},
    ],
}
PDF_MODULE = {"title": "Handbook", "format": "pdf", "required": True}
BODIES = {"video": VIDEO, "text": TEXT, "demo_script": DEMO, "faq": FAQ, "pdf": PDF_MODULE}


def make_track(business: Business, name: str = "Support Fundamentals") -> Track:
    return Track.objects.create(
        business=business,
        name=name,
        requirement="required",
        passing_score=80,
        recertification_months=12,
        badge_name=name,
        question_count=10,
        time_limit_minutes=30,
    )


def put_pdf(client: ApiClient, module_id: object, content: bytes) -> Any:
    """``ApiClient`` always sends JSON; the upload sends raw PDF bytes."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {client.token}"} if client.token else {}
    response = client.client.put(
        f"/api/v1/modules/{module_id}/file",
        data=content,
        content_type="application/pdf",
        **headers,
    )
    response.body = json.loads(response.content) if response.content else None
    return response


def download(client: ApiClient, module_id: object) -> Any:
    """``ApiClient`` reads ``content``, which a streamed file response does not have."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {client.token}"} if client.token else {}
    response = client.client.get(f"/api/v1/modules/{module_id}/download", **headers)
    if response.streaming:
        response.bytes = b"".join(response.streaming_content)
        response.body = None
    else:
        response.bytes = None
        response.body = json.loads(response.content)
    return response
