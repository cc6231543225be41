"""ImportBatch (from people) and BranchSettings (from cms) moved to core: an existing database
keeps its rows, their ids and the permissions groups hold on them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.historical import root_page

BEFORE = [("people", "0003_civilservant_servant_name_idx"), ("cms", "0002_cache_table")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_rows_survive_the_move_to_core():
    old = _migrate(BEFORE)
    try:
        _check_rows_survive(old)
    finally:
        # Whatever happens, leave the database at the latest migrations for the next tests.
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _check_rows_survive(old):
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Site

    OldBatch = old.get_model("people", "ImportBatch")
    OldBranch = old.get_model("cms", "BranchSettings")
    OldContentType = old.get_model("contenttypes", "ContentType")
    OldPermission = old.get_model("auth", "Permission")
    OldGroup = old.get_model("auth", "Group")
    batch = OldBatch.objects.create(kind="ratings", rows=3, new=1, updated=1, unchanged=1)
    root = root_page(old)
    site, _ = old.get_model("wagtailcore", "Site").objects.get_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page_id": root.pk}
    )
    branch = OldBranch.objects.create(site_id=site.pk, name_ru="Филиал", serial_prefix="URA")
    # The state a database of the previous release is in: content type and a group's permission.
    content_type, _ = OldContentType.objects.get_or_create(app_label="cms", model="branchsettings")
    permission, _ = OldPermission.objects.get_or_create(
        content_type=content_type, codename="change_branchsettings", defaults={"name": "x"}
    )
    group = OldGroup.objects.create(name="Editors of the branch")
    group.permissions.add(permission)

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    from core.models import BranchSettings, ImportBatch, branch_settings

    assert ImportBatch.objects.get(pk=batch.pk).kind == "ratings"
    assert BranchSettings.objects.get(pk=branch.pk).serial_prefix == "URA"
    assert branch_settings().name_ru == "Филиал"
    assert Site.objects.get(pk=site.pk).is_default_site
    moved = ContentType.objects.get(pk=content_type.pk)
    assert (moved.app_label, moved.model) == ("core", "branchsettings")
    assert (
        Permission.objects.get(pk=permission.pk) in Group.objects.get(pk=group.pk).permissions.all()
    )
