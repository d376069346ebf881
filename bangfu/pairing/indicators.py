"""The pairings' indicators (core.indicators): pairings (all, in force in a year, by kind), and the distinct helpers
and recipient places they span.

A pairing names its region and its helper through relations: its recipient region's path and its helper
organisation's path (`paths`), so a helper's figure is that of his own pairings (`helper="org"`), as the summary
counts them. Helpers, counties, provinces and villages are distinct things shared by several pairings, of several
helpers and regions: they are counted anew at every level (`additive=False`; the table is small).
"""

from datetime import date

from django.db.models import Q

from bangfu.core.indicators import Indicator
from bangfu.pairing.filters import records_url
from bangfu.pairing.models import Pairing, PairingKind
from bangfu.pairing.services import KIND_NAMES_ZH
from bangfu.regions.models import Level

PATHS = {"region_path": "recipient_region__path", "org_path": "helper__path"}


def in_force(year: int) -> Q:
    """A pairing in force at some time in the year."""
    return Q(start__lte=date(year, 12, 31)) & (Q(end__isnull=True) | Q(end__gte=date(year, 1, 1)))


def _pairings(code, name, name_en, aggregation="count", records=None, **kw) -> Indicator:
    return Indicator(code, name, name_en, "个", aggregation, model=Pairing, helper="org", paths=PATHS,
                     records=records or records_url("pairing_list", by_year=False), **kw)


def _spanned(code, name, name_en, field, where=None) -> Indicator:
    """Distinct things the pairings span, over all years and those in force in each year."""
    return _pairings(code, name, name_en, "distinct", field=field, where=where or Q(), in_year=in_force,
                     additive=False)


INDICATORS = [
    _pairings("pairing.pairings", "结对数", "Pairings"),
    _pairings("pairing.active", "在结对数", "Pairings in force in the year", in_year=in_force, cumulative=False),
    *(_pairings(f"pairing.kind_{kind.value}", f"结对数（{KIND_NAMES_ZH[kind][0]}）", f"Pairings: {kind.value}",
                where=Q(kind=kind.value), records=records_url("pairing_list", by_year=False, kind=kind.value))
      for kind in PairingKind),
    _spanned("pairing.helpers", "帮扶方数", "Helpers", "helper"),
    # Pairings with a prefecture or a province name no county.
    _spanned("pairing.recipient_counties", "受援县数", "Recipient counties", "recipient_region__county_code",
             Q(recipient_region__county_code__isnull=False)),
    _spanned("pairing.recipient_provinces", "受援省数", "Recipient provinces", "recipient_region__province_code"),
    _spanned("pairing.recipient_villages", "受援村数", "Recipient villages", "recipient_region",
             Q(recipient_region__level=Level.VILLAGE)),
]
