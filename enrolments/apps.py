from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrolmentsConfig(AppConfig):
    name = "enrolments"
    verbose_name = _("Enrolments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, sessions

        sessions.connect()

        auditlog.register(models.Enrolment)
        auditlog.register(models.QualificationRecord)
        auditlog.register(models.TrainingRequirement)
        auditlog.register(models.TrainingRequirementCategory)
