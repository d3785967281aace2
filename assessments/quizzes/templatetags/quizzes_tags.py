from django import template
from django.utils.translation import get_language

from lms import policy

from ..models import QuizPage
from ..selectors import originals, person_results, quiz_titles_in

register = template.Library()


@register.inclusion_tag("quizzes/_course_quizzes.html", takes_context=True)
def course_quizzes(context, course):
    """The live quizzes of a course with the signed-in person's result on each, titled in the reader's
    language where the quiz is translated (three queries)."""
    request = context.get("request")
    quizzes = list(originals(QuizPage.objects.child_of(course).live()).order_by("path"))
    person = policy.profile_of(request.user) if request is not None and request.user.is_authenticated else None
    results = person_results(person=person, quizzes=quizzes) if person is not None and quizzes else {}
    language = (getattr(request, "LANGUAGE_CODE", None) or get_language() or "vi").split("-")[0]
    titles = quiz_titles_in(quizzes, language) if quizzes else {}
    return {
        "rows": [(quiz, titles.get(quiz.pk, quiz.title), results.get(quiz.pk)) for quiz in quizzes],
        "request": request,
    }
