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
        record_completed.connect(handlers.reissue_after_correction, dispatch_uid="cert_reissue")
        record_withdrawn.connect(handlers.revoke_after_withdrawal, dispatch_uid="cert_revoke")
