"""The statement store: every xAPI statement HocSo holds, whoever sent it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
