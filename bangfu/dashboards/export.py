"""A dashboard's figures as an xlsx (xlsxwriter, in memory: a few hundred cells): the figures of the year beside last
year's and the whole record, every year of the yearly ones, and the child regions'. Values are numbers (exact yuan
to the fen), with the indicator's code, name and unit beside them."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.core.exports import not_a_formula
from bangfu.core.indicators import ALL, indicator
from bangfu.dashboards.board import Board, change, with_data


def workbook(board: Board, title: str, subtitle: str) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    formats = {"bold": book.add_format({"bold": True}), "title": book.add_format({"bold": True, "font_size": 14}),
               "money": book.add_format({"num_format": "#,##0.00"}), "count": book.add_format({"num_format": "#,##0"}),
               "decimal": book.add_format({"num_format": "0.00"})}

    def fmt(code):
        found = indicator(code)
        if found.unit == "元":
            return formats["money"]
        return formats["count"] if found.counted and found.aggregation != "sum" else formats["decimal"]

    _overview(book.add_worksheet(_("Overview")), board, title, subtitle, formats, fmt)
    _years(book.add_worksheet(_("By year")), board, formats, fmt)
    if board.child_regions:
        _children(book.add_worksheet(_("Child regions")), board, formats, fmt)
    book.close()
    return out.getvalue()


def _write_row(sheet, row, values, cell_format=None):
    for col, value in enumerate(values):
        if value is None:
            continue
        if isinstance(value, str):
            sheet.write_string(row, col, not_a_formula(value), cell_format)
        else:
            sheet.write_number(row, col, value, cell_format)


def _overview(sheet, board: Board, title, subtitle, formats, fmt):
    computed = board.freshness.get("computed")
    sheet.write_string(0, 0, not_a_formula(f"{title} · {subtitle}"), formats["title"])
    sheet.write_string(1, 0, _("Year: %(year)s") % {"year": board.year})
    if computed:
        stamp = timezone.localtime(computed).strftime("%Y-%m-%d %H:%M")
        sheet.write_string(2, 0, _("Figures as of %(time)s") % {"time": stamp})
    headers = [_("Indicator code"), _("Indicator"), _("Unit"), _("Year %(year)s") % {"year": board.year},
               _("Year %(year)s") % {"year": board.year - 1}, _("Change on last year (%)"), _("To date")]
    _write_row(sheet, 4, headers, formats["bold"])
    row = 5
    for code in board.codes:
        found = indicator(code)
        this = last = None
        if found.yearly:
            this, last = board.main.get((code, str(board.year))), board.main.get((code, str(board.year - 1)))
        whole = board.main.get((code, ALL)) if found.whole else None
        delta = change(this, last)
        _write_row(sheet, row, [code, found.name, found.unit])
        for col, value in ((3, this), (4, last), (6, whole)):
            if value is not None:
                sheet.write_number(row, col, float(value), fmt(code))
        if delta is not None:
            sheet.write_number(row, 5, float(delta), formats["decimal"])
        row += 1
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, 2, 6)
    sheet.set_column(3, 6, 16)
    sheet.freeze_panes(5, 2)


def _years(sheet, board: Board, formats, fmt):
    codes = [c for c in board.codes if indicator(c).yearly]
    years = sorted({int(p) for (c, p), v in board.main.items() if c in codes and p != ALL and v})
    span = [str(y) for y in range(years[0], years[-1] + 1)] if years else []
    _write_row(sheet, 0, [_("Indicator code"), _("Indicator"), _("Unit"), *span], formats["bold"])
    for row, code in enumerate(codes, start=1):
        found = indicator(code)
        _write_row(sheet, row, [code, found.name, found.unit])
        for col, year in enumerate(span, start=3):
            value = board.main.get((code, year))
            if value is not None:
                sheet.write_number(row, col, float(value), fmt(code))
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 28)
    sheet.set_column(3, 3 + len(span), 14)
    sheet.freeze_panes(1, 3)


def _children(sheet, board: Board, formats, fmt):
    codes = board.codes
    headers = [_("Division code"), _("Region")]
    for code in codes:
        found = indicator(code)
        period = _("Year %(year)s") % {"year": board.year} if found.yearly else _("to date")
        headers.append(f"{found.name}（{found.unit}，{period}）")
    _write_row(sheet, 0, headers, formats["bold"])
    shown = set(r.code for r in with_data(board, board.child_regions, "child"))
    for row, region in enumerate(board.child_regions, start=1):
        _write_row(sheet, row, [region.code, region.name])
        if region.code not in shown:
            continue
        for col, code in enumerate(codes, start=2):
            value = board.child_value(code, region)
            if value is not None:
                sheet.write_number(row, col, float(value), fmt(code))
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, 1 + len(codes), 14)
    sheet.freeze_panes(1, 2)
