"""The question bank: questions (Wagtail snippets) with their choices, and immutable versions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, TranslatableMixin
from wagtail.search import index

from assessments.models import Band
from assessments.scoring import grading

STEM_FEATURES = ["bold", "italic", "ol", "ul", "link", "image", "code"]


class QuestionKind(models.TextChoices):
    SINGLE = grading.SINGLE, _("Single choice")
    MULTIPLE = grading.MULTIPLE, _("Multiple response")
    TRUE_FALSE = grading.TRUE_FALSE, _("True / false")
    NUMERIC = grading.NUMERIC, _("Numeric")
    SHORT_TEXT = grading.SHORT_TEXT, _("Short text")
    MATCHING = grading.MATCHING, _("Matching")
    ORDERING = grading.ORDERING, _("Ordering")


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.MATCHING, QuestionKind.ORDERING}


class QuestionPool(models.Model):
    """A named set of questions that a quiz can draw from at random."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("question pool")
        verbose_name_plural = _("question pools")

    def __str__(self) -> str:
        return self.name


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey("quizzes.Question", on_delete=models.CASCADE, related_name="tagged_items")


class Question(TranslatableMixin, index.Indexed, ClusterableModel):
    """What a trainer edits. Learners never see this row directly: attempts point at a ``QuestionVersion``.

    Translatable like pages (Wagtail's ``locale`` and ``translation_key``): "Translate" in the bank copies a
    question into the other language. The first question of a translation group is the original; quizzes
    draw originals and show each learner the translation in their language when there is one.
    """

    title = models.CharField(_("title"), max_length=200, help_text=_("For the bank only; learners do not see it."))
    kind = models.CharField(_("type"), max_length=20, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    stem = RichTextField(_("question"), features=STEM_FEATURES)
    pool = models.ForeignKey(
        QuestionPool, verbose_name=_("pool"), null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (easy) to 5"),
    )
    points = models.FloatField(_("points"), default=1.0, validators=[MinValueValidator(0.01)])
    band = models.CharField(
        _("band assessed"),
        max_length=16,
        choices=Band.choices,
        blank=True,
        help_text=_("The proficiency band this question assesses. Empty: the quiz's band."),
    )
    general_feedback = RichTextField(_("general feedback"), blank=True, features=STEM_FEATURES)
    partial_credit = models.BooleanField(
        _("partial credit"),
        default=True,
        help_text=_("Multiple response, matching and ordering: give part of the points for a partly right answer."),
    )
    true_false_answer = models.BooleanField(_("the statement is true"), null=True, blank=True)
    numeric_answer = models.FloatField(_("numeric answer"), null=True, blank=True)
    numeric_tolerance = models.FloatField(_("tolerance (±)"), default=0.0, validators=[MinValueValidator(0)])
    accepted_answers = models.TextField(_("accepted answers"), blank=True, help_text=_("One per line."))
    accent_insensitive = models.BooleanField(
        _("ignore Vietnamese diacritics"), default=False, help_text=_("Accept “chu ky so” for “chữ ký số”.")
    )
    tags = ClusterTaggableManager(through=QuestionTag, blank=True)
    current_version = models.ForeignKey(
        "quizzes.QuestionVersion", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("title"), FieldPanel("kind"), FieldPanel("stem")],
            heading=_("Question"),
        ),
        InlinePanel(
            "choices",
            heading=_("Choices"),
            label=_("Choice"),
            help_text=_(
                "Single/multiple: tick the correct ones. Matching: each choice is a prompt and its match. "
                "Ordering: list the items in the correct order."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("true_false_answer"),
                FieldRowPanel([FieldPanel("numeric_answer"), FieldPanel("numeric_tolerance")]),
                FieldPanel("accepted_answers"),
                FieldPanel("accent_insensitive"),
                FieldPanel("partial_credit"),
            ],
            heading=_("Answer key (by type)"),
        ),
        FieldPanel("general_feedback"),
        InlinePanel("competency_links", heading=_("Competencies"), label=_("Competency")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("difficulty"), FieldPanel("points"), FieldPanel("band")]),
                FieldPanel("pool"),
                FieldPanel("tags"),
            ],
            heading=_("Bank"),
        ),
    ]

    search_fields = [index.SearchField("title"), index.SearchField("stem"), index.FilterField("kind")]
    # A translation gets its own versions; it must not share the original's.
    exclude_fields_in_copy = ["current_version"]

    class Meta(TranslatableMixin.Meta):
        ordering = ["title"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.kind == QuestionKind.TRUE_FALSE and self.true_false_answer is None:
            raise ValidationError({"true_false_answer": _("Say whether the statement is true or false.")})
        if self.kind == QuestionKind.NUMERIC and self.numeric_answer is None:
            raise ValidationError({"numeric_answer": _("Give the numeric answer.")})
        if self.kind == QuestionKind.SHORT_TEXT and not self.accepted_answers.strip():
            raise ValidationError({"accepted_answers": _("Give at least one accepted answer.")})

    @property
    def language(self) -> str:
        """The question's language code ("vi" or "en"), from its Wagtail locale."""
        return self.locale.language_code

    def accepted_list(self) -> list[str]:
        return [line.strip() for line in self.accepted_answers.splitlines() if line.strip()]


class QuestionChoice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("text"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    match_text = models.CharField(_("matches (matching questions)"), max_length=500, blank=True)
    feedback = models.CharField(_("feedback for this choice"), max_length=500, blank=True)

    panels = [FieldPanel("text"), FieldPanel("is_correct"), FieldPanel("match_text"), FieldPanel("feedback")]

    class Meta(Orderable.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text


class QuestionVersion(models.Model):
    """An immutable snapshot of a question as learners saw it (stem, choices, key, feedback, competencies).

    A version is updated in place only while no attempt points at it; after that an edit makes a new one
    (``assessments.quizzes.services.versions``).
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    snapshot = models.JSONField()
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question_id", "number"]
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="questionversion_unique_number")]
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"


class QuestionCompetency(Orderable):
    """How strongly a question measures a competency (weight in (0, 1]); feeds the per-competency sub-scores."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="competency_links")
    competency = models.ForeignKey(
        "assessments.Competency", verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )
    weight = models.FloatField(
        _("weight"), default=1.0, validators=[MinValueValidator(0.01), MaxValueValidator(1.0)], help_text=_("0.01–1")
    )

    panels = [FieldRowPanel([FieldPanel("competency"), FieldPanel("weight")])]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["question", "competency"], name="questioncompetency_unique_competency")
        ]
        verbose_name = _("competency link")
        verbose_name_plural = _("competency links")
