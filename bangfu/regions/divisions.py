"""The national division table (GB/T 2260, province → county) from python-stdnum's bundled `cn/loc.dat`.

Each entry carries its history, e.g. `[1983-1986]郊区,[1987-]白云区`: the last name is the current one, and a
closed range (`[2002-2015]靖西县`) marks a division since abolished.
"""

import re
from dataclasses import dataclass
from importlib import resources

ENTRY = re.compile(r'^(\s*)(\d{2}|\d{4}) (?:province|county)="(.*)"$')
HISTORY = re.compile(r"^\[(\d{4})?-(\d{4})?\](.*)$")
# Codes that group counties without being divisions of their own.
PLACEHOLDERS = {"市辖区", "县", "市区", "郊区", "省直辖县级行政单位", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str
    parent: str | None
    active: bool


def _current(names: str) -> tuple[str, bool]:
    last = names.split(",")[-1]
    match = HISTORY.match(last)
    if not match:
        return last, True
    return match.group(3), match.group(2) is None


def national_divisions() -> list[Division]:
    """Every province, prefecture and county, parents before children."""
    text = resources.files("stdnum").joinpath("cn/loc.dat").read_text(encoding="utf-8")
    raw: dict[str, tuple[str, bool]] = {}
    province = ""
    for line in text.splitlines():
        match = ENTRY.match(line)
        if not match:
            continue
        indent, digits, names = match.groups()
        if not indent:
            province = digits
            raw[province + "0000"] = (_current(names)[0], True)
        elif digits != "0000":
            raw[province + digits] = _current(names)
    kept = {code: value for code, value in sorted(raw.items()) if value[0] not in PLACEHOLDERS}
    result = []
    for code, (name, active) in kept.items():
        if code.endswith("0000"):
            result.append(Division(code, name, "province", None, True))
            continue
        province_code = code[:2] + "0000"
        if code.endswith("00"):
            result.append(Division(code, name, "prefecture", province_code, active))
            continue
        prefecture = code[:4] + "00"
        parent = prefecture if prefecture in kept else province_code
        result.append(Division(code, name, "county", parent, active))
    return result


def all_division_codes() -> list[str]:
    """Every 6-digit code the national table has ever had, placeholders included (ID numbers carry them)."""
    text = resources.files("stdnum").joinpath("cn/loc.dat").read_text(encoding="utf-8")
    codes, province = [], ""
    for line in text.splitlines():
        match = ENTRY.match(line)
        if not match:
            continue
        indent, digits, _names = match.groups()
        if not indent:
            province = digits
            codes.append(province + "0000")
        else:
            codes.append(province + digits)
    return codes
