from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, using="default", **kwargs):
    # Permissions are created by post_migrate handlers of each app; create them all first
    # so the role groups can be given permissions of apps that migrated after this one.
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    from .roles import roles_sync

    roles_sync()


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from auditlog.models import LogEntry
        from auditlog.registry import auditlog

        # Audit entries point at everything through a generic relation; Wagtail's reference
        # index would otherwise re-index each one on save (7 extra queries per audited write).
        LogEntry.wagtail_reference_index_ignore = True

        from . import models

        for model in (
            models.Agency,
            models.Position,
            models.CivilServant,
            models.PerformanceRating,
            models.HROfficer,
            models.ImportBatch,
        ):
            auditlog.register(model)
        # Run once, after the last app's post_migrate: by then Django and Wagtail (snippet
        # "publish"/"lock" permissions) have created every permission the roles refer to.
        from django.apps import apps

        # (post_migrate is only sent to apps that have a models module.)
        last_app = [a for a in apps.get_app_configs() if a.models_module is not None][-1]
        post_migrate.connect(_sync_roles, sender=last_app, dispatch_uid="people_sync_roles")
