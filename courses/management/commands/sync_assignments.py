from django.core.management.base import BaseCommand

from courses.services.assignments import assignments_sync


class Command(BaseCommand):
    help = (
        "Enrol people who joined an assigned unit or position since the last run (beat does this every "
        "15 minutes; run it right after a staff import to do it at once)."
    )

    def handle(self, *args, **options):
        created = assignments_sync()
        self.stdout.write(self.style.SUCCESS(f"{created} enrolment(s) created."))
