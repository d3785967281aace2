from lms.services.imports import staff_import

from ._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import or update staff from the HR system's CSV export "
        "(columns: employee_number, full_name, email, unit_code, position, grade, language)."
    )
    service = staticmethod(staff_import)
    noun = "people"
