"""The quiz page (a child of a course page), its composition and per-person overrides."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from assessments.models import Band
from assessments.models.grading import GradingMethod


class ReviewLevel(models.IntegerChoices):
    """What a learner sees after submitting; each level includes the ones before it."""

    SCORE = 1, _("Score only")
    CORRECTNESS = 2, _("Score and which answers were right")
    ANSWERS = 3, _("… and the correct answers")
    FEEDBACK = 4, _("… and the feedback")


class QuizPage(RoutablePageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True)
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), null=True, blank=True, help_text=_("Empty: no time limit.")
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=0, help_text=_("0: unlimited."))
    pass_mark = models.FloatField(
        _("pass mark (%)"), default=70.0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    grading_method = models.CharField(
        _("score across attempts"), max_length=10, choices=GradingMethod.choices, default=GradingMethod.HIGHEST
    )
    review = models.PositiveSmallIntegerField(
        _("after submitting, show"), choices=ReviewLevel.choices, default=ReviewLevel.FEEDBACK
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    required_for_completion = models.BooleanField(_("passing is required to complete the course"), default=True)
    band = models.CharField(
        _("band assessed"),
        max_length=16,
        choices=Band.choices,
        blank=True,
        help_text=_(
            "The proficiency band the questions assess, unless a question names its own. Empty: the course's difficulty."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("slots", heading=_("Fixed questions"), label=_("Question")),
        InlinePanel("draws", heading=_("Random draws"), label=_("Draw")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("max_attempts")]),
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("grading_method")]),
                FieldPanel("review"),
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_choices")]),
                FieldPanel("required_for_completion"),
                FieldPanel("band"),
            ],
            heading=_("Rules"),
        ),
    ]

    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    template = "quizzes/quiz_page.html"

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def time_limit(self, extra_minutes: int = 0) -> timedelta | None:
        if not self.time_limit_minutes:
            return None
        return timedelta(minutes=self.time_limit_minutes + extra_minutes)

    # Learner pages; the views stay thin and live in assessments.quizzes.views.
    @path("")
    def landing(self, request):
        from ..views import quiz_landing

        return quiz_landing(request, self)

    def serve_preview(self, request, mode_name):
        from ..views import quiz_preview

        return quiz_preview(request, self)

    @path("start/")
    def start(self, request):
        from ..views import quiz_start

        return quiz_start(request, self)

    @path("attempt/<int:attempt_id>/")
    def attempt(self, request, attempt_id: int):
        from ..views import quiz_attempt

        return quiz_attempt(request, self, attempt_id)

    @path("attempt/<int:attempt_id>/submit/")
    def attempt_submit(self, request, attempt_id: int):
        from ..views import quiz_attempt_submit

        return quiz_attempt_submit(request, self, attempt_id)


class QuizSlot(Orderable):
    """A question every attempt gets."""

    page = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="slots")
    question = models.ForeignKey("quizzes.Question", verbose_name=_("question"), on_delete=models.PROTECT)

    panels = [FieldPanel("question")]

    class Meta(Orderable.Meta):
        verbose_name = _("fixed question")


class QuizDraw(Orderable):
    """``count`` questions at random from a pool (or the whole bank) at or above a difficulty."""

    page = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="draws")
    count = models.PositiveSmallIntegerField(_("how many"), default=1, validators=[MinValueValidator(1)])
    pool = models.ForeignKey(
        "quizzes.QuestionPool", verbose_name=_("from pool"), null=True, blank=True, on_delete=models.PROTECT
    )
    tag = models.CharField(_("with tag"), max_length=100, blank=True)
    min_difficulty = models.PositiveSmallIntegerField(
        _("difficulty at least"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    per_competency = models.BooleanField(
        _("per competency"),
        default=False,
        help_text=_("Draw this many for each competency the matching questions are linked to."),
    )

    panels = [
        FieldRowPanel([FieldPanel("count"), FieldPanel("min_difficulty")]),
        FieldPanel("pool"),
        FieldPanel("tag"),
        FieldPanel("per_competency"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("random draw")


class QuizOverride(models.Model):
    """Extra time or attempts for one person on one quiz (e.g. a reasonable adjustment, a retake)."""

    quiz = models.ForeignKey(QuizPage, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="overrides")
    person = models.ForeignKey("lms.StaffProfile", verbose_name=_("person"), on_delete=models.CASCADE)
    extra_minutes = models.PositiveIntegerField(_("extra minutes"), default=0)
    extra_attempts = models.PositiveSmallIntegerField(_("extra attempts"), default=0)
    closes_at = models.DateTimeField(_("closes for this person"), null=True, blank=True)
    note = models.CharField(_("reason"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["quiz", "person"], name="quizoverride_unique_person")]
        verbose_name = _("quiz override")
        verbose_name_plural = _("quiz overrides")

    def __str__(self) -> str:
        return f"{self.quiz} · {self.person}"
