"""What one import may take, whatever file it is given: Excel's own limits on a sheet, caps on what a workbook's zip
parts decompress to, and a budget of time and memory (docs/security.md, "Upload limits").

Why a budget counted by the import and not a limit on the process (resource.setrlimit): the worker is one process
that runs every task, the CLI one that may run several imports, and polars reserves far more address space than it
touches, so a cap on the process either kills legitimate work or comes too late. The readers instead charge what
they are about to hold (the parts they read whole, the cells of the grid, the extent of the grid they would build)
and refuse before they allocate it; the time is checked between steps of the read loop and of every later stage.
Either refusal raises `OverLimit`, whose message a clerk reads; the import then writes nothing.
"""

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

EXCEL_ROWS = 1_048_576  # the last row Excel has
EXCEL_COLUMNS = 16_384  # XFD
CELL_BYTES = 16  # a polars string cell (its view), even a null one: what a grid costs besides its text
FASTEXCEL_CELL_BYTES = 90  # fastexcel builds every cell of the extent in Rust: 2.5 GB for 28 million cells
SMALL_PART_BYTES = 16 << 20  # workbook.xml, relations, styles: a few KB in a real workbook, a few MB at most
MAX_ROW_BYTES = 64 << 20  # the XML of one row (or of what comes before the rows): real rows are a few KB
ZIP_DIRECTORY_BYTES = 4 << 20  # a zip's table of contents: ~100 bytes a part, a workbook has tens of parts
RATIO_GRACE_BYTES = 1 << 20  # parts smaller than this may compress as well as they like (as Apache POI's grace)


class OverLimit(Exception):
    """The file is beyond a limit, or the import beyond its budget; the message says which, for a clerk."""


@dataclass
class Budget:
    seconds: float
    memory: int  # bytes
    part_bytes: int  # the largest uncompressed part of a workbook
    ratio: int  # the largest compression ratio of a part
    started: float = field(default_factory=time.monotonic)
    charged: int = 0  # bytes of cells read so far

    @classmethod
    def from_settings(cls) -> "Budget":
        return cls(seconds=settings.IMPORT_MAX_SECONDS, memory=settings.IMPORT_MAX_MEMORY_MB << 20,
                   part_bytes=settings.IMPORT_MAX_PART_MB << 20, ratio=settings.IMPORT_MAX_RATIO)

    def check_time(self) -> None:
        if time.monotonic() - self.started > self.seconds:
            raise OverLimit(_("The import took longer than its limit of %(n)s seconds and was stopped; nothing was "
                              "written. Split the file into smaller ones.") % {"n": round(self.seconds)})

    def check_memory(self, needed: int) -> None:
        """Refuse before allocating `needed` bytes more than the budget allows."""
        if needed > self.memory:
            raise OverLimit(_("The file would take more than the import's limit of %(mb)s MB of memory; nothing "
                              "was written. Split the file into smaller ones.") % {"mb": self.memory >> 20})

    def charge(self, nbytes: int) -> None:
        """Count `nbytes` more of cells read, refusing once they pass the budget; the time is checked too."""
        self.charged += nbytes
        self.check_memory(self.charged)
        self.check_time()

    def check_part(self, name: str, size: int, compressed: int, limit: int | None = None) -> None:
        """A zip part's declared sizes (zipfile never yields more than the declared size, and checks the CRC)."""
        limit = self.part_bytes if limit is None else min(limit, self.part_bytes)
        if size > RATIO_GRACE_BYTES and size > self.ratio * max(compressed, 1):
            raise OverLimit(_("The part %(part)s of the workbook is compressed %(ratio)s times, more than the limit "
                              "of %(limit)s: it is not a spreadsheet a person made.") % {
                "part": name, "ratio": size // max(compressed, 1), "limit": self.ratio})
        if size > limit:
            raise OverLimit(_("The part %(part)s of the workbook is %(mb)s MB uncompressed, more than the limit of "
                              "%(limit)s MB.") % {"part": name, "mb": -(-size >> 20), "limit": max(limit >> 20, 1)})


def beyond_excel(reference: str) -> OverLimit:
    """A cell (or row) reference outside Excel's sheet."""
    return OverLimit(_("The workbook refers to cell or row %(cell)s, beyond Excel's last row (1,048,576) or last "
                       "column (XFD): it is not a spreadsheet a person made.") % {"cell": reference})
