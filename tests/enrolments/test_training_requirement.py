"""One training requirement: waiting-list priority, My learning, the transcript and the
eligibility engine (one person and the batch) give the same figures for the same people."""

import datetime

import pytest
from django.utils import timezone, translation

from core.authorization import CIVIL_SERVANTS
from core.dates import add_months, add_years
from enrolments.models import Priority, TrainingRequirement
from enrolments.requirements import training_requirement_status
from enrolments.services import priority_for
from enrolments.transcripts import transcript_for
from promotions.models import RuleSet
from promotions.services import eligibility_evaluate, eligibility_for_agency
from tests.factories import PositionFactory, ProgrammeFactory, ServantFactory, UserFactory
from tests.promotions.test_eligibility import train

LEAP_DAY = datetime.date(2028, 2, 29)


@pytest.fixture
def requirement(db):
    RuleSet.objects.create(version="2024-1", effective_from=datetime.date(2024, 1, 1))
    training = TrainingRequirement.objects.create(effective_from=datetime.date(2024, 1, 1))
    training.categories.create(category_pattern="C-O-*", min_hours=40)
    return training


def people_on(as_of, agency):
    """Mixed categories, kinds and dates around the window's edges for `as_of`."""
    start = add_years(as_of, -3)  # excluded: the window is (start, as_of]
    made = []

    def person(category, first_appointed_on, records):
        servant = ServantFactory(
            agency=agency,
            user=UserFactory(role=CIVIL_SERVANTS),
            position=PositionFactory(agency=agency, category=category) if category else None,
            first_appointed_on=first_appointed_on,
        )
        for hours, day, kind in records:
            train(servant, hours, day, kind=kind)
        made.append(servant)

    day = datetime.timedelta(days=1)
    # C-O-4 needs 40: 24 counted (the first day inside), a seminar and a record on the edge not.
    person(
        "C-O-4",
        datetime.date(2010, 1, 1),
        [(24, start + day, "upgrade"), (16, as_of - day, "seminar"), (30, start, "upgrade")],
    )
    # E-R-3 needs 36: retraining done after an appointment inside the window.
    person("E-R-3", add_months(as_of, -5), [(120, as_of - day, "retraining")])
    # Retraining due (appointed 3 months ago), only seminars.
    person("C-O-3", add_months(as_of, -3), [(40, as_of - 10 * day, "seminar")])
    # Retraining overdue; 36 upgrade hours completed on as_of itself (the last day counts).
    person("E-R-3", add_months(as_of, -7), [(36, as_of, "upgrade")])
    # No position (no category): the version's minimum; upgrade + retraining add up to 40.
    person(
        None, datetime.date(2012, 5, 5), [(20, start + day, "upgrade"), (20, as_of, "retraining")]
    )
    return made


def assert_the_four_agree(servants, as_of, agency):
    with translation.override("en"):
        return _the_four_agree(servants, as_of, agency)


def _the_four_agree(servants, as_of, agency):
    retraining = ProgrammeFactory(kind="retraining", academic_hours=120)
    batch = {r.servant_id: r for r in eligibility_for_agency(agency=agency, as_of=as_of)}
    seen = []
    for servant in servants:
        status = training_requirement_status(servant, as_of)
        seen.append((status.required_hours, status.counted_hours, status.retraining_met))

        transcript = transcript_for(servant, as_of=as_of)
        assert (transcript.required_hours, transcript.window_hours) == (
            status.required_hours,
            status.counted_hours,
        )
        assert transcript.window_start == status.window_start
        assert transcript.requirement_met == status.hours_met

        one = eligibility_evaluate(servant=servant, as_of=as_of)
        assert one.as_dict() == batch[servant.pk].as_dict()
        criteria = {c.code: c for c in one.criteria}
        hours, retrain = criteria["training_hours"], criteria["retraining"]
        assert hours.met == status.hours_met and retrain.met == status.retraining_met
        assert f"{status.counted_hours} academic hours" in hours.explanation
        assert str(status.required_hours) in hours.explanation
        assert [e["record"] for e in hours.evidence] == [r.uid for r in status.records]

        priority, reason = priority_for(servant=servant, programme=retraining, today=as_of)
        if status.retraining_due:
            assert priority == Priority.RETRAINING_DUE
            assert reason["due"] == status.retraining_due_on.isoformat()
        else:
            assert (priority, reason) == (Priority.VOLUNTARY, {})
    return seen


@pytest.mark.django_db
@pytest.mark.parametrize("as_of", [LEAP_DAY, datetime.date(2027, 3, 1)])
def test_transcript_priority_and_eligibility_agree_on_fixed_days(requirement, agency_a, as_of):
    servants = people_on(as_of, agency_a)
    assert assert_the_four_agree(servants, as_of, agency_a) == [
        (40, 24, True),  # the seminar and the record on the window's first edge do not count
        (36, 120, True),  # retraining done
        (40, 0, True),  # retraining due, not late
        (36, 36, False),  # retraining overdue; the record of the last day counts
        (36, 40, True),
    ]


@pytest.mark.django_db
def test_my_learning_shows_the_same_figures_as_the_other_three(client, requirement, agency_a):
    today = timezone.localdate()
    servants = people_on(today, agency_a)
    assert_the_four_agree(servants, today, agency_a)
    for servant in servants:
        status = training_requirement_status(servant, today)
        client.force_login(servant.user)
        page = client.get("/en/my/").content.decode()
        assert (
            f"{status.required_hours} academic hours is {'met' if status.hours_met else 'not met'}"
        ) in page
        assert (
            f"{status.counted_hours} h of qualification upgrade or retraining since "
            f"{status.window_start:%d.%m.%Y}"
        ) in page
