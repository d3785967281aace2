"""Diagnostic placement: item parameters per question version, test forms, sessions and their results.

The items are ordinary question-bank questions (``quizzes.Question``) in the form's pool, each measuring
one competency of the form's framework (its strongest competency link). The rules (2PL, EAP, selection,
stopping, placement) are pure, in ``assessments.scoring.irt``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from assessments.scoring import irt


class Provenance(models.TextChoices):
    PRIOR = "prior", _("Prior from the trainer's difficulty")
    CALIBRATED = "calibrated", _("Calibrated from responses")


class ItemParameters(models.Model):
    """The 2PL parameters of one question version, with where they come from.

    A version without a row uses the prior (``irt.prior_params`` of the question's difficulty); the row is
    written when the version is first served or calibrated. ``fitted_at``/``response_count`` say when and
    from how many responses a calibration moved it; ``flags`` are the fit flags shown to trainers.
    """

    version = models.OneToOneField("quizzes.QuestionVersion", on_delete=models.CASCADE, related_name="irt")
    a = models.FloatField(_("discrimination (a)"))
    b = models.FloatField(_("difficulty (b)"))
    provenance = models.CharField(_("provenance"), max_length=12, choices=Provenance.choices, default=Provenance.PRIOR)
    fitted_at = models.DateTimeField(_("calibrated at"), null=True, blank=True)
    response_count = models.PositiveIntegerField(_("responses used"), default=0)
    infit = models.FloatField(_("infit mean square"), null=True, blank=True)
    outfit = models.FloatField(_("outfit mean square"), null=True, blank=True)
    flags = models.JSONField(_("fit flags"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("item parameters")
        verbose_name_plural = _("item parameters")
        constraints = [models.CheckConstraint(condition=Q(a__gt=0), name="itemparameters_a_positive")]

    def __str__(self) -> str:
        return f"{self.version_id}: a={self.a:.2f} b={self.b:.2f} ({self.provenance})"


class FormStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class DiagnosticForm(models.Model):
    """A placement test: its framework, its bank (a question pool), the adaptive rules and the cut scores.

    ``cut_scores`` maps a level code of the framework to the lowest ability (θ, logits) placed at that level;
    empty means the documented default (``irt.default_cuts``: evenly from -1.5 to 1.5).
    """

    title_vi = models.CharField(_("title (Vietnamese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    framework = models.ForeignKey(
        "assessments.Framework", verbose_name=_("framework"), on_delete=models.PROTECT, related_name="+"
    )
    pool = models.ForeignKey(
        "quizzes.QuestionPool",
        verbose_name=_("item bank (question pool)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=12, choices=FormStatus.choices, default=FormStatus.DRAFT)
    se_target = models.FloatField(
        _("target standard error"),
        default=0.3,
        validators=[MinValueValidator(0.05), MaxValueValidator(1.0)],
        help_text=_("A section stops once the ability's standard error (logits) is at most this."),
    )
    min_items = models.PositiveSmallIntegerField(
        _("minimum items per area"), default=4, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    max_items = models.PositiveSmallIntegerField(
        _("maximum items per area"), default=14, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    stop_confidence = models.FloatField(
        _("stop once the band is this probable"),
        default=0.85,
        validators=[MinValueValidator(0.0), MaxValueValidator(0.99)],
        help_text=_(
            "A section also stops once the officer's most probable band (tier of levels) has at least this "
            "probability. 0 turns this off."
        ),
    )
    randomesque = models.PositiveSmallIntegerField(
        _("pick among the best"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Exposure control: the next item is drawn at random among this many most informative ones."),
    )
    max_exposure = models.FloatField(
        _("maximum exposure"),
        default=0.25,
        validators=[MinValueValidator(0.05), MaxValueValidator(1.0)],
        help_text=_("Items already shown to more than this share of sessions are skipped while others remain."),
    )
    cut_scores = models.JSONField(_("cut scores"), default=dict, blank=True)
    retake_days = models.PositiveIntegerField(
        _("retake after (days)"), default=182, help_text=_("A new placement replaces the previous one.")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldRowPanel([FieldPanel("title_vi"), FieldPanel("title_en")]),
        FieldRowPanel([FieldPanel("framework"), FieldPanel("pool")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("se_target"), FieldPanel("min_items"), FieldPanel("max_items")]),
                FieldPanel("stop_confidence"),
                FieldRowPanel([FieldPanel("randomesque"), FieldPanel("max_exposure")]),
                FieldPanel("cut_scores"),
                FieldPanel("retake_days"),
            ],
            heading=_("Adaptive rules"),
        ),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("diagnostic test form")
        verbose_name_plural = _("diagnostic test forms")
        constraints = [
            models.CheckConstraint(condition=Q(min_items__lte=models.F("max_items")), name="form_min_le_max_items")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "vi").startswith("en") and self.title_en else self.title_vi

    @property
    def rules(self) -> irt.SectionRules:
        return irt.SectionRules(
            se_target=self.se_target,
            min_items=self.min_items,
            max_items=self.max_items,
            randomesque=self.randomesque,
            max_exposure=self.max_exposure,
            stop_confidence=self.stop_confidence,
        )


class SessionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", pgettext_lazy("diagnostic session", "In progress")
    COMPLETED = "completed", _("Completed")


class DiagnosticSession(models.Model):
    """One officer taking one form. The current question is the session's one unanswered item."""

    form = models.ForeignKey(DiagnosticForm, on_delete=models.PROTECT, related_name="sessions")
    person = models.ForeignKey("lms.StaffProfile", on_delete=models.CASCADE, related_name="diagnostic_sessions")
    status = models.CharField(
        _("status"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.IN_PROGRESS
    )
    seed = models.BigIntegerField()
    started_at = models.DateTimeField(_("started at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("diagnostic session")
        verbose_name_plural = _("diagnostic sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "person"], condition=Q(status="in_progress"), name="session_one_in_progress"
            )
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"diagnostic {self.pk} ({self.person_id})"

    @property
    def is_open(self) -> bool:
        return self.status == SessionStatus.IN_PROGRESS

    @property
    def source_ref(self) -> str:
        return f"placement:{self.pk}"


class SessionItem(models.Model):
    """An item served in a session, with the parameters used when it was chosen and the graded answer."""

    session = models.ForeignKey(DiagnosticSession, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    area = models.ForeignKey("assessments.CompetencyArea", on_delete=models.PROTECT, related_name="+")
    competency = models.ForeignKey("assessments.Competency", on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey("quizzes.Question", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey("quizzes.QuestionVersion", on_delete=models.PROTECT, related_name="placement_items")
    a = models.FloatField()
    b = models.FloatField()
    choice_order = models.JSONField(default=list, blank=True)
    target_order = models.JSONField(default=list, blank=True)
    served_at = models.DateTimeField()
    response = models.JSONField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="sessionitem_unique_position"),
            models.UniqueConstraint(fields=["session", "question"], name="sessionitem_unique_question"),
            models.UniqueConstraint(
                fields=["session"], condition=Q(answered_at__isnull=True), name="sessionitem_one_current"
            ),
        ]
        indexes = [models.Index(fields=["version", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.session_id}#{self.position}"


class SectionResult(models.Model):
    """The ability measured in one area of one session and the level it places the officer at."""

    session = models.ForeignKey(DiagnosticSession, on_delete=models.CASCADE, related_name="sections")
    area = models.ForeignKey("assessments.CompetencyArea", on_delete=models.PROTECT, related_name="+")
    theta = models.FloatField(_("ability (logits)"))
    se = models.FloatField(_("standard error"))
    items = models.PositiveSmallIntegerField(_("items"))
    level = models.ForeignKey("assessments.ProficiencyLevel", on_delete=models.PROTECT, related_name="+")
    at_least = models.FloatField(
        _("probability of at least this level"),
        default=0.0,
        help_text=_("The posterior probability that θ reaches the level's cut score."),
    )
    finished_at = models.DateTimeField()

    class Meta:
        ordering = ["session_id", "area__sort_order", "area__code"]
        constraints = [models.UniqueConstraint(fields=["session", "area"], name="sectionresult_unique_area")]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.area_id}: {self.theta:.2f} ± {self.se:.2f}"


class DiagnosticCampaign(models.Model):
    """HR assign the diagnostic like training: everyone in some units (with their subtrees) and/or positions,
    by a due date, reminded like assigned courses (``courses.models.ReminderKind``).

    The campaign names a form; an officer counts as placed by any completed placement on a form of the same
    framework (the Vietnamese and English forms measure the same thing).
    """

    title = models.CharField(_("title"), max_length=200)
    form = models.ForeignKey(
        DiagnosticForm, verbose_name=_("placement test"), on_delete=models.PROTECT, related_name="campaigns"
    )
    units = models.ManyToManyField("lms.Unit", verbose_name=_("units"), blank=True, related_name="+")
    include_subunits = models.BooleanField(_("include the units below"), default=True)
    positions = models.JSONField(_("positions"), default=list, blank=True)
    due_date = models.DateField(_("due date"))
    is_active = models.BooleanField(pgettext_lazy("campaign", "active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("placement campaign")
        verbose_name_plural = _("placement campaigns")

    def __str__(self) -> str:
        return self.title


class CampaignReminder(models.Model):
    """One reminder to one officer for one campaign and due date; the constraint makes it go out once."""

    campaign = models.ForeignKey(DiagnosticCampaign, on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey("lms.StaffProfile", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    due_date = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person", "kind", "due_date"], name="campaignreminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.person_id}: {self.kind} {self.due_date}"
