"""Write-side audit: each change the issue found untraced, made the way a user makes it, leaves
an audit entry (who, before → after) that an auditor finds in the audit trail."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from core.models import BranchSettings, ImportBatch
from people.models import HROfficer, PerformanceRating
from promotions.models import EligibilityCheck
from tests.factories import RatingFactory, ServantFactory

from .promotions.test_appointments import DAY, appointment_post, eligible


@pytest.fixture
def rule_set(db):
    from promotions.models import RuleSet

    return RuleSet.objects.create(version="2024-1", effective_from=datetime.date(2024, 1, 1))


def entries_for(model, since=0):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), pk__gt=since
    )


def last_entry() -> int:
    return LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def in_the_trail(client, auditor, entry):
    """The auditor's audit trail lists the entry and opens it."""
    client.force_login(auditor)
    listing = client.get(reverse("audit_trail:index"), {"content_type": entry.content_type_id})
    assert listing.status_code == 200
    assert reverse("audit_trail:inspect", args=[entry.pk]) in listing.content.decode()
    return client.get(reverse("audit_trail:inspect", args=[entry.pk])).content.decode()


def ratings_file(rows):
    lines = ["iin,year,quarter,rating", *(",".join(map(str, row)) for row in rows)]
    return SimpleUploadedFile("ratings.csv", "\n".join(lines).encode(), "text/csv")


@pytest.mark.django_db
def test_a_ratings_import_leaves_one_entry_per_changed_rating(client, superuser, auditor, agency_a):
    changed = ServantFactory(agency=agency_a, last_name="Оспанов", first_name="Ерлан")
    same = ServantFactory(agency=agency_a)
    fresh = ServantFactory(agency=agency_a)
    rating = RatingFactory(servant=changed, year=2026, quarter=2, rating="proper")
    RatingFactory(servant=same, year=2026, quarter=2, rating="effective")
    since = last_entry()
    client.force_login(superuser)
    upload = ratings_file(
        [
            (changed.iin, 2026, 2, "effective"),
            (same.iin, 2026, 2, "effective"),
            (fresh.iin, 2026, 2, "satisfactory"),
        ]
    )
    preview = client.post(reverse("cms_import"), {"resource": "ratings", "import_file": upload})
    assert not entries_for(PerformanceRating, since).exists()  # the check writes nothing
    token = preview.context["token"]
    client.post(reverse("cms_import"), {"confirm": "1", "import_file_name": token}, follow=True)
    batch = ImportBatch.objects.get(kind="ratings")
    assert (batch.new, batch.updated, batch.unchanged) == (1, 1, 1)
    entries = entries_for(PerformanceRating, since)
    assert entries.count() == 2  # the unchanged rating leaves none
    update = entries.get(object_pk=str(rating.pk))
    assert update.action == LogEntry.Action.UPDATE
    assert update.changes_dict == {"rating": ["proper", "effective"]}
    assert update.actor == superuser
    assert update.additional_data == {"via": "import", "import_batch": batch.pk}
    assert "Оспанов Ерлан" in update.object_repr
    created = entries.get(action=LogEntry.Action.CREATE)
    new = PerformanceRating.objects.get(servant=fresh)
    assert created.object_pk == str(new.pk)
    assert created.changes_dict["rating"] == ["None", "satisfactory"]
    in_the_trail(client, auditor, update)


@pytest.mark.django_db
def test_a_rating_posted_to_the_api_leaves_an_entry_saying_so(client, hr_officer_a, agency_a):
    servant = ServantFactory(agency=agency_a)
    rating = RatingFactory(servant=servant, year=2026, quarter=3, rating="effective")
    since = last_entry()
    client.force_login(hr_officer_a)
    response = client.post(
        "/api/v1/ratings/",
        [{"iin": servant.iin, "year": 2026, "quarter": 3, "rating": "unsatisfactory"}],
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    entry = entries_for(PerformanceRating, since).get()
    assert entry.object_pk == str(rating.pk)
    assert entry.changes_dict == {"rating": ["effective", "unsatisfactory"]}
    assert entry.actor == hr_officer_a
    batch = ImportBatch.objects.get()
    assert entry.additional_data == {"via": "api", "import_batch": batch.pk}


@pytest.mark.django_db
def test_granting_an_hr_officer_another_agency_is_audited(
    client, superuser, auditor, hr_officer_a, agency_a, agency_b
):
    officer = HROfficer.objects.get(user=hr_officer_a)
    client.force_login(superuser)
    response = client.post(
        reverse("hr_officers:edit", args=[officer.pk]),
        {"user": hr_officer_a.pk, "agencies": [agency_a.pk, agency_b.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = entries_for(HROfficer).filter(object_pk=str(officer.pk)).latest("timestamp")
    assert entry.actor == superuser
    change = entry.changes_dict["agencies"]
    assert change["operation"] == "add"
    assert change["objects"] == [str(agency_b)]
    in_the_trail(client, auditor, entry)


@pytest.mark.django_db
def test_branch_settings_signatory_and_logo_changes_are_audited(client, superuser, auditor):
    from wagtail.images.models import Image

    site = Site.objects.get(is_default_site=True)
    settings = BranchSettings.for_site(site)
    settings.signatory_name = "Old Signatory"
    settings.save()
    logo = Image.objects.create(title="Logo", file=get_test_image_file())
    client.force_login(superuser)
    data = {
        field.name: getattr(settings, field.attname) or ""
        for field in BranchSettings._meta.concrete_fields
        if field.name not in ("id", "site")
    }
    data.update(signatory_name="Ахметов Ерлан", logo=logo.pk)
    response = client.post(
        reverse("wagtailsettings:edit", args=["core", "branchsettings", site.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = entries_for(BranchSettings).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == superuser
    assert entry.changes_dict["signatory_name"] == ["Old Signatory", "Ахметов Ерлан"]
    assert entry.changes_dict["logo"] == ["None", str(logo.pk)]
    in_the_trail(client, auditor, entry)


@pytest.mark.django_db
def test_an_eligibility_check_and_a_merit_appointment_are_audited(
    client, rule_set, hr_officer_a, auditor, agency_a
):
    from promotions.models import MeritAppointment

    servant = eligible(agency_a)
    client.force_login(hr_officer_a)
    client.post(
        reverse("promotions_check"),
        {"servant": servant.pk, "target_category": "C-O-3", "as_of": DAY.isoformat()},
    )
    check = EligibilityCheck.objects.get()
    entry = LogEntry.objects.get_for_object(check).get()
    assert entry.actor == hr_officer_a
    assert entry.changes_dict["eligible"] == ["None", "True"]
    assert "result" not in entry.changes_dict  # the frozen result stays on the check itself
    in_the_trail(client, auditor, entry)

    client.force_login(hr_officer_a)
    appointment_post(client, servant)
    appointment = MeritAppointment.objects.get()
    entry = LogEntry.objects.get_for_object(appointment).get()
    assert entry.actor == hr_officer_a
    assert entry.changes_dict["position_title"] == ["None", "Head of the HR unit"]
    in_the_trail(client, auditor, entry)
