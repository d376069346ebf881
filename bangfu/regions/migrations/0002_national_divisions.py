"""Every database starts with the national division table (provinces, prefectures, counties)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from bangfu.regions.services import load_national_divisions

    load_national_divisions(apps.get_model("regions", "Region"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
