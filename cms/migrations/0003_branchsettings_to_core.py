# BranchSettings moves to the core app: certificates and enrolments read the branch's name,
# signatory and serial prefix, and they may not import cms. The table is renamed, not copied.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_cache_table"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="branchsettings", table="core_branchsettings"),
            ],
            state_operations=[
                migrations.DeleteModel(name="BranchSettings"),
            ],
        ),
    ]
