"""The database cache's table (production's shared cache for rate limits).

`manage.py createcachetable` as a migration, so that `migrate` is the only step a deployment
needs. It creates the table of every DatabaseCache in CACHES and skips existing ones; with
another cache backend (tests, the demo, Redis) it does nothing.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("cms", "0001_initial")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
