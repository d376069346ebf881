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

    # The same two changes on both models of the app.
    operations = [
        *(migrations.AddField(model_name=model, name="county_code", preserve_default=False, field=models.CharField(
            db_index=True, default="", editable=False, max_length=6, verbose_name="county code"))
          for model in ("personsent", "persontrained")),
        *(migrations.AlterField(model_name=model, name="org_path", field=models.CharField(
            blank=True, db_index=True, editable=False, max_length=200))
          for model in ("personsent", "persontrained")),
        migrations.RunPython(fill_county_codes, migrations.RunPython.noop),
    ]
