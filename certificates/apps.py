from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from auditlog.registry import auditlog

        from enrolments.signals import record_completed, record_withdrawn

        from . import handlers, models

        auditlog.register(models.Certificate)
        register_job_kinds()
        record_completed.connect(handlers.reissue_after_correction, dispatch_uid="cert_reissue")
        record_withdrawn.connect(handlers.revoke_after_withdrawal, dispatch_uid="cert_revoke")


def register_job_kinds() -> None:
    """How a bulk issue reads on its progress page (core.jobs)."""
    from core.jobs import JobKind, register_job_kind

    from .tasks import SESSION_ISSUE_JOB

    register_job_kind(
        SESSION_ISSUE_JOB,
        JobKind(
            label=_("Issuing certificates"),
            done_label=_("issued"),
            remaining_label=_("to issue"),
            failed_label=_("not issued"),
            result_label=_("Open the session's certificates"),
            download_label=_("Download all as ZIP"),
            # certificates_issue_pending is idempotent: a second run issues only the rest.
            restart_help=_(
                "If it has stopped, issue the session's certificates again: only those not "
                "issued yet are issued, none twice."
            ),
        ),
    )
