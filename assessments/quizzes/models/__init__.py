from .bank import Question, QuestionChoice, QuestionKind, QuestionPool, QuestionTag, QuestionVersion

__all__ = ["Question", "QuestionChoice", "QuestionKind", "QuestionPool", "QuestionTag", "QuestionVersion"]
