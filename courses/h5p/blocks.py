"""The H5P activity block for lesson bodies (added to ``courses.blocks.LessonStreamBlock``)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


class H5PActivityBlock(blocks.StructBlock):
    """An interactive H5P activity. The rendered HTML is the same for everyone (lesson bodies are
    cached per revision); the player is launched per learner by the page's script."""

    activity = SnippetChooserBlock("h5p.H5PActivity", label=_("H5P activity"))
    introduction = blocks.CharBlock(
        label=_("Introduction"),
        required=False,
        max_length=300,
        help_text=_("Optional sentence shown above the activity."),
    )

    class Meta:
        icon = "media"
        template = "h5p/blocks/h5p_activity.html"
        label = _("H5P activity")
        description = _("An interactive H5P exercise; learners' results are scored and count towards competencies.")
