from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app shares: reading and writing tables, the import engine, admin page bases,
    dates and quarters, identifiers, role checks. It imports no other app of the project."""

    name = "core"
    verbose_name = _("Common")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from auditlog.models import LogEntry
        from auditlog.registry import auditlog

        # Audit entries point at everything through a generic relation; Wagtail's reference
        # index would otherwise re-index each one on save (7 extra queries per audited write).
        LogEntry.wagtail_reference_index_ignore = True

        from .models import BranchSettings, ImportBatch

        auditlog.register(ImportBatch)
        auditlog.register(BranchSettings)

        from .exporting import neutralise_wagtail_exports

        neutralise_wagtail_exports()
