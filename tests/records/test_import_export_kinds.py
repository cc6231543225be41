"""Import and export of a kind need the permissions on that kind's model (issue 12, finding 1):
the academy manager, who has no permission on ratings, servants' changes or competitions, can
no longer write or read them through the Import and Export screens, the API or the importers
themselves. Menus, screens and the API ask the same policies (people.authorization)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cms.records import export_spec
from core.exporting import csv_chunks
from people.models import CivilServant
from tests.api.test_api import client_for
from tests.conftest import admin_in_english
from tests.factories import RatingFactory, ServantFactory
from tests.records.helpers import (
    COMPETITION_EN,
    RATING_EN,
    SERVANT_EN,
    csv_bytes,
    db_state,
    iins,
    run_import,
    servant,
)

pytestmark = pytest.mark.django_db

IMPORT_KINDS = ["servants", "ratings", "completions", "competitions"]
EXPORT_KINDS = ["servants", "ratings", "records", "enrolments", "competitions", "completions"]


@pytest.fixture
def manager(academy_manager):
    return academy_manager


@pytest.fixture
def other_agencys_servant(agency_b):
    return ServantFactory(
        iin=iins(401, 1)[0], agency=agency_b, last_name="Жұмабаева", first_name="Айгүл"
    )


def upload(client, kind, data, filename="file.csv"):
    return client.post(
        reverse("cms_import"), {"resource": kind, "import_file": SimpleUploadedFile(filename, data)}
    )


def confirm(client, response):
    token = (response.context or {}).get("token") if response.status_code == 200 else None
    if token:
        client.post(reverse("cms_import"), {"confirm": "1", "import_file_name": token})


# -- finding 1: the academy manager ----------------------------------------------------------


def test_manager_cannot_import_ratings_of_another_agencys_servant(
    client, manager, other_agencys_servant
):
    admin_in_english(manager)
    client.force_login(manager)
    before = db_state()
    data = csv_bytes([RATING_EN, [other_agencys_servant.iin, "2026", "1", "effective"]])
    response = upload(client, "ratings", data)
    confirm(client, response)
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        body = response.content.decode()
        assert "Check passed" not in body
        assert "ratings is not one of the available choices" in body
    assert db_state() == before
    with pytest.raises(PermissionDenied):
        run_import("ratings", data, "ratings.csv", user=manager)
    assert db_state() == before


def test_manager_cannot_rename_or_move_a_servant_by_import(
    client, manager, agency_a, other_agencys_servant
):
    admin_in_english(manager)
    client.force_login(manager)
    before = db_state()
    data = csv_bytes(
        [SERVANT_EN, servant(other_agencys_servant.iin, last="Переименован", agency="akimat-a")]
    )
    response = upload(client, "servants", data)
    assert "updated" not in response.content.decode()
    confirm(client, response)
    with pytest.raises(PermissionDenied):
        run_import("servants", data, "servants.csv", user=manager, dry_run=True)
    assert db_state() == before
    person = CivilServant.objects.get(pk=other_agencys_servant.pk)
    assert (person.last_name, person.agency_id) == ("Жұмабаева", other_agencys_servant.agency_id)


@pytest.mark.parametrize("kind", ["ratings", "competitions"])
def test_manager_cannot_export_ratings_or_competitions(
    client, manager, other_agencys_servant, kind
):
    RatingFactory(servant=other_agencys_servant)
    client.force_login(manager)
    response = client.get(reverse("cms_export"), {"kind": kind, "format": "csv"})
    assert not response.streaming
    assert "attachment" not in response.get("Content-Disposition", "")
    assert other_agencys_servant.iin not in response.content.decode()
    with pytest.raises(PermissionDenied):
        export_spec(kind, user=manager)


def test_the_screens_offer_only_the_kinds_a_role_may_use(
    client, manager, hr_officer_a, auditor, superuser
):
    def offered(user, name):
        client.force_login(user)
        response = client.get(reverse(name))
        if response.status_code != 200:
            return None
        field = "resource" if name == "cms_import" else "kind"
        return [value for value, _label in response.context["form"].fields[field].choices]

    assert offered(manager, "cms_import") == ["completions"]
    assert offered(manager, "cms_export") == ["servants", "records", "enrolments", "completions"]
    assert offered(hr_officer_a, "cms_import") == IMPORT_KINDS
    assert offered(hr_officer_a, "cms_export") == EXPORT_KINDS
    assert offered(auditor, "cms_import") is None  # 403: nothing to import
    assert offered(auditor, "cms_export") == EXPORT_KINDS
    assert offered(superuser, "cms_import") == IMPORT_KINDS


def test_menu_items_follow_the_same_policy(client, manager, auditor, servant_of_a):
    def menu(user):
        client.force_login(user)
        body = client.get(reverse("wagtailadmin_home")).content.decode()
        return (reverse("cms_import") in body, reverse("cms_export") in body)

    assert menu(manager) == (True, True)
    assert menu(auditor) == (False, True)


def test_manager_may_still_export_what_the_role_may_view(client, manager, servant_of_a):
    client.force_login(manager)
    response = client.get(reverse("cms_export"), {"kind": "servants", "format": "csv"})
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert servant_of_a.iin in body
    assert len(list(csv_chunks(*export_spec("records", user=manager)))) >= 1


def test_api_writes_and_reads_follow_the_import_and_export_policies(
    manager, auditor, hr_officer_a, servant_of_a
):
    rows = [{"iin": servant_of_a.iin, "year": 2026, "quarter": 1, "rating": "effective"}]
    before = db_state()
    assert client_for(manager).post("/api/v1/ratings/", rows, format="json").status_code == 403
    assert client_for(auditor).post("/api/v1/ratings/", rows, format="json").status_code == 403
    assert db_state() == before
    assert client_for(hr_officer_a).post("/api/v1/ratings/", rows, format="json").status_code == 200
    for path in ("servants", "records", "enrolments", "certificates"):
        assert client_for(auditor).get(f"/api/v1/{path}/").status_code == 200, path
        assert client_for(manager).get(f"/api/v1/{path}/").status_code == 200, path


def test_competitions_import_needs_the_import_permission(hr_officer_a, manager, agency_a):
    data = csv_bytes(
        [COMPETITION_EN, ["akimat-a", "Эксперт", "E-G-3", "2026-05-20", "general", "failed", ""]]
    )
    assert run_import("competitions", data, "c.csv", user=hr_officer_a).ok
    with pytest.raises(PermissionDenied):
        run_import("competitions", data, "c.csv", user=manager)
