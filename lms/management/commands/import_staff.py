from lms.services.imports import staff_import

from ._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import or update staff from the HR system's CSV export "
        "(columns: employee_number, full_name, email, unit_code, position, grade, language). "
        "With --full the file is the complete export: active people missing from it are deactivated."
    )
    service = staticmethod(staff_import)
    noun = "people"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--full",
            action="store_true",
            help="the file is the complete export: deactivate everyone missing from it (they can no longer sign "
            "in; their records stay); people who reappear are reactivated",
        )

    def service_options(self, options) -> dict:
        return {"full": options["full"]}
