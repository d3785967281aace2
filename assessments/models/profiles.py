"""Target profiles: the level a position or job family needs in each competency."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel

from .frameworks import Competency, Framework, ProficiencyLevel, _in_language


def normalise_position(value: str) -> str:
    return " ".join((value or "").split()).casefold()


class TargetProfile(ClusterableModel):
    """Required levels for a job family; matched to people by their position title."""

    framework = models.ForeignKey(Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    positions = models.TextField(
        _("positions"),
        blank=True,
        help_text=_("One position title per line, exactly as in the staff records (e.g. “Chuyên viên”)."),
    )
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("framework"), FieldPanel("code")]),
        FieldPanel("name_vi"),
        FieldPanel("name_en"),
        FieldPanel("positions"),
        FieldPanel("description"),
        InlinePanel("requirements", heading=_("Required levels"), label=_("Requirement")),
    ]

    class Meta:
        ordering = ["framework", "code"]
        verbose_name = _("target profile")
        verbose_name_plural = _("target profiles")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_vi, self.name_en)

    def position_keys(self) -> set[str]:
        return {normalise_position(line) for line in self.positions.splitlines() if line.strip()}


class TargetRequirement(models.Model):
    profile = ParentalKey(TargetProfile, on_delete=models.CASCADE, related_name="requirements")
    competency = models.ForeignKey(Competency, verbose_name=_("competency"), on_delete=models.CASCADE, related_name="+")
    level = models.ForeignKey(
        ProficiencyLevel, verbose_name=_("required level"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("competency"), FieldPanel("level")]

    class Meta:
        ordering = ["profile", "competency__sort_order"]
        verbose_name = _("required level")
        verbose_name_plural = _("required levels")
        constraints = [models.UniqueConstraint(fields=["profile", "competency"], name="requirement_unique")]

    def __str__(self) -> str:
        return f"{self.competency} ≥ {self.level.code}"

    def clean(self) -> None:
        framework_id = self.profile.framework_id if self.profile_id or getattr(self, "profile", None) else None
        errors = {}
        if self.competency_id and framework_id and self.competency.framework_id != framework_id:
            errors["competency"] = _("Choose a competency of the profile's framework.")
        if self.level_id and framework_id and self.level.framework_id != framework_id:
            errors["level"] = _("Choose a level of the profile's framework.")
        if errors:
            raise ValidationError(errors)
