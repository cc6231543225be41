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


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Run once, after the last app's post_migrate: by then Django and Wagtail (snippet
        # "publish"/"lock" permissions) have created every permission the roles refer to.
        from django.apps import apps

        # (post_migrate is only sent to apps that have a models module.)
        last_app = [a for a in apps.get_app_configs() if a.models_module is not None][-1]
        post_migrate.connect(_sync_roles, sender=last_app, dispatch_uid="cms_sync_roles")
