"""The counts of people sent and trained, read from the indicator registry (talent.indicators), computed live over
the records a user may see: person-times by year of the start and kind, the totals, and those in post in a year."""

from bangfu.core.indicators import ALL, Helper, live_many
from bangfu.talent.indicators import SENT_KINDS, TRAINED_KINDS
from bangfu.talent.models import PersonSent, PersonTrained

# Person-times by year of the start and kind: the indicators' prefix (one per kind), the rows, the kinds.
BREAKDOWNS = {"sent": ("talent.sent_new", PersonSent, SENT_KINDS), "trained": ("talent.trained", PersonTrained,
                                                                                TRAINED_KINDS)}


def by_year_and_kind(user, what: str, region_path: str = "", helper: Helper | None = None) -> list[dict]:
    """[{year, kind, n}] of people sent or trained ("sent", "trained"), by year and kind, leaving out zeros."""
    prefix, model, kinds = BREAKDOWNS[what]
    # The years any row starts in: the periods worth asking for (the others give zeros).
    years = [str(day.year) for day in model.objects.dates("start", "year")]
    codes = {kind: f"{prefix}_{kind}" for kind in sorted(kinds)}
    values = live_many(codes.values(), region_path, helper, years, user=user)
    return [{"year": int(year), "kind": kind, "n": int(values[code, year])}
            for year in years for kind, code in codes.items() if values[code, year]]


def counts(user, region_path: str = "", helper: Helper | None = None, year: int | None = None) -> dict:
    """By year and kind, the totals, and (for `year`) how many were in post then."""
    periods = [ALL, str(year)] if year else [ALL]
    totals = live_many(["talent.sent", "talent.trained"], region_path, helper, periods, user=user)
    return {"sent": by_year_and_kind(user, "sent", region_path, helper),
            "trained": by_year_and_kind(user, "trained", region_path, helper),
            "sent_total": int(totals["talent.sent", ALL]), "trained_total": int(totals["talent.trained", ALL]),
            "in_post": int(totals["talent.sent", str(year)]) if year else None}
