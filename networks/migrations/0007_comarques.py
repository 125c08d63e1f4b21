"""Comarques and provinces on every municipality, and Catalan alphabetical order.

The comarca is required, but existing databases already hold municipalities: the column is
added empty, filled from fixtures/comarques.json and fixtures/municipalities.json (built from
the ICGC's lists by ``build_municipality_fixture``), then made required. A fresh database has
no municipalities yet and gets both from ``manage.py seed``. The province is the first two
digits of the INE code.
"""

import json
from pathlib import Path

import django.core.validators
import django.db.models.deletion
import django.db.models.functions.comparison
import simple_history.models
from django.conf import settings
from django.db import migrations, models

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def fill_comarques(apps, schema_editor):
    Comarca = apps.get_model("networks", "Comarca")
    Municipality = apps.get_model("networks", "Municipality")
    existing = Municipality.objects.all()
    if not existing.exists():
        return
    comarques = {}
    for row in json.loads((FIXTURES / "comarques.json").read_text(encoding="utf-8")):
        fields = row["fields"]
        comarques[row["pk"]], _created = Comarca.objects.get_or_create(
            code=fields["code"],
            defaults={
                "pk": row["pk"],
                "name": fields["name_ca"],
                "slug": fields["slug_ca"],
                **{key: fields[key] for key in ("name_ca", "name_en", "slug_ca", "slug_en")},
            },
        )
    rows = json.loads((FIXTURES / "municipalities.json").read_text(encoding="utf-8"))
    comarca_of = {row["fields"]["ine_code"]: row["fields"]["comarca"] for row in rows}
    for municipality in existing:
        if municipality.ine_code not in comarca_of:
            raise RuntimeError(
                f"Municipality {municipality.ine_code} {municipality.name} is not in the ICGC "
                "list: give it a comarca by hand before migrating."
            )
        municipality.comarca = comarques[comarca_of[municipality.ine_code]]
        municipality.province = municipality.ine_code[:2]
        municipality.save(update_fields=["comarca", "province"])


class Migration(migrations.Migration):

    dependencies = [
        ('networks', '0006_organisation_list_order'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='funder',
            options={'ordering': [django.db.models.functions.comparison.Collate(models.F('name_ca'), 'ca-x-icu')], 'verbose_name': 'funder', 'verbose_name_plural': 'funders'},
        ),
        migrations.AlterModelOptions(
            name='municipality',
            options={'ordering': [django.db.models.functions.comparison.Collate(models.F('name'), 'ca-x-icu')], 'verbose_name': 'municipality', 'verbose_name_plural': 'municipalities'},
        ),
        migrations.AlterModelOptions(
            name='network',
            options={'ordering': [django.db.models.functions.comparison.Collate(models.F('name_ca'), 'ca-x-icu')], 'verbose_name': 'network', 'verbose_name_plural': 'networks'},
        ),
        migrations.AlterModelOptions(
            name='organisation',
            options={'ordering': [django.db.models.functions.comparison.Collate(models.F('name_ca'), 'ca-x-icu')], 'verbose_name': 'organisation', 'verbose_name_plural': 'organisations'},
        ),
        migrations.AlterModelOptions(
            name='theme',
            options={'ordering': [django.db.models.functions.comparison.Collate(models.F('name_ca'), 'ca-x-icu')], 'verbose_name': 'theme', 'verbose_name_plural': 'themes'},
        ),
        migrations.AddField(
            model_name='historicalmunicipality',
            name='province',
            field=models.CharField(choices=[('08', 'Barcelona'), ('17', 'Girona'), ('25', 'Lleida'), ('43', 'Tarragona')], db_index=True, default='', editable=False, max_length=2, verbose_name='province'),
        ),
        migrations.AddField(
            model_name='municipality',
            name='province',
            field=models.CharField(choices=[('08', 'Barcelona'), ('17', 'Girona'), ('25', 'Lleida'), ('43', 'Tarragona')], db_index=True, default='', editable=False, max_length=2, verbose_name='province'),
        ),
        migrations.CreateModel(
            name='Comarca',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(help_text='Two-digit code of the Institut Cartogràfic i Geològic de Catalunya.', max_length=2, unique=True, validators=[django.core.validators.RegexValidator('^\\d{2}$', 'A comarca code has exactly two digits.')], verbose_name='code')),
                ('name', models.CharField(max_length=80, verbose_name='name')),
                ('name_ca', models.CharField(max_length=80, null=True, verbose_name='name')),
                ('name_en', models.CharField(max_length=80, null=True, verbose_name='name')),
                ('slug', models.SlugField(max_length=90, verbose_name='slug')),
                ('slug_ca', models.SlugField(max_length=90, null=True, verbose_name='slug')),
                ('slug_en', models.SlugField(max_length=90, null=True, verbose_name='slug')),
            ],
            options={
                'verbose_name': 'comarca',
                'verbose_name_plural': 'comarques',
                'ordering': [django.db.models.functions.comparison.Collate(models.F('name_ca'), 'ca-x-icu')],
                'constraints': [models.UniqueConstraint(fields=('slug_ca',), name='comarca_unique_slug_ca'), models.UniqueConstraint(fields=('slug_en',), name='comarca_unique_slug_en')],
            },
        ),
        migrations.AddField(
            model_name='historicalmunicipality',
            name='comarca',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='networks.comarca', verbose_name='comarca'),
        ),
        migrations.AddField(
            model_name='municipality',
            name='comarca',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='municipalities', to='networks.comarca', verbose_name='comarca'),
        ),
        migrations.CreateModel(
            name='HistoricalComarca',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('code', models.CharField(db_index=True, help_text='Two-digit code of the Institut Cartogràfic i Geològic de Catalunya.', max_length=2, validators=[django.core.validators.RegexValidator('^\\d{2}$', 'A comarca code has exactly two digits.')], verbose_name='code')),
                ('name', models.CharField(max_length=80, verbose_name='name')),
                ('name_ca', models.CharField(max_length=80, null=True, verbose_name='name')),
                ('name_en', models.CharField(max_length=80, null=True, verbose_name='name')),
                ('slug', models.SlugField(max_length=90, verbose_name='slug')),
                ('slug_ca', models.SlugField(max_length=90, null=True, verbose_name='slug')),
                ('slug_en', models.SlugField(max_length=90, null=True, verbose_name='slug')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical comarca',
                'verbose_name_plural': 'historical comarques',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
            migrations.RunPython(fill_comarques, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name='municipality',
            name='comarca',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='municipalities', to='networks.comarca', verbose_name='comarca'),
        ),
        migrations.AlterField(
            model_name='municipality',
            name='province',
            field=models.CharField(choices=[('08', 'Barcelona'), ('17', 'Girona'), ('25', 'Lleida'), ('43', 'Tarragona')], db_index=True, editable=False, max_length=2, verbose_name='province'),
        ),
        migrations.AlterField(
            model_name='historicalmunicipality',
            name='province',
            field=models.CharField(choices=[('08', 'Barcelona'), ('17', 'Girona'), ('25', 'Lleida'), ('43', 'Tarragona')], db_index=True, editable=False, max_length=2, verbose_name='province'),
        ),
    ]
