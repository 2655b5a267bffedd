"""Pure assessment rules (PRODUCT.md §4): no Django, plain values, ``now`` passed in.

Services may import the submodules or use the names re-exported here
(``from refairn.assessments import domain; domain.draw_questions(...)``).
"""

from refairn.assessments.domain.choice_keys import authored_ids, choice_key, keyed_choices
from refairn.assessments.domain.deadlines import answer_allowed, deadline_for, needs_auto_submit
from refairn.assessments.domain.errors import (
    AssessmentError,
    BankTooSmall,
    GradeOutOfRange,
    InvalidAnswer,
    NotReviewerGraded,
    ScorePending,
)
from refairn.assessments.domain.questions import (
    REVIEWER_GRADED,
    AgentChoice,
    AgentQuestion,
    Choice,
    Question,
    QuestionType,
    agent_view,
    choices_problem,
    draw_questions,
    shuffle_choices,
)
from refairn.assessments.domain.scoring import (
    AttemptOutcome,
    QuestionResult,
    ScoreResult,
    apply_grade,
    automatic_part_decides_fail,
    check_choice_ids,
    grade_choices,
    meets_threshold,
    passed,
    score,
    score_percent,
)
from refairn.assessments.domain.statistics import (
    QuestionStats,
    average_percent,
    most_difficult,
    question_statistics,
)
from refairn.assessments.domain.suggestions import Suggestion, expected_keywords, suggest_score

__all__ = [
    "REVIEWER_GRADED",
    "AgentChoice",
    "AgentQuestion",
    "AssessmentError",
    "AttemptOutcome",
    "BankTooSmall",
    "Choice",
    "GradeOutOfRange",
    "InvalidAnswer",
    "NotReviewerGraded",
    "Question",
    "QuestionResult",
    "QuestionStats",
    "QuestionType",
    "ScorePending",
    "ScoreResult",
    "Suggestion",
    "agent_view",
    "answer_allowed",
    "apply_grade",
    "authored_ids",
    "automatic_part_decides_fail",
    "average_percent",
    "check_choice_ids",
    "choice_key",
    "choices_problem",
    "deadline_for",
    "draw_questions",
    "expected_keywords",
    "grade_choices",
    "keyed_choices",
    "meets_threshold",
    "most_difficult",
    "needs_auto_submit",
    "passed",
    "question_statistics",
    "score",
    "score_percent",
    "shuffle_choices",
    "suggest_score",
]
