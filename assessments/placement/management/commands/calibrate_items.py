"""python manage.py calibrate_items [--framework CODE] [--min-responses N]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from assessments.placement.errors import PlacementError
from assessments.placement.services.calibration import items_calibrate


class Command(BaseCommand):
    help = (
        "Fit the 2PL parameters of diagnostic items from recorded responses (diagnostic sessions and quiz "
        "attempts), report item fit and flag misfitting items. Items with fewer than --min-responses responses "
        "keep their parameters."
    )

    def add_arguments(self, parser):
        parser.add_argument("--framework", help="Only items linked to this framework's current version (code).")
        parser.add_argument("--min-responses", type=int, default=200, help="Fit an item only from this many responses.")

    def handle(self, *args, framework=None, min_responses=200, **options):
        try:
            report = items_calibrate(framework_code=framework, min_responses=min_responses)
        except PlacementError as exc:
            raise CommandError(str(exc))
        self.stdout.write(
            f"{report.respondents} respondents; {len(report.fitted)} items fitted, {len(report.skipped)} kept "
            f"(fewer than {min_responses} responses), {len(report.constant)} flagged (constant responses)."
        )
        for row in report.fitted:
            flags = ", ".join(row["flags"]) or "ok"
            self.stdout.write(
                f"  version {row['version']}: a={row['a']:.2f} b={row['b']:.2f} n={row['responses']} "
                f"infit={row['infit']} outfit={row['outfit']} [{flags}]"
            )
        for row in report.constant:
            self.stdout.write(f"  version {row['version']}: n={row['responses']} [constant_responses]")
