from django.core.management.base import BaseCommand

from courses.models import CourseIndexPage
from courses.services.authoring import catalogue_authoring_setup


class Command(BaseCommand):
    help = (
        "Create the course catalogue under the site's home page if there is none, give Trainers their page "
        "permissions on it (edit, no publish) and attach the peer-review workflow. Idempotent."
    )

    def handle(self, *args, **options):
        from courses.demo import site_root

        catalogue = CourseIndexPage.objects.order_by("pk").first()
        if catalogue is None:
            catalogue = site_root().add_child(instance=CourseIndexPage(title="Khoá học", slug="courses"))
            self.stdout.write(f"Created the catalogue at {catalogue.url_path}")
        workflow = catalogue_authoring_setup(catalogue=catalogue)
        self.stdout.write(
            self.style.SUCCESS(f"Trainers may author under “{catalogue.title}”; workflow: {workflow.name}")
        )
