"""`bangfu bench uploads`: the hostile uploads of issue 12, each fed to `bangfu import` in a child process, with the
time and peak memory it took and the verdict (docs/performance.md, docs/security.md).

The files are built here, cheaply, for the benchmark and for tests/core/test_hostile_uploads.py alike. A sheet of
gigabytes of XML is never written out: its deflate stream is one compressed block repeated. A block compressed by
a fresh compressor and closed with a full flush refers to nothing before it and ends on a byte boundary, so the same
bytes may follow themselves any number of times; the CRC of the repeated text is combined from the block's
(zlib's crc32_combine). The zip is written by hand, with the true sizes in its headers.
"""

import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import openpyxl

LIMIT_SECONDS = 30  # of CPU (user + system): on a machine shared with other work, starting the command alone can
KILL_SECONDS = 120  # take 20 s of wall-clock time; a child still running after this is killed
LIMIT_BYTES = 1 << 30
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
HEADERS = ("户编号", "村代码", "户类型", "姓名", "证件号码", "与户主关系", "文化程度", "劳动技能")  # the required ones
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.'
        'org/officeDocument/2006/relationships"><sheets><sheet name="家庭成员" sheetId="1" r:id="rId1"/></sheets>'
        '</workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '</Relationships>'),
}
EMPTY_STRINGS = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="0" uniqueCount="0"/>'


# --- writing a workbook whose parts are given as text or as repeated text -----------------------------------------

@dataclass
class Repeated:
    """head + unit × times + tail, never held whole."""
    head: str
    unit: str
    times: int
    tail: str


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, i = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[i]
        vector >>= 1
        i += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of A + B from those of A and B and the length of B (zlib's crc32_combine)."""
    if length2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]  # the operator for one zero bit
    even = _gf2_square(odd)
    odd = _gf2_square(even)
    while True:
        even = _gf2_square(odd)
        if length2 & 1:
            crc1 = _gf2_times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = _gf2_square(even)
        if length2 & 1:
            crc1 = _gf2_times(odd, crc1)
        length2 >>= 1
        if not length2:
            break
    return crc1 ^ crc2


def _deflated(text: bytes, final: bool) -> bytes:
    """A raw deflate segment of its own (fresh compressor, full flush): it may follow any other segment."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(text) + compressor.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


def _part(content: str | bytes | Repeated) -> tuple[bytes, int, int]:
    """(deflate stream, uncompressed size, CRC-32)."""
    if not isinstance(content, Repeated):
        data = content.encode() if isinstance(content, str) else content
        return _deflated(data, final=True), len(data), zlib.crc32(data)
    head, tail = content.head.encode(), content.tail.encode()
    block = content.unit.encode() * max(1, (1 << 20) // len(content.unit.encode()))  # about 1 MB
    blocks, rest = divmod(content.times * len(content.unit.encode()), len(block))
    rest_text = content.unit.encode() * (rest // len(content.unit.encode()))
    crc, size = zlib.crc32(head), len(head)
    block_crc, power, n = zlib.crc32(block), len(block), blocks
    while n:  # the CRC of block × blocks, by doubling
        if n & 1:
            crc, size = crc32_combine(crc, block_crc, power), size + power
        block_crc, power, n = crc32_combine(block_crc, block_crc, power), power * 2, n >> 1
    crc = zlib.crc32(tail, zlib.crc32(rest_text, crc))
    size += len(rest_text) + len(tail)
    stream = b"".join((_deflated(head, False), _deflated(block, False) * blocks, _deflated(rest_text, False),
                       _deflated(tail, True)))
    return stream, size, crc


def write_workbook(path: Path, parts: dict[str, str | bytes | Repeated]) -> Path:
    """A zip of deflated parts, written by hand so that a part may be gigabytes long without being held."""
    directory, offset = [], 0
    with open(path, "wb") as out:
        for name, content in parts.items():
            stream, size, crc = _part(content)
            if size >= 1 << 32:
                raise ValueError("a part of 4 GB or more needs zip64, which this writer leaves out")
            encoded = name.encode()
            header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x21, crc, len(stream), size,
                                 len(encoded), 0)
            out.write(header + encoded)
            out.write(stream)
            directory.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, 0, 0x21, crc,
                                         len(stream), size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
            offset += len(header) + len(encoded) + len(stream)
        table = b"".join(directory)
        out.write(table)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(directory), len(directory), len(table), offset, 0))
    return path


def _sheet(rows: str | Repeated, head: str = "") -> str | Repeated:
    header = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(HEADERS))
    start = f'{HEAD}{head}<sheetData><row r="1">{header}</row>'
    if isinstance(rows, Repeated):
        return Repeated(start + rows.head, rows.unit, rows.times, rows.tail + "</sheetData></worksheet>")
    return f"{start}{rows}</sheetData></worksheet>"


def _book(path: Path, sheet, strings=EMPTY_STRINGS) -> Path:
    return write_workbook(path, {**PARTS, "xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": strings})


# --- the hostile files ---------------------------------------------------------------------------------------------

def far_row(folder: Path) -> Path:
    """2 KB that declare a cell at row 2,000,000,000 (Excel stops at 1,048,576)."""
    return _book(folder / "far_row.xlsx", _sheet('<row r="2000000000"><c r="A2000000000" t="inlineStr"><is><t>'
                                                 'A001</t></is></c></row>'))


def far_row_unreferenced(folder: Path) -> Path:
    """The same with cells that carry no r= (the layout left to fastexcel): the row's own r= says where."""
    return _book(folder / "far_row_unreferenced.xlsx", _sheet(
        '<row r="2000000000"><c t="inlineStr"><is><t>A001</t></is></c></row>'))


def far_column(folder: Path) -> Path:
    """A cell in column XFE, one beyond Excel's last."""
    return _book(folder / "far_column.xlsx", _sheet('<row r="2"><c r="A2" t="inlineStr"><is><t>A001</t></is></c>'
                                                    '<c r="XFE2" t="inlineStr"><is><t>x</t></is></c></row>'))


def far_corner(folder: Path) -> Path:
    """Cells within Excel's limits at A1's row and at XFD1048576: a grid of 17 billion cells if built whole, and a
    dimension that declares it."""
    return _book(folder / "far_corner.xlsx", _sheet(
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
        head='<dimension ref="A1:XFD1048576"/>'))


def xml_bomb(folder: Path) -> Path:
    """3 GB of sheet XML zipped into 3 MB (rows and the blanks between them)."""
    row = '<row r="2"><c r="A2" t="inlineStr"><is><t>A001</t></is></c></row>' + " " * 4000
    return _book(folder / "xml_bomb.xlsx", _sheet(Repeated("", row, (3 << 30) // len(row), "")))


def no_row_end(folder: Path) -> Path:
    """A sheet whose second row never ends: 1 GB of cells without </row>, compressed about 50 times (below
    any ratio cap), so that only the length of the row can stop it."""
    cells = "".join(f'<c r="A2" t="inlineStr"><is><t>A{(i * 7919) % 1009 if i % 3 == 0 else 0:04d}</t></is></c>'
                    for i in range(20000))  # a third of the cells vary: deflate gets about 50 times
    return _book(folder / "no_row_end.xlsx", _sheet(Repeated('<row r="2">', cells, (1 << 30) // len(cells), "")))


def strings_bomb(folder: Path) -> Path:
    """A shared-strings table of 2 GB zipped into 2 MB."""
    item = "<si><t>A001</t></si>"
    strings = Repeated(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">', item,
                       (2 << 30) // len(item), "</sst>")
    return _book(folder / "strings_bomb.xlsx", _sheet('<row r="2"><c r="A2" t="s"><v>0</v></c></row>'), strings)


def strings_references(folder: Path) -> Path:
    """One shared string of 32,767 characters, referenced by 200,000 cells: 20 GB of text once each cell holds
    its own copy, from a file of 1 MB."""
    strings = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}"><si><t>{"户" * 32767}</t></si></sst>'
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(2, 200_002))
    return _book(folder / "strings_references.xlsx", _sheet(rows), strings)


def bom_only(folder: Path) -> Path:
    path = folder / "bom_only.csv"
    path.write_bytes(b"\xef\xbb\xbf")
    return path


def empty_csv(folder: Path) -> Path:
    path = folder / "empty.csv"
    path.write_bytes(b"")
    return path


def empty_xlsx(folder: Path) -> Path:
    path = folder / "empty.xlsx"
    openpyxl.Workbook().save(path)
    return path


HOSTILE = {f.__name__: f for f in (far_row, far_row_unreferenced, far_column, far_corner, xml_bomb, no_row_end,
                                   strings_bomb, strings_references, bom_only, empty_csv, empty_xlsx)}


# --- a child process, watched ----------------------------------------------------------------------------------------

@dataclass
class Outcome:
    returncode: int | None  # None: killed for passing a limit
    seconds: float
    cpu_seconds: float
    peak_bytes: int
    stdout: str
    stderr: str
    killed: str = ""  # which limit, when killed


def run_child(args: list[str], env: dict | None = None, seconds: float = KILL_SECONDS,
              peak_bytes: int = LIMIT_BYTES) -> Outcome:
    """Run a command, killing it when it passes `seconds` or a resident set of `peak_bytes`. Its peak is its VmHWM,
    polled every 20 ms: ru_maxrss would carry over the parent's peak, which exec keeps."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        child = subprocess.Popen(args, env=env, stdout=out, stderr=err)
        killed, peak = "", 0
        while True:
            resident, high = _memory(child.pid)
            peak = max(peak, high)
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            elapsed = time.monotonic() - started
            if not killed and (elapsed > seconds or resident > peak_bytes):
                killed = "time" if elapsed > seconds else "memory"
                child.kill()
            time.sleep(0.02)
        elapsed = time.monotonic() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Outcome(None if killed else child.returncode, elapsed, usage.ru_utime + usage.ru_stime, peak,
                       out.read().decode(errors="replace"), err.read().decode(errors="replace"), killed)


def _memory(pid: int) -> tuple[int, int]:
    """A process's resident set and its peak (VmRSS, VmHWM), in bytes; zeros once it has gone."""
    found = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    found[line[:5]] = int(line.split()[1]) * 1024
    except OSError:
        pass
    return found.get("VmRSS", 0), found.get("VmHWM", 0)


def import_command(path: Path, user: str | None = None) -> list[str]:
    return [sys.executable, "-m", "bangfu", "import", "households", str(path), *(["--user", user] if user else [])]


def refused_cleanly(outcome: Outcome) -> bool:
    """Exit 2 (the file could not be read), a message and no traceback, within the limits."""
    return (outcome.returncode == 2 and bool(outcome.stderr.strip()) and "Traceback" not in outcome.stderr
            and within_limits(outcome))


def within_limits(outcome: Outcome) -> bool:
    return not outcome.killed and outcome.cpu_seconds <= LIMIT_SECONDS and outcome.peak_bytes <= LIMIT_BYTES


def header_only(folder: Path) -> Path:
    """Not hostile: the baseline, what starting the command and refusing a file of headers alone take."""
    path = folder / "header_only.csv"
    path.write_text(",".join(HEADERS) + "\n", encoding="utf-8")
    return path


def run(command, options):
    w = command.stdout.write
    w(f"bench uploads — each hostile file fed to `bangfu import households FILE` in a child process, killed past "
      f"{KILL_SECONDS} s or {LIMIT_BYTES >> 20} MB resident; wall and CPU (user + system) seconds; peak = the "
      f"child's VmHWM, polled every 20 ms; limits {LIMIT_SECONDS} s of CPU, {LIMIT_BYTES >> 20} MB; load average "
      f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU(s)")
    with tempfile.TemporaryDirectory() as folder:
        for name, build in {"header_only (baseline)": header_only, **HOSTILE}.items():
            started = time.perf_counter()
            path = build(Path(folder))
            built = time.perf_counter() - started
            outcome = run_child(import_command(path))
            message = (outcome.stderr.strip().splitlines() or [""])[-1][:110]
            verdict = "refused" if refused_cleanly(outcome) else (f"KILLED ({outcome.killed})" if outcome.killed
                                                                 else f"NOT REFUSED (exit {outcome.returncode})")
            w(f"  {name:22} {path.stat().st_size / 1e6:6.2f} MB (built in {built:4.1f} s)  "
              f"{outcome.seconds:5.1f} s wall {outcome.cpu_seconds:5.1f} s CPU  "
              f"peak {outcome.peak_bytes / 2**20:6.0f} MB  {verdict}: {message}")
            path.unlink()
