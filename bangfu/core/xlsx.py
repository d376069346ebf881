"""A streaming reader for the first worksheet of an .xlsx file that gives what fastexcel gives.

Why it exists: fastexcel (calamine) builds every cell of the sheet in Rust before handing the grid over. On a
1,000,000-row × 28-column sheet that takes ~19 s with a 2.5 GB peak, and 1.5 GB stays resident; the import of such a
file must stay under 2 GB. Here a thread decompresses the sheet XML a few MB at a time, the text is cut after the last
</row>, and each chunk is parsed column-wise with polars string kernels: split at "<c ", literal finds, byte slices
(no per-cell Python). The peak is the finished grid plus a few chunks, and it is faster.

The result is that of `fastexcel.read_excel(path).load_sheet(0, header_row=None, dtypes="string").to_polars()`: one
string column per sheet column from the first used column to the last, named `__UNNAMED__0…`; rows contiguous from
the first used row (rows without values in between are all null); plus the number of that first row. Values follow
calamine: shared and inline strings unescaped (a <t> without xml:space="preserve" trimmed, _xHHHH_ decoded, phonetic
runs left out, rich-text runs joined); numbers as Rust's `format!("{:.9}")` without trailing zeros ("451024100201",
"1.5"); date-formatted numbers as "2020-01-01 00:00:00"; booleans "true"/"false"; error cells null (they still widen
the grid); formulas their cached value; cells without a value do not count.

Layouts this reader leaves to fastexcel (legal but rare): cells without an r="A1" reference as their first attribute,
cells out of order or repeated, UTF-16 XML.

Whatever the file, the read keeps the limits of `core.limits`: every zip part's declared size and compression ratio
are checked before anything is decompressed (zipfile never yields more than a part's declared size and checks its
CRC), cell references beyond Excel's sheet are refused, a row of XML may not run on without end, and the cells are
charged to the import's memory budget, as is the grid they would make, before it is built. fastexcel trusts the
file: it reads a copy of the parts as zipfile gave them, once a scan has found the sheet within the same limits.
"""

from __future__ import annotations

import collections
import contextlib
import math
import os
import queue
import re
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from xml.etree import ElementTree

import polars as pl
from django.utils.translation import gettext as _

from bangfu.core.limits import (
    CELL_BYTES,
    EXCEL_COLUMNS,
    EXCEL_ROWS,
    FASTEXCEL_CELL_BYTES,
    MAX_ROW_BYTES,
    SMALL_PART_BYTES,
    ZIP_DIRECTORY_BYTES,
    Budget,
    OverLimit,
    beyond_excel,
)

CHUNK_BYTES = 4 << 20  # uncompressed sheet XML per parsing step: memory of a step is a few × this
PARSERS = 2  # chunks parsed at once, while a thread decompresses the next
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
WHITESPACE = " \t\n\r"  # what XML (and calamine) trims from a <t> without xml:space="preserve"
ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);")
ESCAPED_CHAR = re.compile(r"_x([0-9a-fA-F]{4})_")  # how Excel writes characters XML cannot hold, e.g. _x000D_
FLOAT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?:inf|infinity|nan)", re.IGNORECASE)
PLAIN_INTEGER = r"^-?(?:0|[1-9]\d{0,14})$"  # exact as a double: calamine's text of it is the same text
PLAIN_DECIMAL = r"^-?(?:0|[1-9]\d{0,5})\.\d{0,8}[1-9]$"  # < 1e6, ≤ 9 decimals: rounds back to the same text
EXCEL_EPOCH = datetime(1899, 12, 30)
KNOWN_TYPES = ("s", "str", "inlineStr", "is", "b", "e", "n", "d")
TYPE_ENDINGS = {f' t="{t}"'[-6:]: t for t in KNOWN_TYPES}  # a start tag ending in t="s" is a shared string…
DATE_BUILTIN_FORMATS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47}  # calamine's date and duration ids


class Fallback(Exception):
    """The sheet is laid out in a way this reader leaves to fastexcel."""


def read_first_sheet(path, budget: Budget | None = None) -> tuple[pl.DataFrame, int]:
    """Every cell of the first worksheet as strings (null for empty cells) and the row number of the first used row.
    Raises OverLimit for a file beyond a limit or the budget (default: the settings'), zipfile/KeyError/ValueError-
    style exceptions for files that are not readable workbooks."""
    path, budget = Path(path), budget or Budget.from_settings()
    try:
        return _read(path, budget)
    except Fallback:
        pass  # fastexcel reads after the handler, once the grid read so far is freed
    return _read_with_fastexcel(path, budget)


# --- the workbook around the sheet --------------------------------------------------------------------------------

@dataclass
class Workbook:
    """What reading the cells needs from the rest of the workbook."""
    strings: pl.Series  # shared strings, by index
    date_styles: set[int]  # cell style indexes whose number format is a date, time or duration
    is_1904: bool
    budget: Budget

    @cached_property
    def lengths(self) -> pl.Series:
        """Of each shared string, in bytes: a cell that refers to one gets a copy of it."""
        return self.strings.str.len_bytes()


def _open(path: Path, budget: Budget) -> zipfile.ZipFile:
    """The workbook's zip, once its table of contents and every part's declared sizes are within the limits."""
    _check_directory(path)
    archive = zipfile.ZipFile(path)
    try:
        for info in archive.infolist():
            budget.check_part(info.filename, info.file_size, info.compress_size)
    except OverLimit:
        archive.close()
        raise
    return archive


def _check_directory(path: Path) -> None:
    """zipfile reads a zip's whole table of contents at once: a file of a million empty parts is refused before. Its
    size is in the last 22 bytes (or before a comment of up to 64 KB); a zip64 one says 0xFFFFFFFF."""
    with open(path, "rb") as f:
        f.seek(max(0, f.seek(0, os.SEEK_END) - (1 << 16) - 22))
        tail = f.read()
    end = tail.rfind(b"PK\x05\x06")
    if end >= 0 and len(tail) >= end + 16 and int.from_bytes(tail[end + 12:end + 16], "little") > ZIP_DIRECTORY_BYTES:
        raise OverLimit(_("The workbook's table of contents is larger than %(mb)s MB: it is not a spreadsheet a "
                          "person made.") % {"mb": ZIP_DIRECTORY_BYTES >> 20})


def _small_part(archive: zipfile.ZipFile, name: str, budget: Budget) -> bytes:
    """A part read whole and parsed as a tree (workbook, relations, styles): a few KB in a real workbook."""
    info = archive.getinfo(name)
    budget.check_part(name, info.file_size, info.compress_size, SMALL_PART_BYTES)
    return archive.read(info)


def _member(archive: zipfile.ZipFile, name: str) -> str | None:
    """Zip member names are matched without case, as Excel and calamine do."""
    lowered = name.lower()
    return next((n for n in archive.namelist() if n.lower() == lowered), None)


def _first_sheet_path(archive: zipfile.ZipFile, budget: Budget) -> tuple[str, bool]:
    workbook = ElementTree.fromstring(_small_part(archive, _member(archive, "xl/workbook.xml") or "xl/workbook.xml",
                                                  budget))
    first = workbook.find("m:sheets/m:sheet", NS)
    if first is None:
        raise ValueError("workbook without sheets")
    rel_id = first.get(f"{{{NS['r']}}}id")
    rels = ElementTree.fromstring(_small_part(archive, _member(archive, "xl/_rels/workbook.xml.rels")
                                              or "xl/_rels/workbook.xml.rels", budget))
    target = next(r.get("Target") for r in rels if r.get("Id") == rel_id)
    if target.startswith("/"):
        target = target[1:]
    elif not target.startswith("xl/"):
        target = f"xl/{target}"
    properties = workbook.find("m:workbookPr", NS)
    is_1904 = properties is not None and properties.get("date1904", "0").lower() in ("1", "true")
    member = _member(archive, target)
    if member is None:
        raise KeyError(target)
    return member, is_1904


def _date_styles(archive: zipfile.ZipFile, budget: Budget) -> set[int]:
    """Indexes into cellXfs whose number format shows a date or a time: calamine turns those cells into datetimes."""
    name = _member(archive, "xl/styles.xml")
    if name is None:
        return set()
    styles = ElementTree.fromstring(_small_part(archive, name, budget))
    custom = {f.get("numFmtId"): f.get("formatCode", "") for f in styles.iterfind("m:numFmts/m:numFmt", NS)}
    dates = set()
    for index, xf in enumerate(styles.iterfind("m:cellXfs/m:xf", NS)):
        number_format = xf.get("numFmtId")
        if number_format in custom and custom[number_format]:
            is_date = _is_date_format(custom[number_format])
        else:
            is_date = (number_format or "").isdigit() and int(number_format) in DATE_BUILTIN_FORMATS
        if is_date:
            dates.add(index)
    return dates


def _is_date_format(code: str) -> bool:
    """calamine's reading of a custom number format: a date/time token outside quotes, brackets and escapes in the
    first section, or an elapsed-time bracket such as [h]."""
    escaped = quoted = am_pm = hms = False
    brackets = 0
    previous = " "
    for char in code:
        if escaped:
            escaped = False
        elif char in "_\\*":
            escaped = True
        elif quoted:
            quoted = char != '"'
        elif char == '"':
            quoted = True
        elif char == ";":
            return False
        elif char == "[":
            brackets += 1
        elif char == "]" and brackets == 1 and hms:
            return True
        elif char == "]":
            brackets = max(brackets - 1, 0)
        elif char in "aA" and not am_pm and brackets == 0:
            am_pm = True
        elif brackets == 0 and ((am_pm and char in "pm/PM") or (not am_pm and char in "dmhysDMHYS")):
            return True
        elif not (hms and char.lower() == previous.lower()):
            hms = previous == "[" and char in "mhsMHS"
        previous = char
    return False


# --- text ---------------------------------------------------------------------------------------------------------

def _between(text: pl.Expr, start: pl.Expr | int, end: pl.Expr) -> pl.Expr:
    """The text between two byte offsets (str.find counts bytes, str.slice characters: slice the bytes)."""
    start = pl.lit(start) if isinstance(start, int) else start
    return text.cast(pl.Binary).bin.slice(start, end - start).cast(pl.String)


def _shared_strings(archive: zipfile.ZipFile, budget: Budget) -> pl.Series:
    name = _member(archive, "xl/sharedStrings.xml")
    if name is None:
        return pl.Series("s", [], dtype=pl.String)
    info = archive.getinfo(name)
    budget.check_memory(budget.charged + 3 * info.file_size)  # the XML, its pieces and the strings, for a moment
    data = archive.read(info)
    match = re.search(rb"<(\w+:)?sst[\s>]", data)
    prefix = (match.group(1) or b"").decode() if match else ""
    items = _split(data, f"<{prefix}si>").slice(1)
    del data
    p = pl.col("p")
    plain, preserved = f"<{prefix}t>", f'<{prefix}t xml:space="preserve">'
    is_plain, is_preserved = p.str.starts_with(plain), p.str.starts_with(preserved)
    end = p.str.find(f"</{prefix}t>", literal=True)
    frame = pl.DataFrame({"p": items}).select(
        raw=pl.when(is_plain).then(_between(p, len(plain.encode()), end))
        .when(is_preserved).then(_between(p, len(preserved.encode()), end)),
        preserve=is_preserved,
        element=pl.when(~is_plain & ~is_preserved).then(_between(p, 0, p.str.find(f"</{prefix}si>", literal=True))),
    )
    strings = _texts(frame, prefix)
    budget.charge(strings.estimated_size())
    return strings


def _split(data: bytes, separator: str) -> pl.Series:
    """UTF-8 XML split at each separator; the first piece is what comes before the first separator."""
    pieces = pl.Series("p", [data], dtype=pl.Binary).cast(pl.String).str.split(separator)
    return pieces.explode(empty_as_null=False, keep_nulls=False)


def _texts(frame: pl.DataFrame, prefix: str) -> pl.Series:
    """String values from `raw` (the text of a lone <t>, null otherwise), `preserve` (its xml:space) and `element`
    (the XML inside an <si> or <is> that is not a lone <t>). Lone <t>s without escapes, nearly all, stay in polars;
    escapes, rich and phonetic runs go through Python once per distinct value."""
    raw = pl.col("raw")
    values = frame.select(pl.when("preserve").then(raw).otherwise(raw.str.strip_chars(WHITESPACE))).to_series()
    escaped = frame.select(raw.str.contains_any(["&", "\r", "_x"]).fill_null(False)).to_series()
    if escaped.any():
        preserve = frame["preserve"]
        values = _patch(values, escaped & preserve, frame["raw"], lambda x: _python_text(x, preserve=True))
        values = _patch(values, escaped & ~preserve, frame["raw"], lambda x: _python_text(x, preserve=False))
    if "element" in frame.columns:
        values = _patch(values, frame["element"].is_not_null(), frame["element"],
                        lambda x: _python_rich_text(x, prefix))
    return values


def _patch(values: pl.Series, where: pl.Series, source: pl.Series, fn) -> pl.Series:
    """`values` with fn(source) where `where` holds; fn runs once per distinct source value (Python is slow)."""
    where = where.fill_null(False)
    if not where.any():
        return values
    positions = where.arg_true()
    return _patch_at(values, positions, source.gather(positions), fn)


def _patch_at(values: pl.Series, positions: pl.Series, sources: pl.Series, fn) -> pl.Series:
    if positions.len() == 0:
        return values
    distinct = sources.drop_nulls().unique()
    results = pl.Series([fn(x) for x in distinct], dtype=pl.String)
    return values.clone().scatter(positions, sources.replace_strict(distinct, results, return_dtype=pl.String))


def _unescape(text: str) -> str:
    """XML end-of-line normalisation and entity references, as an XML parser does."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return ENTITY.sub(_entity, text)


def _entity(match: re.Match) -> str:
    name = match.group(1)
    if name.startswith("#x"):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    return ENTITIES[name]


def _decode_escaped_chars(text: str) -> str:
    return ESCAPED_CHAR.sub(lambda m: m.group(0) if 0xD800 <= int(m.group(1), 16) <= 0xDFFF
                            else chr(int(m.group(1), 16)), text)


def _python_text(raw: str, preserve: bool) -> str:
    """A <t>'s text as calamine gives it: unescaped, then trimmed unless preserved, then _xHHHH_ decoded."""
    text = _unescape(raw)
    return _decode_escaped_chars(text if preserve else text.strip(WHITESPACE))


def _python_rich_text(element: str, prefix: str) -> str:
    """Rich text: the runs' <t> texts joined; without runs, the first <t>; phonetic (<rPh>) texts never count."""
    p = re.escape(prefix)
    element = re.sub(rf"<{p}rPh\b.*?</{p}rPh>", "", element, flags=re.DOTALL)
    texts = [_python_text(raw, 'xml:space="preserve"' in attrs) if not empty else ""
             for attrs, raw, empty in
             re.findall(rf"<{p}t(\s[^>]*)?>(.*?)</{p}t>|<{p}t(?:\s[^>]*)?(/)>", element, flags=re.DOTALL)]
    if re.search(rf"<{p}r[\s>]", element):
        return "".join(texts)
    return texts[0] if texts else ""


# --- numbers and dates --------------------------------------------------------------------------------------------

def _number_text(raw: str) -> str | None:
    """calamine's float as fastexcel writes it: format!("{x:.9}") without trailing zeros (Python's % is exact too).
    A <v> without a type that is no number stays the string it is."""
    if not FLOAT.fullmatch(raw):
        return raw
    number = float(raw)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    return f"{number:.9f}".rstrip("0").rstrip(".")


def _datetime_text(raw: str, is_1904: bool) -> str | None:
    """calamine's ExcelDateTime::as_datetime (1900 leap-year bug, rounding to milliseconds) shown as chrono does."""
    if not FLOAT.fullmatch(raw):
        return raw
    days = float(raw) + (1462 if is_1904 else 0)
    if days < 60:
        days += 1
    try:
        ms = _round_half_away(days * 86_400_000)
        moment = EXCEL_EPOCH + timedelta(milliseconds=ms)
    except (OverflowError, ValueError):
        return None
    text = f"{moment.year:04d}-{moment:%m-%d %H:%M:%S}"
    return f"{text}.{ms % 1000:03d}" if ms % 1000 else text


def _round_half_away(x: float) -> int:
    """Rust's f64::round."""
    whole = math.floor(abs(x))
    whole += abs(x) - whole >= 0.5
    return int(math.copysign(whole, x))


# --- the sheet ----------------------------------------------------------------------------------------------------

@dataclass
class Block:
    """The used rows of one chunk as columns: sheet column index → values for rows first..last."""
    first: int
    last: int
    columns: dict[int, pl.Series]

    @property
    def cells(self) -> int:
        return (self.last - self.first + 1) * len(self.columns)

    @property
    def size(self) -> int:
        """What its cells take once each holds its own text (a shared string is one text until then)."""
        return self.cells * CELL_BYTES + sum(s.str.len_bytes().sum() or 0 for s in self.columns.values())


def _read(path: Path, budget: Budget) -> tuple[pl.DataFrame, int]:
    """Decompression (one thread) and parsing (PARSERS threads) overlap; polars and zlib let go of the GIL."""
    with _open(path, budget) as archive:
        sheet, is_1904 = _first_sheet_path(archive, budget)
        book = Workbook(_shared_strings(archive, budget), _date_styles(archive, budget), is_1904, budget)
        blocks, pending = [], collections.deque()
        with ThreadPoolExecutor(PARSERS) as pool, contextlib.closing(_row_chunks(archive, sheet)) as chunks:
            try:
                for chunk, prefix in chunks:
                    budget.check_time()
                    pending.append(pool.submit(_parse, chunk, prefix, book))
                    del chunk
                    if len(pending) >= PARSERS:  # at most PARSERS chunks in memory besides the one being read
                        blocks.append(_charged(pending.popleft().result(), budget))
                while pending:
                    blocks.append(_charged(pending.popleft().result(), budget))
            finally:
                for future in pending:
                    future.cancel()
    return _assemble([block for block in blocks if block is not None], budget)


def _charged(block: Block | None, budget: Budget) -> Block | None:
    if block is not None:
        budget.charge(block.size)
    return block


def _parse(chunk: bytes, prefix: str, book: Workbook) -> Block | None:
    return _block(_cells(chunk, prefix, book), book.budget)


def _row_chunks(archive: zipfile.ZipFile, name: str) -> Iterator[tuple[bytes, str]]:
    """The inside of <sheetData> in pieces of whole rows, decompressed by a thread (zlib lets go of the GIL) while
    the caller parses the previous piece."""
    pieces: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()

    def produce():
        try:
            with archive.open(name) as stream:
                while not stop.is_set():
                    data = stream.read(CHUNK_BYTES)
                    pieces.put(data)
                    if not data:
                        return
        except BaseException as exc:  # handed to the consumer, which raises it
            pieces.put(exc)

    reader = threading.Thread(target=produce, daemon=True)
    reader.start()
    try:
        yield from _cut_rows(pieces)
    finally:
        stop.set()
        while reader.is_alive():  # a producer blocked on the full queue needs one more get
            with contextlib.suppress(queue.Empty):
                pieces.get(timeout=0.05)
        reader.join()


def _cut_rows(pieces: queue.Queue) -> Iterator[tuple[bytes, str]]:
    """Cut the decompressed stream after the last </row> of each piece; the rest goes with the next piece. The end
    of <sheetData> can only follow the last </row>, so only that rest is searched for it."""
    carry, prefix = b"", None
    while True:
        data = pieces.get()
        if isinstance(data, BaseException):
            raise data
        if prefix is None:  # still before <sheetData>
            carry += data
            _check_row_length(carry)
            if carry[:2] in (b"\xff\xfe", b"\xfe\xff"):
                raise Fallback("UTF-16 sheet")
            match = re.search(rb"<(\w+:)?sheetData(?:\s[^>]*)?(/?)>", carry)
            if match is None:
                if not data:
                    raise ValueError("no sheetData in the worksheet")
                continue
            if match.group(2):  # <sheetData/>: no rows at all
                return
            prefix = (match.group(1) or b"").decode()
            data, carry = carry[match.end():], b""
            row_end, data_end = f"</{prefix}row>".encode(), f"</{prefix}sheetData>".encode()
        cut = data.rfind(row_end)
        if cut < 0:  # no row ends in this piece: keep it all for the next
            carry += data
            _check_row_length(carry)
            end = carry.find(data_end)
            if end >= 0:
                if end:
                    yield carry[:end], prefix
                return
            if not data:
                raise ValueError("the worksheet ends inside sheetData")
            continue
        cut += len(row_end)
        yield b"".join((carry, memoryview(data)[:cut])), prefix
        carry = data[cut:]
        del data
        end = carry.find(data_end)
        if end >= 0:
            if end:
                yield carry[:end], prefix
            return


def _check_row_length(carry: bytes) -> None:
    """What is kept for the next piece is the start of one row (or what comes before the rows): it has an end."""
    if len(carry) > MAX_ROW_BYTES:
        raise OverLimit(_("The sheet has a row (or XML before its rows) longer than %(mb)s MB: it is not a "
                          "spreadsheet a person made.") % {"mb": MAX_ROW_BYTES >> 20})


def _cells(chunk: bytes, prefix: str, book: Workbook) -> pl.DataFrame:
    """The cells with a value in a chunk of rows: row number, column letters, value (null for error cells). Each
    search runs only if the chunk needs it: a sheet of inline strings has no <v>, one of shared strings no <is>."""
    preserved_anywhere = b'xml:space="preserve"' in chunk
    # each piece but the first is one cell from its attributes on, up to the next cell (row tags in between do no
    # harm); the first is what comes before the first cell
    pieces = _split(chunk, f"<{prefix}c ")
    del chunk
    p = pl.col("p")
    tag = {"v": f"<{prefix}v>", "v_end": f"</{prefix}v>", "t_end": f"</{prefix}t>",
           "plain": f"<{prefix}is><{prefix}t>", "preserved": f'<{prefix}is><{prefix}t xml:space="preserve">'}
    frame = pl.DataFrame({"p": pieces}).with_columns(
        v=p.str.find(tag["v"], literal=True),
        plain=p.str.find(tag["plain"], literal=True),
        preserved=p.str.find(tag["preserved"], literal=True) if preserved_anywhere else pl.lit(None, pl.UInt32),
        maybe_odd=p.str.contains(f"<{prefix}c", literal=True),  # (rich text has <color…> too)
        **_reference(p))
    del pieces
    odd = [f"<{prefix}c>", f"<{prefix}c\t", f"<{prefix}c\n", f"<{prefix}c\r"]
    if frame["maybe_odd"].any() and frame["p"].filter(frame["maybe_odd"]).str.contains_any(odd).any():
        raise Fallback("a cell without attributes, which the split at '<c ' does not cut off")
    frame = frame.slice(1)

    def after(name: str) -> pl.Expr:
        return pl.col(name) + len(tag[name].encode())

    v_cells = frame["v"].is_not_null().any()
    inline_cells = frame["plain"].is_not_null().any() or frame["preserved"].is_not_null().any()
    plain, preserved = pl.col("plain"), pl.col("preserved")
    bare = pl.col("v").is_null() & plain.is_null() & preserved.is_null()  # no value in the usual forms
    frame = frame.select(
        "letters", "row",
        head=_between(p, 0, p.str.find(">", literal=True)) if v_cells else pl.lit(None, pl.String),
        v=_between(p, after("v"), p.str.find(tag["v_end"], literal=True)) if v_cells else pl.lit(None, pl.String),
        raw=(_between(p, pl.coalesce(after("plain"), after("preserved")), p.str.find(tag["t_end"], literal=True))
             if inline_cells else pl.lit(None, pl.String)),
        preserve=preserved.is_not_null(),
        element=pl.lit(None, pl.String),
        unusual=pl.when(bare).then(p),
    )
    if frame["unusual"].is_not_null().any():
        frame = _unusual(frame, prefix)
    return _values(_types(frame.drop("unusual"), book, v_cells), book, prefix)


def _reference(p: pl.Expr) -> dict[str, pl.Expr]:
    """Column letters and row number from r="AB12", which every writer puts first."""
    ref = p.str.extract_groups(r'^r="([A-Z]{1,3})([0-9]+)"')
    return {"letters": ref.struct.field("1"), "row": ref.struct.field("2")}


def _unusual(frame: pl.DataFrame, prefix: str) -> pl.DataFrame:
    """Cells whose value is in a form the literal searches miss: <v/>, <v attr…>, <is/>, rich or phonetic runs in
    <is>. Rare, so Python and a regex (cells with no value at all, such as styled blanks, are left alone)."""
    p = re.escape(prefix)
    v_pattern = re.compile(rf"<{p}v(?:\s[^>]*)?(?:/>|>(.*?)</{p}v>)", re.DOTALL)
    is_pattern = re.compile(rf"<{p}is(?:\s[^>]*)?(?:/>|>(.*?)</{p}is>)", re.DOTALL)

    def found(pattern: re.Pattern, piece: str) -> str | None:
        match = pattern.search(piece)
        return None if match is None else match.group(1) or ""

    rows = frame.select(pl.col("unusual").str.contains_any([f"<{prefix}v", f"<{prefix}is"])).to_series()
    if not rows.any():
        return frame
    positions = rows.arg_true()
    pieces = frame["unusual"].gather(positions).to_list()
    v = pl.Series([found(v_pattern, x) for x in pieces], dtype=pl.String)
    element = pl.Series([found(is_pattern, x) for x in pieces], dtype=pl.String)
    head = pl.Series([x[:x.find(">")] for x in pieces], dtype=pl.String)
    return frame.with_columns(frame["v"].scatter(positions, v), frame["element"].scatter(positions, element),
                              frame["head"].scatter(positions, head))


def _types(frame: pl.DataFrame, book: Workbook, v_cells: bool) -> pl.DataFrame:
    """Type (t) of the cells with a <v> and whether their style (s) is a date format, from their start tags; inline
    strings need neither. Writers put t last, quote with " and separate attributes with a space: then the last six
    characters name the type. Other forms take regexes."""
    if frame["letters"].null_count():
        raise Fallback("a cell whose r is missing or not its first attribute")
    if not v_cells and frame["head"].null_count() == frame.height:
        return frame.with_columns(t=pl.lit(None, pl.String), date=pl.lit(False)).drop("head")
    head = pl.col("head")
    frame = frame.with_columns(t=head.str.tail(6).replace_strict(TYPE_ENDINGS, default=None, return_dtype=pl.String))
    untyped = frame["head"].filter(frame["t"].is_null())  # numbers, or t not last, or a type we do not know
    if untyped.str.contains(' t="', literal=True).any() or frame["head"].str.contains_any(["='", *"\t\n\r"]).any():
        style = head.str.extract(r"""\ss=["']([0-9]+)["']""").cast(pl.Int64, strict=False)
        return frame.with_columns(t=head.str.extract(r"""\st=["'](\w+)["']"""),
                                  date=style.is_in(list(book.date_styles)).fill_null(False)).drop("head")
    if not book.date_styles:
        date = pl.lit(False)
    elif len(book.date_styles) <= 8:
        date = pl.any_horizontal(head.str.contains(f' s="{i}"', literal=True) for i in sorted(book.date_styles))
    else:
        date = _attribute(head, "s").cast(pl.Int64, strict=False).is_in(list(book.date_styles)).fill_null(False)
    return frame.with_columns(date=date).drop("head")


def _attribute(head: pl.Expr, name: str) -> pl.Expr:
    """The value of ` name="…"` in a start tag: two literal splits, much faster than a regex."""
    rest = head.str.splitn(f' {name}="', 2).struct.field("field_1")
    return rest.str.splitn('"', 2).struct.field("field_0")


def _values(frame: pl.DataFrame, book: Workbook, prefix: str) -> pl.DataFrame:
    """Each cell's string value by its type, as calamine reads it; cells without a value (calamine's Empty) are
    dropped, error cells stay as nulls (they widen the grid)."""
    t, v, raw = pl.col("t"), pl.col("v"), pl.col("raw")
    inline = raw.is_not_null() | pl.col("element").is_not_null()  # <is> wins over <v>, whatever t says
    number = ~inline & v.is_not_null() & (v != "") & (t.is_null() | (t == "n"))
    text = ~inline & v.is_not_null() & ((t == "str") | (t == "d"))
    index = pl.when(t == "s").then(v.cast(pl.Int64, strict=False))
    in_table = (index >= 0) & (index < len(book.strings))
    if book.strings.len():  # refused before the copies are made: a long string referred to by every cell
        copied = frame.select(pl.lit(book.lengths).gather(pl.when(in_table).then(index)).sum()).item()
        book.budget.check_memory(book.budget.charged + (copied or 0))
    frame = frame.with_columns(
        number=number.fill_null(False),
        used=inline | text | number | (v.is_not_null() & (v != "") & t.is_in(["s", "b", "e"])),
        value=pl.when(raw.is_not_null()).then(pl.when("preserve").then(raw).otherwise(raw.str.strip_chars(WHITESPACE)))
        .when(inline | v.is_null()).then(None)
        .when(number | text).then(v)
        .when(t == "b").then(pl.when(v == "0").then(pl.lit("false")).otherwise(pl.lit("true")))
        .when(t == "s").then(pl.lit(book.strings).gather(pl.when(in_table).then(index))),
        bad=(v.is_not_null() & ~inline & ~t.is_in(KNOWN_TYPES))
        | ((t == "s") & (v != "") & ~in_table.fill_null(False)),
    )
    frame = frame.filter(pl.col("used").fill_null(False))
    if frame["bad"].any():
        raise ValueError("a cell of an unknown type or with a shared string index not in the table")
    values = frame["value"]
    escaped = frame.select(raw.str.contains_any(["&", "\r", "_x"]).fill_null(False)).to_series()
    if escaped.any():
        preserve = frame["preserve"]
        values = _patch(values, escaped & preserve, frame["raw"], lambda x: _python_text(x, preserve=True))
        values = _patch(values, escaped & ~preserve, frame["raw"], lambda x: _python_text(x, preserve=False))
    values = _patch(values, frame["element"].is_not_null(), frame["element"], lambda x: _python_rich_text(x, prefix))
    escaped_text = frame.select(text & v.str.contains_any(["&", "\r"])).to_series()
    values = _patch(values, escaped_text, frame["v"], _unescape)
    if frame["number"].any():
        values = _numbers(values, frame, book)
    return pl.DataFrame({"row": frame["row"].cast(pl.Int64, strict=False), "letters": frame["letters"],
                         "value": values})


def _numbers(values: pl.Series, frame: pl.DataFrame, book: Workbook) -> pl.Series:
    """Numbers whose text already is calamine's stay; others, and date-formatted numbers, go through Python."""
    positions = frame["number"].arg_true()
    numbers = frame.select("v", "date").gather(positions)
    v, date = numbers["v"], numbers["date"]
    plain = v.str.contains(PLAIN_INTEGER) | v.str.contains(PLAIN_DECIMAL)
    values = _patch_at(values, positions.filter(~date & ~plain), v.filter(~date & ~plain), _number_text)
    return _patch_at(values, positions.filter(date), v.filter(date), lambda x: _datetime_text(x, book.is_1904))


def _block(cells: pl.DataFrame, budget: Budget) -> Block | None:
    """The cells of a chunk as columns over the rows from its first to its last used row."""
    if cells.height == 0:
        return None
    letters = cells["letters"].unique().to_list()
    cells = cells.with_columns(column=pl.col("letters").replace_strict(
        letters, [_column_index(x) for x in letters], return_dtype=pl.Int32))
    row, column = pl.col("row"), pl.col("column")
    outside = cells.filter(row.is_null() | (row < 1) | (row > EXCEL_ROWS) | (column >= EXCEL_COLUMNS))
    if outside.height:  # before anything is built by row numbers
        row_number = outside["row"][0]
        raise beyond_excel(f"{outside['letters'][0]}{'' if row_number is None else row_number}")
    # Excel writes cells row by row, left to right; calamine would let a repeated cell win, we leave those to it
    if not cells.select((pl.col("row") * 16384 + pl.col("column")).diff().min() > 0).item() and cells.height > 1:
        raise Fallback("cells out of order or repeated")
    first, last = cells["row"][0], cells["row"][-1]
    budget.check_memory(budget.charged + (last - first + 1) * cells["column"].n_unique() * CELL_BYTES)
    every_row = None
    columns = {}
    for (column,), part in cells.select("column", "row", "value").partition_by("column", as_dict=True,
                                                                               include_key=False).items():
        if part.height == last - first + 1:
            columns[column] = part["value"]
        else:
            if every_row is None:
                every_row = pl.DataFrame({"row": pl.int_range(first, last + 1, dtype=pl.Int64, eager=True)})
            columns[column] = every_row.join(part, on="row", how="left", maintain_order="left")["value"]
    return Block(first, last, columns)


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def _assemble(blocks: list[Block], budget: Budget) -> tuple[pl.DataFrame, int]:
    """Blocks one under the other, with all-null rows for the rows without values between them, and one column per
    sheet column from the first used one to the last: the cells it adds to the blocks' are charged first."""
    if not blocks:
        return pl.DataFrame(), 1
    for before, after in zip(blocks, blocks[1:], strict=False):
        if after.first <= before.last:
            raise Fallback("rows out of order")
    used = {c for block in blocks for c in block.columns}
    first_column, last_column = min(used), max(used)
    extent = (blocks[-1].last - blocks[0].first + 1) * (last_column - first_column + 1)
    budget.charge((extent - sum(block.cells for block in blocks)) * CELL_BYTES)
    names = [f"__UNNAMED__{c - first_column}" for c in range(first_column, last_column + 1)]
    frames, next_row = [], blocks[0].first
    for block in blocks:
        if block.first > next_row:
            frames.append(_nulls(names, block.first - next_row))
        height = block.last - block.first + 1
        frames.append(pl.DataFrame([
            block.columns[c].alias(name) if c in block.columns else pl.repeat(None, height, dtype=pl.String,
                                                                               eager=True).alias(name)
            for c, name in zip(range(first_column, last_column + 1), names, strict=True)]))
        next_row = block.last + 1
    return pl.concat(frames, rechunk=False), blocks[0].first


def _nulls(names: list[str], height: int) -> pl.DataFrame:
    return pl.DataFrame([pl.repeat(None, height, dtype=pl.String, eager=True).alias(n) for n in names])


def _read_with_fastexcel(path: Path, budget: Budget) -> tuple[pl.DataFrame, int]:
    """fastexcel builds every cell of the sheet's extent in Rust, and trusts the zip's sizes: it reads a copy of the
    parts as zipfile gave them, once a scan of the sheet has found it within the limits."""
    import fastexcel

    with tempfile.TemporaryDirectory(prefix="bangfu-xlsx-") as folder:
        copy = Path(folder) / "checked.xlsx"
        first_row = _checked_copy(path, copy, budget)
        grid = fastexcel.read_excel(str(copy)).load_sheet(0, header_row=None, dtypes="string").to_polars()
    return grid, first_row


def _checked_copy(path: Path, copy: Path, budget: Budget) -> int:
    """Copy the workbook's parts (one of each name: the one zipfile reads) and scan its first sheet; the row number
    of the first used row."""
    with _open(path, budget) as archive, zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as target:
        parts = {info.filename: info for info in archive.infolist()}
        total = sum(info.file_size for info in parts.values())
        budget.check_part(path.name, total, total)
        for info in parts.values():
            with archive.open(info) as source, target.open(info.filename, "w", force_zip64=True) as out:
                while data := source.read(CHUNK_BYTES):
                    out.write(data)
                    budget.check_time()
        name, _is_1904 = _first_sheet_path(archive, budget)
        with archive.open(name) as sheet:
            return _scan(sheet, budget)


def _scan(sheet, budget: Budget) -> int:
    """The sheet as calamine sees it: a row is its r= or the one after the last, a cell its r= or the one right of
    the last in its row. Refuses a reference beyond Excel's sheet and an extent of cells that fastexcel would need
    more memory for than the budget has left; returns the row of the first cell with a value."""
    top, bottom, left, right = EXCEL_ROWS, 0, EXCEL_COLUMNS, -1
    first_used, row, column, parent = None, 0, -1, None
    for n, (event, element) in enumerate(ElementTree.iterparse(sheet, events=("start", "end"))):
        tag = element.tag.rsplit("}", 1)[-1]
        if event == "start" and tag == "row":
            row, column = _row_number(element.get("r"), row + 1), -1
        elif event == "start" and tag == "c":
            row, column = _cell_position(element.get("r"), row, column + 1)
            top, bottom, left, right = min(top, row), max(bottom, row), min(left, column), max(right, column)
        elif event == "end" and tag == "c":
            if first_used is None and any(child.tag.endswith(("}v", "}is")) for child in element):
                first_used = row
        elif event == "start" and tag == "sheetData":
            parent = element
        elif event == "end" and tag == "row" and parent is not None:
            parent.clear()  # the rows read so far: the scan holds one at a time
        if n % 65536 == 0:
            budget.check_time()
    if right >= 0:
        budget.check_memory(budget.charged + (bottom - top + 1) * (right - left + 1) * FASTEXCEL_CELL_BYTES)
    return first_used or 1


def _row_number(text: str | None, default: int) -> int:
    if text is not None and not re.fullmatch(r"[0-9]{1,20}", text):
        raise ValueError(f"a row numbered {text[:20]!r}")
    row = default if text is None else int(text)
    if not 1 <= row <= EXCEL_ROWS:
        raise beyond_excel(f"{row}")
    return row


def _cell_position(reference: str | None, row: int, column: int) -> tuple[int, int]:
    """(row, 0-based column) of a cell: its reference, or the row's and the column after the last."""
    if reference is not None:
        match = re.fullmatch(r"([A-Za-z]{1,20})([0-9]{1,20})", reference)
        if match is None:
            raise ValueError(f"a cell reference {reference[:20]!r}")
        letters, digits = match.groups()
        if len(letters) > 3 or len(digits) > 7:
            raise beyond_excel(reference[:20])
        row, column = int(digits), _column_index(letters.upper())
    if not 1 <= row <= EXCEL_ROWS or column >= EXCEL_COLUMNS:
        raise beyond_excel(reference[:20] if reference else f"{_column_letters(column)}{row}")
    return row, column


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
