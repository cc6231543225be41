# ImportBatch moves to the core app (every kind of import records one). The table is renamed,
# not copied, so existing batches keep their ids; core.0001 takes the model into its state.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_civilservant_servant_name_idx"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="importbatch", table="core_importbatch"),
            ],
            state_operations=[
                migrations.DeleteModel(name="ImportBatch"),
            ],
        ),
    ]
