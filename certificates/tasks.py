from django.contrib.auth import get_user_model
from django.tasks import task

from core.jobs import tracked

# The kind of the background job a bulk issue reports to (core.jobs; its words are registered
# in CertificatesConfig.ready).
SESSION_ISSUE_JOB = "certificates.session_issue"


@task
def issue_certificate(record_id: int) -> str:
    from enrolments.models import QualificationRecord

    from .services import certificate_issue

    return certificate_issue(record=QualificationRecord(pk=record_id), actor=None).serial


@task
def issue_session_certificates(
    session_id: int, user_id: int | None = None, job_id: int | None = None
) -> int:
    """Issue a session's pending certificates; with `job_id`, its page shows the counts as
    they move (a record refused is counted as failed and the others are still issued)."""
    from .services import certificates_issue_pending

    actor = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    with tracked(job_id) as job:
        issued = certificates_issue_pending(
            actor=actor,
            session_id=session_id,
            progress=job.progress,
            refused=job.item_failed if job_id is not None else None,
        )
    return len(issued)
