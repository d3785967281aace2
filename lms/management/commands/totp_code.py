from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from lms.accounts.second_factor import totp_code, totp_secret_of
from lms.demo import ACCOUNTS


class Command(BaseCommand):
    help = (
        "Print the current authenticator code of a demo account (admin, hr, hr_europe), as an authenticator app "
        "would show it. Refused for everyone else: real people use their own app."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        demo_accounts = {name for name, *_ in ACCOUNTS}
        if username not in demo_accounts:
            raise CommandError(f"{username!r} is not a demo account ({', '.join(sorted(demo_accounts))}).")
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not user.check_password(settings.DEMO_PASSWORD):
            raise CommandError(f"{username!r} is not the demo's account here (run `manage.py seed_demo` first).")
        secret = totp_secret_of(user)
        if secret is None:
            raise CommandError(f"{username!r} has no authenticator.")
        self.stdout.write(totp_code(secret))
