from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NominationsConfig(AppConfig):
    name = "nominations"
    verbose_name = _("Nominations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from auditlog.registry import auditlog

        from enrolments.signals import enrolment_withdrawing

        from . import models, services

        enrolment_withdrawing.connect(
            services.refuse_own_withdrawal, dispatch_uid="nominations.refuse_own_withdrawal"
        )
        auditlog.register(models.Nomination)
        auditlog.register(models.WithdrawalRequest)
