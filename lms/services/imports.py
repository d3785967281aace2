"""CSV imports from the HR system: units and staff.

Both follow the same contract: every row is validated before anything is written;
any bad row means a per-row error report and nothing imported, unless the caller
asks to skip invalid rows. The whole write is one transaction, and re-importing
the same file changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, UNUSABLE_PASSWORD_SUFFIX_LENGTH
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import errors
from ..models import Language, StaffProfile, Unit, UnitKind
from ..sql import insert_rows, update_rows, values_of
from ..timezones import is_known_zone
from .units import unit_tree_rebuild

UNIT_COLUMNS = ["code", "parent_code", "kind", "name_vi", "name_en"]
# Optional: a unit's IANA time zone (Europe/Paris); when the column is absent, zones are left as they are.
UNIT_OPTIONAL_COLUMNS = ["time_zone"]
STAFF_COLUMNS = ["employee_number", "full_name", "email", "unit_code", "position", "grade", "language"]
CODE_RE = re.compile(r"^[A-Za-z0-9._-]+$")

Progress = Callable[[int], None]


@dataclass
class RowError:
    row: int  # 1-based line number in the file, header is row 1
    messages: list[str]

    def __str__(self) -> str:
        return _("row %(row)d: %(problems)s") % {"row": self.row, "problems": "; ".join(self.messages)}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    deactivated: int = 0
    reactivated: int = 0
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return self.applied

    def summary(self) -> str:
        text = _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(skipped)d skipped") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }
        if self.deactivated or self.reactivated:
            text += ", " + _("%(deactivated)d deactivated, %(reactivated)d reactivated") % {
                "deactivated": self.deactivated,
                "reactivated": self.reactivated,
            }
        return text


@dataclass
class _Row:
    number: int
    values: dict[str, str]
    problems: list[str] = field(default_factory=list)


def _read_rows(data: bytes, columns: list[str], optional: list[str] | None = None) -> list[_Row]:
    """Decode line by line so a bad byte is reported on its own row, not as a failed file."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise errors.ImportFileError(str(errors.MSG_EMPTY_FILE))
    raw_lines = data.splitlines(keepends=True)
    decoded: list[str] = []
    bad_lines: dict[int, str] = {}
    for index, raw in enumerate(raw_lines, start=1):
        try:
            decoded.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            bad_lines[index] = str(errors.MSG_NOT_UTF8)
            decoded.append(raw.decode("utf-8", errors="replace"))
    if 1 in bad_lines:
        raise errors.ImportFileError(_("the header line is not valid UTF-8 text"))
    reader = csv.reader(io.StringIO("".join(decoded)))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise errors.ImportFileError(str(errors.MSG_EMPTY_FILE)) from exc
    missing = [c for c in columns if c not in header]
    if missing:
        raise errors.ImportFileError(
            str(errors.MSG_MISSING_COLUMNS % {"missing": ", ".join(missing), "expected": ", ".join(columns)})
        )
    rows: list[_Row] = []
    try:
        for record in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            values = {name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(header)}
            present = [c for c in optional or [] if c in header]
            row = _Row(number=number, values={c: values.get(c, "") for c in [*columns, *present]})
            if number in bad_lines:
                row.problems.append(bad_lines[number])
            if len(record) != len(header):
                row.problems.append(_("expected %(n)d columns, found %(m)d") % {"n": len(header), "m": len(record)})
            rows.append(row)
    except csv.Error as exc:
        raise errors.ImportFileError(
            _("line %(line)d is not valid CSV: %(error)s") % {"line": reader.line_num, "error": exc}
        ) from exc
    return rows


def _check_text(row: _Row, name: str, max_length: int, required: bool = True) -> None:
    value = row.values[name]
    if required and not value:
        row.problems.append(str(errors.MSG_REQUIRED % {"field": name}))
    elif len(value) > max_length:
        row.problems.append(str(errors.MSG_TOO_LONG % {"field": name, "max": max_length}))


def _check_code(row: _Row, name: str) -> None:
    _check_text(row, name, 32)
    value = row.values[name]
    if value and not CODE_RE.match(value):
        row.problems.append(str(errors.MSG_BAD_CODE % {"field": name, "value": value}))


def _check_unique(rows: Iterable[_Row], name: str, normalise=lambda v: v) -> None:
    first_seen: dict[str, int] = {}
    for row in rows:
        key = normalise(row.values[name])
        if not key:
            continue
        if key in first_seen:
            row.problems.append(
                str(errors.MSG_DUPLICATE_IN_FILE % {"field": name, "value": row.values[name], "row": first_seen[key]})
            )
        else:
            first_seen[key] = row.number


def _finish(rows: list[_Row], skip_invalid: bool) -> tuple[list[_Row], ImportResult]:
    result = ImportResult(errors=[RowError(r.number, r.problems) for r in rows if r.problems])
    good = [r for r in rows if not r.problems]
    result.skipped = len(rows) - len(good) if skip_invalid else 0
    return good, result


# ---------------------------------------------------------------- units


def _validate_units(rows: list[_Row]) -> None:
    kinds = {k.value for k in UnitKind}
    for row in rows:
        _check_code(row, "code")
        if row.values["parent_code"]:
            _check_code(row, "parent_code")
        _check_text(row, "name_vi", 255)
        _check_text(row, "name_en", 255)
        zone = row.values.get("time_zone", "")
        if zone and not is_known_zone(zone):
            row.problems.append(str(errors.MSG_BAD_TIME_ZONE % {"value": zone}))
        kind = row.values["kind"].lower()
        row.values["kind"] = kind
        if kind not in kinds:
            row.problems.append(
                str(errors.MSG_BAD_KIND % {"value": row.values["kind"], "choices": ", ".join(sorted(kinds))})
            )
    _check_unique(rows, "code")


def _check_unit_links(rows: list[_Row]) -> None:
    """Unknown parents and cycles, judged on the tree as it would be after the import.

    Rows dropped as bad no longer count as parents, so the check repeats until stable.
    """
    existing = dict(Unit.objects.values_list("code", "parent__code"))
    while True:
        live = [r for r in rows if not r.problems]
        parents = dict(existing)
        parents.update({r.values["code"]: (r.values["parent_code"] or None) for r in live})
        newly_bad = False
        for row in live:
            code = row.values["code"]
            parent = row.values["parent_code"] or None
            if parent is not None and parent not in parents:
                row.problems.append(str(errors.MSG_UNKNOWN_PARENT % {"value": parent}))
                newly_bad = True
                continue
            trail = [code]
            cursor = parent
            while cursor is not None:
                if cursor == code:
                    trail.append(cursor)
                    row.problems.append(str(errors.MSG_CYCLE % {"value": code, "cycle": " → ".join(trail)}))
                    newly_bad = True
                    break
                if cursor in trail:
                    break  # a cycle elsewhere; the row on it reports it
                trail.append(cursor)
                cursor = parents.get(cursor)
        if not newly_bad:
            return


def units_import(*, data: bytes, skip_invalid: bool = False, progress: Progress | None = None) -> ImportResult:
    rows = _read_rows(data, UNIT_COLUMNS, UNIT_OPTIONAL_COLUMNS)
    _validate_units(rows)
    _check_unit_links(rows)
    good, result = _finish(rows, skip_invalid)
    if result.errors and not skip_invalid:
        return result
    with transaction.atomic():
        by_code = {u.code: u for u in Unit.objects.select_for_update()}
        pending = list(good)
        # Parents first: repeat passes until every row's parent exists.
        while pending:
            remaining = []
            for row in pending:
                v = row.values
                parent = by_code.get(v["parent_code"]) if v["parent_code"] else None
                if v["parent_code"] and parent is None:
                    remaining.append(row)
                    continue
                unit = by_code.get(v["code"])
                fields = {"kind": v["kind"], "name_vi": v["name_vi"], "name_en": v["name_en"], "parent": parent}
                if "time_zone" in v:
                    fields["time_zone"] = v["time_zone"]
                if unit is None:
                    by_code[v["code"]] = Unit.objects.create(code=v["code"], **fields)
                    result.created += 1
                elif any(getattr(unit, k) != val for k, val in fields.items()):
                    for k, val in fields.items():
                        setattr(unit, k, val)
                    unit.save(update_fields=list(fields))
                    result.updated += 1
                else:
                    result.unchanged += 1
                if progress:
                    progress(1)
            if len(remaining) == len(pending):  # pragma: no cover - excluded by _check_unit_links
                raise errors.ImportFileError("unresolvable parents: " + ", ".join(r.values["code"] for r in remaining))
            pending = remaining
        unit_tree_rebuild()
    result.applied = True
    return result


# ---------------------------------------------------------------- staff


def _validate_staff(rows: list[_Row]) -> None:
    unit_ids = dict(Unit.objects.values_list("code", "id"))
    languages = set(Language.values)
    for row in rows:
        v = row.values
        _check_code(row, "employee_number")
        _check_text(row, "full_name", 255)
        _check_text(row, "email", 254)
        _check_text(row, "position", 120, required=False)
        _check_text(row, "grade", 120, required=False)
        if v["email"]:
            try:
                validate_email(v["email"])
            except ValidationError:
                row.problems.append(str(errors.MSG_BAD_EMAIL % {"value": v["email"]}))
        if v["unit_code"] and v["unit_code"] not in unit_ids:
            row.problems.append(str(errors.MSG_UNKNOWN_UNIT % {"value": v["unit_code"]}))
        elif not v["unit_code"]:
            row.problems.append(str(errors.MSG_REQUIRED % {"field": "unit_code"}))
        language = (v["language"] or "vi").lower()
        if language not in languages:
            row.problems.append(str(errors.MSG_BAD_LANGUAGE % {"value": v["language"]}))
        v["language"] = language
    _check_unique(rows, "employee_number")
    _check_unique(rows, "email", normalise=str.lower)
    # An e-mail already used by somebody else in the database.
    emails = {r.values["email"].lower(): r for r in rows if r.values["email"] and not r.problems}
    if emails:
        User = get_user_model()
        taken = User.objects.filter(email__in=values_of([r.values["email"] for r in emails.values()])).values_list(
            "email", "staff_profile__employee_number", "username"
        )
        for email, number, username in taken:
            row = emails.get(email.lower())
            if row is not None and number != row.values["employee_number"]:
                row.problems.append(str(errors.MSG_EMAIL_TAKEN % {"value": email, "other": number or username}))


# Rows written per INSERT/UPDATE statement: a 100,000-row file is a hundred statements of each kind, not
# 100,000 round trips; small enough for SQLite's bound-parameter limit and PostgreSQL's statement size.
BATCH = 1000


def _batches(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _unusable_password() -> str:
    # What set_unusable_password() stores ("!" and 40 random characters), from one urandom call: Django's
    # get_random_string draws each character separately, a quarter of an import's time at 100,000 people.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(UNUSABLE_PASSWORD_SUFFIX_LENGTH // 2)


@transaction.atomic
def _apply_staff(good: list[_Row], result: ImportResult, progress: Progress | None) -> None:
    """Set-based: a fixed number of reads whatever the file's size, and one INSERT or UPDATE per ``BATCH``
    rows of each kind (accounts, profiles), written as plain rows (``lms.sql``) because the ORM's per-value
    preparation costs more than the database. Progress is reported batch by batch."""
    User = get_user_model()
    unit_ids = dict(Unit.objects.values_list("code", "id"))
    existing = {
        row[0]: row
        for row in StaffProfile.objects.select_for_update(of=("self",))
        .filter(employee_number__in=values_of([r.values["employee_number"] for r in good]))
        .values_list(
            "employee_number",
            "pk",
            "full_name",
            "unit_id",
            "position",
            "grade",
            "language",
            "is_active",
            "user_id",
            "user__email",
            "user__is_active",
        )
    }
    new_rows = [r for r in good if r.values["employee_number"] not in existing]
    old_rows = [r for r in good if r.values["employee_number"] in existing]
    now = timezone.now()

    # New people: an account (reusing one already named after the employee number) with an unusable
    # password, signed in later through an invitation or single sign-on, then the profile.
    accounts = dict(
        User.objects.filter(username__in=values_of([r.values["employee_number"] for r in new_rows])).values_list(
            "username", "pk"
        )
    )
    for rows in _batches(new_rows):
        fresh = [r.values for r in rows if r.values["employee_number"] not in accounts]
        made = insert_rows(
            User,
            [
                "password",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
            ],
            [(_unusable_password(), False, v["employee_number"], "", "", v["email"], False, True, now) for v in fresh],
            returning=("username", "id"),
        )
        accounts.update(made)
        insert_rows(
            StaffProfile,
            [
                "user_id",
                "employee_number",
                "full_name",
                "unit_id",
                "position",
                "grade",
                "language",
                "time_zone",
                "is_active",
                "created_at",
                "updated_at",
            ],
            [
                (
                    accounts[v["employee_number"]],
                    v["employee_number"],
                    v["full_name"],
                    unit_ids[v["unit_code"]],
                    v["position"],
                    v["grade"],
                    v["language"],
                    "",
                    True,
                    now,
                    now,
                )
                for v in (r.values for r in rows)
            ],
        )
        result.created += len(rows)
        if progress:
            progress(len(rows))

    # People already here: only the profiles and accounts that differ from the file are written.
    for rows in _batches(old_rows):
        profiles, users = [], []
        for row in rows:
            v = row.values
            _, pk, full_name, unit_id, position, grade, language, active, user_id, email, user_active = existing[
                v["employee_number"]
            ]
            wanted = (v["full_name"], unit_ids[v["unit_code"]], v["position"], v["grade"], v["language"])
            changed = wanted != (full_name, unit_id, position, grade, language)
            if not active or not user_active:
                # Back in the HR export: a leaver who returns can sign in again.
                changed = True
                result.reactivated += 1
            if changed:
                profiles.append((pk, *wanted, True, now))
            if not user_active or email != v["email"]:
                users.append((user_id, v["email"], True))
                changed = changed or email != v["email"]
            if changed:
                result.updated += 1
            else:
                result.unchanged += 1
        update_rows(
            StaffProfile, ["full_name", "unit_id", "position", "grade", "language", "is_active", "updated_at"], profiles
        )
        update_rows(User, ["email", "is_active"], users)
        if progress:
            progress(len(rows))


def staff_import(
    *, data: bytes, skip_invalid: bool = False, progress: Progress | None = None, full: bool = False, actor=None
) -> ImportResult:
    """Create and update staff from the HR export. With ``full`` the file is the complete export: active people
    missing from it are deactivated (see ``lms.accounts.services.leavers``); without it nobody is."""
    rows = _read_rows(data, STAFF_COLUMNS)
    _validate_staff(rows)
    good, result = _finish(rows, skip_invalid)
    if result.errors and not skip_invalid:
        return result
    with transaction.atomic():
        _apply_staff(good, result, progress)
        if full:
            from lms.accounts.services.leavers import staff_deactivate_missing

            # Every number in the file counts as present, even on a row skipped as invalid: a typo in
            # someone's e-mail must not lock them out.
            present = [r.values["employee_number"] for r in rows if r.values["employee_number"]]
            result.deactivated = staff_deactivate_missing(present_numbers=present, actor=actor)
        _audit_import(result, actor=actor, full=full)
        from reports.services.freshness import dashboard_data_changed

        dashboard_data_changed()  # headcounts, positions and units of the people changed
    result.applied = True
    return result


def _audit_import(result: ImportResult, *, actor, full: bool) -> None:
    from lms.accounts import audit

    audit.record(
        actor=actor,
        action="accounts.staff_import",
        target="staff import",
        params={
            "full": full,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "skipped": result.skipped,
            "deactivated": result.deactivated,
            "reactivated": result.reactivated,
        },
    )


def count_rows(data: bytes) -> int:
    """Rough row count for a progress bar (lines minus the header)."""
    return max(data.count(b"\n") - (0 if data.endswith(b"\n") else -1) - 1, 0)
