"""Changes to registered models are recorded with who, when, before and after."""

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from tests.factories import ServantFactory


@pytest.mark.django_db
def test_an_edit_in_the_admin_is_recorded_with_its_author_and_diff(client, hr_officer_a, agency_a):
    servant = ServantFactory(agency=agency_a, email="old@example.kz")
    client.force_login(hr_officer_a)
    response = client.post(
        reverse("servants:edit", args=[servant.pk]),
        {
            "iin": servant.iin,
            "last_name": servant.last_name,
            "first_name": servant.first_name,
            "middle_name": servant.middle_name,
            "email": "new@example.kz",
            "preferred_language": "ru",
            "agency": agency_a.pk,
            "position": servant.position_id,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.get_for_object(servant).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == hr_officer_a
    assert entry.changes_dict["email"] == ["old@example.kz", "new@example.kz"]


@pytest.mark.django_db
def test_the_auditor_reads_the_trail_in_the_admin(client, auditor, agency_a):
    ServantFactory(agency=agency_a, last_name="Оспанов")
    client.force_login(auditor)
    response = client.get(reverse("audit_trail:index"))
    assert response.status_code == 200
    assert "Оспанов" in response.content.decode()
    entry = LogEntry.objects.first()
    assert client.get(reverse("audit_trail:inspect", args=[entry.pk])).status_code == 200
    assert client.get(f"/admin/audit_trail/edit/{entry.pk}/").status_code == 404
    assert client.get(f"/admin/audit_trail/delete/{entry.pk}/").status_code == 404


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE auditlog_logentry SET object_repr = 'Forged' WHERE id = %s",
        "UPDATE auditlog_logentry SET actor_id = NULL WHERE id = %s",
        "DELETE FROM auditlog_logentry WHERE id = %s",
    ],
)
@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's (make test runs it)"
)
@pytest.mark.django_db
def test_the_database_refuses_to_change_an_audit_entry(sql, agency_a):
    """Even the application's own connection, with raw SQL, cannot rewrite the trail."""
    servant = ServantFactory(agency=agency_a, last_name="Оспанов")
    entry = LogEntry.objects.get_for_object(servant).get()
    with (
        pytest.raises(DatabaseError, match="Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert entry.object_repr == str(servant)
    # The ORM is refused too; new entries are still written.
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()
    servant.email = "new@example.kz"
    servant.save()
    assert LogEntry.objects.get_for_object(servant).count() == 2


def reader_in(user, language):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("kk", ["Мемлекеттік қызметші", "Электрондық пошта", "өзгертілді", "Аудит журналы"]),
        ("ru", ["Государственный служащий", "Электронная почта", "изменено", "Журнал аудита"]),
    ],
)
@pytest.mark.django_db
def test_the_trail_reads_in_the_readers_language_and_local_time(
    client, hr_officer_a, auditor, agency_a, language, words
):
    """Field and model names, the action, the actor's name and the local time to the minute:
    no "Object pk", "Changes str", UTC or microseconds."""
    import zoneinfo

    from auditlog.context import set_actor
    from django.conf import settings

    hr_officer_a.first_name, hr_officer_a.last_name = "Айгүл", "Сейітова"
    hr_officer_a.save()
    servant = ServantFactory(agency=agency_a, email="old@example.kz")
    with set_actor(hr_officer_a):
        servant.email = "new@example.kz"
        servant.save()
    entry = LogEntry.objects.get_for_object(servant).get(action=LogEntry.Action.UPDATE)
    local = entry.timestamp.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
    client.force_login(reader_in(auditor, language))
    for url in (
        reverse("audit_trail:index"),
        reverse("audit_trail:inspect", args=[entry.pk]),
    ):
        page = client.get(url).content.decode()
        for word in words:
            assert word in page, (url, word)
        assert "old@example.kz → new@example.kz" in page
        assert "Айгүл Сейітова" in page
        assert local.strftime("%d.%m.%Y %H:%M") in page
        assert str(entry.timestamp.year) in page
        for raw in ("Object pk", "Changes str", "+00:00", f".{entry.timestamp:%f}", "UTC"):
            assert raw not in page, (url, raw)
