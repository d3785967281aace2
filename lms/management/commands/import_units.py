from lms.services.imports import units_import

from ._importing import ImportCommand


class Command(ImportCommand):
    help = "Import or update units from a CSV file (columns: code, parent_code, kind, name_vi, name_en)."
    service = staticmethod(units_import)
    noun = "units"
