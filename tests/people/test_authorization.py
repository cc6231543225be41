"""The policy table (people.authorization) per role: what docs/security.md lists."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from people import authorization as policy
from tests.factories import ServantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(academy_manager, hr_officer_a, auditor, superuser, servant_of_a):
    inactive = UserFactory(username="gone", is_superuser=True, is_active=False)
    return {
        "servant": servant_of_a.user,
        "manager": academy_manager,
        "hr": hr_officer_a,
        "auditor": auditor,
        "superuser": superuser,
        "inactive superuser": inactive,
    }


EXPECTED = {
    # role: (import kinds, export kinds, sessions, approvals, meritocracy, dry run)
    "servant": ([], [], False, False, False, False),
    "manager": (
        ["completions"],
        ["servants", "records", "enrolments", "completions"],
        True,
        True,
        True,
        False,
    ),
    "hr": (
        ["servants", "ratings", "completions", "competitions"],
        ["servants", "ratings", "records", "enrolments", "competitions", "completions"],
        False,
        True,
        True,
        False,
    ),
    "auditor": (
        [],
        ["servants", "ratings", "records", "enrolments", "competitions", "completions"],
        False,
        False,
        True,
        True,
    ),
    "superuser": (
        ["servants", "ratings", "completions", "competitions"],
        ["servants", "ratings", "records", "enrolments", "competitions", "completions"],
        True,
        True,
        True,
        True,
    ),
    "inactive superuser": ([], [], False, False, False, False),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_what_each_role_may_do(users, role):
    user = users[role]
    assert (
        policy.import_kinds(user),
        policy.export_kinds(user),
        policy.may_run_sessions(user),
        policy.may_decide_enrolments(user),
        policy.may_view_meritocracy(user),
        policy.may_dry_run_rules(user),
    ) == EXPECTED[role]
    assert policy.may_manage_ratings(user) == ("ratings" in EXPECTED[role][0])


def test_who_may_view_a_servant(users, servant_of_a, agency_b):
    other = ServantFactory(agency=agency_b)
    assert policy.may_view_servant(users["servant"], servant_of_a)
    assert not policy.may_view_servant(users["servant"], other)
    assert policy.may_view_servant(users["hr"], servant_of_a)
    assert not policy.may_view_servant(users["hr"], other)
    assert not policy.may_view_records_of(users["hr"], other)
    for role in ("manager", "auditor", "superuser"):
        assert policy.may_view_servant(users[role], other), role
        assert policy.may_view_records_of(users[role], other), role
    assert policy.may_record_appointment(users["hr"], servant_of_a)
    assert not policy.may_record_appointment(users["hr"], other)
    assert not policy.may_record_appointment(users["auditor"], other)


def test_templates_ask_the_same_policies(users):
    template = Template(
        '{% load authorization %}{% may "export" "ratings" as r %}{% may "import" as i %}'
        "{{ r }} {{ i }}"
    )
    request = RequestFactory().get("/")
    answers = {}
    for role in ("manager", "hr", "auditor"):
        request.user = users[role]
        answers[role] = template.render(Context({"request": request}))
    assert answers == {"manager": "False True", "hr": "True True", "auditor": "True False"}
