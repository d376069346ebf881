"""`bangfu bench import` runs end to end on a tiny file (in this process: the child processes of a real run would not
see the test database) and keeps nothing."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bangfu.bench.imports import Rows
from bangfu.core.identity import parse_resident_id
from bangfu.core.models import ImportBatch
from bangfu.households.models import Household, Member


def test_bench_import_small(world):
    households, members = Household.objects.count(), Member.objects.count()
    out = io.StringIO()
    call_command("bench", "import", "--rows", "200", "--sample", "50", "--in-process", "--skip-import-export",
                 stdout=out)
    text = out.getvalue()
    for method in ("csv", "xlsx", "copy", "copy-raw", "bulk-create", "orm"):
        assert f"  {method} " in text, text
    assert "failed" not in text, text
    assert "200 rows" in text and "50 rows" in text  # the ORM loop runs on the sample
    assert "of COPY into the same tables" in text
    # Nothing is kept.
    assert (Household.objects.count(), Member.objects.count()) == (households, members)
    assert not ImportBatch.objects.exists()


def test_rows_are_valid_and_unique(world):
    rows = Rows(1000, [("451024100201", "p/", "451024", "那温村")])
    ids = rows.cells["id_number"]
    assert len(set(ids)) == 1000
    for number, sex, birth in zip(ids[:50], rows.member_columns["sex"], rows.member_columns["birth_date"],
                                  strict=False):
        facts = parse_resident_id(number)
        assert (facts["sex"], facts["birth_date"]) == (sex, birth)
    assert sum(rows.household_columns["size"]) == 1000


def test_bench_import_needs_villages(db):
    with pytest.raises(CommandError, match="No villages"):
        call_command("bench", "import", "--rows", "10", "--in-process", stdout=io.StringIO())


def test_bench_import_without_django_import_export(world, monkeypatch):
    monkeypatch.setattr("bangfu.bench.imports.import_export_missing", lambda: True)
    out = io.StringIO()
    call_command("bench", "import", "--rows", "40", "--sample", "10", "--in-process", stdout=out)
    text = out.getvalue()
    assert "pip install -e '.[bench]'" in text
    assert "iexport" not in text and "  csv " in text
