"""The labour indicators (core.indicators): the closed loop counted from its records — laborers registered, employed
(in the helper city, stably), back home and re-placed, in public-welfare posts, in courses — and the job fairs.

People are counted once each (distinct laborers) over the rows of a period; a laborer lives in one village, so the
counts add up over regions. A job counts in every year it is held at some time of (`_held_in`); registrations,
returns, re-placements and fairs in the year of their date; trainees in the year their course starts.

Each indicator names the list of the records behind it (`records(region code, year)`): the laborer list filtered by
the figure (its `figure` filter takes the codes of `LABORER_FIGURES`), the posts and the fairs by region and year.
"""

from datetime import date
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from bangfu.core.indicators import ALL, Indicator, indicator
from bangfu.labor.models import (
    Attendance,
    Channel,
    Employment,
    Event,
    JobFair,
    Laborer,
    Place,
    PublicWelfarePost,
    State,
)
from bangfu.labor.services import stable_q


def _held_in(year: int) -> Q:
    """Jobs held at some time of the year: started by its end, not ended before its start."""
    return Q(start__lte=date(year, 12, 31)) & (Q(end__isnull=True) | Q(end__gte=date(year, 1, 1)))


def _stable_in(year: int) -> Q:
    """Jobs held in the year and stable by its end (or by today, in this year), as the summary has counted them;
    within the `where` of `labor.stable` (stable by today), since a job stable by an earlier day is stable today."""
    return _held_in(year) & stable_q(min(date(year, 12, 31), timezone.localdate()))


def post_held_in(year: int) -> Q:
    """Public-welfare posts someone held at some time of the year."""
    jobs = Employment.objects.filter(_held_in(year), post=OuterRef("pk"), channel=Channel.PUBLIC_WELFARE)
    return Q(Exists(jobs))


def records(url_name: str, year_param: str = "year", **fixed):
    """The `records` function of an indicator: its list page, filtered by region code and year (the list's filter
    `year_param`), and by `fixed` filters."""

    def url(region_code: str | None = None, year: int | None = None) -> str:
        query = {**fixed, "region": region_code or "", year_param: year or ""}
        query = {key: value for key, value in query.items() if value not in ("", None)}
        return reverse(url_name) + (f"?{urlencode(query)}" if query else "")

    return url


def _people(code, name, name_en, model, where=None, **kw):
    """Distinct laborers among the rows: their records are the laborers, through the list's `figure` filter."""
    return Indicator(code, name, name_en, "人", "distinct", model=model, field="laborer", where=where or Q(),
                     records=records("laborer_list", figure=code), **kw)


def _jobs(code, name, name_en, where=None, **kw):
    return _people(code, name, name_en, Employment, where, in_year=kw.pop("in_year", _held_in), **kw)


INDICATORS = [
    Indicator("labor.registered", "登记劳动力", "Laborers registered", "人", "count", model=Laborer,
              year="registered_on", records=records("laborer_list", figure="labor.registered")),
    _jobs("labor.employed", "就业人数", "Laborers employed"),
    _jobs("labor.employed_in_helper_city", "在帮扶城市就业人数", "Laborers employed in the helper city",
          Q(place=Place.HELPER_CITY)),
    # `where` is called at counting time (stable by today); a year's figure asks stable by the year's end.
    _jobs("labor.stable", "稳定就业人数", "Laborers stably employed", stable_q, in_year=_stable_in),
    _people("labor.returned", "返乡人数", "Laborers returned home", Event, Q(state=State.RETURNED), year="on",
            higher_is_better=False),
    # Re-placed: laborers employed again after a return home. The loop records it as the step from `returned` to
    # `replaced` (services.record_employment), dated the start of the first job after the return; a laborer counts
    # in the year of that start, once however many times he came home and found work again.
    _people("labor.replaced", "返乡再就业人数", "Returned laborers employed again", Event, Q(state=State.REPLACED),
            year="on"),
    Indicator("labor.public_welfare_posts", "公益性岗位数", "Public-welfare posts", "个", "count",
              model=PublicWelfarePost, in_year=post_held_in, records=records("post_list")),
    _jobs("labor.public_welfare_workers", "公益性岗位在岗人数", "Laborers in public-welfare posts",
          Q(channel=Channel.PUBLIC_WELFARE)),
    Indicator("labor.job_fairs", "招聘会场次", "Job fairs", "个", "count", model=JobFair, year="held_on",
              helper="org", records=records("jobfair_list")),
    _people("labor.trainees", "参训人数", "Laborers in training courses", Attendance, year="course__start"),
    Indicator("labor.stable_share", "稳定就业率", "Share of employed laborers stably employed", "%", "ratio",
              parts=("labor.stable", "labor.employed"), scale=100),
]

# The indicators whose records are laborers: the laborer list's `figure` filter offers them.
LABORER_FIGURES = [found.code for found in INDICATORS if found.model is Laborer or found.field == "laborer"]


def counted_laborers(code: str, year: int | None = None):
    """The ids of the laborers a figure of `LABORER_FIGURES` counts in a year (or in the whole record): its rows'
    laborers, as a subquery."""
    if code not in LABORER_FIGURES:
        raise ValueError(f"{code} does not count laborers")
    found = indicator(code)
    period = str(year) if year else ALL
    if not found.has_period(period):
        return Laborer.objects.none().values("pk")
    return found.rows().filter(found.period_q(period)).values(found.field)
