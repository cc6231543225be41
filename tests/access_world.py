"""The data the access matrix (tests/test_access_matrix.py) probes: two state bodies, a
civil servant with a login in each, their ratings, enrolments, qualification records and
certificates, a competition per body, the rule tables, and a few of Wagtail's own objects
(an image, a document, a redirect, a form of each back-office section) so that every URL
with a parameter gets a real object id.

Built once per test module, through the project's factories and services (results and
certificates through their services, so the audit trail has entries too). `World.ids`
maps the names the matrix uses in its URLs ("servant_a", "cert_b"…) to values; `World.secrets`
lists, per party, the strings no denied response may contain (names, IINs, e-mails, serials).
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from core import authorization as roles
from tests.factories import (
    AgencyFactory,
    ProgrammeFactory,
    RatingFactory,
    ServantFactory,
    SessionFactory,
    UserFactory,
    hr_officer_for,
)

# The eight identities, in the matrix's column order.
IDENTITIES = ("anon", "servant", "servant2", "manager", "hr_a", "hr_b", "auditor", "super")


@dataclass
class World:
    users: dict = field(default_factory=dict)  # identity -> User (None for anon)
    ids: dict = field(default_factory=dict)  # name -> value used in URL templates
    secrets: dict = field(default_factory=dict)  # party ("a", "b") -> strings that identify it
    personal: dict = field(default_factory=dict)  # the same without the state body's name
    cookies: dict = field(default_factory=dict)  # identity -> session cookie (set by the test)


def _image():
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    return Image.objects.create(title="matrix picture", file=get_test_image_file())


def _document():
    from wagtail.documents.models import Document

    document = Document(title="matrix document")
    document.file.save("matrix.txt", ContentFile(b"a document"), save=False)
    document.save()
    return document


def build_world(today: datetime.date) -> World:
    from auditlog.models import LogEntry
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.models import Collection, Locale, Site, Task, Workflow

    from certificates.services import certificate_issue
    from enrolments.models import (
        CalendarFeed,
        Enrolment,
        TrainingRequirement,
        TrainingRequirementCategory,
    )
    from enrolments.results import enrolment_record_result
    from people.models import HROfficer
    from promotions.models import Competition, QualificationRequirement, RuleSet
    from tests.conftest import admin_in_english

    world = World()
    agency_a = AgencyFactory(code="matrix-a", name_ru="Акимат Альфа", name_kk="Альфа әкімдігі")
    agency_b = AgencyFactory(code="matrix-b", name_ru="Акимат Бета", name_kk="Бета әкімдігі")

    def servant(agency, username, last, first, email):
        user = UserFactory(username=username, role=roles.CIVIL_SERVANTS)
        return ServantFactory(
            agency=agency,
            user=user,
            last_name=last,
            first_name=first,
            middle_name="Матрицаұлы",
            email=email,
        )

    servant_a = servant(agency_a, "matrix-servant-a", "Алдабергенов", "Жанболат", "ja@mx.kz")
    servant_b = servant(agency_b, "matrix-servant-b", "Бейсенбаева", "Меруерт", "mb@mx.kz")
    # Nobody's login: a second person of body B, so HR A's denied cells have someone to leak.
    servant_b2 = ServantFactory(agency=agency_b, last_name="Төлеутаев", first_name="Нұрсұлтан")

    manager = admin_in_english(UserFactory(username="matrix-manager", role=roles.ACADEMY_MANAGERS))
    auditor = admin_in_english(UserFactory(username="matrix-auditor", role=roles.AUDITORS))
    superuser = admin_in_english(
        UserFactory(username="matrix-root", is_superuser=True, is_staff=True)
    )
    hr_a = admin_in_english(hr_officer_for(agency_a, username="matrix-hr-a"))
    hr_b = admin_in_english(hr_officer_for(agency_b, username="matrix-hr-b"))
    world.users = {
        "anon": None,
        "servant": servant_a.user,
        "servant2": servant_b.user,
        "manager": manager,
        "hr_a": hr_a,
        "hr_b": hr_b,
        "auditor": auditor,
        "super": superuser,
    }

    rating_a = RatingFactory(servant=servant_a, year=2025, quarter=4)
    rating_b = RatingFactory(servant=servant_b, year=2025, quarter=4)

    programme = ProgrammeFactory(code="MATRIX-1", academic_hours=40, validity_years=3)
    revision = programme.save_revision(user=manager)
    past = SessionFactory(
        programme=programme,
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today - datetime.timedelta(days=6),
    )
    upcoming = SessionFactory(
        programme=programme,
        starts_on=today + datetime.timedelta(days=20),
        ends_on=today + datetime.timedelta(days=24),
        enrolment_opens_on=today - datetime.timedelta(days=5),
        enrolment_closes_on=today + datetime.timedelta(days=10),
        capacity=10,
    )

    def completed(person):
        enrolment = Enrolment.objects.create(
            servant=person, session=past, status="enrolled", requested_at=timezone.now()
        )
        enrolment_record_result(enrolment=enrolment, attended_hours=40, passed=True, actor=manager)
        record = enrolment.qualification_records.get()
        return enrolment, record, certificate_issue(record=record, actor=manager)

    done_a, record_a, cert_a = completed(servant_a)
    done_b, record_b, cert_b = completed(servant_b)
    open_a = Enrolment.objects.create(
        servant=servant_a, session=upcoming, status="pending_approval", requested_at=timezone.now()
    )
    open_b = Enrolment.objects.create(
        servant=servant_b, session=upcoming, status="pending_approval", requested_at=timezone.now()
    )
    # Nothing refers to these two: a permitted delete of them succeeds.
    spare_programme = ProgrammeFactory(code="MATRIX-SPARE")
    spare_session = SessionFactory(programme=programme)
    feed_a = CalendarFeed.objects.create(servant=servant_a)
    feed_b = CalendarFeed.objects.create(servant=servant_b)

    competition_a = Competition.objects.create(
        agency=agency_a,
        position_title="Бас маман (Альфа)",
        category="C-O-5",
        held_on=today - datetime.timedelta(days=40),
        kind="internal",
        outcome="promoted",
        winner=servant_a,
    )
    competition_b = Competition.objects.create(
        agency=agency_b,
        position_title="Бас маман (Бета)",
        category="C-O-5",
        held_on=today - datetime.timedelta(days=40),
        kind="internal",
        outcome="promoted",
        winner=servant_b,
    )
    rule_set = RuleSet.objects.create(version="matrix-1", effective_from=datetime.date(2024, 1, 1))
    requirement = QualificationRequirement.objects.create(
        rule_set=rule_set, category_pattern="C-O-*"
    )
    training = TrainingRequirement.objects.create(effective_from=datetime.date(2024, 1, 1))
    training_category = TrainingRequirementCategory.objects.create(
        requirement=training, category_pattern="C-O-*", min_hours=20
    )

    image = _image()
    document = _document()
    redirect = Redirect.objects.create(old_path="/matrix-old", redirect_link="/kk/programmes/")
    home = Site.objects.get(is_default_site=True).root_page
    group = Group.objects.get(name=roles.HR_OFFICERS)
    workflow = Workflow.objects.first() or Workflow.objects.create(name="matrix workflow")
    task = Task.objects.first() or Task.objects.create(name="matrix task")
    log_a = LogEntry.objects.get_for_object(servant_a).first() or LogEntry.objects.first()
    from people.access_log import access_record
    from people.models import AccessKind

    read_a = access_record(actor=hr_a, what=AccessKind.SERVANT_VIEW, servant=servant_a)

    from notifications.models import Notification
    from plans.models import PlanLine, PlanningYear, TrainingPlan

    plan_year = PlanningYear.objects.create(
        year=today.year + 1, submission_deadline=today + datetime.timedelta(days=30)
    )
    for agency, person in ((agency_a, servant_a), (agency_b, servant_b)):
        plan = TrainingPlan.objects.create(agency=agency, year=plan_year, status="submitted")
        line = PlanLine.objects.create(plan=plan, programme=programme, quarter=2, people_count=3)
        line.servants.add(person)

    world.ids = {
        "plan_year": plan_year.year,
        "agency_a": agency_a.pk,
        "agency_b": agency_b.pk,
        "position_a": servant_a.position_id,
        "position_b": servant_b.position_id,
        "servant_a": servant_a.pk,
        "servant_b": servant_b.pk,
        "servant_b2": servant_b2.pk,
        "iin_a": servant_a.iin,
        "iin_b": servant_b.iin,
        "rating_a": rating_a.pk,
        "rating_b": rating_b.pk,
        "hr_officer_a": HROfficer.objects.get(user=hr_a).pk,
        "programme": programme.pk,
        "programme_code": programme.code,
        "programme_revision": revision.pk,
        "past_session": past.pk,
        "spare_programme": spare_programme.pk,
        "spare_session": spare_session.pk,
        "upcoming_session": upcoming.pk,
        "enrolment_a": done_a.pk,
        "enrolment_b": done_b.pk,
        "open_enrolment_a": open_a.pk,
        "open_enrolment_b": open_b.pk,
        "record_a": record_a.pk,
        "record_b": record_b.pk,
        "cert_a": cert_a.pk,
        # "Your certificate is issued", told to servant A when cert_a was issued.
        "notification_a": Notification.objects.get(servant=servant_a, kind="certificate_issued").pk,
        "cert_b": cert_b.pk,
        "verify_a": cert_a.verification_code,
        "feed_a": feed_a.token,
        "feed_b": feed_b.token,
        "competition_a": competition_a.pk,
        "competition_b": competition_b.pk,
        "rule_set": rule_set.pk,
        "requirement": requirement.pk,
        "training": training.pk,
        "training_category": training_category.pk,
        "log_a": log_a.pk,
        "read_a": read_a.pk,
        "image": image.pk,
        "document": document.pk,
        "document_file": document.filename,
        "redirect": redirect.pk,
        "home": home.pk,
        "site": Site.objects.get(is_default_site=True).pk,
        "locale": Locale.objects.first().pk,
        "collection": Collection.get_first_root_node().pk,
        "group": group.pk,
        "user_hr_a": hr_a.pk,
        "workflow": workflow.pk,
        "task": task.pk,
    }

    def personal(*people, certs=()):
        found = []
        for person in people:
            found += [person.iin, person.last_name, person.first_name, person.email]
        return [s for s in found + [c.serial for c in certs] if s]

    world.personal = {
        "a": personal(servant_a, certs=[cert_a]),
        "b": personal(servant_b, servant_b2, certs=[cert_b]),
    }
    world.secrets = {
        "a": world.personal["a"] + [agency_a.name_ru, agency_a.name_kk],
        "b": world.personal["b"] + [agency_b.name_ru, agency_b.name_kk],
    }
    return world
