"""Personal identifiers: checking resident ID numbers (GB 11643) and masking what is shown.

python-stdnum's `cn.ric` is not used for the check: it rejects a valid number whose division code post-dates the
birth year (451024 德保县 dates from 2002, so a 1990 birth fails) and raises KeyError on codes it does not know.
Here a division code is known if the national table has it under any name, past or present.
"""

import re
from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bangfu.core.registry import registry

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARS = "10X98765432"
FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")


def check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


@lru_cache(maxsize=1)
def known_division_codes() -> frozenset[str]:
    """Every code of the national table, as the regions app registers its source (`register_division_codes`)."""
    return frozenset(code for source in registry["division_codes"] for code in source())


def normalise_id(value: str) -> str:
    return re.sub(r"\s", "", (value or "").translate(FULLWIDTH)).upper()


def parse_resident_id(value: str) -> dict:
    """The facts an 18-digit resident ID number carries, or ValidationError saying what is wrong with it."""
    number = normalise_id(value)
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError(_("An ID number has 17 digits and a final digit or X (got %(n)s characters).")
                              % {"n": len(number)})
    if number[17] != check_char(number[:17]):
        raise ValidationError(_("The check digit of ID number %(masked)s is wrong.") % {"masked": mask_id(number)})
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("ID number %(masked)s carries no valid birth date.") % {"masked": mask_id(number)}
        ) from None
    if birth > date.today() or birth.year < 1900:
        raise ValidationError(_("ID number %(masked)s carries an impossible birth date.") % {"masked": mask_id(number)})
    if number[:6] not in known_division_codes():
        raise ValidationError(_("ID number %(masked)s begins with %(code)s, which is no division code.")
                              % {"masked": mask_id(number), "code": number[:6]})
    return {"number": number, "division": number[:6], "birth_date": birth,
            "sex": "male" if int(number[16]) % 2 else "female"}


def mask_id(number: str) -> str:
    """451024199001010033 → 451024********0033."""
    number = number or ""
    return number[:6] + "*" * (len(number) - 10) + number[-4:] if len(number) > 10 else "*" * len(number)


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678."""
    phone = phone or ""
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:] if len(phone) > 7 else "*" * len(phone)


def mask_birth_date(value) -> str:
    """1990-01-01 (a date, or its ISO text) → 1990: the year only, for the date is the middle of the ID number."""
    text = value.isoformat() if isinstance(value, date) else str(value or "")
    return text[:4]


ID_IN_TEXT = re.compile(r"(?<![0-9])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
MOBILE_IN_TEXT = re.compile(r"(?<![0-9])(1[3-9]\d)\d{4}(\d{4})(?![0-9])")
MASK_IN_TEXT = re.compile(r"\d{6}\*{8}\d{3}[\dXx]|1[3-9]\d\*{4}\d{4}")  # what `scrub` leaves


def scrub(value):
    """Mask any ID or mobile number inside free text or JSON (clue reasons written by screening or by hand)."""
    if isinstance(value, str):
        return MOBILE_IN_TEXT.sub(r"\1****\2", ID_IN_TEXT.sub(r"\1********\2", value))
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    return value


def has_mask(value) -> bool:
    """Does this text (or JSON) hold a number `scrub` masked: a value that cannot be written back as it was?"""
    return bool(MASK_IN_TEXT.search(value if isinstance(value, str) else repr(value)))
