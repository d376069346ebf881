"""People sent and trained take the shared region-and-organisation scoped base: a county code, filled from their
region (empty for a prefecture or above), and an organisation path that may be blank as on every such row."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def fill_county_codes(apps, schema_editor):
    region = apps.get_model("regions", "Region")
    for name, place in (("PersonSent", "to_region"), ("PersonTrained", "from_region")):
        county = region.objects.filter(pk=OuterRef(place)).values("county_code")[:1]
        apps.get_model("talent", name).objects.update(county_code=Coalesce(Subquery(county), Value("")))


class Migration(migrations.Migration):

    dependencies = [
        ('talent', '0001_initial'),
        ('regions', '0004_organisation_import_batch'),
    ]

    operations = [
        migrations.AddField(
            model_name='personsent',
            name='county_code',
            field=models.CharField(db_index=True, default='', editable=False, max_length=6, verbose_name='county code'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='persontrained',
            name='county_code',
            field=models.CharField(db_index=True, default='', editable=False, max_length=6, verbose_name='county code'),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='personsent',
            name='org_path',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=200),
        ),
        migrations.AlterField(
            model_name='persontrained',
            name='org_path',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=200),
        ),
        migrations.RunPython(fill_county_codes, migrations.RunPython.noop),
    ]
