"""What each of the four roles (core.authorization) may do in the back office.

`roles_sync()` (run after every migrate) keeps the groups' permissions equal to the table
below, so a new permission for a role is a one-line change here. The table names models of
every app, so it lives in the top layer. The policies that read it (which role may import or
export which kind, open which screen) are people.authorization.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from core.authorization import ACADEMY_MANAGERS, AUDITORS, CIVIL_SERVANTS, HR_OFFICERS

_ADMIN = ["wagtailadmin.access_admin"]


def _crud(model: str, *, extra: tuple[str, ...] = ()) -> list[str]:
    app, name = model.split(".")
    actions = ("add", "change", "delete", "view", *extra)
    return [f"{app}.{action}_{name}" for action in actions]


def _view(*models: str) -> list[str]:
    return [f"{m.split('.')[0]}.view_{m.split('.')[1]}" for m in models]


ROLE_PERMISSIONS: dict[str, list[str]] = {
    CIVIL_SERVANTS: [],
    ACADEMY_MANAGERS: [
        *_ADMIN,
        *_crud("courses.programme", extra=("publish",)),
        *_crud("courses.session"),
        *_view("people.agency", "people.position", "people.civilservant"),
        *_view("enrolments.enrolment", "enrolments.qualificationrecord"),
        "enrolments.import_qualificationrecord",
        *_view("certificates.certificate"),
        "core.change_branchsettings",
        *_crud("wagtailimages.image", extra=("choose",)),
        *_crud("wagtaildocs.document", extra=("choose",)),
    ],
    HR_OFFICERS: [
        *_ADMIN,
        *_view("people.agency", "people.position"),
        *_crud("people.civilservant"),
        *_crud("people.performancerating"),
        *_view("courses.programme", "courses.session"),
        *_view("enrolments.enrolment", "enrolments.qualificationrecord"),
        *_view("certificates.certificate"),
        *_view("promotions.competition", "promotions.ruleset"),
        *_view("enrolments.trainingrequirement", "enrolments.trainingrequirementcategory"),
        # Imports of completed trainings and of the competitions register (people.authorization).
        "enrolments.import_qualificationrecord",
        "promotions.import_competition",
    ],
    AUDITORS: [
        *_ADMIN,
        *_view(
            "people.agency",
            "people.position",
            "people.civilservant",
            "people.performancerating",
            "courses.programme",
            "courses.session",
            "enrolments.enrolment",
            "enrolments.qualificationrecord",
            "certificates.certificate",
            "promotions.competition",
            "promotions.ruleset",
            "promotions.qualificationrequirement",
            "enrolments.trainingrequirement",
            "enrolments.trainingrequirementcategory",
            "auditlog.logentry",
        ),
    ],
}


# Page permissions (Wagtail's GroupPagePermission), granted on the root of the page tree so
# they cover every language's home page and what lies below (news, about): the academy manages
# the public site. Adding, editing and publishing; deleting stays with superusers.
ROLE_PAGE_PERMISSIONS: dict[str, list[str]] = {
    ACADEMY_MANAGERS: ["add_page", "change_page", "publish_page"],
}


def page_permissions_sync() -> None:
    """Give each role group exactly the page permissions of ROLE_PAGE_PERMISSIONS on the tree's
    root (none for the roles it does not name). Nothing to do before the tree exists."""
    from wagtail.models import GroupPagePermission, Page

    root = Page.get_first_root_node()
    if root is None:
        return
    for name in ROLE_PERMISSIONS:
        group, _ = Group.objects.get_or_create(name=name)
        wanted = set(
            _permissions([f"wagtailcore.{c}" for c in ROLE_PAGE_PERMISSIONS.get(name, [])])
        )
        granted = GroupPagePermission.objects.filter(group=group)
        granted.exclude(page=root, permission__in=wanted).delete()
        have = set(granted.values_list("permission_id", flat=True))
        GroupPagePermission.objects.bulk_create(
            GroupPagePermission(group=group, page=root, permission=p)
            for p in wanted
            if p.pk not in have
        )


def _permissions(codes: list[str]) -> list[Permission]:
    query = Q(pk__in=[])
    for code in codes:
        app_label, codename = code.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


def roles_sync() -> None:
    """Create the role groups and set their permissions to exactly ROLE_PERMISSIONS."""
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(codes))
    page_permissions_sync()
