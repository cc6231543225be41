"""Results and qualification records: the writes that make, correct and withdraw records.

One home for every door. The results grid (`session_results_record`), a single result
(`enrolment_record_result`), a correction in the admin (`qualification_record_correct`) and an
import, by file, command or API (`qualification_records_import`), all write records here, and
each leaves the same trail: a Wagtail history entry (`enrolments.record.created` /
`enrolments.record.corrected`) and django-auditlog rows (create for the new record, update for the
one it supersedes), with the actor. Records are never edited in place: a correction supersedes.
"""

import dataclasses
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from core.authorization import is_academy_manager
from core.dates import add_years
from core.formats import decimal, percent
from core.models import branch_settings
from core.trail import audit_created, audit_updated, before, history_entries, trail_write
from courses.models import Programme, Session

from . import explanations
from .models import (
    NAME_LANGUAGES,
    Enrolment,
    EnrolmentStatus,
    QualificationRecord,
    RecordSource,
)
from .services import EnrolmentRefused, _log

CORRECTABLE = (
    *(f"title_{code}" for code in NAME_LANGUAGES),
    "kind",
    *(f"provider_{code}" for code in NAME_LANGUAGES),
    "hours",
    "completed_on",
    "valid_until",
)
RESULT_STATUSES = (EnrolmentStatus.COMPLETED, EnrolmentStatus.FAILED, EnrolmentStatus.NO_SHOW)


def result_status(*, programme: Programme, attended_hours: int, passed: bool) -> str:
    """Completed = attended at least the required share of the hours, and passed."""
    if attended_hours <= 0:
        return EnrolmentStatus.NO_SHOW
    if attended_hours >= required_hours(programme) and passed:
        return EnrolmentStatus.COMPLETED
    return EnrolmentStatus.FAILED


def required_hours(programme: Programme) -> float:
    """The attended hours a completion needs: the programme's share of its hours."""
    return programme.academic_hours * programme.required_attendance_percent / 100


def result_reason(*, programme: Programme, attended_hours: int | None, passed: bool | None) -> str:
    """Why a recorded result is what it is (the rule of `result_status`, in words), in the
    active language; "" when nothing is recorded."""
    if attended_hours is None:
        return ""
    figures = {
        "attended": attended_hours,
        "required": decimal(required_hours(programme)),
        "hours": programme.academic_hours,
        "percent": percent(programme.required_attendance_percent),
    }
    if attended_hours <= 0:
        return _("Did not attend any of the %(hours)s hours.") % figures
    short = attended_hours < required_hours(programme)
    if short and passed:
        return (
            _(
                "Not passed because of attendance: attended %(attended)s of the %(required)s "
                "hours required (at least %(percent)s of %(hours)s), although the "
                "assessment was passed."
            )
            % figures
        )
    if short:
        return (
            _(
                "Not passed: the assessment was not passed, and attended %(attended)s of the "
                "%(required)s hours required (at least %(percent)s of %(hours)s)."
            )
            % figures
        )
    if not passed:
        return (
            _(
                "Not passed: the assessment was not passed (attendance was enough: "
                "%(attended)s of %(hours)s hours)."
            )
            % figures
        )
    return _("Completed: attended %(attended)s of %(hours)s hours and passed.") % figures


def enrolment_record_result(
    *, enrolment: Enrolment, attended_hours: int, passed: bool, score=None, actor
) -> Enrolment:
    """Record attendance and result. A completion creates a QualificationRecord; changing a
    recorded result supersedes the old record instead of editing it."""
    if not (
        getattr(actor, "is_authenticated", False)
        and (actor.is_superuser or is_academy_manager(actor))
    ):
        raise PermissionDenied(_("Only the academy records results."))
    programme = enrolment.session.programme
    if attended_hours < 0 or attended_hours > programme.academic_hours:
        raise EnrolmentRefused(
            _("Attended hours must be between 0 and %(max)s.") % {"max": programme.academic_hours},
            code="hours",
        )
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update()
            .select_related("session__programme", "servant")
            .get(pk=enrolment.pk)
        )
        if enrolment.status not in (EnrolmentStatus.ENROLLED, *RESULT_STATUSES):
            raise EnrolmentRefused(
                _("Results are recorded for enrolled participants only (this one is %(status)s).")
                % {"status": enrolment.get_status_display()},
                code="not_enrolled",
            )
        if enrolment.session.starts_on > timezone.localdate():
            raise EnrolmentRefused(
                _("Results can be recorded once the session has started."), code="not_started"
            )
        new_status = result_status(
            programme=programme, attended_hours=attended_hours, passed=passed
        )
        unchanged = (
            enrolment.status == new_status
            and enrolment.attended_hours == attended_hours
            and enrolment.passed == passed
            and (score is None or enrolment.score == score)
        )
        if unchanged:
            return enrolment
        previous_status = enrolment.status
        enrolment.status = new_status
        enrolment.attended_hours = attended_hours
        enrolment.passed = passed
        enrolment.score = score
        enrolment.finished_at = timezone.now()
        enrolment.save(
            update_fields=[
                "status",
                "attended_hours",
                "passed",
                "score",
                "finished_at",
                "updated_at",
            ]
        )
        _log(
            enrolment,
            new_status,
            actor,
            previous_status=previous_status,
            attended_hours=attended_hours,
            passed=passed,
            required_percent=programme.required_attendance_percent,
        )
        current = QualificationRecord.objects.filter(enrolment=enrolment, is_current=True).first()
        if new_status == EnrolmentStatus.COMPLETED and current is None:
            # Completed again after a withdrawn result: the new record supersedes the old one.
            previous = (
                QualificationRecord.objects.filter(enrolment=enrolment, superseded_by__isnull=True)
                .order_by("-pk")
                .first()
            )
            _record_from_enrolment(enrolment, actor, supersedes=previous)
        elif new_status != EnrolmentStatus.COMPLETED and current is not None:
            current.is_current = False
            current.correction_basis = explanations.basis(
                explanations.RESULT_CHANGED, status=enrolment.status
            )
            current.save(update_fields=["is_current", "correction_basis", "updated_at"])
            log(
                instance=current,
                action="enrolments.record.withdrawn",
                user=actor,
                data={"basis": current.correction_basis},
            )
            from .signals import record_withdrawn

            transaction.on_commit(
                partial(
                    record_withdrawn.send,
                    sender=QualificationRecord,
                    record=current,
                    reason=current.get_correction_reason_display(),
                )
            )
    return enrolment


def _record_from_enrolment(
    enrolment: Enrolment, actor, *, supersedes: QualificationRecord | None = None
) -> QualificationRecord:
    session = enrolment.session
    programme = session.programme
    completed_on = session.ends_on
    record = QualificationRecord.objects.create(
        servant=enrolment.servant,
        programme=programme,
        enrolment=enrolment,
        title_kk=programme.title_kk,
        title_ru=programme.title_ru,
        title_en=programme.title_en,
        kind=programme.kind,
        **provider_names(),
        hours=programme.academic_hours,
        completed_on=completed_on,
        valid_until=add_years(completed_on, programme.validity_years),
        source=RecordSource.ENROLMENT,
        supersedes=supersedes,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log(
        instance=record,
        action="enrolments.record.created",
        user=actor,
        data={"enrolment": enrolment.pk, "hours": record.hours},
    )
    from .signals import record_completed

    transaction.on_commit(partial(record_completed.send, sender=QualificationRecord, record=record))
    return record


def provider_names() -> dict[str, str]:
    """The academy as a record's provider, in every language: the branch's names from its
    settings, or the default name in each language when the settings have none."""
    branch = branch_settings()
    if branch.name_ru or branch.name_kk:
        return {f"provider_{code}": getattr(branch, f"name_{code}") for code in NAME_LANGUAGES}
    names = {}
    for code in NAME_LANGUAGES:
        with translation.override(code):
            names[f"provider_{code}"] = str(
                gettext_lazy("Academy of Public Administration, West Kazakhstan branch")
            )
    return names


def qualification_record_correct(
    *, record: QualificationRecord, actor, reason: str, **changes
) -> QualificationRecord:
    """Correct a record by creating a new one that supersedes it. The old one stays visible."""
    if not (
        getattr(actor, "is_authenticated", False)
        and (actor.is_superuser or is_academy_manager(actor))
    ):
        raise PermissionDenied(_("Only the academy corrects qualification records."))
    allowed = {*CORRECTABLE, "certificate_number"}
    # `title` / `provider`: one text in the language it is written in (QualificationRecord.title)
    unknown = set(changes) - allowed - {"title", "provider"}
    if unknown:
        raise ValueError(f"Cannot correct fields {sorted(unknown)}")
    if not reason.strip():
        raise EnrolmentRefused(_("Give a reason for the correction."), code="reason_required")
    with transaction.atomic():
        old = QualificationRecord.objects.select_for_update().get(pk=record.pk)
        if not old.is_current:
            raise EnrolmentRefused(_("This record has already been superseded."), code="superseded")
        old.is_current = False
        old.save(update_fields=["is_current", "updated_at"])
        fields = {f: getattr(old, f) for f in allowed}
        fields.update({f: v for f, v in changes.items() if f in allowed})
        new = QualificationRecord(
            servant=old.servant,
            programme=old.programme,
            enrolment=old.enrolment,
            source=old.source,
            supersedes=old,
            correction_reason=reason.strip(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **fields,
        )
        new.set_names(title=changes.get("title"), provider=changes.get("provider"))
        new.full_clean(exclude=["supersedes", "enrolment"])
        new.save()
        log(
            instance=new,
            action="enrolments.record.corrected",
            user=actor,
            data={
                "supersedes": old.pk,
                "reason": reason.strip(),
                "changes": {k: str(v) for k, v in changes.items()},
            },
        )
    from .signals import record_completed

    transaction.on_commit(partial(record_completed.send, sender=QualificationRecord, record=new))
    return new


# -- imports: many records at once, the same trail as one by one -------------------------


def qualification_records_import(
    *,
    creates: list[QualificationRecord],
    supersede: list[tuple[QualificationRecord, QualificationRecord]],
    actor,
) -> None:
    """Write an import's new records and its corrections in bulk, inside the caller's transaction.

    `creates` are unsaved records; `supersede` pairs a current record with the unsaved record
    that replaces it (its `supersedes_id` and `correction_reason` or `correction_basis` set).
    The rows were validated and scoped by the importer. The trail is the one the one-by-one
    services leave, written with bulk inserts so an import of 100k rows stays fast:
    - Wagtail history: `enrolments.record.created` on each new record, `enrolments.record.corrected`
      on each correcting record (what `qualification_record_correct` writes);
    - auditlog: a create row for each new record, an update row (`is_current`) for each record
      superseded, with the actor, as auditlog's signals write for a save().
    Certificates hear of corrections (`record_completed`) after commit, as for a correction."""
    now = timezone.now()
    old = [current for current, _record in supersede]
    before_states = [before(record) for record in old]
    for record in old:
        record.is_current = False
        record.updated_at = now
    QualificationRecord.objects.bulk_update(old, ["is_current", "updated_at"], batch_size=1000)
    corrected = [record for _current, record in supersede]
    QualificationRecord.objects.bulk_create([*creates, *corrected], batch_size=2000)

    currents = {record.pk: current for current, record in supersede}
    trail_write(
        history_entries(
            creates,
            action="enrolments.record.created",
            actor=actor,
            data=lambda record: {"hours": record.hours},
        ),
        history_entries(
            corrected,
            action="enrolments.record.corrected",
            actor=actor,
            data=lambda record: {
                "supersedes": currents[record.pk].pk,
                "reason": record.correction_reason,
                # An import's own reason is a code, worded when the entry is read.
                **({"basis": record.correction_basis} if record.correction_basis else {}),
                "changes": {
                    f: str(getattr(record, f))
                    for f in (*CORRECTABLE, "certificate_number")
                    if getattr(record, f) != getattr(currents[record.pk], f)
                },
            },
        ),
        audit_created([*creates, *corrected], actor=actor),
        # auditlog diffs in pre_save, before auto_now sets updated_at: only is_current shows.
        audit_updated(
            list(zip(before_states, old, strict=True)), fields=["is_current"], actor=actor
        ),
    )

    from .signals import record_completed

    for record in corrected:
        transaction.on_commit(
            partial(record_completed.send, sender=QualificationRecord, record=record)
        )


# -- the results grid --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ResultRow:
    """One participant's line of the results grid."""

    enrolment: Enrolment
    attended_hours: int
    passed: bool
    score: object = None


class ResultsRefused(ValidationError):
    """Some rows were refused, so nothing was saved. `row_errors` maps a row's position in the
    list given to the message for that row."""

    def __init__(self, row_errors: dict[int, str]):
        super().__init__(_("Nothing was saved: fix the rows marked below."), code="rows")
        self.row_errors = row_errors


def session_results_record(*, session: Session, results: list[ResultRow], actor) -> list[Enrolment]:
    """Record attendance and results for a whole session, all or nothing: every row goes
    through `enrolment_record_result`; if any is refused, none is kept and `ResultsRefused`
    says which rows and why. Returns the enrolments as recorded."""
    recorded, row_errors = [], {}
    with transaction.atomic():  # raising inside rolls every row back
        for position, row in enumerate(results):
            if row.enrolment.session_id != session.pk:
                row_errors[position] = _("This enrolment is not in this session.")
                continue
            try:
                recorded.append(
                    enrolment_record_result(
                        enrolment=row.enrolment,
                        attended_hours=row.attended_hours,
                        passed=row.passed,
                        score=row.score,
                        actor=actor,
                    )
                )
            except ValidationError as error:
                row_errors[position] = " ".join(error.messages)
        if row_errors:
            raise ResultsRefused(row_errors)
    return recorded
