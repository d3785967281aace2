"""Tables to files: streamed CSV (UTF-8 with a BOM, so Excel shows Vietnamese), XLSX and PDF.

Rows are iterables of tuples; nothing here touches the ORM, so the same writers serve inline
downloads and background jobs.
"""

from __future__ import annotations

import csv
import datetime
import decimal
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.encoding import escape_uri_path

from lms.spreadsheets import safe_cell

BOM = "\ufeff"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"
CONTENT_TYPES = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE, "pdf": PDF_TYPE}


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value):
    """A value as written to CSV and XLSX; text a spreadsheet would run as a formula is neutralised."""
    if value is None:
        return ""
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, decimal.Decimal):
        return float(round(value, 2))
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return safe_cell(value)


def csv_chunks(headers: list[str], rows: Iterable[tuple], batch: int = 500) -> Iterator[str]:
    """The CSV text in chunks of ``batch`` rows; the first chunk starts with the BOM."""
    writer = csv.writer(_Echo())
    buffer = [BOM + writer.writerow([safe_cell(str(h)) for h in headers])]
    for row in rows:
        buffer.append(writer.writerow([_cell(v) for v in row]))
        if len(buffer) >= batch:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def _disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"


def csv_response(filename: str, headers: list[str], rows: Iterable[tuple]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in csv_chunks(headers, rows)), content_type=CSV_TYPE
    )
    response["Content-Disposition"] = _disposition(filename)
    return response


def write_csv(out: IO[bytes], headers: list[str], rows: Iterable[tuple]) -> None:
    for chunk in csv_chunks(headers, rows):
        out.write(chunk.encode("utf-8"))


def write_xlsx(out: IO[bytes], title: str, headers: list[str], rows: Iterable[tuple]) -> None:
    """A write-only workbook (constant memory per row) with a bold header row."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(str(title) or "Report")[:31].replace("/", "-"))
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=safe_cell(str(header)))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    workbook.save(out)


def xlsx_response(filename: str, title: str, headers: list[str], rows: Iterable[tuple]) -> HttpResponse:
    response = HttpResponse(content_type=XLSX_TYPE)
    write_xlsx(response, title, headers, rows)
    response["Content-Disposition"] = _disposition(filename)
    return response


def render_pdf(html: str, base_url: str | None = None) -> bytes:
    """HTML to PDF with WeasyPrint; the templates ask for DejaVu fonts, which carry every Vietnamese glyph."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()


def pdf_response(filename: str, pdf: bytes) -> HttpResponse:
    response = HttpResponse(pdf, content_type=PDF_TYPE)
    response["Content-Disposition"] = _disposition(filename)
    return response


def counting(rows: Iterable[tuple], every: int, callback: Callable[[int], None]) -> Iterator[tuple]:
    """Pass rows through, calling ``callback(count)`` every ``every`` rows and at the end."""
    count = 0
    for row in rows:
        yield row
        count += 1
        if count % every == 0:
            callback(count)
    callback(count)
