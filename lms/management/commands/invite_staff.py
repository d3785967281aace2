from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from lms.accounts.services.invitations import invitations_create, people_to_invite
from lms.models import StaffProfile, Unit


class Command(BaseCommand):
    help = (
        "Invite imported staff who cannot sign in yet: everyone not yet invited, or the people of one unit and "
        "the units below it. Each gets an e-mail in their language with a single-use link to set a password. "
        "Sending runs as Celery tasks in batches."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", metavar="CODE", help="only this unit and the units below it")
        parser.add_argument("--dry-run", action="store_true", help="say who would be invited; send nothing")
        parser.add_argument(
            "--include-expired", action="store_true", help="also invite again the people whose invitation expired"
        )

    def handle(self, *args, unit=None, dry_run=False, include_expired=False, **options):
        people = StaffProfile.objects.all()
        if unit:
            root = Unit.objects.filter(code=unit).first()
            if root is None:
                raise CommandError(f"No unit with code {unit!r}.")
            people = people.filter(unit__in=Unit.objects.subtree_of(root))
        candidates = list(people_to_invite(people=people, include_expired=include_expired).values_list("pk", flat=True))
        where = f" in {unit} and below" if unit else ""
        if dry_run:
            self.stdout.write(f"{len(candidates)} people{where} would be invited (dry run: nothing was sent).")
            return
        size = settings.INVITATION_BATCH_SIZE
        invited = 0
        with tqdm(
            total=len(candidates), unit="people", disable=options["verbosity"] == 0, file=self.stderr._out
        ) as bar:
            for start in range(0, len(candidates), size):
                chunk = StaffProfile.objects.filter(pk__in=candidates[start : start + size])
                batch = invitations_create(people=chunk, actor=None, include_expired=include_expired)
                invited += batch.invited
                bar.update(len(candidates[start : start + size]))
        queued = "sent" if settings.CELERY_TASK_ALWAYS_EAGER else "queued for sending"
        self.stdout.write(self.style.SUCCESS(f"{invited} invitation(s){where} {queued}."))
