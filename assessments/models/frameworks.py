"""Competency frameworks: framework (versioned) → area → competency, a proficiency scale and a crosswalk."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.search import index


def _in_language(vi: str, en: str) -> str:
    return en if (get_language() or "vi").startswith("en") and en else vi


class FrameworkQuerySet(models.QuerySet):
    def current(self) -> FrameworkQuerySet:
        return self.filter(is_current=True)


class Framework(index.Indexed, ClusterableModel):
    """One version of a competency framework.

    A new version is a new row with its own areas, competencies and levels, so scores
    computed under an older version (which point at that version's competencies) are
    never rewritten. ``is_current`` marks the version new evidence and the API use.
    """

    code = models.CharField(_("code"), max_length=32, help_text=_("Short code, e.g. VN-DCF, DIGCOMP, MOFA-DP."))
    version = models.CharField(_("version"), max_length=32)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True, help_text=_("Legal act or publication."))
    is_current = models.BooleanField(_("current version"), default=True)
    is_draft = models.BooleanField(
        _("draft proposal"),
        default=False,
        help_text=_("Not issued by a legal act yet: every page that shows the framework says it is a draft proposal."),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("levels stay current for (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("A level not demonstrated again within this many months is due for reassessment."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FrameworkQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("version"), FieldPanel("is_current"), FieldPanel("is_draft")]),
        FieldPanel("validity_months"),
        FieldPanel("name_vi"),
        FieldPanel("name_en"),
        FieldPanel("description_vi"),
        FieldPanel("description_en"),
        FieldPanel("source"),
        InlinePanel("levels", heading=_("Proficiency levels"), label=_("Level")),
    ]
    search_fields = [index.SearchField("name_vi"), index.SearchField("name_en"), index.AutocompleteField("code")]

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_unique_code_version"),
            models.UniqueConstraint(fields=["code"], condition=Q(is_current=True), name="framework_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.version} · {self.name}"

    @property
    def name(self) -> str:
        """The name in the active language, marked "(draft proposal)" while no act has issued the framework."""
        name = _in_language(self.name_vi, self.name_en)
        return f"{name} ({DRAFT_LABEL})" if self.is_draft else name


DRAFT_LABEL = _("draft proposal")


class Band(models.TextChoices):
    """The proficiency bands evidence is tagged with: a range of a framework's levels.

    Circular 02/2025 groups its eight levels in four tiers (Cơ bản, Trung cấp, Nâng cao, Chuyên sâu);
    DigComp and the Ministry's framework have the same four. Each ``ProficiencyLevel`` names its band,
    so a framework "has" a band when at least one of its levels is in it. Evidence at a band can
    support at most the band's top level (``assessments.scoring.levels``).
    """

    BASIC = "basic", _("Basic")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")
    SPECIALISED = "specialised", _("Specialised")


BAND_ORDER = [Band.BASIC, Band.INTERMEDIATE, Band.ADVANCED, Band.SPECIALISED]
# A course's difficulty (``courses.Level``) is the band its quizzes and activities assess by default.
COURSE_LEVEL_BANDS = {
    "beginner": Band.BASIC,
    "intermediate": Band.INTERMEDIATE,
    "advanced": Band.ADVANCED,
    "specialised": Band.SPECIALISED,
}


def band_for_course_level(level: str) -> str:
    return COURSE_LEVEL_BANDS.get(level, Band.BASIC)


class ProficiencyLevel(models.Model):
    """A step of a framework's scale, in one band. ``min_score`` places the level on the 0–100 chart scale."""

    framework = ParentalKey(Framework, on_delete=models.CASCADE, related_name="levels")
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 is the lowest level."))
    code = models.CharField(_("code"), max_length=16)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    tier_vi = models.CharField(_("tier (Vietnamese)"), max_length=120, blank=True)
    tier_en = models.CharField(_("tier (English)"), max_length=120, blank=True)
    min_score = models.FloatField(_("minimum score"), help_text=_("Between 0 and 1."))
    band = models.CharField(
        _("band"),
        max_length=16,
        choices=Band.choices,
        default=Band.BASIC,
        help_text=_("Evidence at this band can demonstrate at most the band's highest level."),
    )

    panels = [
        FieldRowPanel([FieldPanel("rank"), FieldPanel("code"), FieldPanel("band"), FieldPanel("min_score")]),
        FieldRowPanel([FieldPanel("name_vi"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("tier_vi"), FieldPanel("tier_en")]),
    ]

    class Meta:
        ordering = ["framework", "rank"]
        verbose_name = _("proficiency level")
        verbose_name_plural = _("proficiency levels")
        constraints = [
            models.UniqueConstraint(fields=["framework", "rank"], name="level_unique_rank"),
            models.UniqueConstraint(fields=["framework", "code"], name="level_unique_code"),
            models.CheckConstraint(
                condition=Q(min_score__gte=0) & Q(min_score__lte=1), name="level_min_score_in_unit_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def name(self) -> str:
        return _in_language(self.name_vi, self.name_en)

    @property
    def tier(self) -> str:
        return _in_language(self.tier_vi, self.tier_en)


class CompetencyArea(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("code"), max_length=16)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldRowPanel([FieldPanel("framework"), FieldPanel("code"), FieldPanel("sort_order")]),
        FieldPanel("name_vi"),
        FieldPanel("name_en"),
        FieldPanel("description_vi"),
        FieldPanel("description_en"),
    ]

    class Meta:
        ordering = ["framework", "sort_order", "code"]
        verbose_name = _("competency area")
        verbose_name_plural = _("competency areas")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="area_unique_code")]

    def __str__(self) -> str:
        return f"{self.framework.code} {self.code} · {self.name}"

    @property
    def name(self) -> str:
        return _in_language(self.name_vi, self.name_en)


class CompetencyQuerySet(models.QuerySet):
    def of_framework(self, code: str) -> CompetencyQuerySet:
        return self.filter(framework__code=code, framework__is_current=True)


class Competency(index.Indexed, ClusterableModel):
    """A competency; ``code`` is unique within its framework version (e.g. "1.1", "6.3")."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competencies")
    area = models.ForeignKey(
        CompetencyArea, verbose_name=_("area"), on_delete=models.CASCADE, related_name="competencies"
    )
    code = models.CharField(_("code"), max_length=16)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = CompetencyQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("framework"), FieldPanel("area"), FieldPanel("code"), FieldPanel("sort_order")]),
        FieldPanel("name_vi"),
        FieldPanel("name_en"),
        FieldPanel("description_vi"),
        FieldPanel("description_en"),
        MultiFieldPanel(
            [InlinePanel("indicators", label=_("Indicator"))], heading=_("Indicators per level (optional)")
        ),
        MultiFieldPanel([InlinePanel("mappings", label=_("Maps to"))], heading=_("Crosswalk")),
    ]
    search_fields = [index.SearchField("name_vi"), index.SearchField("name_en"), index.AutocompleteField("code")]

    class Meta:
        ordering = ["framework", "sort_order", "code"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="competency_unique_code")]

    def __str__(self) -> str:
        return f"{self.framework.code} {self.code} · {self.name}"

    @property
    def name(self) -> str:
        return _in_language(self.name_vi, self.name_en)

    @property
    def description(self) -> str:
        return _in_language(self.description_vi, self.description_en)

    def clean(self) -> None:
        if self.area_id and self.framework_id and self.area.framework_id != self.framework_id:
            raise ValidationError({"area": _("The area must belong to the same framework as the competency.")})


class LevelIndicator(models.Model):
    """What a person shows at a given level of one competency (optional, for descriptions and rubrics)."""

    competency = ParentalKey(Competency, on_delete=models.CASCADE, related_name="indicators")
    level = models.ForeignKey(ProficiencyLevel, verbose_name=_("level"), on_delete=models.CASCADE, related_name="+")
    text_vi = models.TextField(_("indicator (Vietnamese)"))
    text_en = models.TextField(_("indicator (English)"), blank=True)

    panels = [FieldPanel("level"), FieldPanel("text_vi"), FieldPanel("text_en")]

    class Meta:
        ordering = ["competency", "level__rank"]
        verbose_name = _("level indicator")
        verbose_name_plural = _("level indicators")

    def __str__(self) -> str:
        return f"{self.competency_id} · {self.level_id}"

    @property
    def text(self) -> str:
        return _in_language(self.text_vi, self.text_en)


class CompetencyMapping(models.Model):
    """Crosswalk: this competency corresponds (fully or partly) to a competency of another framework."""

    class Relation(models.TextChoices):
        EQUIVALENT = "equivalent", _("Equivalent")
        PARTIAL = "partial", _("Partly covers")

    source = ParentalKey(Competency, on_delete=models.CASCADE, related_name="mappings")
    target = models.ForeignKey(
        Competency, verbose_name=_("maps to"), on_delete=models.CASCADE, related_name="mapped_from"
    )
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices, default=Relation.EQUIVALENT)

    panels = [FieldPanel("target"), FieldPanel("relation")]

    class Meta:
        ordering = ["source", "target"]
        verbose_name = _("crosswalk entry")
        verbose_name_plural = _("crosswalk entries")
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="mapping_unique_pair")]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"
