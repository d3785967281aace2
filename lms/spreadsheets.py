"""Cells for CSV and XLSX exports that a spreadsheet will not run as formulas.

A name, a comment or an HR note that starts with ``=``, ``+``, ``-``, ``@`` (or a tab/CR) would be
evaluated by Excel or LibreOffice when the export is opened (formula injection, e.g.
``=HYPERLINK(...)`` leaking neighbouring cells). Such text gets a leading apostrophe, which
spreadsheets show as plain text. Numbers, dates and booleans pass through unchanged.
"""

import itertools
from collections.abc import Iterable, Iterator
from typing import IO, Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


# ---- tables to CSV and XLSX, in the reader's language and time zone ----
#
# CSV is text for people: dates, months, times and decimals are written as the pages show them
# (lms.formatting: 05/03/2026 and 87,5 in Vietnamese, 5 Mar 2026 and 87.5 in English), times in the
# reader's zone, and every column of times names that zone in its header ("Started (Europe/Paris)").
# XLSX keeps typed cells (numbers, real dates in the reader's zone) with the language's date format,
# sized columns and a frozen header row.

BOM = "\ufeff"


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_cell(value: Any) -> Any:
    """A value as CSV text; text a spreadsheet would run as a formula is neutralised."""
    import datetime
    import decimal

    from . import formatting

    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, datetime.datetime):
        return formatting.format_datetime(value, with_zone=False)
    if isinstance(value, datetime.date | int | float | decimal.Decimal):
        return formatting.format_value(value)
    return safe_cell(value)


def zoned_headers(headers: Iterable[Any], first_row: tuple | None) -> list[str]:
    """Headers, each column of moments naming the zone its times are written in."""
    import datetime

    from . import formatting

    zone = formatting.zone_name()
    labels = [str(h) for h in headers]
    if first_row is not None:
        for i, value in enumerate(first_row):
            if i < len(labels) and isinstance(value, datetime.datetime):
                labels[i] = f"{labels[i]} ({zone})"
    return labels


def csv_chunks(headers: list, rows: Iterable[tuple], batch: int = 500) -> Iterator[str]:
    """The CSV text in chunks of ``batch`` rows; the first chunk starts with the BOM."""
    import csv

    writer = csv.writer(_Echo())
    rows = iter(rows)
    first = next(rows, None)
    buffer = [BOM + writer.writerow([safe_cell(h) for h in zoned_headers(headers, first)])]
    if first is not None:
        buffer.append(writer.writerow([csv_cell(v) for v in first]))
    for row in rows:
        buffer.append(writer.writerow([csv_cell(v) for v in row]))
        if len(buffer) >= batch:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def write_xlsx(out: IO[bytes], title: str, headers: list, rows: Iterable[tuple]) -> None:
    """A write-only workbook (constant memory per row): bold, frozen header row; columns sized to their
    header and the first rows; dates as dates in the language's format, moments in the reader's zone."""
    import datetime
    import decimal

    from django.utils import timezone
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from . import formatting

    language = formatting.language()
    date_format = formatting.XLSX_DATE.get(language, "yyyy-mm-dd")
    moment_format = formatting.XLSX_DATETIME.get(language, "yyyy-mm-dd hh:mm")
    month_format = formatting.XLSX_MONTH.get(language, "yyyy-mm")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(str(title) or "Report")[:31].replace("/", "-"))
    rows = iter(rows)
    sample = [row for _i, row in zip(range(200), rows, strict=False)]
    labels = zoned_headers(headers, sample[0] if sample else None)
    widths = [len(label) for label in labels]
    for row in sample:
        for i, value in enumerate(row):
            if i < len(widths):
                widths[i] = max(widths[i], len(str(csv_cell(value))))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(60, max(8, width + 2))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for label in labels:
        cell = WriteOnlyCell(sheet, value=safe_cell(label))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)

    def typed(value):
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            cell = WriteOnlyCell(sheet, value=local.replace(tzinfo=None))
            cell.number_format = moment_format
            return cell
        if isinstance(value, formatting.Month):
            cell = WriteOnlyCell(sheet, value=datetime.date(value.year, value.month, 1))
            cell.number_format = month_format
            return cell
        if isinstance(value, datetime.date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = date_format
            return cell
        if isinstance(value, decimal.Decimal):
            return float(round(value, 2))
        if isinstance(value, float):
            return int(value) if value.is_integer() else round(value, 2)
        return safe_cell(value)

    for row in itertools.chain(sample, rows):
        sheet.append([typed(v) for v in row])
    workbook.save(out)


def csv_response(filename: str, headers: list, rows: Iterable[tuple]):
    """A streamed CSV download. The rows are written after the view has returned, so the reader's language
    and zone are carried into the stream (the middleware has switched them back by then)."""
    from django.http import StreamingHttpResponse
    from django.utils import timezone, translation
    from django.utils.encoding import escape_uri_path

    language, zone = translation.get_language(), timezone.get_current_timezone()

    def stream():
        with translation.override(language), timezone.override(zone):
            for chunk in csv_chunks(headers, rows):
                yield chunk.encode("utf-8")

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response
