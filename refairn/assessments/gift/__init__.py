r"""Moodle GIFT import and export (PRODUCT.md §4: bulk import/export of questions). Pure.

Read: ``//`` comment lines, ``::title::``, multiple choice ``{=right ~wrong}`` with weights
``~%50%`` / ``~%-100%``, short answer ``{=a =b}`` (weights ``=%50%``), true/false ``{T}`` /
``{FALSE}`` (imported as a multiple choice "True"/"False", Moodle's ``#wrong#right`` feedback
kept on the choices), essay ``{}`` (a ``scenario``), answer feedback ``#``, general feedback
``####``, the escapes ``\~ \= \# \{ \} \: \\ \n``, missing-word questions (``a {…} b`` becomes
``a _____ b``) and questions over several lines. A blank line ends a question. Refused with a
``GiftError`` naming the line: matching (``->``), numerical (``{#…}``), descriptions (no answer
block), unknown weights, empty answers, unterminated braces and titles.

Refairn's conventions:

- A positive weight makes a choice correct; our multiple choice has no partial credit.
- A ``[moodle]``/``[html]``/``[markdown]``/``[plain]`` prefix on a text is accepted and dropped
  (Refairn stores plain text; the text itself is kept verbatim, tags and all).
- ``$CATEGORY: topic`` sets the topic of the questions after it; a Moodle context prefix such as
  ``$course$/top/`` is dropped.
- What GIFT lacks travels in comment lines in the question's block, before it, which Moodle
  ignores: ``// refairn: type=simulation points=2 critical=true`` and one
  ``// refairn-rubric: <line>`` per rubric line, and ``// refairn-irt: a=1.2 b=-0.4 c=0.2``
  for a question with 3PL parameters (issue 15; imported ones are marked as such). Export
  always writes them; without them a question is typed by its syntax, worth 1 point, not
  critical, without rubric or parameters. The declared type wins over the syntax, so a short
  answer ``{=a->b}`` is not taken for matching.
- Line endings become ``\n``; texts are trimmed. Within that, ``parse_gift(export_gift(qs))
  == qs`` for any valid questions.
"""

from refairn.assessments.gift.model import (
    GiftAnswer,
    GiftError,
    GiftQuestion,
    gift_from_question,
    question_from_gift,
)
from refairn.assessments.gift.read import parse_gift
from refairn.assessments.gift.write import export_gift

__all__ = [
    "GiftAnswer",
    "GiftError",
    "GiftQuestion",
    "export_gift",
    "gift_from_question",
    "parse_gift",
    "question_from_gift",
]
