"""Reading an uploaded spreadsheet: CSV (comma or semicolon, UTF-8 with or without BOM) or XLSX.

Rows are streamed (``ImportFile.rows()`` is a generator), so memory stays bounded whatever
the file's length. Anything that is not a readable spreadsheet raises ``ImportFileError``
with a message for the editor, before a single row is read.
"""

import codecs
import csv
import datetime
import io
import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Ten thousand organisations with long descriptions take about 5 MB; a file four times
# that is a mistake (or an attack), and would tie up the server for minutes.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
CHECK_CHUNK = 64 * 1024
XLSX_MAGIC = b"PK\x03\x04"


def max_bytes():
    return getattr(settings, "XMESS_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


class ImportFileError(Exception):
    """The file cannot be read at all; ``status`` is the HTTP status to answer with."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def cell_text(value):
    """A spreadsheet cell as the text a person typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class ImportFile:
    """An uploaded file on disk (or any binary file object) that looked like a spreadsheet."""

    def __init__(self, fileobj, name):
        self.fileobj = fileobj
        self.name = name
        self.kind = self._check()

    def _check(self):
        f = self.fileobj
        f.seek(0, io.SEEK_END)
        size = f.tell()
        f.seek(0)
        if size > max_bytes():
            raise ImportFileError(
                _("The file is %(size)s; the largest file accepted is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes())},
                status=413,
            )
        head = f.read(len(XLSX_MAGIC))
        f.seek(0)
        if not head.strip():
            raise ImportFileError(_("The file is empty."))
        if head == XLSX_MAGIC:
            return "xlsx"
        self._check_text()
        return "csv"

    def _check_text(self):
        """The whole file must be UTF-8 text; reading it once costs little next to importing."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        not_text = _(
            "This is not a CSV or XLSX file. Save the spreadsheet as “CSV UTF-8” or as XLSX."
        )
        wrong_encoding = _(
            "The file is not in UTF-8: it has characters that cannot be read (line %(line)s). "
            "Save it as “CSV UTF-8” (or as XLSX) and try again."
        )
        line = 1
        while chunk := self.fileobj.read(CHECK_CHUNK):
            if b"\x00" in chunk:
                raise ImportFileError(not_text)
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                line += chunk[: error.start].count(b"\n")
                raise ImportFileError(wrong_encoding % {"line": line}) from None
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise ImportFileError(wrong_encoding % {"line": line}) from None
        self.fileobj.seek(0)

    def rows(self):
        """Each row as a list of strings, the column names first."""
        if self.kind == "xlsx":
            yield from self._xlsx_rows()
        else:
            yield from self._csv_rows()

    def _csv_rows(self):
        self.fileobj.seek(0)
        text = io.TextIOWrapper(self.fileobj, encoding="utf-8-sig", newline="")
        try:
            first_line = text.readline()
            # Spreadsheets in Catalan and Spanish save CSV with semicolons; the column names
            # tell which one this file uses.
            delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
            text.seek(0)
            yield from csv.reader(text, delimiter=delimiter)
        except csv.Error as error:
            raise ImportFileError(
                _("The CSV file cannot be read: %(reason)s") % {"reason": error}
            ) from None
        finally:
            text.detach()

    def _xlsx_rows(self):
        from openpyxl import load_workbook

        self.fileobj.seek(0)
        try:
            # read_only streams the sheet instead of building it all in memory.
            workbook = load_workbook(self.fileobj, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            raise ImportFileError(_("This XLSX file is damaged or is not a spreadsheet.")) from None
        try:
            sheet = workbook.worksheets[0]
            for values in sheet.iter_rows(values_only=True):
                yield [cell_text(value) for value in values]
        finally:
            workbook.close()
