"""The statistical forms as one Excel workbook (.xlsx): one sheet per form of ``data/forms.yml``.

Draws the :class:`~baocao.compile.forms.FilledForm` objects (the same the "Biểu thống kê"
page shows) with openpyxl: the head (the committee as in the report's header, the form's
number, title, period and unit), the table with merged header cells, the notes and the
foot (NGƯỜI LẬP BIỂU; place, date and signer). Times New Roman throughout; A4 landscape,
one page wide, the table's head repeated on every printed page; integers in the
Vietnamese way (``1.173``) whatever the reader's regional settings, the ratio with the
Vietnamese decimal comma where the program honours the format's locale.

A row the form computes (B, C, D, a total over the categories) and every ratio is a
formula, written with its computed value: openpyxl writes formulas without a value, so
the value is put into each formula cell of the saved file (:func:`_with_values`). A
reader that does not recalculate shows the right figures; one that does gets the same.
Unknown figures are empty cells, never 0.

Every text from the repository is written as text: a label starting with ``=`` never
becomes a formula, and characters a workbook cannot hold (control characters) are dropped.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from baocao.compile.forms import FilledForm, Formula, fill_all
from baocao.compile.sitemap import download_name
from baocao.export import write_file
from baocao.model import Archive, Report

FONT = "Times New Roman"
SIZE = 12
#: Whole numbers with a dot between thousands (1.173), in every locale: the dots are
#: written as literal characters for numbers of four digits and more.
INTEGER = r"[>=1000000]#\.###\.##0;[>=1000]#\.##0;0"
#: The ratio with one decimal, in the Vietnamese locale (LCID 042A: ``106,6``, ``1.234,5``); Excel
#: shows the decimal sign of the computer's regional settings.
RATIO = "[$-42A]#,##0.0"
#: Column widths (characters): code, label, this period, last year, ratio.
WIDTHS = (7, 62, 15, 15, 17)
COLUMNS = len(WIDTHS)
#: First row of the table's head; the head is three rows (two merged, the column numbers).
TABLE_TOP = 7
MARGIN_INCHES = 0.6
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
#: Characters a line of the widest merged rows holds, to size rows of wrapped notes.
LINE_CHARS = 125


def xlsx_name(report: Report) -> str:
    return download_name(report, "xlsx")


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


class _Sheet:
    """Writes one form on one worksheet; keeps the value of every formula it writes."""

    def __init__(self, ws, filled: FilledForm) -> None:
        self.ws = ws
        self.filled = filled
        #: coordinate -> computed value of each formula cell.
        self.values: dict[str, int | float] = {}
        self.row_of: dict[str, int] = {}

    def text(self, row: int, column: int, value: str, *, bold: bool = False, italic: bool = False,
             size: int = SIZE, horizontal: str = "center", wrap: bool = True, indent: int = 0,
             to_column: int | None = None, to_row: int | None = None, border: bool = False):
        """A text cell, merged to ``to_row``/``to_column``: always text, never a formula."""
        cell = self.ws.cell(row=row, column=column)
        cell.value = _clean(value)
        cell.data_type = "s"
        cell.font = Font(name=FONT, size=size, bold=bold, italic=italic)
        cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap, indent=indent)
        last_row, last_column = to_row or row, to_column or column
        if border:
            for r in range(row, last_row + 1):
                for c in range(column, last_column + 1):
                    self.ws.cell(row=r, column=c).border = BOX
        if (last_row, last_column) != (row, column):
            self.ws.merge_cells(start_row=row, start_column=column, end_row=last_row, end_column=last_column)
        return cell

    def figure(self, row: int, column: int, value: int | float | None, formula: str | None, number_format: str,
               bold: bool = False) -> None:
        cell = self.ws.cell(row=row, column=column)
        if formula is not None and value is not None:
            cell.value = formula
            self.values[cell.coordinate] = value
        else:
            cell.value = value  # None: an empty cell, never 0
        cell.number_format = number_format
        cell.font = Font(name=FONT, size=SIZE, bold=bold)
        cell.alignment = Alignment(horizontal="right", vertical="center")
        cell.border = BOX

    def formula(self, formula: Formula, column: int) -> str:
        """``=SUM(C11:C13)`` for rows that follow each other, else ``=C10+C11-C18``."""
        letter = get_column_letter(column)
        rows = [self.row_of[k] for k in formula.plus]
        if not formula.minus and len(rows) > 2 and rows == list(range(rows[0], rows[0] + len(rows))):
            return f"=SUM({letter}{rows[0]}:{letter}{rows[-1]})"
        text = "+".join(f"{letter}{r}" for r in rows)
        for key in formula.minus:
            text += f"-{letter}{self.row_of[key]}"
        return "=" + text

    def draw(self) -> None:
        ws, filled = self.ws, self.filled
        head, last = filled.head, COLUMNS
        for index, width in enumerate(WIDTHS, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        self.text(1, 1, head.parent, to_column=2)
        self.text(2, 1, head.issuer, bold=True, to_column=2)
        self.text(3, 1, "*", to_column=2)
        self.text(1, 4, head.number, bold=True, to_column=last)
        if head.draft:
            self.text(2, 4, "DỰ THẢO", bold=True, to_column=last)
        self.text(4, 1, head.title, bold=True, size=14, to_column=last)
        self.text(5, 1, head.period, italic=True, to_column=last)
        self.text(6, 1, head.unit, italic=True, horizontal="right", to_column=last)
        self._table_head()
        row = TABLE_TOP + 3
        for line in filled.lines:
            self.row_of[line.key] = row
            row += 1
        for line in filled.lines:
            self._line(line)
        row = self._notes(row + 1)
        self._foot(row + 1)
        self._print_setup()

    def _table_head(self) -> None:
        top, filled = TABLE_TOP, self.filled
        columns, numbers = filled.columns, filled.column_numbers
        self.text(top, 1, columns[0], bold=True, border=True, to_row=top + 1, to_column=2)
        self.text(top, 3, columns[1], bold=True, border=True)
        self.text(top, 4, columns[2], bold=True, border=True)
        self.text(top + 1, 3, filled.head.now_label, italic=True, border=True)
        self.text(top + 1, 4, filled.head.before_label, italic=True, border=True)
        self.text(top, 5, columns[3], bold=True, border=True, to_row=top + 1)
        self.text(top + 2, 1, numbers[0], italic=True, border=True, to_column=2)
        for column, label in enumerate(numbers[1:], start=3):
            self.text(top + 2, column, label, italic=True, border=True)
        self.ws.row_dimensions[top].height = 33

    def _line(self, line) -> None:
        row, bold = self.row_of[line.key], line.main
        self.text(row, 1, line.code, bold=bold, border=True)
        self.text(row, 2, line.label, bold=bold, horizontal="left", indent=line.level * 2, border=True)
        self.figure(row, 3, line.now.value, self.formula(line.now.formula, 3) if line.now.formula else None,
                    INTEGER, bold)
        self.figure(row, 4, line.before.value,
                    self.formula(line.before.formula, 4) if line.before.formula else None, INTEGER, bold)
        self.figure(row, 5, line.ratio, f"=C{row}/D{row}*100" if line.ratio is not None else None, RATIO, bold)

    def _notes(self, row: int) -> int:
        self.text(row, 1, "Ghi chú:", bold=True, italic=True, horizontal="left", to_column=COLUMNS)
        for note in self.filled.notes:
            row += 1
            self.text(row, 1, f"- {note}", italic=True, horizontal="left", to_column=COLUMNS)
            # Merged cells are not fitted to their text: give the row its lines.
            self.ws.row_dimensions[row].height = 16 * math.ceil(len(note) / LINE_CHARS)
        return row + 1

    def _foot(self, row: int) -> None:
        foot = self.filled.foot
        left, right = (1, 2), (3, COLUMNS)
        self.text(row, right[0], foot.place_date, italic=True, to_column=right[1])
        row += 1
        self.text(row, left[0], foot.preparer, bold=True, to_column=left[1])
        self.text(row, right[0], foot.authority, bold=True, to_column=right[1])
        row += 1
        self.text(row, left[0], "(Ký, ghi rõ họ tên)", italic=True, to_column=left[1])
        if foot.position:
            self.text(row, right[0], foot.position, bold=True, to_column=right[1])
        row += 5  # room for the signatures and the seal
        if foot.name:
            self.text(row, right[0], foot.name, bold=True, to_column=right[1])
        self.last_row = row

    def _print_setup(self) -> None:
        ws = self.ws
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        for side in ("left", "right", "top", "bottom"):
            setattr(ws.page_margins, side, MARGIN_INCHES)
        ws.print_title_rows = f"{TABLE_TOP}:{TABLE_TOP + 2}"
        ws.print_area = f"A1:{get_column_letter(COLUMNS)}{self.last_row}"
        ws.oddFooter.center.text = "Trang &P/&N"
        ws.oddFooter.center.font = FONT
        ws.freeze_panes = f"C{TABLE_TOP + 3}"


def build(forms: list[FilledForm]) -> tuple[Workbook, list[dict[str, int | float]]]:
    """The workbook of ``forms`` and, per sheet, the value of each formula cell."""
    workbook = Workbook()
    workbook._named_styles["Normal"].font = Font(name=FONT, size=SIZE)  # the default style: widths, new cells
    values = []
    if not forms:  # a registry without forms: one sheet that says so (a workbook needs a sheet)
        empty = workbook.active
        empty.title = "Biểu thống kê"
        empty["A1"] = "Chưa có biểu thống kê nào: data/forms.yml không có biểu."
        empty["A1"].font = Font(name=FONT, size=SIZE)
        return workbook, values
    workbook.remove(workbook.active)
    for filled in forms:
        sheet = _Sheet(workbook.create_sheet(filled.form.sheet), filled)
        sheet.draw()
        values.append(sheet.values)
    if forms:
        report = forms[0].report
        props = workbook.properties
        props.title = f"Biểu thống kê {report.period.label}"
        props.subject = f"Biểu mẫu thống kê cơ bản về công tác tổ chức xây dựng Đảng, {report.period.label}"
        props.creator = _clean(forms[0].head.issuer)
        props.language = "vi-VN"
    return workbook, values


_FORMULA_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f><v></v></c>')


def _with_values(data: bytes, values: list[dict[str, int | float]]) -> bytes:
    """The saved workbook ``data`` with each formula's computed value in its cell, as Excel
    keeps it (``<f>…</f><v>30</v>``)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            match = re.fullmatch(r"xl/worksheets/sheet([0-9]+)\.xml", item.filename)
            if match and int(match.group(1)) <= len(values):
                cells = values[int(match.group(1)) - 1]

                def filled(found: re.Match, cells=cells) -> str:
                    value = cells.get(found.group(1))
                    if value is None:
                        return found.group(0)
                    return f'<c r="{found.group(1)}"{found.group(2)}><f>{found.group(3)}</f><v>{value!r}</v></c>'

                content = _FORMULA_CELL.sub(filled, content.decode("utf-8")).encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


def to_bytes(archive: Archive, report: Report) -> bytes:
    workbook, values = build(fill_all(archive, report))
    raw = io.BytesIO()
    workbook.save(raw)
    return _with_values(raw.getvalue(), values)


def write(archive: Archive, report: Report, path: Path) -> Path:
    """Write the workbook of ``report`` to ``path`` (through a temporary file: a failure
    leaves no half-written file)."""
    return write_file(path, to_bytes(archive, report))
