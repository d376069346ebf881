"""Money as officials write and read it: exact `Decimal` yuan, typed with thousands separators or in 万/亿, shown
in 元 exact or in 万元 / 亿元 with the unit named. The one amount parser of the platform is `to_yuan`."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext as _

WAN = Decimal(10_000)
YI = Decimal(100_000_000)
CENT = Decimal("0.01")
MONEY_LIMIT = Decimal("1e15")  # below the columns' 18 digits, even for a sum of four items
UNITS = {"万": WAN, "亿": YI, "千": Decimal(1_000)}
ZERO = Decimal("0.00")
_NOISE = re.compile(r"[,，\s]|元$|^人民币")


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    """Every money column: exact yuan, 18 digits of which 2 for the fen."""
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=2, **kwargs)


def to_yuan(value, *, negative: bool = False, limit: Decimal = MONEY_LIMIT) -> Decimal:
    """Yuan exact to the fen from what a user typed: 12345.6, "12,345.60", "3,500元", "1.2万" (multiplied out
    exactly). Raises ValueError with a message for the user."""
    if isinstance(value, bool):
        raise ValueError(_("Give an amount in yuan."))
    text = _NOISE.sub("", str(value).strip())
    unit = UNITS.get(text[-1:]) if text else None
    try:
        amount = Decimal(text[:-1] if unit else text) * (unit or 1)
        if not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise ValueError(_("Give an amount in yuan, such as 12345.60.")) from None
    if abs(amount) >= limit:
        raise ValueError(_("This amount is too large."))
    if amount != amount.quantize(CENT):
        raise ValueError(_("An amount has at most two decimal places (fen)."))
    if amount < 0 and not negative:
        raise ValueError(_("An amount cannot be negative."))
    return amount.quantize(CENT)


def parse_amount(value, field: str = "amount", allow_negative: bool = False) -> Decimal:
    """`to_yuan` for a service: a wrong amount is a ValidationError on `field`."""
    try:
        return to_yuan(value, negative=allow_negative)
    except ValueError as error:
        raise ValidationError({field: [str(error)]}) from None


def exact(value) -> Decimal:
    """A sum as exact yuan and fen. PostgreSQL sums numerics exactly; SQLite keeps decimals with fen as floating
    point, whose sums can be off by a millionth: rounding to the fen gives the exact total back."""
    return ZERO if value is None else Decimal(value).quantize(CENT, ROUND_HALF_UP)


def fen_text(value) -> str:
    """An amount as the API gives it: exact yuan and fen as text ("12345.60"), never a float."""
    return f"{exact(value):.2f}"


def yuan(value, cents: bool = True) -> str:
    """12364 → "12,364.00"; without cents a whole amount drops them: 4000 → "4,000"; nothing → "—"."""
    if value is None or value == "":
        return "—"
    value = Decimal(str(value))
    if not cents and value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def in_wan(value) -> str:
    """In 万元, two decimals (the unit named elsewhere, as in a column header)."""
    if value is None or value == "":
        return "—"
    return f"{(Decimal(value) / WAN).quantize(CENT, ROUND_HALF_UP):,}"


def amount_html(value):
    """In 亿元 or 万元 as fits, the exact yuan in the tooltip."""
    number, unit = in_units(value)
    return format_html('<span title="{} 元">{} <span class="text-secondary small">{}</span></span>',
                       yuan(value), number, unit)


def in_units(value) -> tuple[str, str]:
    """(number, unit): 亿元 from 1亿 up, 万元 from 1万 up, else 元."""
    if value is None:
        return "—", ""
    value = Decimal(value)
    if abs(value) >= YI:
        return f"{(value / YI).quantize(Decimal('0.0001'), ROUND_HALF_UP):,}", _("100 million yuan")
    if abs(value) >= WAN:
        return f"{(value / WAN).quantize(CENT, ROUND_HALF_UP):,}", _("10 thousand yuan")
    return f"{value:,.2f}", _("yuan")
