"""Helpers for tests that run code against historical models (a migration's `apps`)."""


def root_page(apps):
    """Wagtail's root page in the historical models `apps`, made again when an earlier
    transactional test flushed the tree the migrations made."""
    Page = apps.get_model("wagtailcore", "Page")
    root = Page.objects.filter(depth=1).first()
    if root is not None:
        return root
    page_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="wagtailcore", model="page"
    )
    locale, _ = apps.get_model("wagtailcore", "Locale").objects.get_or_create(language_code="kk")
    return Page.objects.create(
        title="Root",
        slug="root",
        path="0001",
        depth=1,
        numchild=0,
        url_path="/",
        content_type_id=page_type.pk,
        locale_id=locale.pk,
    )
