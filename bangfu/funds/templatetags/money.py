"""Money in templates: `{{ x|yuan }}` exact, `{{ x|amount }}` in 万元 or 亿元 with the unit, `{{ x|wan }}` in 万元."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.html import format_html

from bangfu.funds.money import WAN, in_units
from bangfu.funds.money import yuan as exact_yuan

register = template.Library()


@register.filter
def yuan(value):
    return exact_yuan(value)


@register.filter
def wan(value):
    """In 万元, two decimals (the unit is named in the column header)."""
    if value is None or value == "":
        return "—"
    return f"{(Decimal(value) / WAN).quantize(Decimal('0.01'), ROUND_HALF_UP):,}"


@register.filter
def amount(value):
    """In 亿元 or 万元 as fits, the exact yuan in the tooltip."""
    number, unit = in_units(value)
    return format_html('<span title="{} 元">{} <span class="text-secondary small">{}</span></span>',
                       exact_yuan(value), number, unit)


@register.filter
def percent(part, whole):
    try:
        return f"{100 * Decimal(part) / Decimal(whole):.1f}%" if whole else "—"
    except (TypeError, ArithmeticError, ValueError):
        return "—"
