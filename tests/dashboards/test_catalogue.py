"""The catalogue in docs/ is the registry's: regenerate it with
`bangfu indicators catalogue > docs/indicator-catalogue.md` when an indicator changes."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from bangfu.core.indicators import catalogue

DOC = Path(__file__).resolve().parents[2] / "docs" / "indicator-catalogue.md"


def test_the_documented_catalogue_is_the_registry_s():
    out = StringIO()
    call_command("indicators", "catalogue", stdout=out)
    assert DOC.read_text(encoding="utf-8") == out.getvalue(), "run: bangfu indicators catalogue > " + str(DOC)
    assert all(f"`{code}`" in out.getvalue() for code in catalogue())


def test_every_figure_the_dashboards_show_is_a_registered_indicator():
    from bangfu.dashboards import layout

    assert layout.present(layout.ALL) == list(layout.ALL)
