"""The SCORM package block for lesson bodies (added to ``courses.blocks.LessonStreamBlock``)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


class SCORMActivityBlock(blocks.StructBlock):
    """A SCORM package. The rendered HTML is the same for everyone (lesson bodies are cached per
    revision); the player is launched per learner by the page's script."""

    activity = SnippetChooserBlock("scorm.SCORMActivity", label=_("SCORM activity"))
    introduction = blocks.CharBlock(
        label=_("Introduction"),
        required=False,
        max_length=300,
        help_text=_("Optional sentence shown above the activity."),
    )

    class Meta:
        icon = "media"
        template = "scorm/blocks/scorm_activity.html"
        label = _("SCORM package")
        description = _(
            "A SCORM 1.2 or 2004 package; learners resume where they left off, and completing it completes the lesson."
        )
