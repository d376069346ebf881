"""Values as users type them, checked one at a time: the parsers that the services, the API, the web forms and the
import engine share. Each takes an `Errors` of the record, the field's name and the raw value (a Python object from
the API, or a string from a spreadsheet), and returns the clean value or adds a message a county clerk understands.
Messages never repeat an ID or phone number in the clear."""

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache

import polars as pl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from bangfu.core.money import MONEY_LIMIT, ZERO, to_yuan
from bangfu.core.registry import registry

INT_LIMIT = 10**12  # no whole number in the registry comes near; bigger ones are typing errors
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")
TRUE_WORDS = {"true", "1", "yes", "y", "t", "是", "有", "已参加", "参加"}
FALSE_WORDS = {"false", "0", "no", "n", "f", "否", "无", "未参加", "不参加"}



class Errors:
    """Collects the messages of one record, so that a clerk sees everything wrong with it at once."""

    def __init__(self, prefix: str = ""):
        self.prefix = prefix
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str):
        self.by_field.setdefault(f"{self.prefix}{field}", []).append(str(message))

    def has(self, field: str) -> bool:
        return f"{self.prefix}{field}" in self.by_field

    def __bool__(self):
        return bool(self.by_field)

    def merge(self, other: "Errors | dict"):
        for field, messages in (other.by_field if isinstance(other, Errors) else other).items():
            self.by_field.setdefault(field, []).extend(messages)

    def raise_if_any(self):
        if self.by_field:
            raise ValidationError(self.by_field)


def name_initials(name: str) -> str:
    """Pinyin initials for search: 张三丰 → zsf (letters and digits kept as they are, lower case)."""
    letters = lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors="default")
    return re.sub(r"[^0-9a-z]", "", "".join(letters).lower())[:20]


def name_initials_column(names: pl.Series) -> pl.Series:
    """`name_initials` of a whole column, equal to it name by name but without pypinyin per name (≈ 60 µs each: a
    minute for a million distinct names). A name whose characters each have one initial, whatever their reading,
    is spelled character by character from a table of its characters, and so is one whose characters form no
    phrase of pypinyin's (pypinyin then reads each character alone); only names with a character whose readings
    begin differently (重 zhòng/chóng, 长 cháng/zhǎng) within a phrase (黄长江) go to pypinyin whole."""
    from pypinyin.constants import PHRASES_DICT

    distinct = names.drop_nulls().unique()
    candidates = distinct.filter(distinct.str.contains(_ambiguous_class()))
    ambiguous = distinct.is_in(pl.Series([n for n in candidates if _has_phrase(n, PHRASES_DICT)], dtype=pl.String)
                               .implode())
    plain = distinct.filter(~ambiguous)
    characters = plain.str.split("").explode().unique().drop_nulls()
    initial = {c: name_initials(c) for c in characters}
    spelled = plain.str.split("").list.eval(pl.element().replace_strict(initial, return_dtype=pl.String)) \
        .list.join("").str.slice(0, 20)
    whole = distinct.filter(ambiguous)
    lookup = pl.DataFrame({
        "name": pl.concat([plain, whole]),
        "initials": pl.concat([spelled, pl.Series([name_initials(n) for n in whole], dtype=pl.String)]),
    })
    return names.replace_strict(lookup["name"], lookup["initials"], default="")


def _has_phrase(name: str, phrases) -> bool:
    return any(name[i:j] in phrases for i in range(len(name) - 1) for j in range(i + 2, len(name) + 1))


@cache
def _ambiguous_class() -> str:
    """A regex class of the characters whose readings do not all begin with the same letter."""
    from pypinyin.pinyin_dict import pinyin_dict

    def first_letter(reading):
        return unicodedata.normalize("NFD", reading)[:1].lower()

    chars = sorted(chr(point) for point, readings in pinyin_dict.items()
                   if len({first_letter(r) for r in readings.split(",")}) > 1)
    return "[" + "".join(re.escape(c) for c in chars) + "]"


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


# --- values ---------------------------------------------------------------------------------------------------------

def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def choice(errors: Errors, field: str, value, choices, *, required: bool = True, blank_value=None):
    """A choice by its code, its English label, its Chinese name or another name an app registered for it
    (`register_choice_aliases`: 户主 for the head of household)."""
    if blank(value):
        if blank_value is not None:
            return blank_value
        if required:
            errors.add(field, _("This field is required."))
        return None
    text = str(value).strip()
    for code, label in choices.choices:
        if text == code or text.lower() == str(label).lower():
            return code
    alias = registry["choice_aliases"].get(choices, {}).get(text)
    if alias is not None:
        return str(alias)
    allowed = "、".join(code for code, _label in choices.choices if code)
    errors.add(field, _("Unknown value %(value)s; one of: %(allowed)s.") % {"value": text[:40], "allowed": allowed})
    return None


def parse_date(errors: Errors, field: str, value, *, required: bool = True) -> date | None:
    if blank(value):
        if required:
            errors.add(field, _("This field is required."))
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    errors.add(field, _("%(value)s is not a date (write it as 2024-03-31).") % {"value": text[:20]})
    return None


def parse_int(errors: Errors, field: str, value, *, low: int | None = None, high: int | None = None,
              required: bool = True) -> int | None:
    if blank(value):
        if required:
            errors.add(field, _("This field is required."))
        return None
    if isinstance(value, bool):
        errors.add(field, _("Give a whole number."))
        return None
    try:
        number = Decimal(str(value).strip())
        if not number.is_finite() or abs(number) > INT_LIMIT or number != number.to_integral_value():
            raise InvalidOperation
        number = int(number)
    except (InvalidOperation, ValueError):
        errors.add(field, _("Give a whole number."))
        return None
    if (low is not None and number < low) or (high is not None and number > high):
        if high is None:
            errors.add(field, _("Give a number of at least %(low)s.") % {"low": low})
        else:
            errors.add(field, _("Give a number from %(low)s to %(high)s.") % {"low": low, "high": high})
        return None
    return number


def parse_money(errors: Errors, field: str, value, *, required: bool = False, default=ZERO,
                negative: bool = False, limit: Decimal = MONEY_LIMIT) -> Decimal | None:
    """Yuan, exact to the fen (`core.money.to_yuan`: "12,345.60", "1.2万"). Never negative unless allowed."""
    if blank(value):
        if required:
            errors.add(field, _("This field is required."))
            return None
        return default
    try:
        return to_yuan(value, negative=negative, limit=limit)
    except ValueError as error:
        errors.add(field, str(error))
        return None


def parse_bool(errors: Errors, field: str, value, *, default: bool) -> bool | None:
    if blank(value):
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    errors.add(field, _("Answer yes or no (是/否)."))
    return None


def parse_text(errors: Errors, field: str, value, *, max_length: int, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if CONTROL.search(text):
        errors.add(field, _("This text contains control characters; type it again."))
        return ""
    if not text and required:
        errors.add(field, _("This field is required."))
    elif len(text) > max_length:
        errors.add(field, _("At most %(n)s characters.") % {"n": max_length})
    return text


def plain(text, max_length: int | None = None) -> str:
    """Free text such as a reason, kept as given but without control characters (bar line breaks and tabs)."""
    cleaned = CONTROL.sub("", "" if text is None else str(text)).strip()
    return cleaned[:max_length] if max_length else cleaned


def parse_phone(errors: Errors, field: str, value) -> str:
    """A mobile number (11 digits, starting with 1) or a landline number with its area code; blank is allowed."""
    if blank(value):
        return ""
    text = re.sub(r"[\s()（）]", "", str(value))
    text = re.sub(r"^(\+86|0086)", "", text)
    if MOBILE.fullmatch(text) or LANDLINE.fullmatch(text):
        return text
    errors.add(field, _("Not a phone number: give a mobile number (11 digits starting with 1) or a landline number "
                        "with its area code (such as 0776-3821234)."))
    return ""


