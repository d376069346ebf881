"""The households API's search, filters and lookups (every read through `visible_to`)."""

import re

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from bangfu.core.identity import mask_id, normalise_id
from bangfu.core.privacy import log_search, may_unmask
from bangfu.core.services import invalid
from bangfu.core.values import Errors, choice, plain
from bangfu.households.models import (
    Clue,
    Household,
    Member,
    MemberMove,
    Relation,
)
from bangfu.regions.models import Region

# How many years of income and conditions the household page carries (the whole history is a list of its own).
EMBEDDED_YEARS = 3


CODE = re.compile(r"\d{2,12}")


ID_FULL = re.compile(r"\d{17}[\dX]")


ID_SUFFIX = re.compile(r"\d{3,5}[\dX]")


# The characters at the end of an ID number its mask shows (451024********0033): a longer suffix names digits of the
# birth date, and a whole number confirms one.
MASK_SHOWS = 4


INITIALS = re.compile(r"[A-Za-z]{1,20}")


NUMBER = re.compile(r"(?=.*\d)[0-9A-Za-z-]{7,30}")


def member_q(q: str) -> Q:
    """One search box: a whole ID number, its last 4-6 characters, pinyin initials (zsf → 张三丰), a household number
    (7 characters or more), or else part of a name."""
    text = plain(q)
    ident = normalise_id(text)
    if ID_FULL.fullmatch(ident):
        return Q(id_number=ident)
    if ID_SUFFIX.fullmatch(ident):
        return Q(id_number__endswith=ident)
    if INITIALS.fullmatch(text):
        return Q(name_initials__startswith=text.lower())
    if NUMBER.fullmatch(text):
        return Q(household__number__startswith=text.upper())
    return Q(name__contains=text)


def search_refusal(user, q: str) -> str | None:
    """Why the user may not search for `q` (None: he may). A full ID number, or more of its end than the mask shows,
    names digits the mask hides from him: only a user who may unmask searches by them."""
    if may_unmask(user):
        return None
    ident = normalise_id(plain(q))
    if ID_FULL.fullmatch(ident):
        return _("Searching by a full ID number needs the permission to see ID numbers; search by the name, pinyin "
                 "initials or the last 4 characters of the ID number.")
    if ID_SUFFIX.fullmatch(ident) and len(ident) > MASK_SHOWS:
        return _("Search by the last 4 characters of the ID number: more of them needs the permission to see ID "
                 "numbers.")
    return None


def check_search(user, q: str) -> None:
    """422 naming `q` for a search the user may not make."""
    if refusal := search_refusal(user, q):
        invalid("q", refusal)


def log_id_search(user, q: str, found) -> None:
    """A search by a full ID number is written to the access log like a reveal (`found`: the rows it finds)."""
    ident = normalise_id(plain(q))
    if ID_FULL.fullmatch(ident):
        log_search(user, found, "id_number", f"search by full ID number {mask_id(ident)}")


def household_q(q: str) -> Q:
    """A household by its number, or by any of its current members as `member_q` finds them."""
    text = plain(q)
    if NUMBER.fullmatch(text) and not ID_FULL.fullmatch(normalise_id(text)):
        return Q(number__startswith=text.upper())
    people = Member.objects.filter(member_q(text), household=OuterRef("pk"), active=True)
    return Q(Exists(people))


def in_region(user, qs, region: str | None):
    """Rows in a region's subtree; a region the caller cannot see gives no rows."""
    if not region:
        return qs
    if not CODE.fullmatch(region.strip()):
        return qs.none()
    found = Region.objects.visible_to(user).filter(code=region.strip()).values_list("path", flat=True).first()
    return qs.filter(region_path__startswith=found) if found else qs.none()


def choice_param(param: str, field: str, value: str | None, choices):
    if not value:
        return None
    errors = Errors()
    code = choice(errors, field, value, choices)
    if errors:
        invalid(param, errors.by_field[field][0])
    return code


def get_household(user, household_id: int) -> Household:
    """The household if the user can see it, else 404; whether he may change it is the service's question (403)."""
    return get_object_or_404(Household.objects.visible_to(user).select_related("village"), pk=household_id)


def get_member(user, member_id: int) -> Member:
    return get_object_or_404(Member.objects.visible_to(user).select_related("household"), pk=member_id)


def with_detail(household: Household) -> Household:
    """The household with what its page embeds: members (current and former), recent income and conditions, moves."""
    order = {relation: i for i, relation in enumerate(Relation.values)}
    people = sorted(household.members.order_by("birth_date", "pk"), key=lambda m: order.get(m.relation, len(order)))
    household.members_current = [m for m in people if m.active]
    household.former = [m for m in people if not m.active]
    household.recent_incomes = list(household.incomes.order_by("-year")[:EMBEDDED_YEARS])
    household.recent_conditions = list(household.conditions.order_by("-year")[:EMBEDDED_YEARS])
    household.move_list = list(MemberMove.objects.filter(Q(from_household=household) | Q(to_household=household))
                               .select_related("member").order_by("moved_on", "pk"))
    return household


def get_clue(user, clue_id: int) -> Clue:
    return get_object_or_404(Clue.objects.visible_to(user).select_related("household__village"), pk=clue_id)


QUEUE_ROWS = 200
