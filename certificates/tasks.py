from django.contrib.auth import get_user_model
from django.tasks import task


@task
def issue_certificate(record_id: int) -> str:
    from enrolments.models import QualificationRecord

    from .services import certificate_issue

    return certificate_issue(record=QualificationRecord(pk=record_id), actor=None).serial


@task
def issue_session_certificates(session_id: int, user_id: int | None = None) -> int:
    from .services import certificates_issue_pending

    actor = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return len(certificates_issue_pending(actor=actor, session_id=session_id))
