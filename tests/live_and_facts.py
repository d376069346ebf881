"""What the indicators' tests share: the regions where a world has records, and the check that every indicator
computed live from the records equals the value read from the facts (core.facts)."""

from bangfu.core.facts import ancestors, read
from bangfu.core.indicators import catalogue, live, live_many
from bangfu.regions.models import Region


def codes_of(*apps: str) -> list[str]:
    """The declared indicators of these apps (counted and derived)."""
    return [code for code in catalogue() if code.split(".")[0] in apps]


def regions_with(paths, empty=("520000",)) -> list[str]:
    """Every region that holds or lies above a record (and "" for all of them), the world's own regions, and some
    without records (whose figures must be zero, not missing): the regions where a figure can be other than zero."""
    found = {above for path in paths for above in ancestors(path)}
    found |= set(Region.objects.filter(synthetic=True).values_list("path", flat=True))
    found |= set(Region.objects.filter(code__in=empty).values_list("path", flat=True))
    return sorted(found)


def assert_live_equals_facts(codes, regions, periods, helpers) -> tuple[int, int]:
    """Each (indicator, region, period) for each helper side (None: all of them) is the same live and from the
    facts; returns how many values were compared, and how many of them were not zero, so that a test can tell it
    compared something."""
    compared = nonzero = 0
    for side in helpers:
        stored = read(codes, regions, periods, side)
        for (code, region, period), value in stored.items():
            computed = live(code, region, side, period)
            assert computed == value, (code, region, period, side.path if side else None, computed, value)
            compared += 1
            nonzero += bool(value)
    return compared, nonzero


def assert_facts_live_and_live_many_agree(codes, paths, periods, side) -> dict:
    """For one helper side, each (indicator, region, period) is the same from the facts, from `live` one at a time,
    and from `live_many` for a region's indicators together; returns the facts read."""
    stored = read(codes, paths, periods, side)
    for path in paths:
        computed = live_many(codes, path, side, periods)
        for code in codes:
            for period in periods:
                one = live(code, path, side, period)
                assert stored[code, path, period] == one == computed[code, period], (code, path, period)
    return stored
