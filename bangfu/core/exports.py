"""Spreadsheet export: what a user may see, as CSV (UTF-8 with BOM, for Excel) or xlsx, in constant memory.

Rows are read with `visible_to(user)` in chunks of plain tuples (no model instances, no per-row queries) and written
as they come: CSV through the csv module, xlsx through xlsxwriter's constant-memory mode. ID and phone numbers are
masked unless the user may unmask them; an export of clear values writes one access-log row.
"""

import csv
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from bangfu.core.columns import PERSONAL_KINDS, Column, Entity
from bangfu.core.identity import mask_id, mask_phone
from bangfu.core.roles import can

CHUNK = 5000
SUFFIXES = (".csv", ".xlsx")
XLSX_MAX_ROWS = 1_048_576  # Excel's sheet limit, header included


class ExportError(Exception):
    """A request that cannot be exported (unknown entity, region out of scope, wrong suffix…)."""


def entities() -> dict[str, Entity]:
    from bangfu.households.imports import ENTITIES as households
    from bangfu.labor.imports import ENTITIES as labor
    from bangfu.pairing.imports import ENTITIES as pairing
    from bangfu.regions.imports import ENTITIES as regions
    from bangfu.talent.imports import ENTITIES as talent

    return {**pairing, **regions, **households, **labor, **talent}


def _converter(column: Column, unmask: bool) -> Callable:
    """Database value → the value written (str, int, float-able Decimal, date or None)."""
    kind = column.kind
    if kind == "choice":
        with translation.override("zh-hans"):
            labels = {value: str(label) for value, label in column.choices.choices}
        return lambda v: labels.get(v, v) if v is not None else None
    if kind == "bool":
        return lambda v: None if v is None else ("是" if v else "否")
    if kind == "id_number" and not unmask:
        return lambda v: mask_id(v) if v else v
    if kind == "phone" and not unmask:
        return lambda v: mask_phone(v) if v else v
    return lambda v: v


def export(entity: str, path, user=None, region=None) -> int:
    """Write `entity` as the user sees it (everything, masked, when `user` is None: a system export) to `path`
    (.csv or .xlsx), limited to the region subtree of code `region` if given. Returns the number of rows."""
    spec = entities().get(entity)
    if spec is None:
        raise ExportError(f"Unknown entity {entity!r}; one of: {', '.join(sorted(entities()))}.")
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ExportError(f"{path.name}: the file must end in .csv or .xlsx.")
    manager = spec.model.objects
    rows = manager.all() if user is None else manager.visible_to(user)
    rows = rows.filter(spec.filter)
    if region:
        from bangfu.regions.models import Region

        regions = Region.objects.all() if user is None else Region.objects.visible_to(user)
        region_path = regions.filter(code=region).values_list("path", flat=True).first()
        if region_path is None:
            raise ExportError(f"Region {region} is unknown or outside your scope.")
        rows = rows.filter(**{f"{spec.region_path}__startswith": region_path})
    if path.suffix.lower() == ".xlsx" and rows.count() >= XLSX_MAX_ROWS:
        raise ExportError(f"More than {XLSX_MAX_ROWS - 1} rows: too many for one xlsx sheet; export to .csv.")
    personal = [c for c in spec.columns if c.kind in PERSONAL_KINDS]
    unmask = user is not None and bool(personal) and can(user, "personal.unmask")
    converters = [_converter(c, unmask) for c in spec.columns]
    tuples = rows.order_by(*spec.order_by).values_list(*spec.paths).iterator(chunk_size=CHUNK)
    records = ([f(v) for f, v in zip(converters, row, strict=True)] for row in tuples)
    writer = _write_xlsx if path.suffix.lower() == ".xlsx" else _write_csv
    try:
        n = writer(path, spec, records)
    except BaseException:
        records.close()
        path.unlink(missing_ok=True)  # no half-written file left behind
        raise
    if unmask:
        from bangfu.core.models import AccessLog

        AccessLog.objects.create(
            actor=user, content_type=ContentType.objects.get_for_model(spec.model), object_id=f"export:{entity}",
            field=",".join(c.path for c in personal)[:64],
            reason=f"export {entity}: {n} rows with clear values to {path.name}",
        )
    return n


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def not_a_formula(text: str) -> str:
    """Text a spreadsheet shows as typed, never runs: a leading formula character gets an apostrophe."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    return not_a_formula(str(value))


def _write_csv(path: Path, spec: Entity, records) -> int:
    n = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(spec.headers)
        batch = []
        for record in records:
            batch.append([_text(v) for v in record])
            if len(batch) >= CHUNK:
                out.writerows(batch)
                n += len(batch)
                batch = []
        out.writerows(batch)
        n += len(batch)
    return n


def _write_xlsx(path: Path, spec: Entity, records) -> int:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        sheet = workbook.add_worksheet(spec.name)
        bold = workbook.add_format({"bold": True})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        decimal_format = workbook.add_format({"num_format": "0.00"})

        def text(r, c, v):
            if v is not None and v != "":
                sheet.write_string(r, c, str(v))  # codes and ID numbers stay text: Excel keeps all 18 digits

        def number(r, c, v):
            if v is not None:
                sheet.write_number(r, c, v)

        def decimal(r, c, v):
            if v is not None:
                sheet.write_number(r, c, float(v), decimal_format)

        def day(r, c, v):
            if v is not None:
                sheet.write_datetime(r, c, v, date_format)

        by_kind = {"int": number, "decimal": decimal, "date": day}
        writers = [by_kind.get(c.kind, text) for c in spec.columns]
        for c, column in enumerate(spec.columns):
            width = {"id_number": 20, "date": 12, "phone": 14}.get(column.kind, max(8, 2 * len(column.header) + 2))
            sheet.set_column(c, c, width)
        for c, header in enumerate(spec.headers):
            sheet.write_string(0, c, header, bold)
        sheet.freeze_panes(1, 0)
        r = 0
        for record in records:
            r += 1
            if r >= XLSX_MAX_ROWS:
                raise ExportError(f"More than {XLSX_MAX_ROWS - 1} rows: too many for one sheet; export to .csv.")
            for c, (write, value) in enumerate(zip(writers, record, strict=True)):
                write(r, c, value)
    finally:
        workbook.close()
    return r
