from django.core.management.base import BaseCommand, CommandError

from ...errors import SCORMError
from ...services import scorm_activity_import


def _competency(value: str) -> tuple[str, float]:
    """``[FRAMEWORK/]CODE`` or ``[FRAMEWORK/]CODE:WEIGHT`` (weight in (0, 1], default 1)."""
    code, _sep, weight = value.partition(":")
    try:
        return code.strip(), float(weight) if weight else 1.0
    except ValueError as exc:
        raise CommandError(f"--competency {value!r}: the weight after ':' must be a number") from exc


class Command(BaseCommand):
    help = "Import a SCORM 1.2 or 2004 package (.zip) as a SCORM activity; prints the new activity's id."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the SCORM .zip file")
        parser.add_argument("--title", default="", help="activity title (default: the package's title)")
        parser.add_argument(
            "--competency",
            action="append",
            default=[],
            metavar="[FRAMEWORK/]CODE[:WEIGHT]",
            help="a competency this activity gives evidence for (e.g. DIGCOMP/1.1:0.5); repeat for several",
        )
        parser.add_argument(
            "--pass-mark",
            type=int,
            default=60,
            help="percent of the score needed to pass, when the package reports no pass or fail",
        )
        parser.add_argument(
            "--band", default="basic", help="the band the package can demonstrate (basic ... specialised)"
        )

    def handle(self, *args, **options):
        competencies = [_competency(value) for value in options["competency"]]
        try:
            activity = scorm_activity_import(
                path=options["path"],
                title=options["title"],
                competencies=competencies,
                pass_mark=options["pass_mark"],
                band=options["band"],
            )
        except SCORMError as exc:
            raise CommandError(f"{options['path']}: {exc.message}") from exc
        for warning in activity.package.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(str(activity.pk))
