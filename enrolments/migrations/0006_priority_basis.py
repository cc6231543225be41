from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enrolments", "0005_record_titles_per_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrolment",
            name="priority_basis",
            field=models.JSONField(blank=True, default=dict, verbose_name="priority basis (code and values)"),
        ),
        migrations.AddField(
            model_name="qualificationrecord",
            name="correction_basis",
            field=models.JSONField(blank=True, default=dict, verbose_name="correction basis (code and values)"),
        ),
    ]
