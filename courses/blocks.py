"""StreamField blocks for lesson bodies.

``BaseStreamBlock`` holds the blocks every page body may use; ``LessonStreamBlock`` adds the
teaching blocks (the H5P sub-app adds its activity block to ``LessonStreamBlock``).

Images are loaded with their renditions prefetched so a lesson with many screenshots renders
in a fixed number of queries.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from courses.h5p.blocks import H5PActivityBlock
from courses.scorm.blocks import SCORMActivityBlock

# The renditions lesson templates ask for; prefetched in bulk with the images.
LESSON_IMAGE_FILTERS = ("width-1000",)


class PrefetchingImageChooserBlock(ImageChooserBlock):
    """An image chooser whose bulk load also fetches the renditions the templates use (two queries in all)."""

    def bulk_to_python(self, values):
        values = list(values)
        ids = [v for v in values if v is not None]
        objects = self.model_class.objects.prefetch_renditions(*LESSON_IMAGE_FILTERS).in_bulk(ids) if ids else {}
        return [objects.get(v) if v is not None else None for v in values]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=pgettext_lazy("heading", "Level"), choices=[("h2", _("Section")), ("h3", _("Subsection"))], default="h2"
    )

    class Meta:
        icon = "title"
        template = "courses/blocks/heading.html"
        label = _("Heading")
        description = _("A section heading; it also appears in the lesson's table of contents.")
        preview_value = {"text": "Đăng nhập vào hệ thống", "level": "h2"}


class CaptionedImageBlock(blocks.StructBlock):
    image = PrefetchingImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Text alternative"),
        max_length=250,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "courses/blocks/image.html"
        label = _("Image with caption")
        description = _("An image with a text alternative and an optional caption.")


class VideoBlock(blocks.StructBlock):
    """A video either uploaded to the document library (mp4/webm) or embedded from a video service."""

    file = DocumentChooserBlock(label=_("Uploaded video file"), required=False)
    embed = EmbedBlock(label=_("Or a video address to embed"), required=False)
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    transcript = blocks.TextBlock(label=_("Transcript"), required=False)

    def clean(self, value):
        from django.core.exceptions import ValidationError
        from wagtail.blocks.struct_block import StructBlockValidationError

        value = super().clean(value)
        if bool(value.get("file")) == bool(value.get("embed")):
            message = _("Choose either an uploaded video file or a video address, not both and not neither.")
            raise StructBlockValidationError(block_errors={"file": ValidationError(message)})
        return value

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"
        label = _("Video")
        description = _("An uploaded video file or an embedded video, with a title and a transcript.")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    description = blocks.CharBlock(label=_("What it is"), required=False, max_length=250)

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/document.html"
        label = _("Document")
        description = _("A downloadable document such as a user guide or a regulation.")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("tip", _("Tip")), ("warning", _("Warning")), ("policy", _("Policy"))],
        default="tip",
    )
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "warning"
        template = "courses/blocks/callout.html"
        label = _("Callout")
        description = _("A highlighted tip, warning or policy reminder.")
        preview_value = {"kind": "tip", "text": "<p>Lưu văn bản nháp thường xuyên.</p>"}


class StepBlock(blocks.StructBlock):
    screenshot = PrefetchingImageChooserBlock(label=_("Screenshot"), required=False)
    screenshot_alt = blocks.CharBlock(label=_("Screenshot text alternative"), required=False, max_length=250)
    instruction = blocks.RichTextBlock(label=_("Instruction"), features=["bold", "italic", "link", "code"])

    class Meta:
        icon = "pick"
        label = _("Step")


class AnswerBlock(blocks.CharBlock):
    """An answer of a self-check question. Wagtail shows a list's items without their label, so the input
    carries it as its accessible name (axe: "Form elements must have labels")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.field.widget.attrs["aria-label"] = self.meta.label or _("Answer")

    def deconstruct(self):
        # Stored in migrations as the plain CharBlock it is: no schema change.
        return ("wagtail.blocks.CharBlock", self._constructor_args[0], self._constructor_args[1])


class WalkthroughBlock(blocks.StructBlock):
    """A numbered step-by-step walkthrough of a software screen: one screenshot and one instruction per step."""

    title = blocks.CharBlock(label=_("Task"), max_length=200)
    steps = blocks.ListBlock(StepBlock(), label=_("Steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "courses/blocks/walkthrough.html"
        label = _("Step-by-step walkthrough")
        description = _("A numbered walkthrough of a screen: a screenshot and an instruction for each step.")


class SelfCheckBlock(blocks.StructBlock):
    """A short question the learner answers for themselves; nothing is recorded."""

    question = blocks.CharBlock(label=_("Question"), max_length=300)
    choices = blocks.ListBlock(AnswerBlock(label=_("Answer")), label=_("Answers"), min_num=2)
    correct = blocks.IntegerBlock(
        label=_("Number of the correct answer"), min_value=1, help_text=_("1 for the first answer.")
    )
    explanation = blocks.TextBlock(label=_("Explanation"), required=False)

    def clean(self, value):
        from django.core.exceptions import ValidationError
        from wagtail.blocks.struct_block import StructBlockValidationError

        value = super().clean(value)
        if value.get("correct") and value["correct"] > len(value.get("choices") or []):
            message = _("The correct answer must be one of the answers (1 to %(count)d).") % {
                "count": len(value.get("choices") or [])
            }
            raise StructBlockValidationError(block_errors={"correct": ValidationError(message)})
        return value

    class Meta:
        icon = "help"
        template = "courses/blocks/self_check.html"
        label = _("Self-check question")
        description = _("A question learners answer for themselves, with the answer revealed on request.")


class BaseStreamBlock(blocks.StreamBlock):
    """Blocks any HocSo page body may use."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        icon="pilcrow",
        template="courses/blocks/paragraph.html",
        features=["h3", "bold", "italic", "link", "ol", "ul", "code", "document-link"],
        description=_("Formatted text."),
    )
    image = CaptionedImageBlock()
    document = DocumentBlock()
    callout = CalloutBlock()


class LessonStreamBlock(BaseStreamBlock):
    video = VideoBlock()
    walkthrough = WalkthroughBlock()
    self_check = SelfCheckBlock()
    h5p = H5PActivityBlock()
    scorm = SCORMActivityBlock()
