from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Training plans")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.PlanningYear)
        auditlog.register(models.TrainingPlan)
        auditlog.register(models.PlanLine, m2m_fields={"servants"})
