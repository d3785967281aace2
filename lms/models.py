"""Organisation: units in a tree, staff profiles, HR scopes and API tokens."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    from .timezones import is_known_zone

    if value and not is_known_zone(value):
        raise ValidationError(
            _("“%(value)s” is not a time zone (use a name such as Europe/Paris)."), params={"value": value}
        )


class UnitKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    DEPARTMENT = "department", _("Department")
    DIVISION = "division", _("Division")
    EMBASSY = "embassy", _("Embassy")
    CONSULATE = "consulate", _("Consulate general")
    MISSION = "mission", _("Permanent mission")
    OTHER = "other", _("Other unit")


ABROAD_KINDS = {UnitKind.EMBASSY, UnitKind.CONSULATE, UnitKind.MISSION}


class UnitQuerySet(models.QuerySet):
    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        """The unit itself and everything below it (one indexed prefix match)."""
        return self.filter(path__startswith=unit.path)

    def within_any(self, roots) -> UnitQuerySet:
        """Units inside any of the given subtrees; no roots means no units (deny by default)."""
        condition = Q(pk__in=[])
        for root in roots:
            condition |= Q(path__startswith=root.path)
        return self.filter(condition)


class Unit(models.Model):
    """A node of the organisation tree.

    ``path`` is a materialised path of primary keys ("/1/4/17/"), maintained by
    ``lms.services.units`` so that a whole subtree is one ``startswith`` query.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_(
            "Where the unit works, e.g. Europe/Paris for the embassy in France. Empty: the ministry's own "
            "(Asia/Ho_Chi_Minh). Officers see times in their unit's zone unless they choose another."
        ),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi

    @property
    def is_abroad(self) -> bool:
        return self.kind in ABROAD_KINDS

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class Language(models.TextChoices):
    VI = "vi", "Tiếng Việt"
    EN = "en", "English"


class StaffProfileQuerySet(models.QuerySet):
    def active(self) -> StaffProfileQuerySet:
        return self.filter(is_active=True)

    def in_units(self, units) -> StaffProfileQuerySet:
        return self.filter(unit__in=units)


class StaffProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile")
    employee_number = models.CharField(_("employee number"), max_length=32, unique=True)
    full_name = models.CharField(_("full name"), max_length=255)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="staff")
    position = models.CharField(_("position"), max_length=120, blank=True)
    grade = models.CharField(_("civil-service grade"), max_length=120, blank=True)
    language = models.CharField(_("preferred language"), max_length=5, choices=Language.choices, default=Language.VI)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Empty: the time zone of the person's unit."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = StaffProfileQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "full_name"]
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        indexes = [models.Index(fields=["unit", "is_active"]), models.Index(fields=["position"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.employee_number})"


class HRScope(models.Model):
    """Makes a user HR for one unit and everything below it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hr_scopes")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="hr_scopes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="hrscope_unique_user_unit")]
        verbose_name = _("HR scope")
        verbose_name_plural = _("HR scopes")

    def __str__(self) -> str:
        return f"{self.user} → {self.unit.code}"


class PositionTitle(models.Model):
    """The English name of a position title as the HR system writes it (in Vietnamese).

    Positions arrive as free text in the staff import ("Bí thư thứ hai"); English pages, PDFs and exports
    show the English name recorded here ("Second Secretary"), or the title as written when there is none.
    """

    name_vi = models.CharField(_("position (as in the staff records)"), max_length=120, unique=True)
    name_en = models.CharField(_("position in English"), max_length=120)

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("position title")
        verbose_name_plural = _("position titles")

    def __str__(self) -> str:
        return f"{self.name_vi} · {self.name_en}"
