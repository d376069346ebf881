"""The facts table: every counted indicator precomputed for every region that has records (and "" for all of them),
for every helper organisation whose rows carry it (`helper="org"`), by year, month and in all.

Computing is set-based: one grouped query per indicator and kind of period gives the values at the rows' own
regions (and organisations), and polars adds them up to every region and organisation above (or, for an indicator
that is not additive, counts the distinct things at every level). A refresh recomputes only the subtrees whose
records changed (`StaleFacts`, filled by `touch` on every write that the change log records, and by imports and
undo), and moves every region above by the difference; the worker's task does it within seconds of the write
(`refresh_stale`, queued after the writing transaction commits, one task however many writes).
"""

from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from decimal import Decimal

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, CharField, ExpressionWrapper, F
from django.db.models.functions import Cast
from django.utils import timezone

from bangfu.core.indicators import ALL, Helper, Indicator, catalogue, covered, derive, indicator
from bangfu.core.models import Fact, FactsRun, StaleFacts
from bangfu.core.registry import registry
from bangfu.core.scope import collapse

KEYS = ["code", "region_path", "helper_path", "period"]
LOCK = 0x62616E67  # "bang": the refresh's advisory lock on PostgreSQL
COARSEST = 3  # province/prefecture/county: the subtrees a refresh takes at the finest


def years() -> range:
    """The years a stock or spell indicator is computed for: from BANGFU_INDICATOR_FIRST_YEAR to this one."""
    return range(settings.INDICATOR_FIRST_YEAR, timezone.localdate().year + 1)


def ancestors(path: str, root: bool = True) -> list[str]:
    """The path and every path above it (and "" for the whole tree when `root`)."""
    parts = path.split("/")[:-1]
    return ([""] if root else []) + ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


# Computing: one indicator, over the rows of one subtree ("" for all).

def _group_keys(found: Indicator) -> list[str]:
    return ["region_path", "org_path"] if found.helper == "org" else ["region_path"]


def _cents(value) -> int:
    return int((Decimal(value or 0) * 100).to_integral_value())


def _base(found: Indicator, under: str) -> pl.DataFrame:
    """(region_path, org_path, period, cents) at the rows' own regions: the additive indicators' starting point."""
    rows = found.rows()
    if under:
        rows = rows.filter(region_path__startswith=under)
    keys = _group_keys(found)
    out: list[tuple] = []

    def add(groups, periods: Callable):
        """Each group's values, by the periods `periods(values)` names."""
        for row in groups:
            region, org = row[0], row[1] if len(keys) == 2 else ""
            for p, v in periods(row[len(keys):]):
                if v:
                    out.append((region, org, p, _cents(v)))

    grouped = rows.values(*keys)
    if found.cumulative:
        add(grouped.annotate(v=found.aggregate()).values_list(*keys, "v"), lambda v: [(ALL, v[0])])
    if found.year:
        by_year = rows.annotate(y=found.year_expression()).values(*keys, "y").annotate(v=found.aggregate())
        add(by_year.values_list(*keys, "y", "v"), lambda v: [(str(v[0]), v[1])] if v[0] else [])
    elif found.in_year:
        spans = {f"y{y}": found.aggregate(found.in_year(y)) for y in years()}
        add(grouped.annotate(**spans).values_list(*keys, *spans),
            lambda v: [(str(y), value) for y, value in zip(years(), v, strict=True)])
    if found.month:
        y, m = found.month_expressions()
        by_month = rows.annotate(y=y, m=m).values(*keys, "y", "m").annotate(v=found.aggregate())
        add(by_month.values_list(*keys, "y", "m", "v"),
            lambda v: [(f"{v[0]:04d}-{v[1]:02d}", v[2])] if v[0] else [])
    return pl.DataFrame(out, schema={"region_path": pl.String, "org_path": pl.String, "period": pl.String,
                                     "cents": pl.Int64}, orient="row")


def _memberships(found: Indicator) -> pl.DataFrame:
    """(region_path, org_path, period, thing) for an indicator that is not additive: which distinct thing counts in
    which period, to be counted at every level."""
    rows = found.rows()
    keys = _group_keys(found)
    columns = [*keys, "thing"]
    rows = rows.annotate(thing=_thing(found))
    periods: dict[str, object] = {}
    if found.year:
        periods["y"] = found.year_expression()
    elif found.in_year:
        periods.update({f"y{y}": ExpressionWrapper(found.in_year(y), output_field=BooleanField()) for y in years()})
    out = []
    for row in rows.annotate(**periods).values_list(*columns, *periods).distinct():
        region, org = row[0], row[1] if len(keys) == 2 else ""
        thing, flags = row[len(keys)], row[len(keys) + 1:]
        if found.cumulative:
            out.append((region, org, ALL, thing))
        if found.year and flags[0]:
            out.append((region, org, str(flags[0]), thing))
        elif found.in_year:
            out += [(region, org, str(y), thing) for y, flag in zip(years(), flags, strict=True) if flag]
    return pl.DataFrame(out, schema={"region_path": pl.String, "org_path": pl.String, "period": pl.String,
                                     "thing": pl.String}, orient="row")


def _thing(found: Indicator):
    return Cast(F(found.field) if isinstance(found.field, str) else found.field, CharField())


def _paths_frame(paths, column: str, node: str, root: bool = True) -> pl.DataFrame:
    pairs = [(path, above) for path in set(paths) for above in ancestors(path, root)]
    return pl.DataFrame(pairs, schema={column: pl.String, node: pl.String}, orient="row")


def _helpers_frame(found: Indicator, org_paths) -> pl.DataFrame:
    """Each row's organisation under every organisation above it, and under "" (every helper). Places-mode
    indicators keep only "": a helper's figure is read over his places (`read`)."""
    if found.helper == "org":
        pairs = [(org, above) for org in set(org_paths) for above in ancestors(org) if org]
        pairs += [(org, "") for org in set(org_paths) if not org]
    else:
        pairs = [(org, "") for org in set(org_paths)]
    return pl.DataFrame(pairs, schema={"org_path": pl.String, "helper_path": pl.String}, orient="row")


def compute(found: Indicator, under: str = "") -> pl.DataFrame:
    """The indicator's facts (code, region_path, helper_path, period, cents) for every region of the subtree
    `under` and above it (above: only what the subtree adds)."""
    if found.additive:
        base = _base(found, under)
        value = pl.col("cents").sum()
    else:
        base = _memberships(found)
        value = pl.col("thing").n_unique().cast(pl.Int64) * 100
    if base.is_empty():
        return pl.DataFrame(schema={**dict.fromkeys(KEYS, pl.String), "cents": pl.Int64})
    regions = _paths_frame(base["region_path"].unique().to_list(), "region_path", "node")
    helpers = _helpers_frame(found, base["org_path"].unique().to_list())
    facts = (base.join(regions, on="region_path").join(helpers, on="org_path")
             .group_by("node", "helper_path", "period").agg(cents=value)
             .rename({"node": "region_path"}).filter(pl.col("cents") != 0))
    return facts.with_columns(code=pl.lit(found.code)).select(*KEYS, "cents")


# Storing: a full rebuild, or the stale subtrees.

def _write(facts: pl.DataFrame) -> int:
    rows = [Fact(code=c, region_path=r, helper_path=h, period=p, value=Decimal(v).scaleb(-2))
            for c, r, h, p, v in facts.iter_rows()]
    Fact.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def rebuild(codes=None, region_path: str = "", year: int | None = None, progress: Callable = lambda done: None) -> int:
    """Recompute the facts of the given counted indicators (all of them by default) from the records: in full, or
    for one region's subtree (and what it adds above) or one year. Returns the number of facts written."""
    started = timezone.now()
    codes = [c for c in (codes or catalogue()) if indicator(c).counted]
    written = 0
    for code in codes:
        found = indicator(code)
        with transaction.atomic():
            if region_path and found.additive:
                written += _refresh_subtree(found, region_path, year)
            else:
                facts = compute(found)
                stored = Fact.objects.filter(code=code)
                if year is not None:
                    facts = facts.filter(pl.col("period").str.starts_with(str(year)))
                    stored = stored.filter(period__startswith=str(year))
                stored.delete()
                written += _write(facts)
        progress(1)
    written += helper_sides(codes)
    kind = FactsRun.Kind.REFRESH if region_path or year else FactsRun.Kind.REBUILD
    FactsRun.objects.create(kind=kind, started=started, finished=timezone.now(), regions=region_path, facts=written)
    return written


@transaction.atomic
def _recount(code: str) -> int:
    """Replace every fact of one indicator with its count from the records."""
    Fact.objects.filter(code=code).delete()
    return _write(compute(indicator(code)))


def _refresh_subtree(found: Indicator, under: str, year: int | None = None) -> int:
    """Replace the facts of one subtree and move the regions above it by what the subtree's totals changed."""
    new = compute(found, under)
    old = Fact.objects.filter(code=found.code, region_path=under)
    inside = Fact.objects.filter(code=found.code, region_path__startswith=under)
    if year is not None:
        new = new.filter(pl.col("period").str.starts_with(str(year)))
        old, inside = old.filter(period__startswith=str(year)), inside.filter(period__startswith=str(year))
    delta: dict[tuple, int] = defaultdict(int)
    for helper_path, period, value in old.values_list("helper_path", "period", "value"):
        delta[helper_path, period] -= _cents(value)
    for _c, _region, helper_path, period, cents in new.filter(pl.col("region_path") == under).iter_rows():
        delta[helper_path, period] += cents
    inside.delete()
    written = _write(new.filter(pl.col("region_path").str.starts_with(under)))
    above = [p for p in ancestors(under) if p != under]
    changed = {key: d for key, d in delta.items() if d}
    if changed and above:
        written += _shift(found.code, above, changed)
    return written


def _shift(code: str, regions: list[str], delta: dict[tuple, int]) -> int:
    """Add each (helper, period) difference to the facts of the regions above a refreshed subtree."""
    stored = {(f.region_path, f.helper_path, f.period): f for f in Fact.objects.filter(
        code=code, region_path__in=regions, helper_path__in={h for h, _p in delta}, period__in={p for _h, p in delta})}
    update, create, drop = [], [], []
    for region in regions:
        for (helper_path, period), d in delta.items():
            fact = stored.get((region, helper_path, period))
            if fact is None:
                create.append(Fact(code=code, region_path=region, helper_path=helper_path, period=period,
                                   value=Decimal(d).scaleb(-2)))
                continue
            fact.value += Decimal(d).scaleb(-2)
            (update if fact.value else drop).append(fact)
    Fact.objects.bulk_update(update, ["value"], batch_size=2000)
    Fact.objects.filter(pk__in=[f.pk for f in drop]).delete()
    Fact.objects.bulk_create(create, batch_size=2000)
    return len(update) + len(create)


def coarsen(region_paths) -> tuple[str, ...]:
    """The subtrees to refresh for records under these paths: a path deeper than a county counts as its county's
    (the first three codes), so that an import over a thousand villages is a few subtrees; records of no region (an
    API token, a user) change no figure."""
    return collapse("/".join(p.split("/")[:-1][:COARSEST]) + "/" for p in region_paths if p)


def helper_sides(codes) -> int:
    """Each helper organisation's whole side of the places-mode indicators (region "", helper its path): the sum of
    the facts of the places it is or was paired with, kept so that a helper's own dashboard reads a few facts, not
    those of a hundred places. A helper's side of one region is still summed when read (`read`)."""
    codes = [c for c in codes if indicator(c).counted and indicator(c).helper == "places"]
    hook = registry["scope_hooks"].get("every_helper_places")
    if not codes or hook is None:
        return 0
    places = hook()
    wanted = sorted({p for paths in places.values() for p in paths})
    stored: dict[str, list[tuple]] = defaultdict(list)  # place → [(code, period, value)]
    for chunk in range(0, len(wanted), 500):
        for code, region, period, value in Fact.objects.filter(
                code__in=codes, helper_path="", region_path__in=wanted[chunk:chunk + 500]
        ).values_list("code", "region_path", "period", "value"):
            stored[region].append((code, period, value))
    sides = []
    for org, paths in places.items():
        totals: dict[tuple, Decimal] = defaultdict(Decimal)
        for path in paths:
            for code, period, value in stored.get(path, ()):
                totals[code, period] += value
        sides += [Fact(code=code, region_path="", helper_path=org, period=period, value=value)
                  for (code, period), value in totals.items() if value]
    with transaction.atomic():
        Fact.objects.filter(code__in=codes, region_path="").exclude(helper_path="").delete()
        Fact.objects.bulk_create(sides, batch_size=5000)
    return len(sides)


def touch(region_paths, model: str = "") -> None:
    """Records of `model` (a label, app_label.ModelName; "" for any) under these regions changed: once the writing
    transaction commits, mark them stale and make sure a refresh task is queued (one task however many writes come
    before it runs)."""
    paths = coarsen(region_paths)
    if paths:
        transaction.on_commit(lambda: _mark_stale(paths, model))


def _mark_stale(paths, model: str) -> None:
    from bangfu.core.tasks import queue_refresh

    # A subtree already waiting is marked again with this time: a refresh running now leaves it waiting.
    StaleFacts.objects.bulk_create([StaleFacts(region_path=p, model=model, since=timezone.now()) for p in paths],
                                   update_conflicts=True, update_fields=["since"],
                                   unique_fields=["region_path", "model"])
    queue_refresh()


def refresh_stale() -> list[str]:
    """Recompute the stale subtrees (the coarsest ones: a subtree inside another is done with it)."""
    started = timezone.now()
    claimed = list(StaleFacts.objects.filter(since__lte=started).values_list("pk", "region_path", "model"))
    if not claimed:
        return []
    with _one_refresh_at_a_time():
        paths = refresh([(path, model) for _pk, path, model in claimed], started)
    StaleFacts.objects.filter(pk__in=[pk for pk, _p, _m in claimed], since__lte=started).delete()
    return list(paths)


@contextmanager
def _one_refresh_at_a_time():
    """Two workers refreshing the same subtree would both move the regions above it by its change. PostgreSQL: an
    advisory lock; SQLite lets one writer in at a time anyway."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK])
        try:
            yield
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK])


def _counted_from(models: set[str]) -> list[str]:
    """The counted indicators whose records are of these models ("" among them: all)."""
    return [c for c, found in catalogue().items()
            if found.counted and ("" in models or found.model._meta.label in models)]


def refresh(stale, started=None) -> tuple[str, ...]:
    """Recompute the facts of these subtrees, (region path, model label) each, for the indicators of the models
    that changed (and move the regions above them); the subtrees done."""
    started = started or timezone.now()
    paths = collapse(path for path, _model in stale)
    models_under = {path: {m for p, m in stale if p.startswith(path)} for path in paths}
    everything = {m for _p, m in stale}
    written = 0
    if "" in paths:
        written = rebuild(_counted_from(everything))
    else:
        for path in paths:
            for code in _counted_from(models_under[path]):
                if indicator(code).additive:
                    with transaction.atomic():
                        written += _refresh_subtree(indicator(code), path)
        others = [c for c in _counted_from(everything) if not indicator(c).additive]
        for code in others:  # small tables, each counted anew
            written += _recount(code)
        # A change of who helps whom moves every helper's side; any other, the sides of its own indicators.
        places = registry["scope_hooks"].get("every_helper_places")
        moved = "" in everything or getattr(places, "model_label", None) in everything
        written += helper_sides(list(catalogue()) if moved else _counted_from(everything))
        FactsRun.objects.create(kind=FactsRun.Kind.REFRESH, started=started, finished=timezone.now(),
                                regions="\n".join(paths), facts=written)
    return paths


def recount_daily() -> int:
    """Recompute the indicators whose value moves with the date alone (a job becomes stable, a case overdue); all of
    them where the facts were never computed (a database migrated from before the indicators)."""
    if not FactsRun.objects.filter(kind=FactsRun.Kind.REBUILD).exists():
        return rebuild()
    started = timezone.now()
    codes = [c for c, found in catalogue().items() if found.counted and found.changes_daily]
    written = 0
    for code in codes:
        written += _recount(code)
    written += helper_sides(codes)
    FactsRun.objects.create(kind=FactsRun.Kind.DAILY, started=started, finished=timezone.now(), facts=written)
    return written


def queue_daily_if_due() -> None:
    """Once a day, the first reading of the figures queues their daily recount (there is no clock in the worker); the
    first reading ever, their first computation."""
    from bangfu.core.tasks import queue_daily

    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    last = FactsRun.objects.filter(kind__in=[FactsRun.Kind.DAILY, FactsRun.Kind.REBUILD]).order_by("-started").first()
    if last is None or last.started < midnight:
        queue_daily()


def freshness() -> dict:
    """When the facts were last computed, and whether changes wait for the worker (a dashboard's "as of")."""
    last = FactsRun.objects.order_by("-finished").first()
    stale = StaleFacts.objects.order_by("since").first()
    return {"computed": last.finished if last else None, "stale_since": stale.since if stale else None}


# Reading.

def read(codes, regions: list[str], periods: list[str], helper: Helper | None = None) -> dict[tuple, Decimal | None]:
    """{(code, region path, period): value} from the facts, for counted and derived indicators alike; a helper's
    figures are those of his side (module docstring of core.indicators). Missing facts are zero; a period the
    indicator has no value for (a year of a stock that records no dates, the whole record of an income) is None."""
    counted = []
    for code in codes:
        found = indicator(code)
        counted += [c for c in (found.parts if not found.counted else (code,)) if c not in counted]
    values = _read_counted(counted, regions, periods, helper)
    out = {}
    for code in codes:
        found = indicator(code)
        for region in regions:
            for period in periods:
                if not found.has_period(period):
                    out[code, region, period] = None
                elif found.counted:
                    out[code, region, period] = values.get((code, region, period), Decimal("0.00"))
                else:
                    top, bottom = (values.get((part, region, period)) for part in found.parts)
                    out[code, region, period] = derive(found, top, bottom)
    return out


def _read_counted(codes, regions, periods, helper: Helper | None) -> dict[tuple, Decimal]:
    org_codes = [c for c in codes if helper is not None and indicator(c).helper == "org"]
    place_codes = [c for c in codes if c not in org_codes]
    values: dict[tuple, Decimal] = defaultdict(lambda: Decimal("0.00"))
    if org_codes:
        for code, region, period, value in Fact.objects.filter(
                code__in=org_codes, region_path__in=regions, helper_path=helper.path, period__in=periods
        ).values_list("code", "region_path", "period", "value"):
            values[code, region, period] = value
    if place_codes:
        # A helper's places inside each region (or the region itself, inside one of his places); his whole side is
        # kept as such (`helper_sides`).
        if helper is not None and "" in regions:
            for code, period, value in Fact.objects.filter(
                    code__in=place_codes, region_path="", helper_path=helper.path, period__in=periods
            ).values_list("code", "period", "value"):
                values[code, "", period] = value
            regions = [r for r in regions if r]
        parts = {region: covered(region, helper.places) if helper is not None else [region] for region in regions}
        wanted = {p for found in parts.values() for p in found}
        stored: dict[tuple, Decimal] = {}
        for code, region, period, value in Fact.objects.filter(
                code__in=place_codes, region_path__in=wanted, helper_path="", period__in=periods
        ).values_list("code", "region_path", "period", "value"):
            stored[code, region, period] = value
        for region, inside in parts.items():
            for code in place_codes:
                for period in periods:
                    total = sum((stored.get((code, p, period), Decimal(0)) for p in inside), Decimal("0.00"))
                    if total:
                        values[code, region, period] = total
    return values

