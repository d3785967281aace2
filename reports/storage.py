"""Private storage for generated report files.

Exports hold personal data, so they live outside ``MEDIA_ROOT`` (which the web server publishes under
``/media/``) and are reachable only through the permission-checked ``reports:job_download`` view. File
names are random so that one leaked name says nothing about any other file.
"""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateReportStorage(FileSystemStorage):
    def url(self, name):
        raise ValueError("Report files have no public URL; serve them through reports:job_download.")


def private_reports_storage() -> PrivateReportStorage:
    """Callable storage, so the migration refers to this function instead of baking in a path."""
    return PrivateReportStorage(location=settings.REPORTS_PRIVATE_ROOT, base_url=None)


def job_result_path(instance, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return f"jobs/{secrets.token_urlsafe(24)}{suffix}"
