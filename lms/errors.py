from django.utils.translation import gettext_lazy as _


class OrgError(Exception):
    """A refused organisation operation; ``str()`` is a message a person can act on."""


class ImportFileError(OrgError):
    """The file as a whole cannot be read (wrong columns, not CSV, empty)."""


MSG_NOT_UTF8 = _("the line is not valid UTF-8 text; save the file as “CSV UTF-8”")
MSG_REQUIRED = _("%(field)s is required")
MSG_TOO_LONG = _("%(field)s is longer than %(max)d characters")
MSG_BAD_CODE = _("%(field)s “%(value)s” may contain only letters, digits, “.”, “_” and “-”")
MSG_DUPLICATE_IN_FILE = _("%(field)s “%(value)s” appears more than once in the file (first on row %(row)d)")
MSG_UNKNOWN_UNIT = _("unit_code “%(value)s” is not a known unit")
MSG_UNKNOWN_PARENT = _("parent_code “%(value)s” is not a known unit")
MSG_BAD_KIND = _("kind “%(value)s” is not one of: %(choices)s")
MSG_BAD_EMAIL = _("email “%(value)s” is not a valid e-mail address")
MSG_EMAIL_TAKEN = _("email “%(value)s” already belongs to another person (%(other)s)")
MSG_BAD_LANGUAGE = _("language “%(value)s” must be “vi” or “en”")
MSG_CYCLE = _("unit “%(value)s” would become its own ancestor (cycle: %(cycle)s)")
MSG_MISSING_COLUMNS = _("the file is missing the column(s) %(missing)s; expected: %(expected)s")
MSG_EMPTY_FILE = _("the file is empty")
MSG_BAD_TIME_ZONE = _("“%(value)s” is not a time zone (use a name such as Europe/Paris).")
MSG_UNKNOWN_LANGUAGE = _("Unknown language.")


class PreferencesError(OrgError):
    """Refused preferences; ``fields`` maps each bad field to its message."""

    def __init__(self, fields: dict[str, str]):
        super().__init__("; ".join(fields.values()))
        self.fields = fields
