"""Blank import templates: the columns an entity takes, ready for a clerk to fill in in Excel or WPS.

Sheet 1 holds one header row, exactly the headers the importer matches (a required column's header is red and bold,
with a 必填 comment; the text stays the header), and cell formats that keep what is typed: text for codes, ID and
phone numbers (Excel keeps all 18 digits), dates, numbers. Every choice column gets a drop-down of its Chinese labels
and every yes/no column a 是/否 drop-down; lists too long for Excel's 255-character inline limit live on a hidden
sheet. Sheet 2 (说明) explains each column: header, required, kind, allowed values, note.

The workbook speaks Chinese like the column specs do: its words are part of the file format the counties use,
not UI text, so they are not translated.
"""

from pathlib import Path

from django.utils import translation

from bangfu.core.columns import Column, Entity

LAST_ROW = 1_048_575  # Excel's last row (0-based): drop-downs and formats cover the whole column
INLINE_LIMIT = 255  # Excel refuses an inline list longer than this
INSTRUCTIONS = "说明"
LISTS = "选项"
YES_NO = ["是", "否"]
KIND_NAMES = {
    "text": "文本",
    "code": "代码",
    "date": "日期",
    "int": "整数",
    "decimal": "数值",
    "bool": "是/否",
    "choice": "选项",
    "id_number": "证件号码",
    "phone": "电话号码",
}
KIND_HINTS = {
    "code": "按文本填写，保留开头的 0",
    "date": "如 2020-01-01、2020/1/1 或 2020年1月1日",
    "id_number": "18 位居民身份证号码，末位可为 X；按文本填写",
    "phone": "手机或固定电话号码；按文本填写",
    "decimal": "可写小数",
}
NUMBER_FORMATS = {"date": "yyyy-mm-dd", "int": "0", "decimal": "0.00"}  # anything else: text ("@")


class TemplateError(Exception):
    """A template that cannot be written (unknown entity, wrong suffix)."""


def choice_labels(column: Column) -> list[str]:
    """The values a clerk may choose in `column`: its Chinese labels, or 是/否; empty for other kinds."""
    if column.kind == "bool":
        return list(YES_NO)
    if column.kind != "choice":
        return []
    with translation.override("zh-hans"):
        return [str(label) for value, label in column.choices.choices if value != ""]


def template_columns(spec: Entity) -> list[Column]:
    """The columns a template asks for: the writable ones (names looked up from codes are export-only)."""
    return [c for c in spec.columns if c.writable]


def write_template(spec: Entity, path) -> Path:
    """Write the blank template of `spec` to `path` (.xlsx)."""
    import xlsxwriter

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise TemplateError(f"{path.name}: a template is an .xlsx file.")
    columns = template_columns(spec)
    workbook = xlsxwriter.Workbook(str(path))
    try:
        sheet = workbook.add_worksheet(spec.name)
        notes = workbook.add_worksheet(INSTRUCTIONS)
        lists = None
        header = workbook.add_format({"bold": True, "bg_color": "#EEF3FA", "border": 1, "num_format": "@"})
        required = workbook.add_format({"bold": True, "bg_color": "#EEF3FA", "border": 1, "num_format": "@",
                                        "font_color": "#C00000"})
        formats = {kind: workbook.add_format({"num_format": f}) for kind, f in NUMBER_FORMATS.items()}
        text = workbook.add_format({"num_format": "@"})

        for c, column in enumerate(columns):
            width = {"id_number": 22, "date": 12, "phone": 15}.get(column.kind, max(10, 2 * len(column.header) + 4))
            sheet.set_column(c, c, width, formats.get(column.kind, text))
            sheet.write_string(0, c, column.header, required if column.required else header)
            if column.required:
                sheet.write_comment(0, c, "必填", {"x_scale": 0.6, "y_scale": 0.4})
            labels = choice_labels(column)
            if not labels:
                continue
            source: list[str] | str = labels
            if len(",".join(labels)) > INLINE_LIMIT or any("," in label for label in labels):
                if lists is None:
                    lists = workbook.add_worksheet(LISTS)
                    lists.hide()
                lists.write_string(0, c, column.header)
                for r, label in enumerate(labels, start=1):
                    lists.write_string(r, c, label)
                letter = xlsxwriter.utility.xl_col_to_name(c)
                source = f"='{LISTS}'!${letter}$2:${letter}${len(labels) + 1}"
            sheet.data_validation(1, c, LAST_ROW, c, {
                "validate": "list", "source": source, "ignore_blank": True,
                "error_type": "stop", "error_title": column.header,
                "error_message": "请从下拉列表中选择。" if column.kind == "choice" else "请填写“是”或“否”。",
            })
        sheet.freeze_panes(1, 0)
        sheet.activate()

        bold = workbook.add_format({"bold": True, "bg_color": "#EEF3FA", "border": 1})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        red = workbook.add_format({"text_wrap": True, "valign": "top", "font_color": "#C00000", "bold": True})
        for c, (title, width) in enumerate((("列名", 20), ("必填", 6), ("类型", 10), ("可选值", 40), ("说明", 60))):
            notes.write_string(0, c, title, bold)
            notes.set_column(c, c, width)
        for r, column in enumerate(columns, start=1):
            note = column.note or KIND_HINTS.get(column.kind, "")
            if column.aliases:
                note = "；".join(filter(None, (note, f"也可写作：{'、'.join(column.aliases)}")))
            notes.write_string(r, 0, column.header, red if column.required else wrap)
            notes.write_string(r, 1, "是" if column.required else "否", wrap)
            notes.write_string(r, 2, KIND_NAMES.get(column.kind, column.kind), wrap)
            notes.write_string(r, 3, "、".join(choice_labels(column)), wrap)
            notes.write_string(r, 4, note, wrap)
        notes.freeze_panes(1, 0)
    finally:
        workbook.close()
    return path
