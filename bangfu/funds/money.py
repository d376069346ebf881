"""Money as officials read it: exact yuan, or 万元 / 亿元 with the unit named."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

WAN = Decimal(10_000)
YI = Decimal(100_000_000)
CENT = Decimal("0.01")


def parse_amount(value, field: str = "amount", allow_negative: bool = False) -> Decimal:
    """A yuan amount from user input: a Decimal with at most two decimals; else a message naming the field."""
    from bangfu.core.services import invalid

    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        invalid(field, _("%(value)s is not an amount in yuan.") % {"value": value})
    if not amount.is_finite():
        invalid(field, _("%(value)s is not an amount in yuan.") % {"value": value})
    if abs(amount) >= Decimal(10) ** 16:
        invalid(field, _("%(value)s is too large.") % {"value": value})
    if amount != amount.quantize(CENT):
        invalid(field, _("%(value)s has more than two decimals (yuan and fen).") % {"value": value})
    if amount < 0 and not allow_negative:
        invalid(field, _("The amount cannot be negative (%(value)s).") % {"value": value})
    return amount.quantize(CENT)


def yuan(value) -> str:
    """12,345.60 元 (exact)."""
    if value is None:
        return "—"
    return f"{Decimal(value):,.2f}"


def in_units(value) -> tuple[str, str]:
    """(number, unit): 亿元 from 1亿 up, 万元 from 1万 up, else 元."""
    if value is None:
        return "—", ""
    value = Decimal(value)
    if abs(value) >= YI:
        return f"{(value / YI).quantize(Decimal('0.0001'), ROUND_HALF_UP):,}", _("100 million yuan")
    if abs(value) >= WAN:
        return f"{(value / WAN).quantize(Decimal('0.01'), ROUND_HALF_UP):,}", _("10 thousand yuan")
    return f"{value:,.2f}", _("yuan")
