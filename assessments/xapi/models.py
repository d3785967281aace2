"""The statement store: every xAPI statement HocSo holds, whoever sent it."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models.frameworks import Band


class Statement(models.Model):
    """One statement, stored once per id and never changed (except for being voided).

    ``raw`` is the statement as received (for the H5P player, with the actor replaced by the
    signed-in person), with its ``id``; the properties the LRS sets (``stored``, ``authority``,
    ``version``, a missing ``timestamp``) are added when it is read, so a statement sent again can
    be compared with what was received. The key columns and ``StatementRelation`` rows are what
    the Statement resource's filters look at (``keys.index_of``).
    """

    statement_id = models.UUIDField(_("statement id"), unique=True)
    raw = models.JSONField(_("statement"))
    stored = models.DateTimeField(_("stored"))
    authority = models.JSONField(_("authority"), null=True, blank=True)
    verb_key = models.CharField(max_length=32)
    activity_key = models.CharField(max_length=32, null=True, blank=True)
    object_ref = models.UUIDField(null=True, blank=True)
    registration = models.UUIDField(null=True, blank=True)
    voided = models.BooleanField(_("voided"), default=False)
    person = models.ForeignKey(
        "lms.StaffProfile",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    credential = models.ForeignKey(
        "Credential",
        verbose_name=_("credential"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The integration that sent it (empty: HocSo's own player)."),
    )

    class Meta:
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        indexes = [
            models.Index(fields=["stored", "id"], name="xapi_stmt_stored"),
            models.Index(fields=["activity_key", "stored"], name="xapi_stmt_activity"),
            models.Index(fields=["verb_key", "stored"], name="xapi_stmt_verb"),
            models.Index(fields=["registration", "stored"], name="xapi_stmt_registration"),
            models.Index(fields=["object_ref"], name="xapi_stmt_object_ref"),
            models.Index(fields=["credential", "stored"], name="xapi_stmt_credential"),
            models.Index(fields=["person", "stored"], name="xapi_stmt_person"),
        ]

    def __str__(self) -> str:
        return str(self.statement_id)


class StatementRelation(models.Model):
    """An agent or activity a statement mentions: ``direct`` for the agent filter (actor, object and
    their group members) and the activity filter (the object); the rest only match broadly."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="relations")
    key = models.CharField(max_length=32)
    direct = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("statement relation")
        verbose_name_plural = _("statement relations")
        indexes = [models.Index(fields=["key", "direct", "statement"], name="xapi_relation_key")]

    def __str__(self) -> str:
        return f"{self.statement_id} {self.key}"


class CredentialScope(models.TextChoices):
    WRITE = "write", _("Write statements only")
    READ_OWN = "read_own", _("Write, and read its own statements")
    READ_UNIT = "read_unit", _("Write, and read everything within an HR scope")


class CredentialQuerySet(models.QuerySet):
    def active(self) -> CredentialQuerySet:
        return self.filter(revoked_at__isnull=True)


class Credential(models.Model):
    """An integration's HTTP Basic key and secret for the LRS endpoint.

    The secret is shown once, when issued, and stored as a SHA-256 digest: it is 256 random bits,
    so a slow password hash would add nothing but latency to every request. ``unit`` (optional for
    writing, required to read within an HR scope) bounds whom the integration's statements may
    be filed under, and what it may read.
    """

    name = models.CharField(_("name"), max_length=120)
    key = models.CharField(_("key"), max_length=40, unique=True, editable=False)
    secret_digest = models.CharField(max_length=64, editable=False)
    scope = models.CharField(_("scope"), max_length=16, choices=CredentialScope.choices, default=CredentialScope.WRITE)
    unit = models.ForeignKey(
        "lms.Unit",
        verbose_name=_("HR scope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Statements are linked only to people of this unit and its subunits; reading is limited to them."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        verbose_name = _("LRS credential")
        verbose_name_plural = _("LRS credentials")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class DocumentKind(models.TextChoices):
    STATE = "state", _("State")
    ACTIVITY_PROFILE = "activity_profile", _("Activity profile")
    AGENT_PROFILE = "agent_profile", _("Agent profile")


class Document(models.Model):
    """A State, Activity Profile or Agent Profile document: opaque content with an ETag.

    ``activity_key``/``agent_key`` (``keys``) and ``registration`` say whose it is; ``doc_id`` is the
    stateId or profileId. ``credential`` is the integration that owns it (None: the site itself): each
    integration has its own documents, and sees no other's.
    """

    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    activity_key = models.CharField(max_length=32, blank=True, default="")
    agent_key = models.CharField(max_length=32, blank=True, default="")
    registration = models.UUIDField(null=True, blank=True)
    doc_id = models.CharField(max_length=255)
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=64)
    updated = models.DateTimeField()
    credential = models.ForeignKey(Credential, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("xAPI document")
        verbose_name_plural = _("xAPI documents")
        indexes = [
            models.Index(fields=["kind", "activity_key", "agent_key", "updated"], name="xapi_doc_owner"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["credential", "kind", "activity_key", "agent_key", "registration", "doc_id"],
                name="xapi_doc_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.doc_id}"


class ActivityDefinition(models.Model):
    """The canonical definition the LRS holds of an activity (the Activities resource): the latest
    definition received, merged language map by language map."""

    activity_key = models.CharField(max_length=32, unique=True)
    iri = models.TextField()
    definition = models.JSONField(default=dict)
    updated = models.DateTimeField()

    class Meta:
        verbose_name = _("xAPI activity")
        verbose_name_plural = _("xAPI activities")

    def __str__(self) -> str:
        return self.iri


class Attachment(models.Model):
    """An attachment's content, stored once per SHA-256 digest, whichever statements carry it."""

    sha2 = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=255)
    content = models.BinaryField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("xAPI attachment")
        verbose_name_plural = _("xAPI attachments")

    def __str__(self) -> str:
        return self.sha2


BAND_CHOICES = Band.choices  # the bands evidence is tagged with
IRI_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")


class MatchKind(models.TextChoices):
    EXACT = "exact", _("Exactly this address")
    PREFIX = "prefix", _("Every address that starts with it")


class ActivityMapping(models.Model):
    """Statements about this activity (or every activity under this prefix) with a result, from a known
    officer, become self-reported evidence for the competency."""

    iri = models.CharField(_("activity IRI"), max_length=500)
    match = models.CharField(_("match"), max_length=8, choices=MatchKind.choices, default=MatchKind.EXACT)
    competency = models.ForeignKey(
        "assessments.Competency", verbose_name=_("competency"), on_delete=models.CASCADE, related_name="+"
    )
    band = models.CharField(
        _("band"),
        max_length=16,
        blank=True,
        choices=[("", "—"), *BAND_CHOICES],
        help_text=_("The band the activity measures (empty: the framework's lowest)."),
    )
    weight = models.FloatField(_("weight"), default=1.0, help_text=_("Greater than 0, at most 1."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity mapping")
        verbose_name_plural = _("activity mappings")
        ordering = ["iri", "competency"]
        constraints = [
            models.UniqueConstraint(fields=["iri", "match", "competency"], name="xapi_mapping_unique"),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0) & models.Q(weight__lte=1), name="xapi_mapping_weight"
            ),
        ]

    def __str__(self) -> str:
        suffix = "*" if self.match == MatchKind.PREFIX else ""
        return f"{self.iri}{suffix} → {self.competency_id}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.weight is None or not 0 < self.weight <= 1:
            errors["weight"] = _("The weight must be greater than 0 and at most 1.")
        if not IRI_PATTERN.match(self.iri or ""):
            errors["iri"] = _("Give an absolute IRI, such as https://tool.example/activity/1.")
        if self.band:
            from assessments.models import Band, ProficiencyLevel

            if self.band not in Band.values:
                errors["band"] = _("Unknown band: %(band)s.") % {"band": self.band}
            elif (
                self.competency_id
                and not ProficiencyLevel.objects.filter(
                    framework__competencies__pk=self.competency_id, band=self.band
                ).exists()
            ):
                errors["band"] = _("The competency's framework has no level in this band.")
        if errors:
            raise ValidationError(errors)

    def matches(self, iri: str) -> bool:
        return iri == self.iri if self.match == MatchKind.EXACT else iri.startswith(self.iri)


class ForwardingState(models.Model):
    """Where forwarding to the external LRS stands (one row): statements are sent in the order they
    were stored (by primary key); ``last_pk`` is the last one the external LRS took (or refused for
    good, then it is a dead letter)."""

    last_pk = models.BigIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)  # failed tries of the current batch
    last_error = models.TextField(blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("forwarding state")
        verbose_name_plural = _("forwarding state")

    def __str__(self) -> str:
        return f"forwarded up to {self.last_pk}"


class DeadLetter(models.Model):
    """A statement the external LRS refused for good (4xx): kept for an administrator to read and replay."""

    statement = models.ForeignKey(Statement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="+")
    status = models.PositiveIntegerField(_("answer status"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("refused"), auto_now_add=True)
    replayed_at = models.DateTimeField(_("replayed"), null=True, blank=True)

    class Meta:
        verbose_name = _("dead letter")
        verbose_name_plural = _("dead letters")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["replayed_at", "created_at"], name="xapi_dead_open")]

    def __str__(self) -> str:
        return f"{self.statement_id} ({self.status})"
