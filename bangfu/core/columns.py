"""Column specs shared by the spreadsheet export, the templates and the import engine.

Each app's `imports.py` declares, per entity, the columns officials know (Chinese headers, as the national system's
files have them) and where each value lives (an ORM path for `.values_list()`).
"""

from dataclasses import dataclass, field

from django.db.models import Q

KINDS = {"text", "code", "date", "int", "decimal", "bool", "choice", "id_number", "phone"}
# "code": division codes, household numbers: digits and letters only, spaces dropped on import.
# Kinds that carry personal data: masked unless the user may unmask.
PERSONAL_KINDS = {"id_number", "phone"}


@dataclass(frozen=True)
class Column:
    header: str
    path: str
    kind: str = "text"
    choices: type | None = None  # the TextChoices of a "choice" column: exported as its Chinese labels
    required: bool = False  # an import refuses a row with this cell empty; the template marks the header
    aliases: tuple[str, ...] = ()  # other headers the national system's and the counties' files use for it
    note: str = ""  # how to fill it in, for the template's instructions sheet
    writable: bool = True  # False: exported for reading (a name looked up from a code), ignored on import

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"{self.header}: unknown kind {self.kind!r}")
        if (self.kind == "choice") != (self.choices is not None):
            raise ValueError(f"{self.header}: a choice column, and only one, names its choices")


@dataclass(frozen=True)
class Entity:
    """What one file holds: the model read, the rows of it (filter), the columns and how to take a region subtree."""

    name: str
    model: type
    columns: tuple[Column, ...]
    region_path: str  # the ORM path of the row's region path, for `--region`
    filter: Q = field(default_factory=Q)
    order_by: tuple[str, ...] = ("pk",)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def paths(self) -> list[str]:
        return [c.path for c in self.columns]
