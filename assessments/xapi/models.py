"""The statement store: every xAPI statement HocSo holds, whoever sent it."""

from __future__ import annotations

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

    class Meta:
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        indexes = [
            models.Index(fields=["stored", "id"], name="xapi_stmt_stored"),
            models.Index(fields=["activity_key", "stored"], name="xapi_stmt_activity"),
            models.Index(fields=["verb_key", "stored"], name="xapi_stmt_verb"),
            models.Index(fields=["registration", "stored"], name="xapi_stmt_registration"),
            models.Index(fields=["object_ref"], name="xapi_stmt_object_ref"),
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
