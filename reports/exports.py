"""Tables to files: streamed CSV (UTF-8 with a BOM, so Excel shows Vietnamese), XLSX and PDF.

CSV and XLSX are written by ``lms.spreadsheets`` in the reader's language and time zone.

Rows are iterables of tuples; nothing here touches the ORM, so the same writers serve inline
downloads and background jobs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import IO

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.encoding import escape_uri_path

from lms import spreadsheets

BOM = spreadsheets.BOM
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"
CONTENT_TYPES = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE, "pdf": PDF_TYPE}


def csv_chunks(headers: list, rows: Iterable[tuple], batch: int = 500) -> Iterator[str]:
    return spreadsheets.csv_chunks(headers, rows, batch)


def _disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"


def csv_response(filename: str, headers: list[str], rows: Iterable[tuple]) -> StreamingHttpResponse:
    return spreadsheets.csv_response(filename, headers, rows)


def write_csv(out: IO[bytes], headers: list[str], rows: Iterable[tuple]) -> None:
    for chunk in csv_chunks(headers, rows):
        out.write(chunk.encode("utf-8"))


def write_xlsx(out: IO[bytes], title: str, headers: list, rows: Iterable[tuple]) -> None:
    spreadsheets.write_xlsx(out, title, headers, rows)


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
