"""Course catalogue pages: CourseIndexPage -> CoursePage -> LessonPage (and QuizPage from assessments.quizzes).

Pages hold content, panels and tree rules only. Learner data lives in plain models
(``courses.models.learning``) and always points at the *original* page of a translation
group (see ``courses.selectors.canonical_page``), so a learner keeps their progress whichever
language they read a course in.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import AbstractGroupApprovalTask, Page, TaskState
from wagtail.search import index

from lms.routing import CachedRoutePage

from ..blocks import LessonStreamBlock


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")
    SPECIALISED = "specialised", _("Specialised")


class TranslationFallbackRouteMixin:
    """Route to a child that exists only in another language.

    Wagtail routes a request through the tree of the active language. A course or lesson that
    has not been translated yet is missing from that tree; instead of a 404 the learner gets
    the original, and the page tells them it is not available in their language.
    """

    # The usual child type, fetched specific in one query instead of Wagtail's two (page, then specific).
    child_model_name: str | None = None

    def route(self, request, path_components):
        try:
            if path_components and self.child_model_name:
                from django.apps import apps

                child_model = apps.get_model("courses", self.child_model_name)
                child = child_model.objects.child_of(self).filter(slug=path_components[0]).first()
                if child is not None:
                    child._cached_parent_obj = self
                    return child.route(request, path_components[1:])
            return super().route(request, path_components)
        except Http404:
            if not path_components:
                raise
            for other in self.get_translations(inclusive=False).live().specific():
                try:
                    return other.route(request, path_components)
                except Http404:
                    continue
            raise


class CourseIndexPage(CachedRoutePage, TranslationFallbackRouteMixin, Page):
    child_model_name = "CoursePage"
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("course catalogue")

    def serve(self, request, *args, **kwargs):
        from ..views import catalogue_page

        return catalogue_page(request, self)


class CoursePage(CachedRoutePage, TranslationFallbackRouteMixin, Page):
    child_model_name = "LessonPage"
    summary = models.TextField(_("summary"), max_length=1000)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    estimated_hours = models.DecimalField(
        _("estimated hours"),
        max_digits=5,
        decimal_places=1,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(500)],
    )
    level = models.CharField(
        pgettext_lazy("course difficulty", "level"), max_length=20, choices=Level.choices, default=Level.BEGINNER
    )
    mandatory = models.BooleanField(
        _("mandatory"), default=False, help_text=_("Every officer the course is assigned to must complete it.")
    )
    open_access = models.BooleanField(
        _("open to everyone"),
        default=False,
        help_text=_("Signed-in staff may read the lessons without enrolling."),
    )
    sequential = models.BooleanField(
        _("lessons in order"),
        default=False,
        help_text=_("Each required lesson opens once the previous required lesson is completed."),
    )
    prerequisites = ParentalManyToManyField(
        "courses.CoursePage",
        verbose_name=_("prerequisites"),
        blank=True,
        related_name="+",
        help_text=_("Courses a learner must complete before the lessons of this one open."),
    )
    certificate_valid_days = models.PositiveIntegerField(
        _("certificate valid for (days)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for certificates that never expire."),
    )
    renew_days_before = models.PositiveIntegerField(
        _("re-enrol this many days before expiry"),
        default=30,
        validators=[MaxValueValidator(365)],
    )
    target_competencies = ParentalManyToManyField(
        "assessments.Competency",
        verbose_name=_("target competencies"),
        blank=True,
        related_name="courses",
        help_text=_("Competencies this course develops; learners with a gap in them see it recommended."),
    )

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldPanel("estimated_hours"),
                FieldPanel("level"),
                FieldPanel("mandatory"),
                FieldPanel("open_access"),
                FieldPanel("sequential"),
                FieldPanel("prerequisites"),
                FieldPanel("target_competencies"),
            ],
            heading=_("Learning"),
        ),
        MultiFieldPanel(
            [FieldPanel("certificate_valid_days"), FieldPanel("renew_days_before")],
            heading=_("Certificate"),
        ),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage", "quizzes.QuizPage"]

    class Meta:
        verbose_name = _("course")

    def clean(self):
        super().clean()
        if self.pk and self.pk in {p.pk for p in self.prerequisites.all()}:
            raise ValidationError({"prerequisites": _("A course cannot be its own prerequisite.")})

    def serve(self, request, *args, **kwargs):
        from ..views import course_page

        return course_page(request, self)

    def serve_preview(self, request, mode_name):
        from django.template.response import TemplateResponse

        return TemplateResponse(request, "courses/lesson_preview.html", {"page": self, "self": self})


class LessonPage(CachedRoutePage, Page):
    route_defer = ("body",)  # rendered once per revision and language (courses.selectors.lesson_body_html)
    summary = models.CharField(_("what you will learn"), max_length=300, blank=True)
    estimated_minutes = models.PositiveIntegerField(
        _("estimated minutes"), default=15, validators=[MaxValueValidator(600)]
    )
    required = models.BooleanField(
        _("required"), default=True, help_text=_("The course is complete once every required lesson is completed.")
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"))

    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("estimated_minutes"), FieldPanel("required")], heading=_("Learning")),
        FieldPanel("body"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    def serve(self, request, *args, **kwargs):
        from ..views import lesson_page

        return lesson_page(request, self)

    def serve_preview(self, request, mode_name):
        # Previews show the content only: a draft has no learners and may not be in the tree yet.
        from django.template.response import TemplateResponse

        return TemplateResponse(request, "courses/lesson_preview.html", {"page": self, "self": self})


class PeerReviewTask(AbstractGroupApprovalTask):
    """Group approval where the person who submitted a page can never approve it themselves.

    A course goes live only after a *second* trainer has reviewed it.
    """

    def _requested_by_id(self, obj):
        state = getattr(obj, "current_workflow_state", None)
        return state.requested_by_id if state is not None else None

    def get_actions(self, obj, user):
        if self._requested_by_id(obj) == user.pk:
            return []
        return super().get_actions(obj, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve" and task_state.workflow_state.requested_by_id == user.pk:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("A second trainer must approve; you cannot approve your own submission."))
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if isinstance(states, models.QuerySet) and states.model is TaskState:
            states = states.exclude(workflow_state__requested_by=user)
        return states

    @classmethod
    def get_description(cls):
        return _("A member of the chosen groups other than the author approves")

    class Meta:
        verbose_name = _("peer review task")
        verbose_name_plural = _("peer review tasks")
