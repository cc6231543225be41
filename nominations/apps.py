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
        # The training-due basis is data worded when read (the list and the history entry
        # show it as a sentence); the audit entry would show its raw codes.
        auditlog.register(models.Nomination, exclude_fields=["due_basis"])
        auditlog.register(models.WithdrawalRequest)
        auditlog.register(models.Assignment)
