from django.core.management.base import BaseCommand

from ...services.storage import h5p_storage_cleanup


class Command(BaseCommand):
    help = "Remove unpacked H5P folders that no package row points to (left by rolled-back imports)."

    def handle(self, *args, **options):
        removed = h5p_storage_cleanup()
        for name in removed:
            self.stdout.write(f"removed {name}")
        self.stdout.write(f"{len(removed)} folder(s) removed")
