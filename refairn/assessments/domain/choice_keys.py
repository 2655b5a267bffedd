"""The ids under which an attempt shows its choices (issue 18 item 1).

Authored choice ids (``a``, ``b``, ...) follow the order the author wrote, and authors tend to
put the right answer first, so an agent who saw them could score by position alone. An attempt
shows each choice under a key derived from a server secret, the attempt and the question: it
says nothing about the authored order, differs from one attempt to the next, and maps back to
the authored id on the server. Deriving the keys (rather than storing them) keeps every attempt
readable, the ones started before keys existed included.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace

from refairn.assessments.domain.questions import Question

# 60 bits: unguessable within a question's handful of choices, short enough for a form value.
KEY_LENGTH = 15


def choice_key(secret: bytes, attempt_id: str, question_id: str, choice_id: str) -> str:
    message = f"choice-key:{attempt_id}:{question_id}:{choice_id}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:KEY_LENGTH]


def keyed_choices(question: Question, *, secret: bytes, attempt_id: str) -> Question:
    """The question with each choice under the id ``attempt_id`` shows for it (same order)."""
    if not question.choices:
        return question
    return replace(
        question,
        choices=tuple(
            replace(c, id=choice_key(secret, attempt_id, question.id, c.id))
            for c in question.choices
        ),
    )


def authored_ids(question: Question, keyed: Question) -> dict[str, str]:
    """Each shown id of ``keyed`` (from ``keyed_choices(question, ...)``) to its authored id."""
    return {k.id: c.id for k, c in zip(keyed.choices, question.choices, strict=True)}
