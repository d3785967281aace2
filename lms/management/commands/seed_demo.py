import os

from django.conf import settings
from django.core.management.base import BaseCommand

from lms.demo import logins, second_factors
from lms.extensions import optional_modules


def sign_in_address() -> str:
    """Where the demo is served: WAGTAILADMIN_BASE_URL, which follows `make run HOST=...`."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/"


class Command(BaseCommand):
    help = "Build (or bring up to date) the demo ministry, its people, courses and history. Idempotent."

    def handle(self, *args, **options):
        # Each app may contribute a ``demo.seed(stdout)`` step; they run in dependency order.
        for module in optional_modules("demo"):
            module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo data is ready. Sign in at {sign_in_address()} with:"))
        for username, password in logins():
            self.stdout.write(f"  {username:<10} {password}")
        if not os.environ.get("DEMO_PASSWORD"):
            self.stdout.write("  (set DEMO_PASSWORD to choose another password)")
        self.stdout.write(
            "HR and administrators also need a code from an authenticator app. Add these secrets to any app "
            "(Google Authenticator, FreeOTP, ...), or print the current code with "
            "`python manage.py totp_code USERNAME`. Each recovery code works once instead of a code:"
        )
        for username, secret, codes in second_factors():
            self.stdout.write(f"  {username:<10} secret {secret}")
            self.stdout.write(f"  {'':<10} recovery codes {' '.join(codes)}")
