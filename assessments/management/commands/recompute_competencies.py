"""Rebuild current competency scores from the evidence, in chunks, and report the drift corrected."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from assessments.models import Framework
from assessments.services.scores import scores_recompute
from lms.boundaries.params import digits
from lms.models import StaffProfile


class Command(BaseCommand):
    help = "Rebuild current competency scores (and optionally monthly history) from the live evidence."

    def add_arguments(self, parser):
        parser.add_argument(
            "--person",
            action="append",
            default=None,
            metavar="N",
            help="Staff profile id or employee number; repeat for several people (default: everyone).",
        )
        parser.add_argument("--framework", metavar="CODE", help="Only competencies of this framework (e.g. VN-DCF).")
        parser.add_argument("--chunk-size", type=int, default=500, help="People per transaction (default 500).")
        parser.add_argument(
            "--history-months",
            type=int,
            default=0,
            metavar="M",
            help="Also rebuild the monthly snapshots of the last M months (24 for the full trend).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")

    def handle(self, *args, **options):
        person_ids = None
        if options["person"]:
            person_ids = []
            for ref in options["person"]:
                match = StaffProfile.objects.filter(employee_number=ref)
                if digits(ref):
                    match = match | StaffProfile.objects.filter(pk=int(ref))
                found = list(match.values_list("pk", flat=True))
                if not found:
                    raise CommandError(f"No staff member with id or employee number {ref!r}.")
                person_ids.extend(found)
        code = options["framework"]
        if code and not Framework.objects.filter(code=code).exists():
            known = ", ".join(sorted(set(Framework.objects.values_list("code", flat=True))))
            raise CommandError(f"Unknown framework {code!r}; known frameworks: {known}.")
        if options["chunk_size"] < 1 or options["history_months"] < 0:
            raise CommandError("--chunk-size must be at least 1 and --history-months at least 0.")
        total = len(person_ids) if person_ids is not None else StaffProfile.objects.count()
        with tqdm(
            total=total, unit="people", desc="Recomputing", disable=options["no_progress"], file=self.stderr._out
        ) as bar:
            report = scores_recompute(
                person_ids=person_ids,
                framework_code=code,
                chunk_size=options["chunk_size"],
                history_months=options["history_months"],
                progress=bar.update,
            )
        self.stdout.write(
            f"Recomputed {report.scores_checked} scores for {report.people} people from {report.evidence_rows} "
            f"evidence rows; drift corrected: {report.drift} "
            f"({report.created} missing, {report.changed} different, {report.deleted} without evidence); "
            f"{report.refreshed} confidence figures refreshed as evidence aged."
        )
        if report.snapshots_written:
            self.stdout.write(f"Monthly history: {report.snapshots_written} snapshots written.")
        for line in report.examples:
            self.stdout.write(f"  {line}")
