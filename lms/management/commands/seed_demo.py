import os
from importlib import import_module

from django.core.management.base import BaseCommand

from lms.demo import logins

# Each app may contribute a ``demo.seed(stdout)`` step; they run in this order.
DEMO_APPS = ["lms", "courses", "courses.h5p", "assessments", "assessments.quizzes", "reports"]


class Command(BaseCommand):
    help = "Build (or bring up to date) the demo ministry, its people, courses and history. Idempotent."

    def handle(self, *args, **options):
        for app in DEMO_APPS:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in at http://127.0.0.1:8000/ with:"))
        for username, password in logins():
            self.stdout.write(f"  {username:<10} {password}")
        if not os.environ.get("DEMO_PASSWORD"):
            self.stdout.write("  (set DEMO_PASSWORD to choose another password)")
