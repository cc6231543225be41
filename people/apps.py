from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.Agency,
            models.Position,
            models.CivilServant,
            models.PerformanceRating,
        ):
            auditlog.register(model)
        # Granting or withdrawing a state body is a change of the officer's scope: audited.
        auditlog.register(models.HROfficer, m2m_fields={"agencies"})
