"""Files people open in a spreadsheet: CSV and Excel downloads, and CSV files read back in.

A CSV cell that a spreadsheet would run as a formula is disarmed with a leading apostrophe
(``spreadsheet_safe``), and reading a CSV takes that apostrophe off again
(``spreadsheet_value``): the two are exact inverses, so a file handed out (an import's rejected
rows, fixed and uploaded again) gives back what went into it. The rule, both ways: a leading
apostrophe is a disarming one when what follows it, past any further apostrophes, starts a
formula (= + - @ tab, carriage return). ``'+49 30 999 000`` reads as ``+49 30 999 000``,
whichever program disarmed it; ``'s-Hertogenbosch`` keeps its apostrophe, which is the value's
own. A value that itself starts with an apostrophe and then a formula start (``'=x``) is written
with one more (``''=x``), so that it too reads back as it was.

Downloads start with a UTF-8 byte-order mark, without which Excel reads UTF-8 as its local code
page ("Müller" opens as "MÃ¼ller"), and are kept in no cache. An Excel file (.xlsx) is written
in constant memory: openpyxl's write-only workbook puts each row into a temporary file as it
comes, and that file is streamed back. Its cells are typed, so nothing needs disarming: text is
text (never a formula), numbers are numbers and dates are dates.
"""

import csv
import datetime
import re
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

# What a spreadsheet reads as the start of a formula (a tab or carriage return can hide one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows on one sheet, the header included: Excel opens no more.
XLSX_SHEET_ROWS = 1_048_576
NUMBERS = (int, float, Decimal)
TYPED = (*NUMBERS, datetime.date, datetime.time)


def _disarmed(text: str) -> bool:
    return text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS)


def spreadsheet_safe(value) -> str:
    """A cell value a spreadsheet will not run as a formula (a leading quote disarms it)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) or _disarmed(text) else text


def spreadsheet_value(text: str) -> str:
    """A CSV cell as it was before ``spreadsheet_safe`` disarmed it."""
    return text[1:] if _disarmed(text) else text


def csv_cell(value):
    """A value as a CSV cell: a number as it is, nothing as empty, anything else as disarmed
    text (a date as ``2026-03-31``)."""
    if value is None:
        return ""
    if isinstance(value, NUMBERS) and not isinstance(value, bool):
        return value
    return spreadsheet_safe(value)


class _Echo:
    """A file-like object that hands back what is written to it, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV text of ``header`` and ``rows``, a line at a time, read from ``rows`` only as
    the lines are asked for; the first line starts with the byte-order mark."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([csv_cell(value) for value in header])
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def download(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    """``response`` as a file to save as ``filename``, kept in no cache: it holds customer
    data, which must not stay on a shared computer's disk or in a proxy."""
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response["Cache-Control"] = "private, no-store"
    return response


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable]) -> HttpResponseBase:
    """``header`` and ``rows`` as a CSV download, streamed: memory stays flat whatever the
    number of rows."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type=CSV_CONTENT_TYPE)
    return download(response, filename)


def xlsx_cell(sheet, value):
    """A value as an Excel cell: numbers, dates and times (in the current time zone) typed as
    such, anything else as text."""
    if value is None or isinstance(value, TYPED):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.make_naive(value)
        return value
    # Excel has no place for control characters other than tab and line breaks.
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if text.startswith("=") or text in ERROR_CODES:
        # openpyxl would store these as a formula or an error: they are text.
        cell = WriteOnlyCell(sheet, text)
        cell.data_type = "s"
        return cell
    return text


def _sheet_title(filename: str) -> str:
    return re.sub(r"[\\/?*\[\]:]", "", filename.rsplit(".", 1)[0])[:31] or "Sheet"


def xlsx_response(filename: str, header: Iterable, rows: Iterable[Iterable]) -> FileResponse:
    """``header`` and ``rows`` as an Excel download, written row by row to a temporary file
    (deleted once sent) and streamed from it. Rows past Excel's limit go on to a next sheet,
    under the same header."""
    book = Workbook(write_only=True)
    title = _sheet_title(filename)
    header = list(header)
    sheet = book.create_sheet(title)
    sheet.append([xlsx_cell(sheet, value) for value in header])
    used = 1
    for row in rows:
        if used == XLSX_SHEET_ROWS:
            sheet = book.create_sheet(f"{title[:26]} ({len(book.worksheets) + 1})")
            sheet.append([xlsx_cell(sheet, value) for value in header])
            used = 1
        sheet.append([xlsx_cell(sheet, value) for value in row])
        used += 1
    # Closed (and so deleted) by the response once sent.
    file = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        book.save(file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    response = FileResponse(file, content_type=XLSX_CONTENT_TYPE)
    return download(response, filename)
