"""Start a new version of a competency framework (a copy of the current one) without touching old scores."""

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Framework
from assessments.services.frameworks import framework_new_version


class Command(BaseCommand):
    help = "Copy the current version of a framework into a new version and make it current."

    def add_arguments(self, parser):
        parser.add_argument("code", help="Framework code, e.g. VN-DCF")
        parser.add_argument("version", help="The new version label, e.g. 2026")

    def handle(self, *args, code, version, **options):
        if not Framework.objects.filter(code=code, is_current=True).exists():
            raise CommandError(f"No current framework with code {code!r}.")
        try:
            new = framework_new_version(code=code, version=version)
        except ValueError as exc:
            raise CommandError(str(exc))
        self.stdout.write(
            f"{new.code} {new.version} is now current ({new.competencies.count()} competencies, "
            f"{new.levels.count()} levels). Scores under earlier versions are unchanged; "
            "review the target profiles and point quizzes at the new competencies."
        )
