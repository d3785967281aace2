from .attempts import Attempt, AttemptQuestion, AttemptStatus
from .bank import Question, QuestionChoice, QuestionCompetency, QuestionKind, QuestionPool, QuestionTag, QuestionVersion
from .quiz import GradingMethod, QuizDraw, QuizOverride, QuizPage, QuizSlot, ReviewLevel

__all__ = [
    "Attempt",
    "AttemptQuestion",
    "AttemptStatus",
    "GradingMethod",
    "Question",
    "QuestionChoice",
    "QuestionCompetency",
    "QuestionKind",
    "QuestionPool",
    "QuestionTag",
    "QuestionVersion",
    "QuizDraw",
    "QuizOverride",
    "QuizPage",
    "QuizSlot",
    "ReviewLevel",
]
