from django import template

from lms import policy

from ..models import QuizPage
from ..selectors import person_results

register = template.Library()


@register.inclusion_tag("quizzes/_course_quizzes.html", takes_context=True)
def course_quizzes(context, course):
    """The live quizzes of a course with the signed-in person's result on each (two queries)."""
    request = context.get("request")
    quizzes = list(QuizPage.objects.child_of(course).live().order_by("path"))
    person = policy.profile_of(request.user) if request is not None and request.user.is_authenticated else None
    results = person_results(person=person, quizzes=quizzes) if person is not None and quizzes else {}
    return {"rows": [(quiz, results.get(quiz.pk)) for quiz in quizzes], "request": request}
