"""enrolments 0005: records of the one-language layout get their names per language — from
their programme, from a programme whose title they carry, or in the language their text is
written in; the academy as provider in every language of the branch's name."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.historical import root_page


def _every_app_at(enrolments: str) -> list[tuple[str, str]]:
    """Every app at its latest migration, enrolments at `enrolments` (the models of the
    other apps, core's branch settings and Wagtail's site, are in the state too), but for
    apps built on a later enrolments (nominations): those are unapplied."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    later = ("enrolments", "nominations")
    return [(app, name) for app, name in leaves if app not in later] + [
        ("nominations", None),
        ("enrolments", enrolments),
    ]


BEFORE = "0004_import_permission"
AFTER = "0005_record_titles_per_language"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_old_records_get_their_names_per_language():
    old = _migrate(_every_app_at(BEFORE))
    try:
        made = _old_records(old)
        new = _migrate(_every_app_at(AFTER))
        Record = new.get_model("enrolments", "QualificationRecord")

        def names(key):
            record = Record.objects.get(pk=made[key])
            return (
                (record.title_kk, record.title_ru, record.title_en),
                (record.provider_kk, record.provider_ru, record.provider_en),
            )

        programme_titles = ("Сыбайлас жемқорлыққа қарсы іс-қимыл", "Противодействие коррупции", "")
        branch = ("Академия филиалы", "Филиал Академии", "Academy branch")
        # linked to the programme: every language of it; the branch's name in every language
        assert names("linked") == (programme_titles, branch)
        # through its enrolment's session
        assert names("enrolled")[0] == programme_titles
        # not linked, but carrying a programme's title (in Kazakh)
        assert names("same_title")[0] == programme_titles
        # external courses: the language the text is written in
        assert names("kazakh") == (
            ("Мемлекеттік аудит негіздері", "", ""),
            ("Ұлттық басқару мектебі", "", ""),
        )
        assert names("russian") == (("", "Основы аудита", ""), ("", "НАО «Талап»", ""))
        assert names("english") == (("", "", "Project management"), ("", "", "PMI"))

        # and back: one text per record, Russian first
        back = _migrate(_every_app_at(BEFORE))
        Back = back.get_model("enrolments", "QualificationRecord")
        assert Back.objects.get(pk=made["linked"]).title == "Противодействие коррупции"
        assert Back.objects.get(pk=made["kazakh"]).title == "Мемлекеттік аудит негіздері"
        assert Back.objects.get(pk=made["english"]).provider == "PMI"
    finally:
        # Whatever happens, leave the database at the latest migrations for the next tests.
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _old_records(old) -> dict[str, int]:
    Agency = old.get_model("people", "Agency")
    Servant = old.get_model("people", "CivilServant")
    Programme = old.get_model("courses", "Programme")
    Session = old.get_model("courses", "Session")
    Enrolment = old.get_model("enrolments", "Enrolment")
    Record = old.get_model("enrolments", "QualificationRecord")
    Branch = old.get_model("core", "BranchSettings")
    Site = old.get_model("wagtailcore", "Site")

    root = root_page(old)
    site, _ = Site.objects.get_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page_id": root.pk}
    )
    Branch.objects.update_or_create(
        site_id=site.pk,
        defaults={
            "name_kk": "Академия филиалы",
            "name_ru": "Филиал Академии",
            "name_en": "Academy branch",
        },
    )
    agency = Agency.objects.create(code="akimat-m", bin="940140000385", name_ru="Акимат")
    servant = Servant.objects.create(
        iin="791028302728", last_name="Ахметов", first_name="Ерлан", agency=agency
    )
    programme = Programme.objects.create(
        code="PRG-500",
        title_kk="Сыбайлас жемқорлыққа қарсы іс-қимыл",
        title_ru="Противодействие коррупции",
        kind="upgrade",
        academic_hours=36,
        format="in_person",
    )
    day = datetime.date(2025, 5, 1)
    session = Session.objects.create(
        programme=programme, starts_on=day, ends_on=day, language="kk", capacity=10
    )
    enrolment = Enrolment.objects.create(
        servant=servant, session=session, status="completed", requested_at=timezone.now()
    )

    def make(uid, title, provider, **links):
        return Record.objects.create(
            uid=uid,
            servant=servant,
            title=title,
            provider=provider,
            kind="upgrade",
            hours=36,
            completed_on=day,
            valid_until=day + datetime.timedelta(days=1095),
            source="import",
            **links,
        ).pk

    return {
        "linked": make("m1", "Противодействие коррупции", "Филиал Академии", programme=programme),
        "enrolled": make("m2", "Курс", "Филиал Академии", enrolment=enrolment),
        "same_title": make("m3", "Сыбайлас жемқорлыққа қарсы іс-қимыл", "Академия филиалы"),
        "kazakh": make("m4", "Мемлекеттік аудит негіздері", "Ұлттық басқару мектебі"),
        "russian": make("m5", "Основы аудита", "НАО «Талап»"),
        "english": make("m6", "Project management", "PMI"),
    }
