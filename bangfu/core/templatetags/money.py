"""Money in templates: `{{ x|yuan }}` exact, `{{ x|amount }}` in 万元 or 亿元 with the unit, `{{ x|wan }}` in 万元."""

from decimal import Decimal

from django import template

from bangfu.core import money

register = template.Library()


@register.filter
def yuan(value):
    return money.yuan(value)


@register.filter
def wan(value):
    """In 万元, two decimals (the unit is named in the column header)."""
    return money.in_wan(value)


@register.filter
def amount(value):
    """In 亿元 or 万元 as fits, the exact yuan in the tooltip."""
    return money.amount_html(value)

@register.filter
def percent(part, whole):
    try:
        return f"{100 * Decimal(part) / Decimal(whole):.1f}%" if whole else "—"
    except (TypeError, ArithmeticError, ValueError):
        return "—"
