"""Qualification records keep their title and provider per language (title_kk/ru/en,
provider_kk/ru/en) instead of one text, so a Kazakh transcript shows Kazakh names.

Each record's names are filled:
- title: from its programme (the one it links to, or its enrolment's session's), or from the
  programme whose title in some language equals the record's; otherwise the text goes into the
  language it is written in (core.i18n.language_of);
- provider: the branch's names in every language when it is the branch (its settings, or the
  default academy name in any language); otherwise the language it is written in.
Going back keeps one text per record: its Russian name, else Kazakh, else English.
"""

from django.db import migrations, models
from django.utils import translation

from core.i18n import language_of

LANGUAGES = ("kk", "ru", "en")
ACADEMY = "Academy of Public Administration, West Kazakhstan branch"


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _academy_names() -> dict[str, str]:
    names = {}
    for code in LANGUAGES:
        with translation.override(code):
            names[code] = translation.gettext(ACADEMY)
    return names


def fill_names(apps, schema_editor):
    db = schema_editor.connection.alias
    Record = apps.get_model("enrolments", "QualificationRecord")
    Programme = apps.get_model("courses", "Programme")
    Session = apps.get_model("courses", "Session")
    Enrolment = apps.get_model("enrolments", "Enrolment")
    Branch = apps.get_model("core", "BranchSettings")

    programmes = {p.pk: p for p in Programme.objects.using(db).all()}
    by_title = {}
    for programme in programmes.values():
        for code in LANGUAGES:
            title = getattr(programme, f"title_{code}")
            if title:
                by_title.setdefault(_key(title), programme)
    session_programme = dict(Session.objects.using(db).values_list("pk", "programme_id"))
    enrolment_session = dict(Enrolment.objects.using(db).values_list("pk", "session_id"))

    providers = {}  # a provider's text → its names in every language
    known = [_academy_names()]
    known += [
        {code: getattr(branch, f"name_{code}") for code in LANGUAGES}
        for branch in Branch.objects.using(db).all()
    ]
    for names in known:
        for text in names.values():
            if text:
                providers.setdefault(_key(text), names)

    fields = [f"{name}_{code}" for name in ("title", "provider") for code in LANGUAGES]
    batch = []
    for record in Record.objects.using(db).order_by("pk").iterator(chunk_size=2000):
        programme = programmes.get(record.programme_id)
        if programme is None and record.enrolment_id:
            session_id = enrolment_session.get(record.enrolment_id)
            programme = programmes.get(session_programme.get(session_id))
        if programme is None:
            programme = by_title.get(_key(record.title))
        if programme is not None:
            for code in LANGUAGES:
                setattr(record, f"title_{code}", getattr(programme, f"title_{code}"))
        if not any(getattr(record, f"title_{code}") for code in LANGUAGES):
            setattr(record, f"title_{language_of(record.title)}", record.title)
        names = providers.get(_key(record.provider))
        if names is not None and any(names.values()):
            for code in LANGUAGES:
                setattr(record, f"provider_{code}", names[code])
        else:
            setattr(record, f"provider_{language_of(record.provider)}", record.provider)
        batch.append(record)
        if len(batch) >= 2000:
            Record.objects.using(db).bulk_update(batch, fields)
            batch = []
    if batch:
        Record.objects.using(db).bulk_update(batch, fields)


def keep_one_name(apps, schema_editor):
    db = schema_editor.connection.alias
    Record = apps.get_model("enrolments", "QualificationRecord")
    batch = []
    for record in Record.objects.using(db).order_by("pk").iterator(chunk_size=2000):
        record.title = (record.title_ru or record.title_kk or record.title_en)[:500]
        record.provider = (record.provider_ru or record.provider_kk or record.provider_en)[:255]
        batch.append(record)
        if len(batch) >= 2000:
            Record.objects.using(db).bulk_update(batch, ["title", "provider"])
            batch = []
    if batch:
        Record.objects.using(db).bulk_update(batch, ["title", "provider"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_audit_entries_append_only"),
        ("courses", "0001_initial"),
        ("enrolments", "0004_import_permission"),
    ]

    operations = [
        migrations.AddField(
            model_name="qualificationrecord",
            name="title_kk",
            field=models.CharField(
                blank=True,
                help_text="The programme's title, or an external course.",
                max_length=500,
                verbose_name="title (Kazakh)",
            ),
        ),
        migrations.AddField(
            model_name="qualificationrecord",
            name="title_ru",
            field=models.CharField(blank=True, max_length=500, verbose_name="title (Russian)"),
        ),
        migrations.AddField(
            model_name="qualificationrecord",
            name="title_en",
            field=models.CharField(blank=True, max_length=500, verbose_name="title (English)"),
        ),
        migrations.AddField(
            model_name="qualificationrecord",
            name="provider_kk",
            field=models.CharField(blank=True, max_length=255, verbose_name="provider (Kazakh)"),
        ),
        migrations.AddField(
            model_name="qualificationrecord",
            name="provider_ru",
            field=models.CharField(blank=True, max_length=255, verbose_name="provider (Russian)"),
        ),
        migrations.AddField(
            model_name="qualificationrecord",
            name="provider_en",
            field=models.CharField(blank=True, max_length=255, verbose_name="provider (English)"),
        ),
        migrations.RunPython(fill_names, keep_one_name, elidable=False),
        # Blank first, so that going back adds the old columns with "" before they are filled.
        migrations.AlterField(
            model_name="qualificationrecord",
            name="title",
            field=models.CharField(blank=True, max_length=500, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="qualificationrecord",
            name="provider",
            field=models.CharField(blank=True, max_length=255, verbose_name="provider"),
        ),
        migrations.RemoveField(model_name="qualificationrecord", name="title"),
        migrations.RemoveField(model_name="qualificationrecord", name="provider"),
    ]
