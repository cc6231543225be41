from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionsConfig(AppConfig):
    name = "promotions"
    verbose_name = _("Promotions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Competition)
        auditlog.register(models.RuleSet)
        auditlog.register(models.QualificationRequirement)
        auditlog.register(models.MeritAppointment)
        # Who checked whom, when, for what and with which outcome; the frozen result (large)
        # stays on the check itself.
        auditlog.register(models.EligibilityCheck, exclude_fields=["result"])
