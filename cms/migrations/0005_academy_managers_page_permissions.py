"""The academy managers edit the public site: add, change and publish pages (news, about) under
the page tree's root. cms.roles keeps it so after every migrate (ROLE_PAGE_PERMISSIONS); this
migration grants it at once on databases that already exist."""

from django.db import migrations

GROUP = "Academy managers"
CODENAMES = {
    "add_page": "Add any page",
    "change_page": "Change any page",
    "publish_page": "Publish any page",
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for codename, name in CODENAMES.items():
        permission, _ = Permission.objects.get_or_create(
            content_type=page_type, codename=codename, defaults={"name": name}
        )
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)


def revoke(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupPagePermission.objects.filter(
        group__name=GROUP, permission__codename__in=list(CODENAMES)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_labels"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
