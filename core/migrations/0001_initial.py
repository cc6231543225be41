# Takes ImportBatch (from people) and BranchSettings (from cms) into core's state; their tables
# were renamed by people.0004 and cms.0003. Content types follow, so permissions given to
# groups and audit entries that point at these rows stay attached.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = (("people", "importbatch"), ("cms", "branchsettings"))


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for old_app, model in MOVED:
        if not ContentType.objects.using(db).filter(app_label="core", model=model).exists():
            ContentType.objects.using(db).filter(app_label=old_app, model=model).update(
                app_label="core"
            )


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for old_app, model in MOVED:
        ContentType.objects.using(db).filter(app_label="core", model=model).update(
            app_label=old_app
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("people", "0004_importbatch_to_core"),
        ("cms", "0003_branchsettings_to_core"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportBatch",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=32, verbose_name="kind")),
                        ("agency_code", models.CharField(blank=True, max_length=32, verbose_name="state body")),
                        ("rows", models.PositiveIntegerField(verbose_name="rows")),
                        ("new", models.PositiveIntegerField(verbose_name="new")),
                        ("updated", models.PositiveIntegerField(verbose_name="updated")),
                        ("unchanged", models.PositiveIntegerField(verbose_name="unchanged")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="imported at")),
                        ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="imported by")),
                    ],
                    options={
                        "verbose_name": "import",
                        "verbose_name_plural": "imports",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="BranchSettings",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name_kk", models.CharField(blank=True, max_length=255, verbose_name="branch name (Kazakh)")),
                        ("name_ru", models.CharField(blank=True, max_length=255, verbose_name="branch name (Russian)")),
                        ("name_en", models.CharField(blank=True, max_length=255, verbose_name="branch name (English)")),
                        ("address_kk", models.CharField(blank=True, max_length=255, verbose_name="address (Kazakh)")),
                        ("address_ru", models.CharField(blank=True, max_length=255, verbose_name="address (Russian)")),
                        ("address_en", models.CharField(blank=True, max_length=255, verbose_name="address (English)")),
                        ("phone", models.CharField(blank=True, max_length=64, verbose_name="phone")),
                        ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail")),
                        ("signatory_name", models.CharField(blank=True, max_length=255, verbose_name="signatory")),
                        ("signatory_title_kk", models.CharField(blank=True, max_length=255, verbose_name="signatory's title (Kazakh)")),
                        ("signatory_title_ru", models.CharField(blank=True, max_length=255, verbose_name="signatory's title (Russian)")),
                        ("serial_prefix", models.CharField(blank=True, default="ZKO", max_length=16, verbose_name="certificate serial prefix")),
                        ("logo", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="wagtailimages.image", verbose_name="logo")),
                        ("site", models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, to="wagtailcore.site")),
                    ],
                    options={"verbose_name": "branch settings"},
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
